// 督办 over HTTP: POST /cases/{id}/supervisions (the city's supervisor on a county case; refused for
// operators, partners, the case's own office, a sibling county, bad dates and a second open one),
// POST …/supervisions/{sid}/answer (the county, once), the case view's `supervisions`, the list's
// `supervised` flag and filter, and the dashboard's open / overdue counts.
#include <boost/test/unit_test.hpp>
#include <sqlite3.h>

#include "api/case_helpers.hpp"
#include "api/server_process.hpp"

using namespace hl::apitest;

namespace {

constexpr hl::TimeMs kDay = 86'400'000;

// Audit rows of `action` on case `id`, read from the server's database (WAL: it keeps serving).
std::int64_t audited(const ServerProcess& server, const std::string& action, std::int64_t id) {
  sqlite3* db = nullptr;
  std::int64_t n = -1;
  if (sqlite3_open_v2(server.db_path().c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT count(*) FROM audit_log WHERE action = ?1 AND object_type = 'case' AND object_id = ?2",
                       -1, &st, nullptr);
    sqlite3_bind_text(st, 1, action.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, id);
    if (st && sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return n;
}

struct Supervised {
  ServerProcess server;
  Login admin = server.login(kAdmin);
  Login op = server.login(kOperator);    // 永兴县 (the handling office)
  Login op2 = server.login(kOperator2);  // 桂阳县, a sibling county
  Login sup = server.login(kSupervisor); // 郴州市, above both
  Login police = server.login(kPolice);

  std::int64_t office_id(const std::string& region_code) const {
    for (const auto& o : require_items(server, admin, "/api/v1/offices"))
      if (o.at("region_code") == region_code) return o.at("id").get<std::int64_t>();
    BOOST_FAIL("no office with region code " << region_code);
    return 0;
  }
  // A supervisor of a county office (the demo has none), logged in.
  Login county_supervisor(const std::string& username, const std::string& region_code) const {
    auto r = create_account(server,
                         {{"username", username}, {"display_name", username}, {"password", "long-enough-pw-2026"},
                          {"role", "supervisor"}, {"office_id", office_id(region_code)}});
    REQUIRE_STATUS(r, 201);
    return server.login(username, "long-enough-pw-2026");
  }
  HttpClientResponse supervise(const Login& who, std::int64_t id, const Json& body) const {
    return server.send(who, "POST", case_path(id, "/supervisions"), body);
  }
  Json ok_body(const std::string& due) const { return {{"note", "请于期限内报告办理进展"}, {"due_date", due}}; }
  HttpClientResponse answer(const Login& who, std::int64_t id, std::int64_t sid, const Json& body) const {
    return server.send(who, "POST", case_path(id, "/supervisions/" + std::to_string(sid) + "/answer"), body);
  }
  Json aging(const Login& who) const {
    auto r = server.get(who, "/api/v1/dashboard/aging");
    REQUIRE_STATUS(r, 200);
    return body_json(r);
  }
  bool listed(const Json& items, std::int64_t id) const {
    for (const auto& it : items)
      if (it.at("id") == id) return true;
    return false;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(supervisions, Supervised)

BOOST_AUTO_TEST_CASE(the_city_supervises_a_county_case_and_the_county_answers_it_once) {
  const auto id = require_open_case(server, op);
  const auto before = aging(sup).at("supervisions");

  // Refusals first: the house's envelope each time.
  CHECK_ERROR(supervise(op, id, ok_body(server.date(5))), 403, "forbidden");       // an operator
  CHECK_ERROR(supervise(police, id, ok_body(server.date(5))), 403, "forbidden");   // a partner
  CHECK_ERROR(supervise(admin, id, ok_body(server.date(5))), 403, "forbidden");
  CHECK_ERROR(supervise(op2, id, ok_body(server.date(5))), 404, "not_found");      // outside its scope
  CHECK_ERROR(supervise(sup, 987654, ok_body(server.date(5))), 404, "not_found");
  auto malformed = supervise(sup, id, ok_body("2026-02-30"));
  CHECK_ERROR(malformed, 400, "bad_request");
  CHECK_NAMES_FIELD(malformed, "due_date");
  auto today = supervise(sup, id, ok_body(server.date(0)));
  CHECK_ERROR(today, 422, "validation_failed");
  CHECK_NAMES_FIELD(today, "due_date");
  auto no_note = supervise(sup, id, {{"due_date", server.date(5)}});
  CHECK_ERROR(no_note, 422, "validation_failed");
  CHECK_NAMES_FIELD(no_note, "note");
  CHECK_ERROR(supervise(sup, id, {{"note", 5}, {"due_date", server.date(5)}}), 400, "bad_request");

  const std::string due = server.date(5);  // once: "today" may turn between the request and the checks
  auto opened = supervise(sup, id, ok_body(due));
  REQUIRE_STATUS(opened, 201);
  const Json s = body_json(opened);
  const auto sid = s.at("id").get<std::int64_t>();
  BOOST_TEST(s.at("office").at("name") == "郴州市妇联");
  BOOST_TEST(s.at("due_date") == due);
  BOOST_TEST(s.at("open") == true);
  BOOST_TEST(s.at("overdue") == false);
  BOOST_TEST(s.at("answer").is_null());
  BOOST_TEST(s.at("supervisor").at("id") == sup.id());
  CHECK_ERROR(supervise(sup, id, ok_body(server.date(9))), 409, "conflict");  // one open 督办 per office

  // The county sees it: on the case, flagged in its list and in the filter; the city's dashboard counts it.
  const Json mine = require_case(server, op, id);
  BOOST_REQUIRE(mine.at("supervisions").size() == 1u);
  BOOST_TEST(mine.at("supervisions")[0].at("note") == "请于期限内报告办理进展");
  BOOST_TEST(mine.at("may_answer_supervision") == true);
  BOOST_TEST(mine.at("may_supervise") == false);
  BOOST_TEST(require_case(server, sup, id).at("may_supervise") == true);
  BOOST_TEST(require_case(server, sup, id).at("may_answer_supervision") == false);
  const Json flagged = require_items(server, op, "/api/v1/cases?supervised=1");
  BOOST_TEST(listed(flagged, id));
  for (const auto& it : flagged) BOOST_TEST(it.at("supervised") == true);
  bool flag_in_list = false;
  for (const auto& it : require_items(server, op, "/api/v1/cases?limit=200"))
    if (it.at("id") == id) flag_in_list = it.at("supervised").get<bool>();
  BOOST_TEST(flag_in_list);
  CHECK_ERROR(server.get(op, "/api/v1/cases?supervised=yes"), 422, "validation_failed");
  auto partner_filter = server.get(police, "/api/v1/cases?supervised=1");  // not a partner's business
  CHECK_ERROR(partner_filter, 422, "validation_failed");
  CHECK_NAMES_FIELD(partner_filter, "supervised");
  // Referred to the police: their list shows the case, not that it is supervised.
  require_transition(server, op, id, "accept", notice_data());
  require_transition(server, op, id, "refer", refer_data(require_police_partner(server, op, police), true));
  auto partner_list = server.get(police, "/api/v1/cases");
  REQUIRE_STATUS(partner_list, 200);
  const Json partner_items = body_json(partner_list).at("items");
  bool partner_sees_it = false;
  for (const auto& it : partner_items) {
    partner_sees_it = partner_sees_it || it.at("id") == id;
    BOOST_TEST(!it.contains("supervised"));
  }
  BOOST_TEST(partner_sees_it);
  BOOST_TEST(aging(sup).at("supervisions").at("open") == before.at("open").get<int>() + 1);

  // The answer: not by the city, not by a sibling, not empty; by the county, once.
  CHECK_ERROR(answer(sup, id, sid, {{"answer", "已办理"}}), 403, "forbidden");
  CHECK_ERROR(answer(op2, id, sid, {{"answer", "已办理"}}), 404, "not_found");
  CHECK_ERROR(answer(police, id, sid, {{"answer", "已办理"}}), 403, "forbidden");
  CHECK_ERROR(answer(op, id, sid + 1000, {{"answer", "已办理"}}), 404, "not_found");
  auto blank = answer(op, id, sid, {{"answer", "  "}});
  CHECK_ERROR(blank, 422, "validation_failed");
  CHECK_NAMES_FIELD(blank, "answer");
  auto answered = answer(op, id, sid, {{"answer", "已约谈当事人，正在协调"}});
  REQUIRE_STATUS(answered, 200);
  const Json a = body_json(answered);
  BOOST_TEST(a.at("open") == false);
  BOOST_TEST(a.at("on_time") == true);
  BOOST_TEST(a.at("answered_by").at("id") == op.id());
  CHECK_ERROR(answer(op, id, sid, {{"answer", "再答一次"}}), 409, "conflict");
  BOOST_TEST(!listed(require_items(server, op, "/api/v1/cases?supervised=1"), id));
  BOOST_TEST(aging(sup).at("supervisions").at("open") == before.at("open"));

  // Both are on the timeline, with the note and the answer.
  int supervise_events = 0, answer_events = 0;
  auto tl = server.get(op, case_path(id, "/timeline"));
  REQUIRE_STATUS(tl, 200);
  const Json timeline = body_json(tl);
  for (const auto& item : timeline.at("items")) {
    if (item.at("kind") != "event") continue;
    if (item.at("event") == "supervise") {
      ++supervise_events;
      BOOST_TEST(item.at("note") == "请于期限内报告办理进展");
      BOOST_TEST(item.at("data").at("due_date") == due);
    }
    if (item.at("event") == "supervision_answer") {
      ++answer_events;
      BOOST_TEST(item.at("note") == "已约谈当事人，正在协调");
    }
  }
  BOOST_TEST(supervise_events == 1);
  BOOST_TEST(answer_events == 1);
  // And in the audit log, once each (the refused attempts wrote nothing).
  BOOST_TEST(audited(server, "case.supervise", id) == 1);
  BOOST_TEST(audited(server, "case.supervision_answer", id) == 1);
}

BOOST_AUTO_TEST_CASE(the_case_office_a_sibling_and_a_closed_case_are_refused) {
  const Login county_sup = county_supervisor("yx_sup", "431023");
  const Login sibling_sup = county_supervisor("gy_sup", "431021");
  const auto id = require_open_case(server, op);
  CHECK_ERROR(supervise(county_sup, id, ok_body(server.date(5))), 403, "forbidden");  // its own office
  CHECK_ERROR(supervise(sibling_sup, id, ok_body(server.date(5))), 404, "not_found");

  // A sibling that 转送'd the case reads the new one but does not supervise it; one that 交办'd it does.
  const auto gy_case = require_open_case(server, op2);
  const Json forwarded = require_transition(
      server, sibling_sup, gy_case, "forward",
      notice_data({{"target_office_id", office_id("431023")}, {"reason", "当事人现居永兴县"}}));
  const auto copy = forwarded.at("transferred_to_case_id").get<std::int64_t>();
  CHECK_ERROR(supervise(sibling_sup, copy, ok_body(server.date(5))), 403, "forbidden");
  CHECK_ERROR(supervise(sup, gy_case, ok_body(server.date(5))), 422, "transition_not_allowed");  // forwarded: ended

  const auto gy_case2 = require_open_case(server, op2);
  const Json delegated = require_transition(
      server, sibling_sup, gy_case2, "delegate",
      notice_data({{"target_office_id", office_id("431023")}, {"reason", "请永兴县就近办理"}, {"report_due_days", 20}}));
  const auto received = delegated.at("transferred_to_case_id").get<std::int64_t>();
  BOOST_TEST(require_case(server, sibling_sup, received).at("may_supervise") == true);
  auto by_sender = supervise(sibling_sup, received, ok_body(server.date(10)));
  REQUIRE_STATUS(by_sender, 201);
  BOOST_TEST(body_json(by_sender).at("office").at("name") == "桂阳县妇联");
}

BOOST_AUTO_TEST_CASE(an_unanswered_supervision_is_counted_overdue_after_its_due_date) {
  const auto id = require_open_case(server, op);
  const auto before = aging(sup).at("supervisions");
  REQUIRE_STATUS(supervise(sup, id, ok_body(server.date(2))), 201);
  BOOST_TEST(aging(sup).at("supervisions").at("overdue") == before.at("overdue"));
  server.advance_clock(3 * kDay);
  sup = server.login(kSupervisor);  // (the sessions' 12 hours are over)
  op = server.login(kOperator);
  BOOST_TEST(aging(sup).at("supervisions").at("overdue") == before.at("overdue").get<int>() + 1);
  const Json view = require_case(server, op, id);
  BOOST_TEST(view.at("supervisions")[0].at("overdue") == true);
  auto late = answer(op, id, view.at("supervisions")[0].at("id").get<std::int64_t>(), {{"answer", "已办结"}});
  REQUIRE_STATUS(late, 200);
  BOOST_TEST(body_json(late).at("on_time") == false);
  BOOST_TEST(aging(sup).at("supervisions").at("overdue") == before.at("overdue"));
}

BOOST_AUTO_TEST_SUITE_END()
