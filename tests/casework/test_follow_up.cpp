// Follow-up after closure (回访): who is due, recording satisfaction, the dissatisfied list and reopening.
#include <boost/test/unit_test.hpp>

#include "casework/case_repository.hpp"
#include "casework/follow_up.hpp"
#include "fixture.hpp"
#include "support/error_of.hpp"

using namespace hl;
using namespace hl::casework;
using hl::test::error_of;

namespace {

TimeMs at(const char* iso) { return *parse_iso8601(iso); }

struct FollowUpFixture : hl::test::CaseworkFixture {
  FollowUpService follow_ups{clock};

  std::int64_t closed(const char* case_no, TimeMs closed_at, const char* outcome = "resolved",
                      std::int64_t office = 0, const char* status = "closed") {
    const std::int64_t office_id = office ? office : county.id;
    conn.prepare(
            "INSERT INTO cases(case_no, office_id, office_path, status, category, channel, summary, received_at,"
            " accepted_at, closed_at, outcome, created_at, updated_at)"
            " VALUES (?1, ?2, ?3, ?4, 'marriage_family.divorce', 'hotline', '离婚纠纷', ?5, ?5, ?6, ?7, 0, 0)")
        .bind_all(case_no, office_id, OfficeRepository::get(conn, office_id)->path, status, closed_at - 20 * kMsPerDay,
                  std::string(status) == "closed" ? std::optional(closed_at) : std::nullopt, outcome)
        .run();
    return conn.last_insert_rowid();
  }

  FollowUpPage list(const Actor& who, FollowUpState state = FollowUpState::due, int limit = 50, std::string cursor = {}) {
    FollowUpFilter f;
    f.state = state;
    f.limit = limit;
    f.cursor = std::move(cursor);
    auto p = FollowUpService::list(conn, f, who, clock.now_ms());
    BOOST_REQUIRE_MESSAGE(p.has_value(), (p ? std::string() : p.error().message));
    return *p;
  }

  static std::vector<std::int64_t> case_ids(const FollowUpPage& p) {
    std::vector<std::int64_t> out;
    for (const auto& i : p.items) out.push_back(i.summary.record.id);
    return out;
  }

  static std::vector<std::string> case_nos(const FollowUpPage& p) {
    std::vector<std::string> out;
    for (const auto& i : p.items) out.push_back(i.summary.record.case_no);
    return out;
  }

