// The access matrix as data: every role × endpoint × object (own office, another office's view,
// referred to the partner or not, nonexistent) → the status the caller must get. A forbidden or
// out-of-scope access is always refused; an allowed one gets past authorisation and stops at a
// harmless check (a stale version → 409, an empty body → 422) so the matrix changes no data.
#include <boost/test/unit_test.hpp>
#include <map>
#include <string>
#include <vector>

#include "api/case_helpers.hpp"
#include "api/server_process.hpp"

using namespace hl::apitest;

namespace {

enum Who { kOp, kOp2, kSup, kPoliceUser, kCourtUser, kAdminUser, kAnon, kWhoCount };
const char* const kWhoNames[] = {"operator", "operator2 (other county)", "supervisor (city)", "police partner",
                                 "court partner", "admin", "anonymous"};

struct Row {
  const char* method;
  std::string target;  // {A}: a case referred to the police; {B}: a case not referred; {R}: A's referral; {X}: no such case
  const char* body;
  int expected[kWhoCount];
};

}  // namespace

BOOST_AUTO_TEST_CASE(every_role_gets_exactly_the_expected_status_on_every_endpoint) {
  ServerProcess server;
  std::map<Who, Login> logins = {{kOp, server.login(kOperator)},   {kOp2, server.login(kOperator2)},
                                 {kSup, server.login(kSupervisor)}, {kPoliceUser, server.login(kPolice)},
                                 {kCourtUser, server.login(kCourt)}, {kAdminUser, server.login(kAdmin)}};
  const auto& op = logins[kOp];
  const auto a = require_open_case(server, op, "13800001111");
  require_transition(server, op, a, "accept");
  const auto police_org = require_police_partner(server, op, logins[kPoliceUser]);
  require_transition(server, op, a, "refer", refer_data(police_org, true));
  const auto b = require_open_case(server, op, "13800002222");
  const auto refs = require_items(server, op, "/api/v1/referrals?case_id=" + std::to_string(a));
  BOOST_REQUIRE(refs.size() == 1u);
  const auto r = refs[0].at("id").get<std::int64_t>();

  //                                                                 op   op2  sup  pol  court adm  anon
  const std::vector<Row> rows = {
      {"GET", "/api/v1/cases/{B}", "", {200, 404, 200, 404, 404, 404, 401}},
      {"GET", "/api/v1/cases/{A}", "", {200, 404, 200, 200, 404, 404, 401}},
      {"GET", "/api/v1/cases/{X}", "", {404, 404, 404, 404, 404, 404, 401}},
      {"GET", "/api/v1/cases/{B}/timeline", "", {200, 404, 200, 404, 404, 404, 401}},
      {"GET", "/api/v1/cases/{A}/timeline", "", {200, 404, 200, 200, 404, 404, 401}},
      {"GET", "/api/v1/cases/{B}/dv", "", {200, 404, 200, 404, 404, 403, 401}},
      {"GET", "/api/v1/cases/{A}/dv", "", {200, 404, 200, 404, 404, 403, 401}},
      {"GET", "/api/v1/cases", "", {200, 200, 200, 200, 200, 403, 401}},
      {"GET", "/api/v1/referrals", "", {200, 200, 200, 200, 200, 403, 401}},
      {"GET", "/api/v1/callers/lookup?phone=13800001111", "", {200, 200, 200, 403, 403, 403, 401}},
      {"GET", "/api/v1/dashboard/aging", "", {403, 403, 200, 403, 403, 403, 401}},
      {"GET", "/api/v1/dashboard/intake-daily", "", {403, 403, 200, 403, 403, 403, 401}},
      {"GET", "/api/v1/dv/repeat-check?phone=13800001111", "", {200, 200, 200, 404, 404, 403, 401}},
      {"GET", "/api/v1/offices?scope=all", "", {200, 200, 200, 403, 403, 200, 401}},
      {"GET", "/api/v1/reports/monthly?month=2026-10", "", {403, 403, 200, 403, 403, 403, 401}},
      {"GET", "/api/v1/users", "", {403, 403, 200, 403, 403, 200, 401}},
      {"GET", "/api/v1/config/deadlines", "", {403, 403, 403, 403, 403, 200, 401}},
      {"POST", "/api/v1/cases/{B}/transitions", R"({"event":"accept","version":999})", {409, 404, 409, 403, 403, 403, 401}},
      {"POST", "/api/v1/cases/{X}/transitions", R"({"event":"accept","version":1})", {404, 404, 404, 403, 403, 403, 401}},
      {"PATCH", "/api/v1/cases/{B}", R"({"version":999,"summary":"改"})", {409, 404, 409, 403, 403, 403, 401}},
      {"POST", "/api/v1/cases/{B}/notes", R"({"text":""})", {422, 404, 422, 404, 404, 403, 401}},
      {"POST", "/api/v1/cases/{A}/notes", R"({"text":""})", {422, 404, 422, 422, 404, 403, 401}},
      {"POST", "/api/v1/cases/{B}/referrals", R"({"partner_id":0,"service":"other","consent":{"given":true},"version":999})",
       {409, 404, 409, 403, 403, 403, 401}},
      {"POST", "/api/v1/referrals/{R}/respond", R"({"action":"accept","version":999})", {409, 404, 409, 409, 404, 403, 401}},
      {"POST", "/api/v1/intakes", "{}", {422, 422, 422, 403, 403, 403, 401}},
      {"POST", "/api/v1/users", "{}", {403, 403, 403, 403, 403, 422, 401}},
      {"POST", "/api/v1/offices", "{}", {403, 403, 403, 403, 403, 422, 401}},
      {"POST", "/api/v1/partners", "{}", {403, 403, 403, 403, 403, 422, 401}},
  };

  int checked = 0, unexpected = 0;
  for (const auto& row : rows) {
    std::string target = row.target;
    for (const auto& [key, value] : std::vector<std::pair<std::string, std::int64_t>>{{"{A}", a}, {"{B}", b}, {"{R}", r}, {"{X}", 987654}}) {
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
