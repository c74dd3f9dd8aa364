// The domestic-violence endpoints over HTTP: the DV record, the instrument and risk assessments,
// safety plans and breaches, protection orders (ruling due, 6-month expiry, extension, violations,
// expiring list), warning letters, shelter stays, mandatory reports and repeat victimisation —
// each with its bad input, and partner users answered 404 everywhere.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "api/case_helpers.hpp"
#include "api/server_process.hpp"
#include "casework/dv_calendar.hpp"
#include "core/db/connection.hpp"
#include "core/local_time.hpp"

using namespace hl::apitest;
using hl::format_iso8601;
using hl::TimeMs;

namespace {

constexpr TimeMs kHour = 3'600'000;
constexpr TimeMs kDay = 24 * kHour;

std::string iso(TimeMs t) { return format_iso8601(t); }
TimeMs parse(const Json& j) {
  auto t = hl::parse_iso8601(j.get<std::string>());
  BOOST_REQUIRE_MESSAGE(t.has_value(), "not a time: " << j.dump());
  return *t;
}

struct Desk {
  ServerProcess server;
  Login op = server.login(kOperator);

  // The server's clock (the test clock: HOTLINE_TEST_NOW may put it anywhere, e.g. before midnight).
  TimeMs now_ms() const { return server.now_ms(); }
  // Whole seconds: the wire carries second precision.
  TimeMs now_s() const { return now_ms() / 1000 * 1000; }
  // 23:59:59 Beijing time of t's day, as the wire shows an order's last day.
  static TimeMs last_second(TimeMs t) { return hl::end_of_local_day(hl::local_date(t)) / 1000 * 1000; }

  std::int64_t dv_case(const std::string& phone = "") { return require_open_case(server, op, phone); }

  std::int64_t partner_id(const std::string& type) {
    const Json items = require_items(server, op, "/api/v1/partners?type=" + type);
    for (const auto& p : items)
      if (p.at("active").get<bool>()) return p.at("id").get<std::int64_t>();
    BOOST_FAIL("no active " << type << " partner in the demo data");
    return 0;
  }

