// 督办 (issue #13): who may put a case under supervision, the due-date rules, the answer (once, by the
// handling office), the list flag and the overdue count on the dashboard — the last with the fake
// clock across a month end and a leap day.
#include <boost/test/unit_test.hpp>

#include <sqlite3.h>

#include <array>

#include "casework/aging.hpp"
#include "casework/case_query.hpp"
#include "casework/case_repository.hpp"
#include "casework/case_supervision.hpp"
#include "core/crypto/field_cipher.hpp"
#include "core/crypto/keyed_hash.hpp"
#include "fixture.hpp"

using namespace hl;
using namespace hl::casework;
using hl::test::CaseworkFixture;

namespace {

struct SupervisionFixture : CaseworkFixture {
  SupervisionService supervision{clock};
  Actor province_sup = user("province_sup", "supervisor", province.id, std::nullopt);
  Actor city_op = user("city_op", "operator", city.id, std::nullopt);
  Actor other_sup = user("other_sup", "supervisor", other_county.id, std::nullopt);

  LocalDate in_days(int n) const { return add_days(local_date(clock.now_ms()), n); }
  Result<SupervisionRecord> supervise(std::int64_t case_id, const Actor& who, std::optional<LocalDate> due,
                                      std::string note = "请于期限内报告办理进展") {
    return supervision.open(conn, case_id, {std::move(note), due}, who);
  }
  static Errc code(const auto& r) { return r ? Errc::internal : r.error().code; }
  CaseRecord route(const CaseRecord& c, const Actor& by, std::int64_t target, bool delegate) {
    EventData d = notice({{"target_office_id", std::to_string(target)}, {"reason", "当事人现居地在对方辖区"}});
    if (delegate) d["report_due_days"] = "20";
    return must(service.apply(conn, c.id, c.version, delegate ? CaseEvent::delegate : CaseEvent::forward, by, d));
  }
  SupervisionCounts counts_for(const Actor& who) {
    auto r = Aging::compute(conn, who, std::nullopt, AgingGroup::status, clock.now_ms());
    BOOST_REQUIRE(r.has_value());
    return r->supervisions;
  }
};

// The statements a call runs, and the plan step of each over the cases table (alias c).
struct CasePlans {
  std::vector<std::string> sql;
  explicit CasePlans(db::Connection& conn) : db_(conn.raw()) { sqlite3_trace_v2(db_, SQLITE_TRACE_STMT, &on_stmt, this); }
  ~CasePlans() { sqlite3_trace_v2(db_, 0, nullptr, nullptr); }
  CasePlans(const CasePlans&) = delete;
  CasePlans& operator=(const CasePlans&) = delete;
  // Steps over `cases c` that are not a lookup by its key: a walk of the scope, not of the open 督办.
  std::vector<std::string> case_walks(db::Connection& conn) const {
    std::vector<std::string> out;
    for (const auto& text : sql) {
      auto st = conn.prepare("EXPLAIN QUERY PLAN " + text);
      while (st.step()) {
        const std::string detail = st.text(3);
        const bool cases = detail == "SCAN c" || detail.starts_with("SCAN c ") || detail.starts_with("SEARCH c ");
        if (cases &&
            detail.find("INTEGER PRIMARY KEY") == std::string::npos)
          out.push_back(detail + "   in: " + text);
      }
    }
    return out;
  }

