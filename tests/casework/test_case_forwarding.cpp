// Assign down / forward (交办 / 转送): the case moves to the receiving office with its history; the
// sending office keeps read-only access and follows the feedback; the receiver reads the original.
#include <boost/test/unit_test.hpp>

#include "casework/case_repository.hpp"
#include "casework/case_timeline.hpp"
#include "fixture.hpp"

using namespace hl;
using namespace hl::casework;
using hl::test::CaseworkFixture;

namespace {

struct ForwardingFixture : CaseworkFixture {
  CaseRecord open_at_city() {
    NewCase n{city.id, "marriage_family.domestic_violence", "hotline", "normal", "丈夫长期家暴", "转县妇联就近办理",
              clock.now_ms(), std::nullopt, std::nullopt};
    return must(service.open_case(conn, n, city_sup));
  }
  // 转送 (forward) by default; 交办 (delegate) with a report due in `report_days`.
  CaseRecord transfer(const CaseRecord& c, const Actor& by, std::int64_t target, std::optional<int> report_days = {}) {
    EventData d = notice({{"target_office_id", std::to_string(target)}, {"reason", "当事人现居地在对方辖区"}});
    if (report_days) d["report_due_days"] = std::to_string(*report_days);
    return must(service.apply(conn, c.id, c.version, report_days ? CaseEvent::delegate : CaseEvent::forward, by, d));
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(case_forwarding, ForwardingFixture)

BOOST_AUTO_TEST_CASE(forward_or_delegate_is_the_users_choice_whatever_the_direction) {
  // The city forwards (转送) to a county below it: the city's case ends as 已转送, not 办结.
  auto c = open_at_city();
  auto no_reason = service.apply(conn, c.id, c.version, CaseEvent::forward, city_sup,
                                 notice({{"target_office_id", std::to_string(county.id)}}));
  BOOST_REQUIRE(!no_reason);
  BOOST_TEST(no_reason.error().fields.contains("reason"));
  auto forwarded = transfer(c, city_sup, county.id);
  BOOST_TEST((forwarded.status == CaseStatus::forwarded));
  BOOST_TEST(!forwarded.next_due.has_value());
  auto events = *CaseRepository::events(conn, forwarded.id, city_sup);
  BOOST_TEST(events.back().event == "forward");
  BOOST_TEST(events.back().to_status == "forwarded");

  // A county delegates (交办) to its sibling: what makes it 交办 is the report, not the direction.
  auto d = open("marriage_family.domestic_violence", county.id);
  auto no_due = service.apply(conn, d.id, d.version, CaseEvent::delegate, op,
                              notice({{"target_office_id", std::to_string(other_county.id)}, {"reason", "r"}}));
  BOOST_REQUIRE(!no_due);
  BOOST_TEST(no_due.error().fields.contains("report_due_days"));
  auto delegated = transfer(d, op, other_county.id, 20);
  BOOST_TEST((delegated.status == CaseStatus::delegated));
  BOOST_TEST(*delegated.next_due == *parse_iso8601("2026-12-13T23:59:59.999+08:00"));  // 20 days after 11-23
  BOOST_TEST(!delegated.closed_at.has_value());
}

BOOST_AUTO_TEST_CASE(the_sender_reads_the_new_case_but_cannot_change_it) {
  auto c = open("marriage_family.domestic_violence", county.id);
  auto closed = transfer(c, op, other_county.id);
  const auto new_id = *closed.transferred_to_case_id;

  BOOST_TEST(!CaseRepository::get(conn, new_id, op).has_value());  // no working access
  auto readable = CaseRepository::get_readable(conn, new_id, op);
  BOOST_REQUIRE(readable.has_value());
  BOOST_TEST(readable->read_only);
  BOOST_TEST(readable->record.office_id == other_county.id);
  // The sender's supervisor (same office) and the city above both follow it.
  BOOST_TEST(CaseRepository::get_readable(conn, new_id, sup).has_value());
  BOOST_TEST(!CaseRepository::get_readable(conn, new_id, city_sup)->read_only);  // in the city's own subtree anyway

  auto v = CaseRepository::get_unscoped(conn, new_id)->version;
  auto write = service.apply(conn, new_id, v, CaseEvent::accept, op, notice());
  BOOST_REQUIRE(!write);
  BOOST_TEST((write.error().code == Errc::not_found));

  // The receiving office works on it and reads the original; partners and admins get nothing.
  BOOST_TEST(!CaseRepository::get_readable(conn, new_id, other_op)->read_only);
  auto original = CaseRepository::get_readable(conn, c.id, other_op);
  BOOST_REQUIRE(original.has_value());
  BOOST_TEST(original->read_only);
  BOOST_TEST(!CaseRepository::get_readable(conn, new_id, partner_police).has_value());
  BOOST_TEST(!CaseRepository::get_readable(conn, new_id, admin).has_value());

  // The sender sees the feedback: the receiving office accepts and the sender reads the new status.
  must(service.apply(conn, new_id, v, CaseEvent::accept, other_op, notice()));
  BOOST_TEST((CaseRepository::get_readable(conn, new_id, op)->record.status == CaseStatus::in_progress));
}

BOOST_AUTO_TEST_CASE(the_new_case_carries_the_history_and_a_chain_keeps_every_sender) {
  auto c = open("marriage_family.domestic_violence", county.id);
  must(service.apply(conn, c.id, c.version, CaseEvent::accept, op, notice()));
  auto closed = transfer(*CaseRepository::get(conn, c.id, op), op, other_county.id);
  const auto second = *closed.transferred_to_case_id;

  auto timeline = *CaseTimeline::load(conn, second, other_op);
  int inherited = 0;
  bool saw_accept = false;
  for (const auto& t : timeline) {
    if (t.from_case_id == c.id) {
      ++inherited;
      BOOST_TEST(t.from_case_no == c.case_no);
      if (t.kind == "event" && t.fields.at("event") == "accept") saw_accept = true;
    }
  }
  BOOST_TEST(inherited >= 3);  // register, accept, forward (and the contact)
  BOOST_TEST(saw_accept);
  // Time order across both cases: the original's register comes first.
  BOOST_TEST(timeline.front().from_case_id == c.id);

  // The receiver sends it on to the city: the first sender still follows the third case.
  auto third_closed = transfer(*CaseRepository::get(conn, second, other_op), other_op, city.id);
  const auto third = *third_closed.transferred_to_case_id;
  BOOST_TEST(CaseRepository::get_readable(conn, third, op)->read_only);
  BOOST_TEST(CaseRepository::get_readable(conn, third, other_op)->read_only);
  // The city (now working it) reads the whole chain's history.
  auto chain = *CaseTimeline::load(conn, third, city_sup);
  bool first = false, middle = false;
  for (const auto& t : chain) {
    first = first || t.from_case_id == c.id;
    middle = middle || t.from_case_id == second;
  }
  BOOST_TEST(first);
  BOOST_TEST(middle);
}

BOOST_AUTO_TEST_SUITE_END()