  // Answers that score exactly `score` on the active instrument (largest weights first).
  Json answers_scoring(int score) {
    auto r = server.get(op, "/api/v1/dv/instrument");
    REQUIRE_STATUS(r, 200);
    Json items = body_json(r).at("items");
    std::vector<Json> sorted(items.begin(), items.end());
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Json& a, const Json& b) { return a.at("weight").get<int>() > b.at("weight").get<int>(); });
    Json answers = Json::object();
    int left = score;
    for (const auto& i : sorted) {
      const int w = i.at("weight").get<int>();
      answers[i.at("code").get<std::string>()] = w <= left;
      if (w <= left) left -= w;
    }
    BOOST_REQUIRE(left == 0);
    return answers;
  }

  Json require_assess(std::int64_t id, int score) {
    auto r = server.send(op, "POST", case_path(id, "/risk-assessments"), {{"answers", answers_scoring(score)}, {"note", "电话评估"}});
    REQUIRE_STATUS(r, 201);
    return body_json(r);
  }

  // Applied for and accepted by the court at the same time.
  Json require_order(std::int64_t id, bool emergency = false, TimeMs applied = 0) {
    const std::string at = iso(applied ? applied : now_s());
    auto r = server.send(op, "POST", case_path(id, "/protection-orders"),
                         {{"court_partner_id", partner_id("court")}, {"applied_at", at}, {"court_accepted_at", at},
                          {"emergency", emergency}});
    REQUIRE_STATUS(r, 201);
    return body_json(r);
  }

  std::string order_path(const Json& order, const std::string& tail = "") {
    return "/api/v1/protection-orders/" + std::to_string(order.at("id").get<std::int64_t>()) + tail;
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

BOOST_FIXTURE_TEST_SUITE(dv, Desk)

BOOST_AUTO_TEST_CASE(the_instrument_is_served_from_the_database) {
  auto r = server.get(op, "/api/v1/dv/instrument");
  REQUIRE_STATUS(r, 200);
  const Json in = body_json(r);
  BOOST_TEST(in.at("version") == 1);
  BOOST_TEST(in.at("active") == true);
  BOOST_TEST(in.at("items").size() == 15u);
  BOOST_TEST(in.at("max_score") == 37);
  BOOST_TEST(in.at("items").at(0).at("code") == "escalation");
  BOOST_TEST(in.at("items").at(0).at("text_zh") == "过去一年暴力更频繁或更严重");
  const Json& levels = in.at("levels");
  BOOST_REQUIRE(levels.size() == 4u);
  BOOST_TEST(levels.at(0).at("level") == "general");
  BOOST_TEST(levels.at(0).at("max_score") == 7);
  BOOST_TEST(levels.at(2).at("min_score") == 14);
  BOOST_TEST(levels.at(3).at("max_score").is_null());
  CHECK_ERROR(server.get(op, "/api/v1/dv/instrument?version=9"), 404, "not_found");
  CHECK_ERROR(server.get(op, "/api/v1/dv/instrument?version=x"), 422, "validation_failed");
  BOOST_TEST(audit_rows("dv.instrument.read") >= 1);
}

BOOST_AUTO_TEST_CASE(the_dv_record_is_created_replaced_and_validated) {
  const auto id = dv_case();
  auto r = server.get(op, case_path(id, "/dv"));
  REQUIRE_STATUS(r, 200);
  BOOST_TEST(body_json(r).at("version") == 0);
  BOOST_TEST(body_json(r).at("forms").empty());

  const Json record = {{"version", 0},
                       {"forms", {"threats", "beating"}},
                       {"first_incident_at", "2025-03-01"},
                       {"latest_incident_at", hl::format_date(hl::local_date(now_ms()))},
                       {"frequency", "weekly"},
                       {"injuries", "左臂淤青"},
                       {"children_present", true},
                       {"children_harmed", false},
                       {"weapons_used", true},
                       {"weapons", "菜刀"},
                       {"relationship", "spouse"},
                       {"cohabitation", "cohabiting"}};
  r = server.send(op, "PUT", case_path(id, "/dv"), record);
  REQUIRE_STATUS(r, 200);
  Json saved = body_json(r);
  BOOST_TEST(saved.at("version") == 1);
  BOOST_TEST((saved.at("forms") == Json{"beating", "threats"}));
  BOOST_TEST(saved.at("first_incident_at") == "2025-03-01");
  BOOST_TEST(saved.at("children_present") == true);
  BOOST_TEST(saved.at("cohabitation") == "cohabiting");
  BOOST_TEST(saved.at("updated_by").at("id") == op.id());

  Json next = record;
  next["version"] = 1;
  next["cohabitation"] = "separated";
  next["children_present"] = nullptr;
  r = server.send(op, "PUT", case_path(id, "/dv"), next);
  REQUIRE_STATUS(r, 200);
  saved = body_json(r);
  BOOST_TEST(saved.at("version") == 2);
  BOOST_TEST(saved.at("children_present").is_null());
  CHECK_ERROR(server.send(op, "PUT", case_path(id, "/dv"), next), 409, "conflict");  // version 1 is stale
  BOOST_TEST(timeline_has(id, "dv_record_updated"));

  Json bad = record;
  bad["version"] = 2;
  bad["forms"] = {"beating", "shouting"};
  bad["frequency"] = "hourly";
  r = server.send(op, "PUT", case_path(id, "/dv"), bad);
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "forms");
  CHECK_NAMES_FIELD(r, "frequency");
  bad = record;
  bad["version"] = 2;
  bad["latest_incident_at"] = "2099-01-01";
  r = server.send(op, "PUT", case_path(id, "/dv"), bad);
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "latest_incident_at");
  bad["latest_incident_at"] = "yesterday";
  bad["children_harmed"] = "no";
  bad["forms"] = "beating";
  r = server.send(op, "PUT", case_path(id, "/dv"), bad);
  CHECK_ERROR(r, 400, "bad_request");
  CHECK_NAMES_FIELD(r, "latest_incident_at");
  CHECK_NAMES_FIELD(r, "children_harmed");
  CHECK_NAMES_FIELD(r, "forms");
  r = server.send(op, "PUT", case_path(id, "/dv"), {{"forms", Json::array()}});
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "version");
  CHECK_ERROR(server.send_text(op, "PUT", case_path(id, "/dv"), "{not json"), 400, "bad_request");
  BOOST_TEST(audit_rows("dv.record.update") == 2);
  BOOST_TEST(audit_rows("dv.record.read") == 1);
}

BOOST_AUTO_TEST_CASE(a_risk_assessment_scores_sets_the_case_level_and_keeps_history) {
  const auto id = dv_case();
  auto r = server.send(op, "POST", case_path(id, "/risk-assessments"),
                       {{"answers", {{"weapon", true}, {"strangulation", true}, {"separation", false}}}, {"note", "首次评估"}});
  REQUIRE_STATUS(r, 201);
  const Json a = body_json(r);
  BOOST_TEST(a.at("score") == 8);
  BOOST_TEST(a.at("level") == "elevated");
  BOOST_TEST(a.at("instrument_version") == 1);
  BOOST_TEST(a.at("assessor").at("id") == op.id());
  BOOST_TEST(a.at("answers").at("separation") == false);
  BOOST_TEST(std::llabs(parse(a.at("assessed_at")) - now_ms()) < 60'000);
  BOOST_TEST(require_case(server, op, id).at("risk_level") == "elevated");

  // Every boundary of the default thresholds, through the API; the case follows the latest.
  for (const auto& [score, level] : std::vector<std::pair<int, std::string>>{
           {7, "general"}, {13, "elevated"}, {14, "high"}, {17, "high"}, {18, "extreme"}}) {
    const Json x = require_assess(id, score);
    BOOST_TEST(x.at("level") == level, "score " << score);
    BOOST_TEST(require_case(server, op, id).at("risk_level") == level, "score " << score);
  }
  r = server.get(op, case_path(id, "/risk-assessments"));
  REQUIRE_STATUS(r, 200);
  const Json history = body_json(r);
  BOOST_REQUIRE(history.at("items").size() == 6u);
  BOOST_TEST(history.at("items").at(0).at("score") == 8);  // oldest first, for the chart
  BOOST_TEST(history.at("items").at(5).at("level") == "extreme");
  BOOST_TEST(history.at("current_level") == "extreme");
  BOOST_TEST(timeline_has(id, "risk_assessed"));
  BOOST_TEST(audit_rows("dv.risk.assess") == 6);
  BOOST_TEST(audit_rows("dv.risk.list") == 1);
}

BOOST_AUTO_TEST_CASE(unknown_items_and_bad_answers_are_refused) {
  const auto id = dv_case();
  auto r = server.send(op, "POST", case_path(id, "/risk-assessments"),
                       {{"answers", {{"weapon", true}, {"no_such_item", true}}}});
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "answers.no_such_item");
  r = server.send(op, "POST", case_path(id, "/risk-assessments"), {{"answers", {{"weapon", "yes"}}}});
  CHECK_ERROR(r, 400, "bad_request");
  CHECK_NAMES_FIELD(r, "answers.weapon");
  r = server.send(op, "POST", case_path(id, "/risk-assessments"), {{"answers", Json::array()}});
  CHECK_ERROR(r, 400, "bad_request");
  r = server.send(op, "POST", case_path(id, "/risk-assessments"), {{"note", "没有答案"}});
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "answers");
  r = server.send(op, "POST", case_path(id, "/risk-assessments"), {{"answers", {{"weapon", true}}}, {"instrument_version", 7}});
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "instrument_version");
  BOOST_TEST(require_case(server, op, id).at("risk_level") == "none");
  BOOST_TEST(require_items(server, op, case_path(id, "/risk-assessments")).empty());
}

