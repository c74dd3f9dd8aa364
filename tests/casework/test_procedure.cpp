// The 信访 procedure on a case (issue #13): the notice (告知) due 15 days after receipt, the reply
// (答复) that meets the 60-day handling limit, one extension with its notice, and 转送 / 交办 with the
// receiving office's own clocks and the 交办 report going back and forth — with the fake clock at a
// month end, a year end and a leap day.
#include <boost/test/unit_test.hpp>

#include "casework/case_procedure.hpp"
#include "casework/case_repository.hpp"
#include "fixture.hpp"
#include "support/error_of.hpp"

using namespace hl;
using namespace hl::casework;
using hl::test::error_of;

namespace {

TimeMs at(const char* iso) { return *parse_iso8601(iso); }

struct ProcedureFixture : hl::test::CaseworkFixture {
  EventData written_notice(const char* day, EventData extra = {}) {
    extra["notice_method"] = "written";
    extra["notice_at"] = day;
    extra["notice_document_no"] = "永妇告〔2026〕7号";
    return extra;
  }
  CaseRecord accept(const CaseRecord& c, const Actor& who) {
    return must(service.apply(conn, c.id, c.version, CaseEvent::accept, who, notice()));
  }
  CaseRecord close(CaseRecord c, const Actor& handler, const Actor& head) {
    c = reply(c, handler);
    c = must(service.apply(conn, c.id, c.version, CaseEvent::request_closure, handler,
                           {{"outcome", "resolved"}, {"summary", "已调解并答复"}, {"losses_avoided_fen", "0"}}));
    return must(service.apply(conn, c.id, c.version, CaseEvent::approve_closure, head, {}));
  }
  CaseRecord reload(std::int64_t id) { return *CaseRepository::get_unscoped(conn, id); }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(procedure, ProcedureFixture)

BOOST_AUTO_TEST_CASE(notice_and_reply_at_a_month_end) {
  clock.set(at("2026-01-31T10:00:00+08:00"));
  auto c = open();
  BOOST_TEST(*c.acceptance_due == at("2026-02-15T23:59:59.999+08:00"));  // notice due: 15 days, receipt day not counted
  clock.set(at("2026-02-03T10:00:00+08:00"));
  auto future = service.apply(conn, c.id, c.version, CaseEvent::accept, op, written_notice("2026-02-04"));
  BOOST_TEST(error_of(future).fields.contains("notice_at"));
  c = must(service.apply(conn, c.id, c.version, CaseEvent::accept, op, written_notice("2026-02-03")));
  auto p = ProcedureRepository::load(conn, c.id);
  BOOST_REQUIRE(p.notices.size() == 1u);
  BOOST_TEST(p.notices[0].told_at == at("2026-02-03T00:00:00+08:00"));
  BOOST_TEST(*p.notices[0].due_at == at("2026-02-15T23:59:59.999+08:00"));
  BOOST_TEST(p.notices[0].on_time());
  BOOST_TEST(*p.notices[0].document_no == "永妇告〔2026〕7号");
  // Handling: 60 days from acceptance (28-day February): the last day is 4 April.
  BOOST_TEST(*c.handling_due == at("2026-04-04T23:59:59.999+08:00"));
  BOOST_TEST(*c.next_due == *c.handling_due);

  auto refused = service.apply(conn, c.id, c.version, CaseEvent::request_closure, op,
                               {{"outcome", "resolved"}, {"summary", "已解决"}, {"losses_avoided_fen", "0"}});
  BOOST_REQUIRE(!refused);
  BOOST_TEST(refused.error().fields.contains("reply"));

  // The reply on the last day meets the limit, and the clock stops (closure approval comes later).
  clock.set(at("2026-04-04T23:00:00+08:00"));
  c = reply(c, op);
  BOOST_TEST(!c.next_due.has_value());
  clock.set(at("2026-04-08T10:00:00+08:00"));
  BOOST_TEST(!c.overdue(clock.now_ms()));
  p = ProcedureRepository::load(conn, c.id);
  BOOST_REQUIRE(p.reply.has_value());
  BOOST_TEST(p.reply->on_time());
  BOOST_TEST(p.reply->opinion == "support");
}

BOOST_AUTO_TEST_CASE(a_late_reply_is_recorded_as_late) {
  clock.set(at("2026-01-31T10:00:00+08:00"));
  auto c = accept(open(), op);
  clock.set(at("2026-04-02T00:00:00+08:00"));
  BOOST_TEST(c.overdue(clock.now_ms()));
  c = reply(c, op);
  BOOST_TEST(!ProcedureRepository::load(conn, c.id).reply->on_time());
}

BOOST_AUTO_TEST_CASE(extension_with_reason_approver_and_notice_at_a_year_end) {
  clock.set(at("2026-12-31T16:00:00+08:00"));
  auto c = accept(open(), op);
  BOOST_TEST(*c.handling_due == at("2027-03-01T23:59:59.999+08:00"));
  const EventData ext = written_notice("2027-02-20", {{"days", "30"}, {"reason", "需等待法院一审判决"}});
  clock.set(at("2027-02-20T09:00:00+08:00"));
  auto no_reason = ext;
  no_reason.erase("reason");
  BOOST_TEST(error_of(service.apply(conn, c.id, c.version, CaseEvent::extend_handling, sup, no_reason)).fields.contains("reason"));
  auto too_long = ext;
  too_long["days"] = "31";
  BOOST_TEST(error_of(service.apply(conn, c.id, c.version, CaseEvent::extend_handling, sup, too_long)).fields.contains("days"));
  c = must(service.apply(conn, c.id, c.version, CaseEvent::extend_handling, sup, ext));
  BOOST_TEST(*c.handling_due == at("2027-03-31T23:59:59.999+08:00"));
  auto p = ProcedureRepository::load(conn, c.id);
  BOOST_REQUIRE(p.extension.has_value());
  BOOST_TEST(*p.extension->approved_by == sup.user_id);
  BOOST_TEST(p.extension->reason == "需等待法院一审判决");
  BOOST_TEST(*p.extension->previous_due == at("2027-03-01T23:59:59.999+08:00"));
  BOOST_REQUIRE(p.notices.size() == 2u);
  BOOST_TEST(p.notices[1].kind == "extension");
  BOOST_TEST(p.notices[1].told_at == at("2027-02-20T00:00:00+08:00"));
  auto second = ext;
  second["days"] = "1";
  BOOST_TEST(!service.apply(conn, c.id, c.version, CaseEvent::extend_handling, sup, second).has_value());
}

// Reopening corrects the office's own mistake: a supervisor only, the reply withdrawn, and the event
// says what became of the handling limit (before and after) instead of restarting it silently.
BOOST_AUTO_TEST_CASE(reopening_says_what_became_of_the_deadline) {
  clock.set(at("2026-01-10T10:00:00+08:00"));
  auto c = accept(open(), op);
  const TimeMs first_due = *c.handling_due;
  c = close(c, op, sup);
  clock.set(at("2026-02-27T09:00:00+08:00"));
  BOOST_TEST((error_of(service.apply(conn, c.id, c.version, CaseEvent::reopen, op, {{"reason", "漏登材料"}})).code ==
              Errc::transition_not_allowed));
  c = must(service.apply(conn, c.id, c.version, CaseEvent::reopen, sup, {{"reason", "答复引用的政策条文有误"}}));
  BOOST_TEST(*c.handling_due == at("2026-04-28T23:59:59.999+08:00"));  // 60 days from the reopening
  BOOST_TEST(!ProcedureRepository::load(conn, c.id).reply.has_value());
  auto st = conn.prepare("SELECT json_extract(payload, '$.previous_handling_due'), json_extract(payload, '$.handling_due'),"
                         " json_extract(payload, '$.reply_withdrawn') FROM case_events WHERE case_id = ?1 AND event = 'reopen'");
  st.bind_all(c.id);
  BOOST_REQUIRE(st.step());
  BOOST_TEST(*parse_iso8601(st.text(0)) / 1000 == first_due / 1000);
  BOOST_TEST(*parse_iso8601(st.text(1)) / 1000 == *c.handling_due / 1000);
  BOOST_TEST(st.text(2) == "true");
}

BOOST_AUTO_TEST_CASE(a_forwarded_case_starts_its_15_days_where_and_when_it_arrives) {
  auto c = open();  // received 2026-11-23
  clock.set(at("2026-12-05T15:00:00+08:00"));
  auto sent = must(service.apply(conn, c.id, c.version, CaseEvent::forward, op,
                                 notice({{"target_office_id", std::to_string(other_county.id)}, {"reason", "户籍地在桂阳"}})));
  BOOST_TEST((sent.status == CaseStatus::forwarded));
  auto there = reload(*sent.transferred_to_case_id);
  BOOST_TEST(there.received_at == at("2026-12-05T15:00:00+08:00"));
  BOOST_TEST(*there.acceptance_due == at("2026-12-20T23:59:59.999+08:00"));
  auto p = ProcedureRepository::load(conn, there.id);
  BOOST_REQUIRE(p.received.has_value());
  BOOST_TEST(p.received->mode == "forward");
  BOOST_TEST(p.received->first_received_at == at("2026-11-23T09:30:00+08:00"));
  BOOST_TEST(!p.received->report_state.has_value());
  // The sender's notice met its own limit (12 days after receipt).
  auto mine = ProcedureRepository::load(conn, c.id);
  BOOST_TEST(mine.notices.at(0).decision.value_or("") == "forward");
  BOOST_TEST(mine.notices.at(0).on_time());
}

BOOST_AUTO_TEST_CASE(on_a_leap_day_the_receivers_notice_and_the_report_fall_in_march) {
  clock.set(at("2028-02-29T10:00:00+08:00"));
  NewCase n{city.id, "marriage_family.domestic_violence", "walk_in", "normal", "来访求助", "", clock.now_ms(),
            std::nullopt, std::nullopt};
  auto c = must(service.open_case(conn, n, city_sup));
  BOOST_TEST(*c.acceptance_due == at("2028-03-15T23:59:59.999+08:00"));
  c = must(service.apply(conn, c.id, c.version, CaseEvent::delegate, city_sup,
                         notice({{"target_office_id", std::to_string(county.id)}, {"reason", "交县妇联办理"},
                                 {"report_due_days", "20"}})));
  BOOST_TEST((c.status == CaseStatus::delegated));
  BOOST_TEST(*c.next_due == at("2028-03-20T23:59:59.999+08:00"));
  auto there = reload(*c.transferred_to_case_id);
  BOOST_TEST(*there.acceptance_due == at("2028-03-15T23:59:59.999+08:00"));
  clock.set(at("2028-03-21T00:00:00+08:00"));
  BOOST_TEST(c.overdue(clock.now_ms()));  // the report is late
}

BOOST_AUTO_TEST_CASE(delegation_report_returned_once_then_accepted) {
  NewCase n{city.id, "marriage_family.domestic_violence", "hotline", "normal", "丈夫家暴", "", clock.now_ms(),
            std::nullopt, std::nullopt};
  auto city_case = must(service.open_case(conn, n, city_sup));
  city_case = must(service.apply(conn, city_case.id, city_case.version, CaseEvent::delegate, city_sup,
                                 notice({{"target_office_id", std::to_string(county.id)}, {"reason", "交永兴县办理"},
                                         {"report_due_days", "20"}})));
  const auto county_id = *city_case.transferred_to_case_id;
  auto county_case = reload(county_id);
  BOOST_TEST(county_case.received_at == clock.now_ms());

  // The county handles it under its own clocks, closes it and reports.
  clock.advance_ms(2 * kMsPerDay);
  county_case = accept(county_case, op);
  BOOST_TEST(*county_case.handling_due == at("2027-01-24T23:59:59.999+08:00"));
  // Not yet closed: nothing to report.
  BOOST_TEST(!service.apply(conn, county_id, county_case.version, CaseEvent::submit_report, op, {}).has_value());
  county_case = close(county_case, op, sup);
  // Another office cannot send a report for it (not its case) ...
  auto sibling = service.apply(conn, county_id, county_case.version, CaseEvent::submit_report, other_op, {});
  BOOST_TEST((error_of(sibling).code == Errc::not_found));
  // ... nor for a case that no 交办 asked a report from.
  auto other_sup = user("other_sup", "supervisor", other_county.id, std::nullopt);
  auto unrelated = close(accept(open("marriage_family.divorce", other_county.id), other_op), other_op, other_sup);
  auto wrong = service.apply(conn, unrelated.id, unrelated.version, CaseEvent::submit_report, other_op, {});
  BOOST_REQUIRE(!wrong);
  BOOST_TEST(wrong.error().message.find("交办") != std::string::npos);

  county_case = must(service.apply(conn, county_id, county_case.version, CaseEvent::submit_report, op, {}));
  BOOST_TEST((county_case.status == CaseStatus::closed));
  city_case = reload(city_case.id);
  BOOST_TEST((city_case.status == CaseStatus::delegated));
  BOOST_TEST(!city_case.next_due.has_value());  // the report arrived in time: nothing runs
  BOOST_TEST(CaseRepository::events(conn, city_case.id, city_sup)->back().event == "report_received");
  // Reported once: not again.
  BOOST_TEST(!service.apply(conn, county_id, county_case.version, CaseEvent::submit_report, op, {}).has_value());

  // The city returns it once (退回重办) with 10 more days: the county's case is back in handling.
  clock.advance_ms(kMsPerDay);
  auto by_operator = service.apply(conn, city_case.id, city_case.version, CaseEvent::return_report, op,
                                   {{"reason", "缺少调解记录"}, {"report_due_days", "10"}});
  BOOST_TEST(!by_operator.has_value());  // the county operator does not even see the city's case
  city_case = must(service.apply(conn, city_case.id, city_case.version, CaseEvent::return_report, city_sup,
                                 {{"reason", "缺少调解记录"}, {"report_due_days", "10"}}));
  BOOST_TEST((city_case.status == CaseStatus::delegated));
  BOOST_TEST(*city_case.next_due == at("2026-12-06T23:59:59.999+08:00"));
  county_case = reload(county_id);
  BOOST_TEST((county_case.status == CaseStatus::in_progress));
  BOOST_TEST(!county_case.closed_at.has_value());
  BOOST_TEST(*county_case.handling_due == at("2026-12-06T23:59:59.999+08:00"));
  BOOST_TEST(*county_case.next_due == *county_case.handling_due);  // the old reply no longer stands
  BOOST_TEST(!ProcedureRepository::load(conn, county_id).reply.has_value());
  BOOST_TEST(ProcedureRepository::load(conn, city_case.id).sent->returns == 1);
  BOOST_TEST(*ProcedureRepository::load(conn, city_case.id).sent->last_return_reason == "缺少调解记录");
  BOOST_TEST(!service.apply(conn, city_case.id, city_case.version, CaseEvent::accept_report, city_sup, {}).has_value());

  // The county works again, closes, reports; the city accepts and closes with the county's reply.
  county_case = close(county_case, op, sup);
  must(service.apply(conn, county_id, county_case.version, CaseEvent::submit_report, op, {}));
  city_case = reload(city_case.id);
  city_case = must(service.apply(conn, city_case.id, city_case.version, CaseEvent::accept_report, city_sup, {}));
  BOOST_TEST((city_case.status == CaseStatus::closed));
  BOOST_TEST(city_case.closed_at.has_value());
  auto p = ProcedureRepository::load(conn, city_case.id);
  BOOST_REQUIRE(p.reply.has_value());
  BOOST_TEST(*p.reply->from_case_id == county_id);
  BOOST_TEST(*p.sent->report_state == "accepted");
}

BOOST_AUTO_TEST_SUITE_END()