 private:
  static int on_stmt(unsigned, void* self, void*, void* x) {
    const std::string text = static_cast<const char*>(x);
    if (!text.starts_with("--")) static_cast<CasePlans*>(self)->sql.push_back(text);
    return 0;
  }
  sqlite3* db_;
};

std::array<unsigned char, 32> key(unsigned char seed) {
  std::array<unsigned char, 32> k{};
  k.fill(seed);
  return k;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(case_supervision, SupervisionFixture)

BOOST_AUTO_TEST_CASE(an_upper_office_supervisor_opens_it_and_no_one_else) {
  auto c = open();  // at the county
  // Not the case's own office, not an operator anywhere, not a sibling or partner (who cannot even read it).
  BOOST_TEST((code(supervise(c.id, sup, in_days(10))) == Errc::forbidden));
  BOOST_TEST((code(supervise(c.id, op, in_days(10))) == Errc::forbidden));
  BOOST_TEST((code(supervise(c.id, city_op, in_days(10))) == Errc::forbidden));
  BOOST_TEST((code(supervise(c.id, other_sup, in_days(10))) == Errc::not_found));
  BOOST_TEST((code(supervise(c.id, partner_police, in_days(10))) == Errc::not_found));
  BOOST_TEST((code(supervise(c.id, admin, in_days(10))) == Errc::not_found));
  BOOST_TEST(supervision.for_case(conn, c.id).empty());

  // The city above, and the province two levels up, each once.
  auto by_city = supervise(c.id, city_sup, in_days(10));
  BOOST_REQUIRE(by_city.has_value());
  BOOST_TEST(by_city->office_id == city.id);
  BOOST_TEST(by_city->is_open());
  BOOST_TEST(by_city->due_at == end_of_local_day(in_days(10)));
  BOOST_TEST(supervise(c.id, province_sup, in_days(5)).has_value());
  BOOST_TEST((code(supervise(c.id, city_sup, in_days(12))) == Errc::conflict));
  BOOST_TEST(supervision.for_case(conn, c.id).size() == 2u);

  // An office below: the county supervisor on a city case cannot read it at all.
  NewCase at_city{city.id, "marriage_family.domestic_violence", "hotline", "normal", "市级个案", "", clock.now_ms(),
                  std::nullopt, std::nullopt};
  auto city_case = must(service.open_case(conn, at_city, city_sup));
  BOOST_TEST((code(supervise(city_case.id, sup, in_days(10))) == Errc::not_found));
  BOOST_TEST((code(supervise(city_case.id, city_sup, in_days(10))) == Errc::forbidden));  // its own office
  BOOST_TEST(supervise(city_case.id, province_sup, in_days(10)).has_value());
}

BOOST_AUTO_TEST_CASE(the_office_that_assigned_the_case_supervises_it_but_a_forwarding_sibling_does_not) {
  // The other county 交办s its case to this county: it may supervise the county's new case.
  auto theirs = open("marriage_family.domestic_violence", other_county.id);
  auto delegated = route(theirs, other_op, county.id, true);
  const auto received = *delegated.transferred_to_case_id;
  BOOST_TEST((code(supervise(received, other_op, in_days(7))) == Errc::forbidden));  // a supervisor's act
  auto by_sender = supervise(received, other_sup, in_days(7));
  BOOST_REQUIRE(by_sender.has_value());
  BOOST_TEST(by_sender->office_id == other_county.id);
  // Its own 交办中 case stays its own: no 督办 on that.
  BOOST_TEST((code(supervise(theirs.id, other_sup, in_days(7))) == Errc::forbidden));

  // A 转送 gives the sender read access only, not supervision.
  auto mine = open();
  auto forwarded = route(mine, op, other_county.id, false);
  const auto their_copy = *forwarded.transferred_to_case_id;
  BOOST_REQUIRE(CaseRepository::get_readable(conn, their_copy, sup).has_value());
  BOOST_TEST((code(supervise(their_copy, sup, in_days(7))) == Errc::forbidden));
  // And the forwarded case itself has ended: nothing to supervise there.
  BOOST_TEST((code(supervise(mine.id, city_sup, in_days(7))) == Errc::transition_not_allowed));
}

BOOST_AUTO_TEST_CASE(note_and_due_date_are_required_and_the_date_is_after_today) {
  auto c = open();
  auto fields = [](const Result<SupervisionRecord>& r) { return r ? std::map<std::string, std::string>{} : r.error().fields; };
  auto today = supervise(c.id, city_sup, in_days(0));
  BOOST_TEST((code(today) == Errc::invalid_input));
  BOOST_TEST(fields(today).contains("due_date"));
  BOOST_TEST(fields(supervise(c.id, city_sup, in_days(-1))).contains("due_date"));
  BOOST_TEST(fields(supervise(c.id, city_sup, std::nullopt)).contains("due_date"));
  auto no_note = supervise(c.id, city_sup, in_days(1), "  \n");
  BOOST_TEST(fields(no_note).contains("note"));
  BOOST_TEST(fields(supervise(c.id, city_sup, in_days(1), std::string(5001, 'x'))).contains("note"));
  // Tomorrow is the first date allowed, even at one minute to midnight today.
  clock.set(*parse_iso8601("2026-11-23T23:59:00+08:00"));
  BOOST_TEST(supervise(c.id, city_sup, LocalDate{2026, 11, 24}).has_value());

  // A closed case is not supervised.
  auto closed = open();
  closed = must(service.apply(conn, closed.id, closed.version, CaseEvent::decline, op,
                              notice({{"reason", "不属于妇联受理范围"}, {"referred_to", "当地法院"}})));
  BOOST_REQUIRE((closed.status == CaseStatus::closed));
  BOOST_TEST((code(supervise(closed.id, city_sup, in_days(3))) == Errc::transition_not_allowed));
}

BOOST_AUTO_TEST_CASE(the_handling_office_answers_once_and_the_flag_clears) {
  auto c = open();
  auto s = *supervise(c.id, city_sup, in_days(10));
  auto answer = [&](const Actor& who, std::string text = "已约谈当事人，正在协调") {
    return supervision.answer(conn, c.id, s.id, text, who);
  };
  BOOST_TEST((code(answer(city_sup)) == Errc::forbidden));   // the supervising office does not answer itself
  BOOST_TEST((code(answer(other_op)) == Errc::not_found));   // outside the scope
  BOOST_TEST((code(supervision.answer(conn, c.id, s.id + 99, "x", op)) == Errc::not_found));
  BOOST_TEST((code(answer(op, " ")) == Errc::invalid_input));

  // Listed as supervised, and found by the filter.
  crypto::FieldCipher cipher{key(1)};
  crypto::KeyedHash hash{key(2)};
  PersonIdentity identity{cipher, hash};
  auto other = open();
  CaseFilter only;
  only.supervised_only = true;
  auto page = CaseQuery::list(conn, only, op, clock.now_ms(), identity);
  BOOST_REQUIRE(page.has_value());
  BOOST_REQUIRE(page->items.size() == 1u);
  BOOST_TEST(page->items[0].record.id == c.id);
  BOOST_TEST(page->items[0].supervised);
  auto all = *CaseQuery::list(conn, CaseFilter{}, op, clock.now_ms(), identity);
  for (const auto& it : all.items) BOOST_TEST(it.supervised == (it.record.id == c.id));
  BOOST_TEST(all.items.size() == 2u);
  BOOST_TEST(other.id != c.id);

  auto done = answer(op);
  BOOST_REQUIRE(done.has_value());
  BOOST_TEST(!done->is_open());
  BOOST_TEST(done->on_time());
  BOOST_TEST(*done->answer == "已约谈当事人，正在协调");
  BOOST_TEST((code(answer(sup)) == Errc::conflict));  // once
  BOOST_TEST(CaseQuery::list(conn, only, op, clock.now_ms(), identity)->items.empty());

  // Both steps are on the case's history, the status unchanged.
  auto events = *CaseRepository::events(conn, c.id, op);
  BOOST_REQUIRE(events.size() >= 2u);
  BOOST_TEST(events[events.size() - 2].event == "supervise");
  BOOST_TEST(events.back().event == "supervision_answer");
  BOOST_TEST(events.back().to_status == "registered");
  BOOST_TEST(events.back().note == "已约谈当事人，正在协调");

  // Once answered, the same office may supervise again.
  BOOST_TEST(supervise(c.id, city_sup, in_days(20)).has_value());
}

BOOST_AUTO_TEST_CASE(overdue_counts_across_a_month_end) {
  clock.set(*parse_iso8601("2027-01-29T10:00:00+08:00"));
  auto c = open();
  BOOST_REQUIRE(supervise(c.id, city_sup, LocalDate{2027, 1, 31}).has_value());
  clock.set(*parse_iso8601("2027-01-31T23:59:59+08:00"));
  BOOST_TEST(counts_for(sup).open == 1);
  BOOST_TEST(counts_for(sup).overdue == 0);
  clock.set(*parse_iso8601("2027-02-01T00:00:00+08:00"));
  BOOST_TEST(counts_for(sup).overdue == 1);
  BOOST_TEST(counts_for(city_sup).overdue == 1);       // the city's scope holds the county's case
  BOOST_TEST(counts_for(other_sup).open == 0);         // a sibling's does not
  auto late = supervision.answer(conn, c.id, supervision.for_case(conn, c.id)[0].id, "已办结", op);
  BOOST_REQUIRE(late.has_value());
  BOOST_TEST(!late->on_time());
  BOOST_TEST(counts_for(city_sup).open == 0);
  BOOST_TEST(counts_for(city_sup).overdue == 0);
}

BOOST_AUTO_TEST_CASE(overdue_counts_across_a_leap_day) {
  clock.set(*parse_iso8601("2028-02-27T16:00:00+08:00"));
  auto c = open();
  auto s = supervise(c.id, province_sup, LocalDate{2028, 2, 29});
  BOOST_REQUIRE(s.has_value());
  BOOST_TEST(s->due_at == *parse_iso8601("2028-02-29T23:59:59.999+08:00"));
  clock.set(*parse_iso8601("2028-02-29T23:59:59.999+08:00"));
  BOOST_TEST(!s->overdue(clock.now_ms()));
  BOOST_TEST(counts_for(province_sup).overdue == 0);
  clock.set(*parse_iso8601("2028-03-01T00:00:00+08:00"));
  BOOST_TEST(s->overdue(clock.now_ms()));
  BOOST_TEST(counts_for(province_sup).open == 1);
  BOOST_TEST(counts_for(province_sup).overdue == 1);
  BOOST_TEST(counts_for(sup).overdue == 1);
}

BOOST_AUTO_TEST_CASE(the_flag_filter_and_counts_read_the_open_supervisions_not_the_scope) {
  // At a million cases the scope is huge and open 督办 are few: every step over the cases must be a
  // lookup by key driven by the open ones, for a county, a city and a province alike, in the list's
  // narrow and wide plans (the wide one from 500 cases in scope).
  std::int64_t supervised = 0;
  for (int i = 0; i < 520; ++i) {
    auto c = open();
    if (i % 100 != 0) continue;
    supervised = c.id;
    BOOST_REQUIRE(supervise(c.id, city_sup, in_days(5)).has_value());
  }
  crypto::FieldCipher cipher{key(1)};
  crypto::KeyedHash hash{key(2)};
  PersonIdentity identity{cipher, hash};
  for (const Actor* who : {&op, &city_sup, &province_sup}) {
    BOOST_TEST_CONTEXT("scope " << who->office_path) {
      CasePlans plans(conn);
      CaseFilter only;
      only.supervised_only = true;
      auto page = CaseQuery::list(conn, only, *who, clock.now_ms(), identity);
      BOOST_REQUIRE(page.has_value());
      BOOST_TEST(page->items.size() == 6u);
      BOOST_TEST(page->items.front().record.id == supervised);
      BOOST_TEST(SupervisionService::counts(conn, who->office_path, clock.now_ms()).open == 6);
      for (const auto& walk : plans.case_walks(conn)) BOOST_ERROR("walks the cases: " << walk);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