BOOST_AUTO_TEST_CASE(answers_to_a_retired_version_are_refused_and_old_assessments_keep_theirs) {
  const auto id = dv_case();
  const Json first = require_assess(id, 14);
  {
    // An administrator installs version 2 of the checklist and retires version 1.
    auto conn = hl::db::Connection::open(server.db_path());
    conn.exec(
        "BEGIN IMMEDIATE;"
        "INSERT INTO dv_instruments(version, name_zh, name_en, active) VALUES (2, '评估表第二版', 'Checklist v2', 0);"
        "INSERT INTO dv_instrument_items(version, code, weight, text_zh, text_en, sort) VALUES"
        " (2, 'weapon', 5, '凶器', 'Weapon', 1), (2, 'strangulation', 1, '掐脖', 'Strangulation', 2);"
        "INSERT INTO dv_instrument_levels(version, level, min_score, name_zh, name_en) VALUES"
        " (2, 'general', 0, '一般', 'General'), (2, 'elevated', 2, '较高', 'Elevated'),"
        " (2, 'high', 4, '高', 'High'), (2, 'extreme', 6, '极高', 'Extreme');"
        "UPDATE dv_instruments SET active = 0, retired_at = 1 WHERE version = 1;"
        "UPDATE dv_instruments SET active = 1 WHERE version = 2;"
        "COMMIT;");
  }
  BOOST_TEST(body_json(server.get(op, "/api/v1/dv/instrument")).at("version") == 2);
  auto old = server.get(op, "/api/v1/dv/instrument?version=1");
  REQUIRE_STATUS(old, 200);
  BOOST_TEST(body_json(old).at("active") == false);
  BOOST_TEST(body_json(old).at("retired_at").is_string());

  auto r = server.send(op, "POST", case_path(id, "/risk-assessments"),
                       {{"answers", {{"weapon", true}}}, {"instrument_version", 1}});
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "instrument_version");
  r = server.send(op, "POST", case_path(id, "/risk-assessments"), {{"answers", {{"escalation", true}}}});
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "answers.escalation");
  r = server.send(op, "POST", case_path(id, "/risk-assessments"), {{"answers", {{"weapon", true}}}, {"instrument_version", 2}});
  REQUIRE_STATUS(r, 201);
  BOOST_TEST(body_json(r).at("instrument_version") == 2);
  BOOST_TEST(body_json(r).at("score") == 5);
  const Json items = require_items(server, op, case_path(id, "/risk-assessments"));
  BOOST_REQUIRE(items.size() == 2u);
  BOOST_TEST(items.at(0).at("id") == first.at("id"));
  BOOST_TEST(items.at(0).at("instrument_version") == 1);
  BOOST_TEST(items.at(0).at("level") == "high");
}