  FollowUpRecord record(std::int64_t id, const char* satisfaction, const Actor& who) {
    auto r = follow_ups.record(conn, id, {satisfaction, "电话回访", std::nullopt}, who);
    BOOST_REQUIRE_MESSAGE(r.has_value(), (r ? std::string() : r.error().message));
    return *r;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(follow_up, FollowUpFixture)

BOOST_AUTO_TEST_CASE(due_from_the_seventh_to_the_ninetieth_day_after_closure) {
  // Now is 2026-11-23 09:30 Shanghai.
  closed("d6", at("2026-11-17T23:59:59.999+08:00"));   // 6 days: not yet
  closed("d7", at("2026-11-16T23:59:59.999+08:00"));   // 7 days: due
  closed("d30", at("2026-10-24T10:00:00+08:00"));
  closed("d90", at("2026-08-25T00:00:00+08:00"));      // 90 days: still due
  closed("d91", at("2026-08-24T23:59:59.999+08:00"));  // 91 days: past the window
  closed("transferred", at("2026-11-01T10:00:00+08:00"), "transferred");  // the receiving office follows up
  closed("open", at("2026-11-01T10:00:00+08:00"), "resolved", 0, "in_progress");
  closed("other", at("2026-11-01T10:00:00+08:00"), "resolved", other_county.id);
  const auto done = closed("done", at("2026-11-02T10:00:00+08:00"));
  record(done, "satisfied", op);

  auto p = list(op);
  const std::vector<std::string> expected = {"d90", "d30", "d7"};  // longest waiting first
  BOOST_TEST(case_nos(p) == expected, boost::test_tools::per_element());
  BOOST_TEST(p.total == 3);
  BOOST_TEST(!p.next_cursor.has_value());
  BOOST_TEST(list(city_sup).total == 4);  // with the sibling county's
}

BOOST_AUTO_TEST_CASE(pages_with_a_cursor) {
  closed("a", at("2026-10-01T10:00:00+08:00"));
  closed("b", at("2026-10-02T10:00:00+08:00"));
  closed("c", at("2026-10-03T10:00:00+08:00"));
  auto first = list(op, FollowUpState::due, 2);
  BOOST_TEST(case_nos(first) == (std::vector<std::string>{"a", "b"}), boost::test_tools::per_element());
  BOOST_TEST(first.total == 3);
  BOOST_REQUIRE(first.next_cursor.has_value());
  auto second = list(op, FollowUpState::due, 2, *first.next_cursor);
  BOOST_TEST(case_nos(second) == (std::vector<std::string>{"c"}), boost::test_tools::per_element());
  FollowUpFilter bad;
  bad.cursor = "x";
  BOOST_TEST((error_of(FollowUpService::list(conn, bad, op, clock.now_ms())).code == Errc::invalid_input));
}

BOOST_AUTO_TEST_CASE(recording_a_follow_up_writes_an_event_and_ends_the_due_state) {
  const auto id = closed("c1", at("2026-11-10T10:00:00+08:00"));
  auto f = follow_ups.record(conn, id, {"basically_satisfied", "基本满意，希望继续关注", at("2026-11-22T15:00:00+08:00")}, op);
  BOOST_REQUIRE(f.has_value());
  BOOST_TEST(f->satisfaction == "basically_satisfied");
  BOOST_TEST(f->closed_at == at("2026-11-10T10:00:00+08:00"));
  BOOST_TEST(f->contacted_at == at("2026-11-22T15:00:00+08:00"));
  BOOST_TEST(*f->recorded_by == op.user_id);
  auto events = *CaseRepository::events(conn, id, op);
  BOOST_REQUIRE(!events.empty());
  BOOST_TEST(events.back().event == "follow_up");
  BOOST_TEST(events.back().to_status == "closed");
  BOOST_TEST(events.back().payload_json.find("basically_satisfied") != std::string::npos);
  BOOST_TEST(list(op).total == 0);
  BOOST_TEST(FollowUpService::for_case(conn, id).size() == 1u);
}

BOOST_AUTO_TEST_CASE(invalid_follow_ups_are_refused) {
  const auto id = closed("c1", at("2026-11-10T10:00:00+08:00"));
  auto bad = follow_ups.record(conn, id, {"happy", "", std::nullopt}, op);
  BOOST_TEST(error_of(bad).fields.contains("satisfaction"));
  auto future = follow_ups.record(conn, id, {"satisfied", "", clock.now_ms() + kMsPerHour}, op);
  BOOST_TEST(error_of(future).fields.contains("contacted_at"));
  auto before = follow_ups.record(conn, id, {"satisfied", "", at("2026-11-09T10:00:00+08:00")}, op);
  BOOST_TEST(error_of(before).fields.contains("contacted_at"));
  const auto open = closed("open", at("2026-11-10T10:00:00+08:00"), "resolved", 0, "in_progress");
  BOOST_TEST((error_of(follow_ups.record(conn, open, {"satisfied", "", std::nullopt}, op)).code ==
              Errc::transition_not_allowed));
  BOOST_TEST((error_of(follow_ups.record(conn, id, {"satisfied", "", std::nullopt}, other_op)).code == Errc::not_found));
  BOOST_TEST((error_of(follow_ups.record(conn, id, {"satisfied", "", std::nullopt}, admin)).code == Errc::forbidden));
  BOOST_TEST(scalar("SELECT count(*) FROM follow_ups") == 0);
}

BOOST_AUTO_TEST_CASE(dissatisfied_flags_the_case_until_a_supervisor_reopens_it) {
  // A real case through the workflow: answered on the spot (closed), followed up 8 days later.
  auto c = open("marriage_family.divorce");
  c = must(service.apply(conn, c.id, c.version, CaseEvent::answer, op, {{"answer", "告知诉讼离婚程序"}}));
  clock.advance_ms(8 * kMsPerDay);
  BOOST_TEST(list(op).total == 1);
  auto f = record(c.id, "dissatisfied", op);
  BOOST_TEST(list(op).total == 0);
  auto flagged = list(sup, FollowUpState::dissatisfied);
  BOOST_REQUIRE(flagged.items.size() == 1u);
  BOOST_TEST(flagged.items[0].summary.record.id == c.id);
  BOOST_TEST(flagged.items[0].latest->id == f.id);

  // The supervisor reopens it (the workflow's reopen): it leaves the list.
  c = must(service.apply(conn, c.id, c.version, CaseEvent::reopen, sup, {{"reason", "回访不满意，重新办理"}}));
  BOOST_TEST((c.status == CaseStatus::in_progress));
  BOOST_TEST(list(sup, FollowUpState::dissatisfied).total == 0);
  BOOST_TEST((error_of(follow_ups.record(conn, c.id, {"satisfied", "", std::nullopt}, op)).code ==
              Errc::transition_not_allowed));
}

// API.md: "A reopened and re-closed case is due again": the follow-up of the first closure does not
// count for the second, which is due from its own 7th day.
BOOST_AUTO_TEST_CASE(a_reopened_and_re_closed_case_falls_due_again) {
  auto c = open("marriage_family.divorce");
  c = must(service.apply(conn, c.id, c.version, CaseEvent::answer, op, {{"answer", "告知诉讼离婚程序"}}));
  clock.advance_ms(8 * kMsPerDay);
  BOOST_TEST((case_ids(list(op)) == std::vector<std::int64_t>{c.id}));
  record(c.id, "dissatisfied", op);
  BOOST_TEST(list(op).total == 0);

  c = must(service.apply(conn, c.id, c.version, CaseEvent::reopen, sup, {{"reason", "回访不满意，重新办理"}}));
  c = reply(c, op);
  c = must(service.apply(conn, c.id, c.version, CaseEvent::request_closure, op,
                         {{"outcome", "resolved"}, {"summary", "重新办理后已解决"}, {"losses_avoided_fen", "0"}}));
  c = must(service.apply(conn, c.id, c.version, CaseEvent::approve_closure, sup, {}));
  BOOST_REQUIRE((c.status == CaseStatus::closed));
  BOOST_REQUIRE(c.closed_at.has_value());
  BOOST_TEST(*c.closed_at == clock.now_ms());  // a new closure, not the first one's time
  BOOST_TEST(list(op).total == 0);             // closed today: not due yet
  BOOST_TEST(list(sup, FollowUpState::dissatisfied).total == 0);  // that answer was about the first closure

  clock.advance_ms(3 * kMsPerDay);
  BOOST_TEST(list(op).total == 0);
  clock.advance_ms(5 * kMsPerDay);  // 8 days after the second closure
  auto due = list(op);
  BOOST_TEST((case_ids(due) == std::vector<std::int64_t>{c.id}));
  BOOST_REQUIRE(due.items.size() == 1u);
  BOOST_TEST(due.items[0].summary.record.closed_at.value_or(0) == *c.closed_at);

  record(c.id, "satisfied", op);  // the second closure's follow-up ends it
  BOOST_TEST(list(op).total == 0);
  BOOST_TEST(FollowUpService::for_case(conn, c.id).size() == 2u);
}

BOOST_AUTO_TEST_CASE(a_later_follow_up_supersedes_a_dissatisfied_one) {
  const auto id = closed("c1", at("2026-11-10T10:00:00+08:00"));
  record(id, "dissatisfied", op);
  BOOST_TEST(list(sup, FollowUpState::dissatisfied).total == 1);
  record(id, "satisfied", sup);  // explained again; she is satisfied now
  BOOST_TEST(list(sup, FollowUpState::dissatisfied).total == 0);
}

BOOST_AUTO_TEST_SUITE_END()
