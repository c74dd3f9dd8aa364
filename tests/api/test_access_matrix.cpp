// The access matrix as data: every role × endpoint × object (own office, another office's view,
// referred to the partner or not, nonexistent) → the status the caller must get. A forbidden or
// out-of-scope access is always refused; an allowed one gets past authorisation and stops at a
// harmless check (a stale version → 409, an empty body → 422) so the matrix changes no data.
// A partner's access follows its referral: after the partner declined or completed it, the case
// answers 404 like any other (only its own writing stays readable on the timeline). A second
// table says which markers each caller's answer must and must not contain: other partners' notes,
// the DV facts (risk level, assessments, shelter stays, safety plans, mandatory reports, orders
// and letters of other organisations) and other partners' referrals.
#include <boost/test/unit_test.hpp>
#include <map>
#include <string>
#include <vector>

#include "api/case_helpers.hpp"
#include "api/server_process.hpp"
#include "core/local_time.hpp"

using namespace hl::apitest;

namespace {

enum Who { kOp, kOp2, kSup, kPoliceUser, kCourtUser, kAdminUser, kSecAdminUser, kAuditorUser, kAnon, kWhoCount };
const char* const kWhoNames[] = {"operator", "operator2 (other county)", "supervisor (city)", "police partner",
                                 "court partner", "sysadmin", "secadmin", "auditor", "anonymous"};

struct Row {
  const char* method;
  // {A}: a case referred to the police; {B}: a case not referred; {R}: A's referral; {X}: no such case;
  // {D}: referred to the police, who declined; {C}: referred to the police, who completed it.
  std::string target;
  const char* body;
  int expected[kWhoCount];
};

// An accepted case of `op`'s office referred to `partner` with consent; returns its id.
std::int64_t referred_case(const ServerProcess& server, const Login& op, std::int64_t partner, const std::string& phone) {
  const auto id = require_open_case(server, op, phone);
  require_transition(server, op, id, "accept", notice_data());
  require_transition(server, op, id, "refer", refer_data(partner, true));
  return id;
}

// The partner answers its (only) referral of the case; requires 200.
void respond(const ServerProcess& server, const Login& partner, std::int64_t case_id, Json body) {
  const auto refs = require_items(server, partner, "/api/v1/referrals?case_id=" + std::to_string(case_id));
  BOOST_REQUIRE(refs.size() == 1u);
  body["version"] = refs[0].at("version");
  REQUIRE_STATUS(server.send(partner, "POST", "/api/v1/referrals/" + std::to_string(refs[0].at("id").get<std::int64_t>()) + "/respond",
                             body),
                 200);
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_role_gets_exactly_the_expected_status_on_every_endpoint) {
  ServerProcess server;
  std::map<Who, Login> logins = {{kOp, server.login(kOperator)},   {kOp2, server.login(kOperator2)},
                                 {kSup, server.login(kSupervisor)}, {kPoliceUser, server.login(kPolice)},
                                 {kCourtUser, server.login(kCourt)}, {kAdminUser, server.login(kAdmin)},
                                 {kSecAdminUser, server.login(kSecAdmin)}, {kAuditorUser, server.login(kAuditor)}};
  const auto& op = logins[kOp];
  const auto a = require_open_case(server, op, "13800001111");
  require_transition(server, op, a, "accept", notice_data());
  const auto police_org = require_police_partner(server, op, logins[kPoliceUser]);
  require_transition(server, op, a, "refer", refer_data(police_org, true));
  const auto b = require_open_case(server, op, "13800002222");
  const auto refs = require_items(server, op, "/api/v1/referrals?case_id=" + std::to_string(a));
  BOOST_REQUIRE(refs.size() == 1u);
  const auto r = refs[0].at("id").get<std::int64_t>();
  const auto& police = logins[kPoliceUser];
  const auto d = referred_case(server, op, police_org, "13800003333");
  respond(server, police, d, {{"action", "decline"}, {"decline_reason", "不在本所辖区"}});
  const auto c = referred_case(server, op, police_org, "13800004444");
  respond(server, police, c, {{"action", "accept"}});
  respond(server, police, c, {{"action", "complete"}, {"outcome", "已处理"}, {"result", {{"kind", "handled_otherwise"}}}});

  //                                                                 op   op2  sup  pol  court sys  sec  aud  anon
  const std::vector<Row> rows = {
      {"GET", "/api/v1/cases/{B}", "", {200, 404, 200, 404, 404, 404, 404, 404, 401}},
      {"GET", "/api/v1/cases/{A}", "", {200, 404, 200, 200, 404, 404, 404, 404, 401}},
      {"GET", "/api/v1/cases/{X}", "", {404, 404, 404, 404, 404, 404, 404, 404, 401}},
      {"GET", "/api/v1/cases/{B}/timeline", "", {200, 404, 200, 404, 404, 404, 404, 404, 401}},
      {"GET", "/api/v1/cases/{A}/timeline", "", {200, 404, 200, 200, 404, 404, 404, 404, 401}},
      {"GET", "/api/v1/cases/{B}/dv", "", {200, 404, 200, 404, 404, 403, 403, 403, 401}},
      {"GET", "/api/v1/cases/{A}/dv", "", {200, 404, 200, 404, 404, 403, 403, 403, 401}},
      {"GET", "/api/v1/cases", "", {200, 200, 200, 200, 200, 403, 403, 403, 401}},
      {"GET", "/api/v1/referrals", "", {200, 200, 200, 200, 200, 403, 403, 403, 401}},
      {"GET", "/api/v1/callers/lookup?phone=13800001111", "", {200, 200, 200, 403, 403, 403, 403, 403, 401}},
      {"GET", "/api/v1/dashboard/aging", "", {403, 403, 200, 403, 403, 403, 403, 403, 401}},
      {"GET", "/api/v1/dashboard/intake-daily", "", {403, 403, 200, 403, 403, 403, 403, 403, 401}},
      {"GET", "/api/v1/dv/repeat-check?phone=13800001111", "", {200, 200, 200, 404, 404, 403, 403, 403, 401}},
      {"GET", "/api/v1/offices?scope=all", "", {200, 200, 200, 403, 403, 200, 200, 403, 401}},
      {"GET", "/api/v1/reports/monthly?month=2026-10", "", {403, 403, 308, 403, 403, 403, 403, 403, 401}},
      {"GET", "/api/v1/reports?period=2026-10", "", {403, 403, 200, 403, 403, 403, 403, 403, 401}},
      {"GET", "/api/v1/reports/filings?period=2026-10", "", {403, 403, 200, 403, 403, 403, 403, 403, 401}},
      {"POST", "/api/v1/reports/filings", "{}", {403, 403, 400, 403, 403, 403, 403, 403, 401}},
      {"GET", "/api/v1/users", "", {403, 403, 200, 403, 403, 200, 200, 403, 401}},
      {"GET", "/api/v1/config/deadlines", "", {403, 403, 403, 403, 403, 200, 403, 403, 401}},
      {"POST", "/api/v1/cases/{B}/transitions", R"({"event":"accept","version":999})", {409, 404, 409, 403, 403, 403, 403, 403, 401}},
      {"POST", "/api/v1/cases/{X}/transitions", R"({"event":"accept","version":1})", {404, 404, 404, 403, 403, 403, 403, 403, 401}},
      {"PATCH", "/api/v1/cases/{B}", R"({"version":999,"summary":"改"})", {409, 404, 409, 403, 403, 403, 403, 403, 401}},
      {"POST", "/api/v1/cases/{B}/notes", R"({"text":""})", {422, 404, 422, 404, 404, 403, 403, 403, 401}},
      {"POST", "/api/v1/cases/{A}/notes", R"({"text":""})", {422, 404, 422, 422, 404, 403, 403, 403, 401}},
      {"POST", "/api/v1/cases/{B}/referrals", R"({"partner_id":0,"service":"other","consent":{"given":true},"version":999})",
       {409, 404, 409, 403, 403, 403, 403, 403, 401}},
      {"POST", "/api/v1/referrals/{R}/respond", R"({"action":"accept","version":999})", {409, 404, 409, 409, 404, 403, 403, 403, 401}},
      {"POST", "/api/v1/intakes", "{}", {422, 422, 422, 403, 403, 403, 403, 403, 401}},
      // After the partner declined or completed its referral: no case view, no writes.
      {"GET", "/api/v1/cases/{D}", "", {200, 404, 200, 404, 404, 404, 404, 404, 401}},
      {"GET", "/api/v1/cases/{C}", "", {200, 404, 200, 404, 404, 404, 404, 404, 401}},
      {"GET", "/api/v1/cases/{D}/timeline", "", {200, 404, 200, 200, 404, 404, 404, 404, 401}},
      {"GET", "/api/v1/cases/{C}/timeline", "", {200, 404, 200, 200, 404, 404, 404, 404, 401}},
      {"POST", "/api/v1/cases/{D}/notes", R"({"text":""})", {422, 404, 422, 404, 404, 403, 403, 403, 401}},
      {"POST", "/api/v1/cases/{C}/notes", R"({"text":""})", {422, 404, 422, 404, 404, 403, 403, 403, 401}},
      {"GET", "/api/v1/cases/{C}/attachments", "", {200, 404, 200, 404, 404, 404, 404, 404, 401}},
      {"GET", "/api/v1/cases/{A}/attachments", "", {200, 404, 200, 200, 404, 404, 404, 404, 401}},
      // Filters that would tell a partner the DV risk level or other partners' referrals.
      {"GET", "/api/v1/cases?risk_level=high", "", {200, 200, 200, 422, 422, 403, 403, 403, 401}},
      {"GET", "/api/v1/cases?partner_id=1", "", {200, 200, 200, 422, 422, 403, 403, 403, 401}},
      {"POST", "/api/v1/users", "{}", {403, 403, 403, 403, 403, 422, 403, 403, 401}},
      {"POST", "/api/v1/offices", "{}", {403, 403, 403, 403, 403, 422, 403, 403, 401}},
      {"POST", "/api/v1/partners", "{}", {403, 403, 403, 403, 403, 422, 403, 403, 401}},
      // 三员分立: accounts are the system administrator's, grants and approvals the security administrator's,
      // the audit log the auditor's alone. {X} is no user and no approval either.
      {"GET", "/api/v1/approvals", "", {403, 403, 200, 403, 403, 200, 200, 403, 401}},
      {"POST", "/api/v1/approvals/{X}/approve", "{}", {403, 403, 403, 403, 403, 404, 404, 403, 401}},
      {"POST", "/api/v1/approvals/{X}/reject", "{}", {403, 403, 403, 403, 403, 404, 404, 403, 401}},
      {"PATCH", "/api/v1/users/{X}", R"({"disabled":true})", {403, 403, 403, 403, 403, 404, 404, 403, 401}},
      {"PATCH", "/api/v1/users/{X}", R"({"role":"supervisor"})", {403, 403, 403, 403, 403, 403, 404, 403, 401}},
      {"PATCH", "/api/v1/users/{X}", R"({"display_name":"改"})", {403, 403, 403, 403, 403, 404, 403, 403, 401}},
      {"POST", "/api/v1/users/{X}/second-factor-reset", "", {403, 403, 403, 403, 403, 404, 404, 403, 401}},
      {"GET", "/api/v1/audit", "", {403, 403, 403, 403, 403, 403, 403, 200, 401}},
      {"GET", "/api/v1/audit/verify", "", {403, 403, 403, 403, 403, 403, 403, 200, 401}},
  };

  int checked = 0, unexpected = 0;
  for (const auto& row : rows) {
    std::string target = row.target;
    for (const auto& [key, value] : std::vector<std::pair<std::string, std::int64_t>>{{"{A}", a}, {"{B}", b}, {"{R}", r}, {"{X}", 987654}, {"{D}", d}, {"{C}", c}}) {
      if (auto at = target.find(key); at != std::string::npos) target.replace(at, key.size(), std::to_string(value));
    }
    for (int who = 0; who < kWhoCount; ++who) {
      HttpClientResponse resp;
      if (who == kAnon) {
        // A client that sends JSON says so (a body of another type is 415 before anything else).
        resp = row.body[0] ? server.request(row.method, target, row.body, {{"Content-Type", "application/json"}})
                           : server.request(row.method, target, row.body);
      } else if (std::string(row.method) == "GET") {
        resp = server.get(logins[static_cast<Who>(who)], target);
      } else {
        resp = server.send_text(logins[static_cast<Who>(who)], row.method, target, row.body);
      }
      ++checked;
      if (static_cast<int>(resp.status) != row.expected[who]) {
        ++unexpected;
        BOOST_ERROR(row.method << " " << row.target << " as " << kWhoNames[who] << ": expected " << row.expected[who]
                                << ", got " << resp.status << " " << resp.body.substr(0, 200));
      }
      // Refusals never carry case content.
      if (resp.status >= 400) BOOST_TEST(resp.body.find("丈夫") == std::string::npos);
    }
  }
  BOOST_TEST_MESSAGE("access matrix: " << checked << " checks, " << unexpected << " unexpected");
  BOOST_TEST(unexpected == 0);
}

namespace {

// One marker that an answer must (or must not) contain for one caller.
struct Sight {
  Who who;
  std::string target;  // {A}: referred to the police and the court, with DV measures; {D}: the police declined
  std::string marker;
  bool visible;
};

}  // namespace

BOOST_AUTO_TEST_CASE(partners_see_their_own_organisations_writing_and_only_the_dv_facts_of_their_kind) {
  ServerProcess server;
  const Login op = server.login(kOperator);
  const Login police = server.login(kPolice);
  const Login court = server.login(kCourt);
  const auto police_org = require_police_partner(server, op, police);
  const auto court_org = court.user.at("partner_org_id").get<std::int64_t>();
  auto partner_of_type = [&](const std::string& type) {
    for (const auto& p : require_items(server, op, "/api/v1/partners?type=" + type))
      if (p.at("active").get<bool>()) return p.at("id").get<std::int64_t>();
    BOOST_FAIL("no active " << type << " partner in the demo data");
    return std::int64_t{0};
  };
  auto now_iso = [&](hl::TimeMs back_ms = 0) { return hl::format_iso8601((server.now_ms() - back_ms) / 1000 * 1000); };

  // {A}: referred to the police and, for a protection order, to the court; the office records DV
  // measures; each partner writes a note; a shelter (civil affairs) partner has no referral.
  const auto a = referred_case(server, op, police_org, "13800005555");
  Json to_court = refer_data(court_org, true);
  to_court["service"] = "protection_order";
  require_transition(server, op, a, "refer", to_court);
  REQUIRE_STATUS(server.send(police, "POST", case_path(a, "/notes"), {{"text", "派出所备注：已约谈施暴人"}}), 201);
  REQUIRE_STATUS(server.send(court, "POST", case_path(a, "/notes"), {{"text", "法院备注：已立案审查"}}), 201);
  REQUIRE_STATUS(server.send(op, "POST", case_path(a, "/risk-assessments"),
                             {{"answers", {{"weapon", true}, {"strangulation", true}, {"death_threat", true}, {"fears_death", true}}}}),
                 201);
  REQUIRE_STATUS(server.send(op, "POST", case_path(a, "/shelter-stays"),
                             {{"partner_id", partner_of_type("civil_affairs")}, {"from", now_iso(86'400'000)}}),
                 201);
  REQUIRE_STATUS(server.send(op, "POST", case_path(a, "/mandatory-reports"),
                             {{"reporter_type", "hospital"}, {"reported_at", now_iso(3'600'000)}}),
                 201);
  REQUIRE_STATUS(server.send(op, "PUT", case_path(a, "/safety-plan"),
                             {{"version", 0}, {"steps", {{{"text", "准备应急包"}, {"done", false}}}}}),
                 200);
  REQUIRE_STATUS(server.send(op, "POST", case_path(a, "/protection-orders"),
                             {{"court_partner_id", court_org}, {"applied_at", now_iso(60'000)}, {"emergency", false}}),
                 201);
  REQUIRE_STATUS(server.send(op, "POST", case_path(a, "/warning-letters"),
                             {{"police_partner_id", police_org}, {"issued_at", now_iso(60'000)}}),
                 201);

  // {D}: the police declined; the court never had it.
  const auto d = referred_case(server, op, police_org, "13800006666");
  REQUIRE_STATUS(server.send(police, "POST", case_path(d, "/notes"), {{"text", "派出所说明：辖区不符"}}), 201);
  respond(server, police, d, {{"action", "decline"}, {"decline_reason", "不在本所辖区"}});

  const std::vector<Sight> sights = {
      // The office sees everything (the markers exist).
      {kOp, "/api/v1/cases/{A}/timeline", "法院备注：已立案审查", true},
      {kOp, "/api/v1/cases/{A}/timeline", "\"risk_assessed\"", true},
      {kOp, "/api/v1/cases/{A}", "\"risk_level\":\"high\"", true},
      // Other partners' notes and referrals.
      {kPoliceUser, "/api/v1/cases/{A}/timeline", "派出所备注：已约谈施暴人", true},
      {kPoliceUser, "/api/v1/cases/{A}/timeline", "法院备注：已立案审查", false},
      {kCourtUser, "/api/v1/cases/{A}/timeline", "派出所备注：已约谈施暴人", false},
      {kCourtUser, "/api/v1/cases/{A}/timeline", "法院备注：已立案审查", true},
      {kPoliceUser, "/api/v1/cases/{A}/timeline", "\"service\":\"protection_order\"", false},
      {kCourtUser, "/api/v1/cases/{A}/timeline", "\"service\":\"police_response\"", false},
      {kPoliceUser, "/api/v1/referrals?case_id={A}", "\"service\":\"protection_order\"", false},
      // DV details stay with the office.
      {kPoliceUser, "/api/v1/cases/{A}", "risk_level", false},
      {kCourtUser, "/api/v1/cases/{A}", "risk_level", false},
      {kPoliceUser, "/api/v1/cases?limit=200", "risk_level", false},
      {kPoliceUser, "/api/v1/cases/{A}/timeline", "\"risk_assessed\"", false},
      {kPoliceUser, "/api/v1/cases/{A}/timeline", "\"shelter_stay\"", false},
      {kPoliceUser, "/api/v1/cases/{A}/timeline", "\"safety_plan_updated\"", false},
      {kPoliceUser, "/api/v1/cases/{A}/timeline", "\"mandatory_report\"", false},
      {kCourtUser, "/api/v1/cases/{A}/timeline", "\"risk_assessed\"", false},
      {kCourtUser, "/api/v1/cases/{A}/timeline", "\"shelter_stay\"", false},
      {kCourtUser, "/api/v1/cases/{A}/timeline", "\"safety_plan_updated\"", false},
      // The facts of their kind: the court its protection order, the police the order and its letter.
      {kCourtUser, "/api/v1/cases/{A}/timeline", "\"protection_order_applied\"", true},
      {kCourtUser, "/api/v1/cases/{A}/timeline", "\"warning_letter\"", false},
      {kPoliceUser, "/api/v1/cases/{A}/timeline", "\"protection_order_applied\"", true},
      {kPoliceUser, "/api/v1/cases/{A}/timeline", "\"warning_letter\"", true},
      // After the decline: its own note and referral remain readable, nothing of the case else.
      {kPoliceUser, "/api/v1/cases/{D}/timeline", "派出所说明：辖区不符", true},
      {kPoliceUser, "/api/v1/cases/{D}/timeline", "\"kind\":\"referral\"", true},
      {kPoliceUser, "/api/v1/cases/{D}/timeline", "\"event\":\"accept\"", false},
      {kPoliceUser, "/api/v1/cases/{D}/timeline", "\"event\":\"register\"", false},
      {kPoliceUser, "/api/v1/cases?limit=200", "\"id\":{D},", false},
  };

  std::map<Who, Login> logins = {{kOp, op}, {kPoliceUser, police}, {kCourtUser, court}};
  int unexpected = 0;
  for (const auto& sight : sights) {
    std::string target = sight.target, marker = sight.marker;
    for (auto* text : {&target, &marker})
      for (const auto& [key, value] : std::vector<std::pair<std::string, std::int64_t>>{{"{A}", a}, {"{D}", d}})
        if (auto at = text->find(key); at != std::string::npos) text->replace(at, key.size(), std::to_string(value));
    const auto resp = server.get(logins[sight.who], target);
    if (resp.status != 200 || (resp.body.find(marker) != std::string::npos) != sight.visible) {
      ++unexpected;
      BOOST_ERROR(target << " as " << kWhoNames[sight.who] << ": " << marker << (sight.visible ? " missing" : " shown")
                         << " (" << resp.status << ")");
    }
  }
  BOOST_TEST_MESSAGE("partner sight: " << sights.size() << " checks, " << unexpected << " unexpected");
  BOOST_TEST(unexpected == 0);
}