BOOST_AUTO_TEST_CASE(a_high_risk_case_needs_a_safety_plan_until_one_is_recorded) {
  const auto id = dv_case();
  require_assess(id, 18);
  auto r = server.get(op, case_path(id, "/safety-plan"));
  REQUIRE_STATUS(r, 200);
  BOOST_TEST(body_json(r).at("required") == true);
  BOOST_TEST(body_json(r).at("version") == 0);
  BOOST_TEST(body_json(r).at("plan").is_null());

  auto breaches = require_items(server, op, "/api/v1/dv/breaches");
  BOOST_REQUIRE(!breaches.empty());
  BOOST_TEST(breaches.at(0).at("id") == id);
  BOOST_TEST(breaches.at(0).at("risk_level") == "extreme");
  const Login sup = server.login(kSupervisor);
  bool seen_by_supervisor = false;
  for (const auto& b : require_items(server, sup, "/api/v1/dv/breaches")) seen_by_supervisor |= b.at("id") == id;
  BOOST_TEST(seen_by_supervisor);
  const Login op2 = server.login(kOperator2);
  for (const auto& b : require_items(server, op2, "/api/v1/dv/breaches")) BOOST_TEST(b.at("id") != id);

  const Json plan = {{"version", 0},
                     {"steps", {{{"text", "准备应急包（证件、现金、药品）"}, {"done", false}}, {{"text", "记住报警电话 110"}, {"done", true}}}},
                     {"emergency_contacts", {{{"name", "李娟"}, {"phone", "13800138001"}, {"relation", "姐姐"}}}},
                     {"safe_contact", {{"ok_to_call", false}, {"safe_times", "工作日上午"}, {"code_word", "天气不错"}}},
                     {"places", {{{"name", "永兴县救助管理站"}, {"address", "城关镇"}, {"note", "24 小时"}}, "娘家"}}};
  r = server.send(op, "PUT", case_path(id, "/safety-plan"), plan);
  REQUIRE_STATUS(r, 200);
  const Json saved = body_json(r);
  BOOST_TEST(saved.at("version") == 1);
  BOOST_TEST(saved.at("plan").at("steps").size() == 2u);
  BOOST_TEST(saved.at("plan").at("emergency_contacts").at(0).at("phone") == "13800138001");
  BOOST_TEST(saved.at("plan").at("safe_contact").at("code_word") == "天气不错");
  BOOST_TEST(saved.at("plan").at("places").at(1).at("name") == "娘家");
  for (const auto& b : require_items(server, op, "/api/v1/dv/breaches")) BOOST_TEST(b.at("id") != id);
  BOOST_TEST(timeline_has(id, "safety_plan_updated"));

  CHECK_ERROR(server.send(op, "PUT", case_path(id, "/safety-plan"), plan), 409, "conflict");
  Json edited = plan;
  edited["version"] = 1;
  edited["steps"][0]["done"] = true;
  r = server.send(op, "PUT", case_path(id, "/safety-plan"), edited);
  REQUIRE_STATUS(r, 200);
  BOOST_TEST(body_json(r).at("version") == 2);
  BOOST_TEST(body_json(r).at("versions").size() == 2u);
  r = server.get(op, case_path(id, "/safety-plan?version=1"));
  REQUIRE_STATUS(r, 200);
  BOOST_TEST(body_json(r).at("plan").at("steps").at(0).at("done") == false);
  CHECK_ERROR(server.get(op, case_path(id, "/safety-plan?version=3")), 404, "not_found");

  Json bad = edited;
  bad["version"] = 2;
  bad["steps"] = {{{"text", ""}}};
  bad["emergency_contacts"] = {{{"name", "某人"}, {"phone", "call me"}}};
  r = server.send(op, "PUT", case_path(id, "/safety-plan"), bad);
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "steps[0].text");
  CHECK_NAMES_FIELD(r, "emergency_contacts[0].phone");
  bad["steps"] = {"not an object"};
  bad["safe_contact"] = {{"ok_to_call", "maybe"}};
  r = server.send(op, "PUT", case_path(id, "/safety-plan"), bad);
  CHECK_ERROR(r, 400, "bad_request");
  CHECK_NAMES_FIELD(r, "steps[0]");
  CHECK_NAMES_FIELD(r, "safe_contact.ok_to_call");
  BOOST_TEST(audit_rows("dv.safety_plan.update") == 2);
  BOOST_TEST(audit_rows("dv.breaches.list") >= 4);
}

BOOST_AUTO_TEST_CASE(a_protection_order_has_its_ruling_due_in_72_or_24_hours) {
  const auto id = dv_case();
  const TimeMs applied = now_s() - kHour;
  const Json o = require_order(id, false, applied);
  BOOST_TEST(o.at("status") == "applied");
  BOOST_TEST(parse(o.at("ruling_due")) == applied + 72 * kHour);
  BOOST_TEST(o.at("ruling_overdue") == false);
  BOOST_TEST(o.at("court").at("id") == partner_id("court"));
  const Json e = require_order(id, true, applied);
  BOOST_TEST(parse(e.at("ruling_due")) == applied + 24 * kHour);
  BOOST_TEST(timeline_has(id, "protection_order_applied"));
  const Json list = require_items(server, op, case_path(id, "/protection-orders"));
  BOOST_TEST(list.size() == 2u);
  auto r = server.get(op, order_path(o));
  REQUIRE_STATUS(r, 200);
  BOOST_TEST(body_json(r).at("id") == o.at("id"));

  r = server.send(op, "POST", case_path(id, "/protection-orders"),
                  {{"court_partner_id", partner_id("police")}, {"applied_at", iso(now_s() + 2 * kDay)}});
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "court_partner_id");
  CHECK_NAMES_FIELD(r, "applied_at");
  r = server.send(op, "POST", case_path(id, "/protection-orders"), {{"court_partner_id", partner_id("court")}, {"applied_at", "soon"}});
  CHECK_ERROR(r, 400, "bad_request");
  CHECK_NAMES_FIELD(r, "applied_at");
  CHECK_ERROR(server.send(op, "POST", case_path(id, "/protection-orders"), {{"court_partner_id", partner_id("court")}, {"emergency", "yes"}}),
              400, "bad_request");
}

