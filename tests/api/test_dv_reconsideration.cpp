// 复议 of a protection-order ruling over HTTP (反家庭暴力法 Art. 31; issue #13): POST
// /api/v1/protection-orders/{id}/reconsideration, then …/reconsideration/decision. The refusals: before
// a ruling (422), a second time (409), a stale version (409), bad fields (422 naming them); partner
// users get 404 (the court too: DV content is the office's, as on every order route) and
// administrators 403. The order stays in force while pending and ends when revoked.
#include <boost/test/unit_test.hpp>

#include <string>

#include "api/case_helpers.hpp"
#include "api/server_process.hpp"
#include "core/db/connection.hpp"
#include "core/local_time.hpp"

using namespace hl::apitest;
using hl::format_iso8601;
using hl::TimeMs;

namespace {

constexpr TimeMs kHour = 3'600'000;
constexpr TimeMs kDay = 24 * kHour;

std::string iso(TimeMs t) { return format_iso8601(t); }

struct Orders {
  ServerProcess server;
  Login op = server.login(kOperator);

  TimeMs now_s() const { return server.now_ms() / 1000 * 1000; }

  std::int64_t court_id() {
    for (const auto& p : require_items(server, op, "/api/v1/partners?type=court"))
      if (p.at("active").get<bool>()) return p.at("id").get<std::int64_t>();
    BOOST_FAIL("no active court in the demo data");
    return 0;
  }

  // An order applied for (and accepted) two hours ago; ruled an hour ago when `status` is given.
  Json order(std::int64_t case_id, const std::string& status = "") {
    const TimeMs applied = now_s() - 2 * kHour;
    auto r = server.send(op, "POST", case_path(case_id, "/protection-orders"),
                         {{"court_partner_id", court_id()}, {"applied_at", iso(applied)}, {"court_accepted_at", iso(applied)}});
    REQUIRE_STATUS(r, 201);
    Json o = body_json(r);
    if (status.empty()) return o;
    Json patch = {{"version", o.at("version")}, {"status", status}, {"ruled_at", iso(now_s() - kHour)}};
    if (status == "granted") patch["expires_at"] = iso(now_s() + 60 * kDay);
    r = server.send(op, "PATCH", path(o), patch);
    REQUIRE_STATUS(r, 200);
    return body_json(r);
  }

  static std::string path(const Json& o, const std::string& tail = "") {
    return "/api/v1/protection-orders/" + std::to_string(o.at("id").get<std::int64_t>()) + tail;
  }

  bool timeline_has(std::int64_t id, const std::string& event) {
    for (const auto& item : require_items(server, op, case_path(id, "/timeline")))
      if (item.at("kind") == "event" && item.at("event") == event) return true;
    return false;
  }

