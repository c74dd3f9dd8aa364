// Operations: /healthz, /metrics, the OpenAPI description, graceful stop on SIGTERM, and the
// command-line tools an administrator scripts (seed-demo, user add).
#include <signal.h>

#include <boost/test/unit_test.hpp>
#include <regex>
#include <set>
#include <string>

#include <thread>

#include "api/case_helpers.hpp"
#include "core/db/storage_monitor.hpp"
#include "core/local_time.hpp"
#include "api/server_process.hpp"
#include "web/http_client.hpp"

using namespace hl::apitest;
using namespace std::chrono_literals;

namespace {

struct Fresh {
  ServerProcess server;
};

// The value of one sample line "name{labels} value" of a Prometheus text page, or -1 when absent.
double sample(const std::string& page, const std::string& series) {
  const auto at = page.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(page.substr(at + series.size() + 2));
}

std::string metrics(const ServerProcess& server) {
  auto r = server.metrics();
  REQUIRE_STATUS(r, 200);
  return r.body;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(ops, Fresh)

BOOST_AUTO_TEST_CASE(healthz_answers_200_without_a_login) {
  auto r = server.request("GET", "/healthz");
  REQUIRE_STATUS(r, 200);
  const Json health = body_json(r);
  BOOST_TEST(health.at("status") == "ok");
  BOOST_TEST(health.at("reasons") == Json::array());
  // The start-up quick_check ran before the server listened (a small database).
  BOOST_TEST(health.at("checks").at("integrity").at("kind") == "quick_check");
  BOOST_TEST(health.at("checks").at("integrity").at("state") == "ok");
  BOOST_TEST(health.at("checks").at("free_bytes").get<std::int64_t>() > 0);
}

// The daily full integrity_check runs at its Beijing hour (03:30 by default) on the server's clock:
// not a second before, and within a few seconds after (the monitor looks once a second).
BOOST_AUTO_TEST_CASE(the_daily_integrity_check_runs_at_its_hour) {
  // The monitor took its due time (the next 03:30) when the server started: the test's must be the same
  // one, or a start in the minute before 03:30 makes the jump to the next day's 03:29:55 overdue.
  const TimeMs due = hl::db::StorageMonitor::next_at(server.now_ms(), 3 * 60 + 30);
  server.set_clock(due - 5'000, /*frozen=*/true);
  auto integrity = [&] { return body_json(server.request("GET", "/healthz")).at("checks").at("integrity"); };
  // Two monitor ticks at 03:29:55 (a running clock would cross 03:30 by itself).
  for (int i = 0; i < 3; ++i) {
    BOOST_TEST(integrity().at("kind") == "quick_check");
    std::this_thread::sleep_for(700ms);  // a tick of the monitor, which this test waits for
  }
  server.set_clock(due + 1'000, /*frozen=*/true);
  Json seen;
  // Until it has finished: "integrity_check" shows from its start, "running" until it is done.
  for (int i = 0; i < 100 && ((seen = integrity()).at("kind") != "integrity_check" || seen.at("state") == "running"); ++i)
    std::this_thread::sleep_for(100ms);
  BOOST_TEST(seen.at("kind") == "integrity_check");
  BOOST_TEST(seen.at("state") == "ok");
  BOOST_TEST(seen.at("at") == hl::format_iso8601(due + 1'000));
  const std::string page = metrics(server);
  BOOST_TEST(sample(page, "hotline_integrity_check_last_timestamp_seconds") == static_cast<double>(due + 1'000) / 1000.0);
  BOOST_TEST(sample(page, "hotline_integrity_check_ok") == 1.0);
  BOOST_TEST(sample(page, "hotline_health_status") == 0.0);
}

BOOST_AUTO_TEST_CASE(metrics_count_requests_by_route_and_status) {
  for (int i = 0; i < 3; ++i) CHECK_STATUS(server.request("GET", "/healthz"), 200);
  CHECK_STATUS(server.request("GET", "/api/v1/cases"), 401);
  const Login op = server.login(kOperator);
  CHECK_STATUS(server.get(op, "/api/v1/cases/abc"), 404);

  auto r = server.metrics();
  REQUIRE_STATUS(r, 200);
  BOOST_TEST(r.header("content-type").starts_with("text/plain"));
  const std::string page = r.body;
  BOOST_TEST(sample(page, R"(hotline_http_requests_total{route="/healthz",status="200"})") >= 3);
  BOOST_TEST(sample(page, R"(hotline_http_requests_total{route="/api/v1/cases",status="401"})") >= 1);
  BOOST_TEST(sample(page, R"(hotline_http_requests_total{route="/api/v1/session",status="200"})") >= 1);
  BOOST_TEST(sample(page, R"(hotline_http_requests_total{route="/api/v1/cases/{id}",status="404"})") >= 1);
  BOOST_TEST(page.find("# TYPE hotline_http_request_duration_seconds histogram") != std::string::npos);
  BOOST_TEST(sample(page, R"(hotline_http_request_duration_seconds_count{route="/healthz"})") >= 3);
  for (const char* gauge : {"hotline_open_cases", "hotline_writer_queue_depth", "hotline_sessions"})
    BOOST_TEST_CONTEXT(gauge) { BOOST_TEST(sample(page, gauge) >= 0); }
  BOOST_TEST(sample(page, "hotline_open_cases") > 0);  // the demo data has open cases
  BOOST_TEST(sample(page, "hotline_sessions") >= 1);
  // No case content and no session tokens on a page anyone on the network can read.
  BOOST_TEST(page.find(op.token) == std::string::npos);
  BOOST_TEST(page.find("家暴") == std::string::npos);

  // The counter goes up.
  const double before = sample(page, R"(hotline_http_requests_total{route="/healthz",status="200"})");
  CHECK_STATUS(server.request("GET", "/healthz"), 200);
  BOOST_TEST(sample(metrics(server), R"(hotline_http_requests_total{route="/healthz",status="200"})") == before + 1);

  // Opening a case shows in the open-cases gauge.
  const double open_before = sample(metrics(server), "hotline_open_cases");
  require_open_case(server, op);
  BOOST_TEST(sample(metrics(server), "hotline_open_cases") == open_before + 1);
}

BOOST_AUTO_TEST_CASE(the_openapi_description_is_served_as_openapi_3_with_the_implemented_paths) {
  auto r = server.request("GET", "/api/v1/openapi.json");
  REQUIRE_STATUS(r, 200);
  BOOST_TEST(r.header("content-type").starts_with("application/json"));
  const Json spec = Json::parse(r.body, nullptr, false);
  BOOST_REQUIRE_MESSAGE(spec.is_object(), "the OpenAPI description does not parse as a JSON object");
  BOOST_REQUIRE(spec.contains("openapi"));
  BOOST_TEST(spec.at("openapi").get<std::string>().starts_with("3."));
  BOOST_REQUIRE(spec.contains("paths"));
  BOOST_REQUIRE(spec.at("paths").is_object());
  // Path parameters may have any name: compare with them blanked.
  std::set<std::string> paths;
  for (const auto& [path, _] : spec.at("paths").items()) paths.insert(std::regex_replace(path, std::regex("\\{[^}]*\\}"), "{}"));
  for (const char* expected :
       {"/api/v1/session", "/api/v1/intakes", "/api/v1/callers/lookup", "/api/v1/cases", "/api/v1/cases/{}",
        "/api/v1/cases/{}/transitions", "/api/v1/cases/{}/timeline", "/api/v1/cases/{}/notes", "/api/v1/offices",
        "/api/v1/partners", "/api/v1/users", "/api/v1/users/{}", "/api/v1/config/deadlines"})
    BOOST_TEST_CONTEXT(expected) { BOOST_TEST(paths.contains(expected)); }
}

BOOST_AUTO_TEST_CASE(seed_demo_prints_the_demo_logins) {
  const std::string& out = ServerProcess::seed_output();
  for (const Credentials& c : {kOperator, kOperator2, kSupervisor, kPolice, kCourt, kAdmin}) {
    BOOST_TEST_CONTEXT(c.username) {
      BOOST_TEST(std::regex_search(out, std::regex(std::string("\\n\\s*") + c.username + "\\s+" + c.password + "\\s")));
      BOOST_CHECK_NO_THROW(server.login(c));
    }
  }
  BOOST_TEST(out.find("永兴县妇联") != std::string::npos);
  BOOST_TEST(out.find("桂阳县妇联") != std::string::npos);
  BOOST_TEST(out.find("郴州市妇联") != std::string::npos);
  // Seeding a database that has data already changes nothing.
  auto again = run_hotline({"seed-demo", "--db", server.db_path(), "--cases", "5"});
  BOOST_TEST(again.exit_code == 0);
  BOOST_TEST(again.out.find("yongxing-demo-2026") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(sigterm_lets_an_in_flight_request_finish_and_exits_0) {
  // The server says "100 Continue" only once it has the request's header: from then on the request
  // is in flight, whatever the timing of the signal.
  const std::string body = Json{{"username", kOperator.username}, {"password", kOperator.password}}.dump();
  hl::test::HttpConnection conn(server.port());
  conn.send_raw("POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                "Expect: 100-continue\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n");
  auto interim = conn.read_response();
  REQUIRE_STATUS(interim, 100);

  server.signal(SIGTERM);
  conn.send_raw(body);
  auto r = conn.read_response();
  CHECK_STATUS(r, 200);
  BOOST_TEST(r.header("set-cookie").starts_with("hl_session="));

  const auto status = server.wait_exit(30s);
  BOOST_REQUIRE_MESSAGE(status.has_value(), "the server did not exit within 30 s of SIGTERM; log:\n" << server.log());
  BOOST_TEST(*status == 0);
  BOOST_TEST(conn.closed_by_peer_within(5s));
  BOOST_CHECK_THROW(hl::test::request(server.port(), "GET", "/healthz"), std::exception);
}

BOOST_AUTO_TEST_CASE(sigterm_and_sigint_on_an_idle_server_exit_0_promptly) {
  hl::test::HttpConnection idle(server.port());  // an idle keep-alive connection must not hold the stop up
  CHECK_STATUS(idle.request("GET", "/healthz"), 200);
  const auto start = std::chrono::steady_clock::now();
  BOOST_TEST(server.stop() == 0);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  BOOST_TEST(took.count() < 10000);

  ServerProcess second;
  second.signal(SIGINT);
  const auto status = second.wait_exit(30s);
  BOOST_REQUIRE(status.has_value());
  BOOST_TEST(*status == 0);
}

BOOST_AUTO_TEST_CASE(user_add_reads_the_password_from_stdin_and_the_user_can_log_in) {
  auto r = run_hotline({"user", "add", "--db", server.db_path(), "--username", "clerk", "--role", "operator", "--office",
                        "431023", "--display-name", "值班接线员", "--password-stdin"},
                       "night-shift-2026-pw\n");
  BOOST_CHECK_MESSAGE(r.exit_code == 0, "exit " << r.exit_code << ": " << r.out << r.err);
  BOOST_TEST(r.out.find("clerk") != std::string::npos);
  BOOST_TEST(r.out.find("night-shift-2026-pw") == std::string::npos);

  // The running server sees the new user at once.
  const Login clerk = server.login("clerk", "night-shift-2026-pw");
  BOOST_TEST(clerk.user.at("role") == "operator");
  BOOST_TEST(clerk.user.at("office_id") == server.login(kOperator).user.at("office_id"));
  BOOST_TEST(clerk.user.at("display_name") == "值班接线员");
  // The trailing newline is not part of the password.
  CHECK_ERROR(server.login_raw("clerk", "night-shift-2026-pw\n"), 401, "unauthenticated");
}

BOOST_AUTO_TEST_CASE(user_add_refuses_bad_invocations) {
  const std::string db = server.db_path();
  auto no_stdin_flag = run_hotline({"user", "add", "--db", db, "--username", "x1", "--role", "operator", "--office", "431023"},
                                   "some-long-password\n");
  BOOST_TEST(no_stdin_flag.exit_code == 2);
  BOOST_TEST(!no_stdin_flag.err.empty());
  auto no_role = run_hotline({"user", "add", "--db", db, "--username", "x2", "--password-stdin"}, "some-long-password\n");
  BOOST_TEST(no_role.exit_code == 2);
  auto short_pw = run_hotline({"user", "add", "--db", db, "--username", "x3", "--role", "operator", "--office", "431023",
                               "--password-stdin"},
                              "short\n");
  BOOST_TEST(short_pw.exit_code == 2);
  auto no_office = run_hotline({"user", "add", "--db", db, "--username", "x4", "--role", "operator", "--office", "999999",
                                "--password-stdin"},
                               "some-long-password\n");
  BOOST_TEST(no_office.exit_code == 1);
  auto taken = run_hotline({"user", "add", "--db", db, "--username", "operator", "--role", "operator", "--office", "431023",
                            "--password-stdin"},
                           "some-long-password\n");
  BOOST_TEST(taken.exit_code == 1);
  for (const char* name : {"x1", "x2", "x3", "x4"})
    BOOST_TEST_CONTEXT(name) { CHECK_ERROR(server.login_raw(name, "some-long-password"), 401, "unauthenticated"); }
  CHECK_ERROR(server.login_raw("operator", "some-long-password"), 401, "unauthenticated");
  BOOST_CHECK_NO_THROW(server.login(kOperator));
  auto unknown = run_hotline({"frobnicate", "--db", db});
  BOOST_TEST(unknown.exit_code == 2);
}

BOOST_AUTO_TEST_CASE(backup_while_serving_gives_a_consistent_copy_that_serves_and_verifies) {
  const Login op = server.login(kOperator);
  const auto id = require_open_case(server, op, "13800138000");
  const std::string copy = server.file("copy.db");
  auto r = run_hotline({"backup", copy, "--db", server.db_path()});
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, "backup: exit " << r.exit_code << ": " << r.out << r.err);
  // Writes after the backup do not disturb it, and the live server goes on.
  require_transition(server, op, id, "accept", notice_data());
  CHECK_STATUS(server.request("GET", "/healthz"), 200);

  auto verified = run_hotline({"audit", "verify", "--db", copy, "--keys", server.db_path() + ".keys"});
  BOOST_CHECK_MESSAGE(verified.exit_code == 0, verified.out << verified.err);
  auto shown = run_hotline({"case", "show", "--db", copy, "--case-no", require_case(server, op, id).at("case_no").get<std::string>()});
  BOOST_CHECK_MESSAGE(shown.exit_code == 0, shown.out << shown.err);
  BOOST_TEST(shown.out.find("registered") != std::string::npos);  // as it was when copied
  BOOST_TEST(shown.out.find("accept") == std::string::npos);

  // Without the key file the audit chain cannot be checked, and says so.
  auto no_keys = run_hotline({"audit", "verify", "--db", copy, "--keys", server.file("missing.keys")});
  BOOST_TEST(no_keys.exit_code != 0);
  BOOST_TEST(no_keys.err.find("missing.keys") != std::string::npos);
  auto no_path = run_hotline({"backup", "--db", server.db_path()});
  BOOST_TEST(no_path.exit_code == 2);
}

BOOST_AUTO_TEST_SUITE_END()