BOOST_AUTO_TEST_CASE(a_granted_order_lasts_at_most_6_months_and_is_extended_within_6_months) {
  const auto id = dv_case();
  const TimeMs applied = now_s() - 3 * kHour;
  Json o = require_order(id, false, applied);
  const TimeMs ruled = now_s() - kHour;
  const TimeMs limit = hl::casework::add_local_months(ruled, 6);

  auto r = server.send(op, "PATCH", order_path(o),
                       {{"version", o.at("version")}, {"status", "granted"}, {"ruled_at", iso(ruled)}, {"expires_at", iso(limit + kDay)}});
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "expires_at");
  r = server.send(op, "PATCH", order_path(o),
                  {{"version", o.at("version")}, {"status", "granted"}, {"ruled_at", iso(ruled)}, {"expires_at", iso(ruled - kDay)}});
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "expires_at");
  r = server.send(op, "PATCH", order_path(o), {{"version", o.at("version")}, {"status", "granted"}, {"ruled_at", iso(ruled)}});
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "expires_at");
  r = server.send(op, "PATCH", order_path(o), {{"version", o.at("version")}, {"status", "revoked"}});
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "status");
  r = server.send(op, "PATCH", order_path(o), {{"status", "granted"}});
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "version");

  r = server.send(op, "PATCH", order_path(o),
                  {{"version", o.at("version")}, {"status", "granted"}, {"ruled_at", iso(ruled)}, {"expires_at", iso(limit)}});
  REQUIRE_STATUS(r, 200);  // exactly 6 calendar months
  o = body_json(r);
  BOOST_TEST(o.at("status") == "granted");
  // In force through the whole of its last day: the end of that day, Beijing time (the wire carries
  // whole seconds: 23:59:59+08:00).
  BOOST_TEST(parse(o.at("expires_at")) == last_second(limit));
  BOOST_TEST(o.at("in_force") == true);
  BOOST_TEST(o.at("days_to_expiry").get<int>() >= 180);
  BOOST_TEST(timeline_has(id, "protection_order_granted"));
  CHECK_ERROR(server.send(op, "PATCH", order_path(o), {{"version", 1}, {"status", "denied"}}), 409, "conflict");
  CHECK_ERROR(server.send(op, "PATCH", order_path(o), {{"version", o.at("version")}, {"status", "denied"}}), 422,
              "transition_not_allowed");

  // Violations are logged with the police response.
  r = server.send(op, "PATCH", order_path(o),
                  {{"version", o.at("version")},
                   {"violations", {{{"occurred_at", iso(now_s() - 60'000)}, {"description", "施暴人到住处砸门"}, {"police_response", "出警并训诫"}}}}});
  REQUIRE_STATUS(r, 200);
  o = body_json(r);
  BOOST_REQUIRE(o.at("violations").size() == 1u);
  BOOST_TEST(o.at("violations").at(0).at("police_response") == "出警并训诫");
  BOOST_TEST(timeline_has(id, "protection_order_violation"));
  r = server.send(op, "PATCH", order_path(o), {{"version", o.at("version")}, {"violations", {{{"description", ""}}}}});
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "violations[0].occurred_at");
  CHECK_NAMES_FIELD(r, "violations[0].description");

  // Extension: at most 6 months from the extension date (today), to a later day than the current last
  // day. A second order, granted for 30 days less, is extended to the limit.
  server.freeze_clock();  // the extension date the test counts from is the server's
  const TimeMs ext_limit = hl::casework::add_local_months(now_ms(), 6);
  r = server.send(op, "POST", order_path(o, "/extend"), {{"version", o.at("version")}, {"expires_at", iso(ext_limit + kDay)}});
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "expires_at");
  r = server.send(op, "POST", order_path(o, "/extend"), {{"version", o.at("version")}, {"expires_at", iso(limit - kDay)}});
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "expires_at");
  r = server.send(op, "POST", order_path(o, "/extend"), {{"version", o.at("version")}});
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "expires_at");
  Json shorter = require_order(id, false, applied);
  r = server.send(op, "PATCH", order_path(shorter),
                  {{"version", shorter.at("version")}, {"status", "granted"}, {"ruled_at", iso(ruled)},
                   {"expires_at", iso(limit - 30 * kDay)}});
  REQUIRE_STATUS(r, 200);
  shorter = body_json(r);
  const std::string ext_day = hl::format_date(hl::local_date(ext_limit));
  r = server.send(op, "POST", order_path(shorter, "/extend"), {{"version", shorter.at("version")}, {"expires_at", ext_day}});
  REQUIRE_STATUS(r, 200);
  o = body_json(r);
  BOOST_TEST(parse(o.at("expires_at")) == last_second(ext_limit));
  BOOST_REQUIRE(o.at("extensions").size() == 1u);
  BOOST_TEST(parse(o.at("extensions").at(0).at("previous_expires_at")) == last_second(limit - 30 * kDay));
  BOOST_TEST(timeline_has(id, "protection_order_extended"));
  BOOST_TEST(audit_rows("dv.protection_order.extend") == 1);
}

BOOST_AUTO_TEST_CASE(the_ruling_clock_runs_from_the_courts_acceptance_and_measures_outlive_the_case) {
  const auto id = dv_case();
  const TimeMs applied = now_s() - 2 * kDay;
  auto r = server.send(op, "POST", case_path(id, "/protection-orders"),
                       {{"court_partner_id", partner_id("court")}, {"applied_at", iso(applied)}});
  REQUIRE_STATUS(r, 201);
  Json o = body_json(r);
  BOOST_TEST(o.at("court_accepted_at").is_null());
  BOOST_TEST(o.at("ruling_due").is_null());
  BOOST_TEST(o.at("ruling_overdue") == false);
  r = server.send(op, "POST", case_path(id, "/protection-orders"),
                  {{"court_partner_id", partner_id("court")}, {"applied_at", iso(applied)}, {"court_accepted_at", iso(applied - kHour)}});
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "court_accepted_at");

  const TimeMs accepted = now_s() - kDay;
  r = server.send(op, "PATCH", order_path(o), {{"version", o.at("version")}, {"court_accepted_at", iso(accepted)}});
  REQUIRE_STATUS(r, 200);
  o = body_json(r);
  BOOST_TEST(parse(o.at("applied_at")) == applied);
  BOOST_TEST(parse(o.at("court_accepted_at")) == accepted);
  BOOST_TEST(parse(o.at("ruling_due")) == accepted + 72 * kHour);
  BOOST_TEST(timeline_has(id, "protection_order_court_accepted"));
  r = server.send(op, "PATCH", order_path(o), {{"version", o.at("version")}, {"court_accepted_at", iso(accepted)}});
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "court_accepted_at");

  // The case is closed; the court's ruling comes afterwards and is recorded without reopening it, as
  // is a warning letter. The DV record and a risk assessment are not.
  require_transition(server, op, id, "answer", {{"answer", "已告知申请保护令的途径"}});
  BOOST_TEST(require_case(server, op, id).at("status") == "closed");
  r = server.send(op, "PATCH", order_path(o),
                  {{"version", o.at("version")}, {"status", "granted"}, {"ruled_at", iso(now_s() - kHour)},
                   {"expires_at", hl::format_date(hl::local_date(now_ms() + 90 * kDay))}});
  REQUIRE_STATUS(r, 200);
  BOOST_TEST(body_json(r).at("in_force") == true);
  r = server.send(op, "POST", case_path(id, "/warning-letters"), {{"police_partner_id", partner_id("police")}, {"issued_at", iso(now_s())}});
  REQUIRE_STATUS(r, 201);
  r = server.send(op, "POST", case_path(id, "/risk-assessments"), {{"answers", answers_scoring(3)}, {"note", "结案后"}});
  CHECK_ERROR(r, 422, "transition_not_allowed");
}