  std::int64_t audit_rows(const std::string& action) {
    auto conn = hl::db::Connection::open(server.db_path(), {.read_only = true});
    auto st = conn.prepare("SELECT count(*) FROM audit_log WHERE action = ?1");
    st.bind_all(action);
    st.step();
    return st.int64(0);
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(dv_reconsideration, Orders)

BOOST_AUTO_TEST_CASE(a_granted_order_is_reconsidered_once_and_stays_in_force_until_revoked) {
  const auto id = require_open_case(server, op);
  Json o = order(id, "granted");
  BOOST_TEST(o.at("reconsideration").is_null());
  const TimeMs asked = now_s() - 30 * 60'000;
  auto r = server.send(op, "POST", path(o, "/reconsideration"),
                       {{"version", o.at("version")}, {"applied_at", iso(asked)}, {"applied_by", "respondent"}, {"note", "被申请人不服"}});
  REQUIRE_STATUS(r, 200);
  o = body_json(r);
  BOOST_TEST(o.at("reconsideration").at("applied_by") == "respondent");
  BOOST_TEST(o.at("reconsideration").at("applied_at") == iso(asked));
  BOOST_TEST(o.at("reconsideration").at("result").is_null());
  BOOST_TEST(o.at("reconsideration").at("decided_at").is_null());
  BOOST_TEST(o.at("in_force") == true);  // not suspended while pending
  BOOST_TEST(timeline_has(id, "protection_order_reconsideration_requested"));
  BOOST_TEST(audit_rows("dv.protection_order.reconsideration") == 1);

  // Once only (409), and a stale version is a conflict too.
  CHECK_ERROR(server.send(op, "POST", path(o, "/reconsideration"),
                          {{"version", o.at("version")}, {"applied_at", iso(now_s())}, {"applied_by", "applicant"}}),
              409, "conflict");
  CHECK_ERROR(server.send(op, "POST", path(o, "/reconsideration/decision"),
                          {{"version", 1}, {"result", "upheld"}, {"decided_at", iso(now_s())}}),
              409, "conflict");
  r = server.send(op, "POST", path(o, "/reconsideration/decision"),
                  {{"version", o.at("version")}, {"result", "annulled"}, {"decided_at", iso(asked - kHour)}});
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "result");
  CHECK_NAMES_FIELD(r, "decided_at");

  r = server.send(op, "POST", path(o, "/reconsideration/decision"),
                  {{"version", o.at("version")}, {"result", "revoked"}, {"decided_at", iso(now_s())}, {"note", "法院撤销"}});
  REQUIRE_STATUS(r, 200);
  o = body_json(r);
  BOOST_TEST(o.at("reconsideration").at("result") == "revoked");
  BOOST_TEST(o.at("reconsideration").at("note") == "被申请人不服\n法院撤销");
  BOOST_TEST(o.at("in_force") == false);
  BOOST_TEST(o.at("days_to_expiry").is_null());
  BOOST_TEST(o.at("status") == "granted");  // the ruling was a grant; the 复议 ended it
  BOOST_TEST(timeline_has(id, "protection_order_reconsideration_decided"));
  CHECK_ERROR(server.send(op, "POST", path(o, "/reconsideration/decision"),
                          {{"version", o.at("version")}, {"result", "upheld"}, {"decided_at", iso(now_s())}}),
              409, "conflict");
  // A revoked order is not extended.
  CHECK_ERROR(server.send(op, "POST", path(o, "/extend"), {{"version", o.at("version")}, {"expires_at", iso(now_s() + 90 * kDay)}}),
              422, "transition_not_allowed");
}

BOOST_AUTO_TEST_CASE(no_reconsideration_before_a_ruling_and_bad_fields_are_named) {
  const auto id = require_open_case(server, op);
  Json pending = order(id);
  CHECK_ERROR(server.send(op, "POST", path(pending, "/reconsideration"),
                          {{"version", pending.at("version")}, {"applied_at", iso(now_s())}, {"applied_by", "applicant"}}),
              422, "transition_not_allowed");
  CHECK_ERROR(server.send(op, "POST", path(pending, "/reconsideration/decision"),
                          {{"version", pending.at("version")}, {"result", "upheld"}, {"decided_at", iso(now_s())}}),
              422, "transition_not_allowed");
  Json denied = order(id, "denied");
  auto r = server.send(op, "POST", path(denied, "/reconsideration"),
                       {{"version", denied.at("version")}, {"applied_at", iso(now_s() + 2 * kDay)}, {"applied_by", "court"}});
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "applied_at");
  CHECK_NAMES_FIELD(r, "applied_by");
  CHECK_ERROR(server.send(op, "POST", path(denied, "/reconsideration"), {{"applied_at", iso(now_s())}, {"applied_by", "applicant"}}),
              422, "validation_failed");  // no version
  CHECK_ERROR(server.send(op, "POST", path(denied, "/reconsideration"),
                          {{"version", denied.at("version")}, {"applied_at", 5}, {"applied_by", "applicant"}}),
              400, "bad_request");
  // The applicant asks about the rejection; the court upholds it.
  r = server.send(op, "POST", path(denied, "/reconsideration"),
                  {{"version", denied.at("version")}, {"applied_at", iso(now_s())}, {"applied_by", "applicant"}});
  REQUIRE_STATUS(r, 200);
  denied = body_json(r);
  r = server.send(op, "POST", path(denied, "/reconsideration/decision"),
                  {{"version", denied.at("version")}, {"result", "upheld"}, {"decided_at", iso(now_s())}});
  REQUIRE_STATUS(r, 200);
  BOOST_TEST(body_json(r).at("reconsideration").at("result") == "upheld");
  BOOST_TEST(body_json(r).at("in_force") == false);
}

BOOST_AUTO_TEST_CASE(partners_even_the_court_get_404_administrators_403_and_other_counties_404) {
  const auto id = require_open_case(server, op);
  Json o = order(id, "granted");
  const Json ask = {{"version", o.at("version")}, {"applied_at", iso(now_s())}, {"applied_by", "respondent"}};
  const Json decide = {{"version", o.at("version")}, {"result", "upheld"}, {"decided_at", iso(now_s())}};
  const Login court = server.login(kCourt);
  const Login admin = server.login(kAdmin);
  const Login op2 = server.login(kOperator2);
  for (const auto& [tail, body] : {std::pair{std::string("/reconsideration"), ask}, std::pair{std::string("/reconsideration/decision"), decide}}) {
    BOOST_TEST_CONTEXT(tail) {
      CHECK_ERROR(server.send(court, "POST", path(o, tail), body), 404, "not_found");
      CHECK_ERROR(server.send(admin, "POST", path(o, tail), body), 403, "forbidden");
      CHECK_ERROR(server.send(op2, "POST", path(o, tail), body), 404, "not_found");
    }
  }
  // Nothing was recorded.
  auto r = server.get(op, path(o));
  REQUIRE_STATUS(r, 200);
  BOOST_TEST(body_json(r).at("reconsideration").is_null());
  BOOST_TEST(body_json(r).at("version") == o.at("version"));
}

BOOST_AUTO_TEST_SUITE_END()