BOOST_AUTO_TEST_CASE(no_dv_write_on_a_forwarded_case) {
  const auto sibling = server.login(kOperator2).user.at("office_id").get<std::int64_t>();
  const auto id = dv_case();
  require_transition(server, op, id, "accept", notice_data());
  require_transition(server, op, id, "forward", notice_data({{"target_office_id", sibling}, {"reason", "当事人现居桂阳县"}}));
  auto r = server.send(op, "POST", case_path(id, "/warning-letters"), {{"police_partner_id", partner_id("police")}, {"issued_at", iso(now_s())}});
  CHECK_ERROR(r, 422, "transition_not_allowed");
  r = server.send(op, "POST", case_path(id, "/protection-orders"),
                  {{"court_partner_id", partner_id("court")}, {"applied_at", iso(now_s())}});
  CHECK_ERROR(r, 422, "transition_not_allowed");
}

BOOST_AUTO_TEST_CASE(denied_and_withdrawn_orders) {
  const auto id = dv_case();
  Json a = require_order(id);
  Json b = require_order(id);
  auto r = server.send(op, "PATCH", order_path(a), {{"version", a.at("version")}, {"status", "denied"}});
  REQUIRE_STATUS(r, 200);
  BOOST_TEST(body_json(r).at("status") == "denied");
  r = server.send(op, "PATCH", order_path(b), {{"version", b.at("version")}, {"status", "withdrawn"}, {"expires_at", iso(now_s() + kDay)}});
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "expires_at");
  r = server.send(op, "PATCH", order_path(b), {{"version", b.at("version")}, {"status", "withdrawn"}});
  REQUIRE_STATUS(r, 200);
  BOOST_TEST(body_json(r).at("status") == "withdrawn");
  CHECK_ERROR(server.get(op, "/api/v1/protection-orders/99999999"), 404, "not_found");
}

BOOST_AUTO_TEST_CASE(orders_expiring_within_14_days_are_listed_in_scope) {
  // Days to expiry count Shanghai calendar days: a clock stopped here keeps "10 days" 10 when the run
  // crosses midnight between writing the order and reading the list.
  server.freeze_clock();
  const auto id = dv_case();
  const Json soon = require_order(id, false, now_s() - kHour);
  auto r = server.send(op, "PATCH", order_path(soon),
                       {{"version", soon.at("version")}, {"status", "granted"}, {"expires_at", iso(now_s() + 10 * kDay)}});
  REQUIRE_STATUS(r, 200);
  const Json later = require_order(id, false, now_s() - kHour);
  r = server.send(op, "PATCH", order_path(later),
                  {{"version", later.at("version")}, {"status", "granted"}, {"expires_at", iso(now_s() + 60 * kDay)}});
  REQUIRE_STATUS(r, 200);

  r = server.get(op, "/api/v1/dv/expiring?days=14");
  REQUIRE_STATUS(r, 200);
  const Json j = body_json(r);
  BOOST_TEST(j.at("days") == 14);
  BOOST_REQUIRE(j.at("items").size() == 1u);
  BOOST_TEST(j.at("items").at(0).at("id") == soon.at("id"));
  BOOST_TEST(j.at("items").at(0).at("days_to_expiry") == 10);
  BOOST_TEST(require_items(server, op, "/api/v1/dv/expiring").size() == 1u);  // 14 by default
  BOOST_TEST(require_items(server, op, "/api/v1/dv/expiring?days=90").size() == 2u);
  const Login op2 = server.login(kOperator2);
  BOOST_TEST(require_items(server, op2, "/api/v1/dv/expiring?days=90").empty());
  CHECK_ERROR(server.get(op, "/api/v1/dv/expiring?days=0"), 422, "validation_failed");
  CHECK_ERROR(server.get(op, "/api/v1/dv/expiring?days=abc"), 422, "validation_failed");
  BOOST_TEST(audit_rows("dv.expiring.list") == 4);
}

BOOST_AUTO_TEST_CASE(warning_letters_shelter_stays_and_mandatory_reports) {
  const Login op2 = server.login(kOperator2);
  const auto id = dv_case();
  const auto police = partner_id("police");
  const auto shelter = partner_id("civil_affairs");

  auto r = server.send(op, "POST", case_path(id, "/warning-letters"), {{"police_partner_id", police}, {"issued_at", iso(now_s() - kHour)}});
  REQUIRE_STATUS(r, 201);
  BOOST_TEST(body_json(r).at("police").at("id") == police);
  r = server.send(op, "POST", case_path(id, "/warning-letters"), {{"police_partner_id", shelter}, {"issued_at", iso(now_s())}});
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "police_partner_id");
  r = server.send(op, "POST", case_path(id, "/warning-letters"), {{"police_partner_id", police}});
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "issued_at");

  r = server.send(op, "POST", case_path(id, "/shelter-stays"),
                  {{"partner_id", shelter}, {"from", iso(now_s())}, {"to", iso(now_s() + 3 * kDay)}, {"note", "临时庇护 3 天"}});
  REQUIRE_STATUS(r, 201);
  BOOST_TEST(parse(body_json(r).at("to")) == now_s() + 3 * kDay);
  r = server.send(op, "POST", case_path(id, "/shelter-stays"), {{"partner_id", shelter}, {"from", iso(now_s() - 2 * kDay)}});
  REQUIRE_STATUS(r, 201);
  BOOST_TEST(body_json(r).at("to").is_null());
  // She leaves: the ongoing stay gets its end, once; not before it began, not in the future.
  const auto stay = body_json(r).at("id").get<std::int64_t>();
  const std::string end = "/api/v1/shelter-stays/" + std::to_string(stay) + "/end";
  CHECK_ERROR(server.send(op, "POST", end, {{"to", iso(now_s() - 3 * kDay)}}), 422, "validation_failed");
  CHECK_ERROR(server.send(op, "POST", end, {{"to", iso(now_s() + kDay)}}), 422, "validation_failed");
  CHECK_ERROR(server.send(op, "POST", end, {{"to", 5}}), 400, "bad_request");
  CHECK_ERROR(server.send(op2, "POST", end, {{"to", iso(now_s())}}), 404, "not_found");
  r = server.send(op, "POST", end, {{"to", iso(now_s() - kHour)}});
  REQUIRE_STATUS(r, 200);
  BOOST_TEST(parse(body_json(r).at("to")) == now_s() - kHour);
  CHECK_ERROR(server.send(op, "POST", end, {{"to", iso(now_s())}}), 422, "transition_not_allowed");
  CHECK_ERROR(server.send(op, "POST", "/api/v1/shelter-stays/987654/end", {{"to", iso(now_s())}}), 404, "not_found");
  r = server.send(op, "POST", case_path(id, "/shelter-stays"), {{"partner_id", police}, {"from", iso(now_s())}, {"to", iso(now_s() - kDay)}});
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "partner_id");
  CHECK_NAMES_FIELD(r, "to");

  r = server.send(op, "POST", case_path(id, "/mandatory-reports"),
                  {{"reporter_type", "school"}, {"reporter_name", "城关小学"}, {"reported_at", iso(now_s())}, {"police_partner_id", police}});
  REQUIRE_STATUS(r, 201);
  BOOST_TEST(body_json(r).at("reporter_type") == "school");
  BOOST_TEST(body_json(r).at("police").at("id") == police);
  r = server.send(op, "POST", case_path(id, "/mandatory-reports"), {{"reporter_type", "neighbour"}, {"reported_at", iso(now_s())}});
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "reporter_type");
  r = server.send(op, "POST", case_path(id, "/mandatory-reports"), {{"reporter_type", 3}, {"reported_at", iso(now_s())}});
  CHECK_ERROR(r, 400, "bad_request");

  BOOST_TEST(require_items(server, op, case_path(id, "/warning-letters")).size() == 1u);
  BOOST_TEST(require_items(server, op, case_path(id, "/shelter-stays")).size() == 2u);
  BOOST_TEST(require_items(server, op, case_path(id, "/mandatory-reports")).size() == 1u);
  for (const char* event : {"warning_letter", "shelter_stay", "shelter_stay_ended", "mandatory_report"})
    BOOST_TEST(timeline_has(id, event), event);
  BOOST_TEST(audit_rows("dv.shelter_stay.create") == 2);
}

BOOST_AUTO_TEST_CASE(repeat_victimisation_links_earlier_dv_cases_of_the_same_number) {
  const auto first = dv_case("13912340001");
  const auto second = dv_case("139 1234 0001");  // the same number, typed differently
  const auto unrelated = dv_case("13912340002");
  auto r = server.get(op, case_path(second, "/dv/repeat"));
  REQUIRE_STATUS(r, 200);
  const Json j = body_json(r);
  BOOST_TEST(j.at("repeat") == true);
  BOOST_REQUIRE(j.at("previous_cases").size() == 1u);
  BOOST_TEST(j.at("previous_cases").at(0).at("id") == first);
  BOOST_TEST(j.at("previous_cases").at(0).at("case_no").is_string());
  BOOST_TEST(j.at("previous_cases").at(0).at("risk_level") == "none");
  r = server.get(op, case_path(unrelated, "/dv/repeat"));
  REQUIRE_STATUS(r, 200);
  BOOST_TEST(body_json(r).at("repeat") == false);
  BOOST_TEST(body_json(r).at("previous_cases").empty());
  const Login op2 = server.login(kOperator2);
  CHECK_ERROR(server.get(op2, case_path(second, "/dv/repeat")), 404, "not_found");
  BOOST_TEST(audit_rows("dv.repeat.read") == 2);
}

BOOST_AUTO_TEST_CASE(partners_get_404_and_administrators_403_on_every_dv_endpoint) {
  const Login police = server.login(kPolice);
  const Login admin = server.login(kAdmin);
  const auto id = dv_case();
  // Referred to the police: they may see the case itself, but none of its DV content.
  require_transition(server, op, id, "accept", notice_data());
  require_transition(server, op, id, "refer", refer_data(police.user.at("partner_org_id").get<std::int64_t>(), true));
  CHECK_STATUS(server.get(police, case_path(id)), 200);
  const Json order = require_order(id);
  require_assess(id, 8);

  const std::vector<std::string> reads = {
      "/api/v1/dv/instrument", "/api/v1/dv/breaches", "/api/v1/dv/expiring",
      case_path(id, "/dv"), case_path(id, "/dv/repeat"), case_path(id, "/risk-assessments"),
      case_path(id, "/safety-plan"), case_path(id, "/protection-orders"), order_path(order),
      case_path(id, "/warning-letters"), case_path(id, "/shelter-stays"), case_path(id, "/mandatory-reports")};
  for (const auto& path : reads) {
    BOOST_TEST_CONTEXT("GET " << path) {
      CHECK_ERROR(server.get(police, path), 404, "not_found");
      CHECK_ERROR(server.get(admin, path), 403, "forbidden");
    }
  }
  struct Write {
    const char* method;
    std::string path;
    Json body;
  };
  const std::vector<Write> writes = {
      {"PUT", case_path(id, "/dv"), {{"version", 0}}},
      {"POST", case_path(id, "/risk-assessments"), {{"answers", {{"weapon", true}}}}},
      {"PUT", case_path(id, "/safety-plan"), {{"version", 0}}},
      {"POST", case_path(id, "/protection-orders"), {{"court_partner_id", 1}, {"applied_at", iso(now_s())}}},
      {"PATCH", order_path(order), {{"version", order.at("version")}, {"status", "withdrawn"}}},
      {"POST", order_path(order, "/extend"), {{"version", order.at("version")}, {"expires_at", iso(now_s() + kDay)}}},
      {"POST", case_path(id, "/warning-letters"), {{"police_partner_id", 1}, {"issued_at", iso(now_s())}}},
      {"POST", case_path(id, "/shelter-stays"), {{"partner_id", 1}, {"from", iso(now_s())}}},
      {"POST", case_path(id, "/mandatory-reports"), {{"reporter_type", "school"}, {"reported_at", iso(now_s())}}}};
  for (const auto& w : writes) {
    BOOST_TEST_CONTEXT(w.method << " " << w.path) {
      CHECK_ERROR(server.send(police, w.method, w.path, w.body), 404, "not_found");
      CHECK_ERROR(server.send(admin, w.method, w.path, w.body), 403, "forbidden");
    }
  }
  // Nothing changed: still one order, applied, and the one assessment.
  const Json orders = require_items(server, op, case_path(id, "/protection-orders"));
  BOOST_REQUIRE(orders.size() == 1u);
  BOOST_TEST(orders.at(0).at("status") == "applied");
  BOOST_TEST(require_items(server, op, case_path(id, "/risk-assessments")).size() == 1u);
  // Another county's operator is answered as for a missing case.
  const Login op2 = server.login(kOperator2);
  CHECK_ERROR(server.get(op2, case_path(id, "/dv")), 404, "not_found");
  CHECK_ERROR(server.send(op2, "POST", case_path(id, "/risk-assessments"), {{"answers", {{"weapon", true}}}}), 404, "not_found");
  CHECK_ERROR(server.get(op2, order_path(order)), 404, "not_found");
}

BOOST_AUTO_TEST_SUITE_END()
