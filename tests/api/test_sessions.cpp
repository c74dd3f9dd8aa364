// Login, the session cookie, CSRF, lockout, logout and account disabling, as a browser or a
// script sees them; and all of it across a real restart of the server on the same database.
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "api/case_helpers.hpp"
#include "api/server_process.hpp"

using namespace hl::apitest;

namespace {

struct Fresh {
  ServerProcess server;
};

std::int64_t user_id_by_name(const ServerProcess& server, const Login& admin, const std::string& username) {
  for (const auto& u : require_items(server, admin, "/api/v1/users"))
    if (u.at("username") == username) return u.at("id").get<std::int64_t>();
  BOOST_FAIL("no user " << username << " in GET /api/v1/users");
  return 0;
}

constexpr TimeMs kMinute = 60'000;

// A server on a seeded database in `dir`, which a test stops (SIGTERM: drain, exit 0) and starts
// again on the same database, its clock going on from where the old one stopped (plus `later_ms`).
struct Restartable {
  hl::test::TempDir dir;
  std::unique_ptr<ServerProcess> server = std::make_unique<ServerProcess>(ServerOptions{.db_dir = dir.path().string()});
  TimeMs stopped_at = 0;

  void stop() {
    stopped_at = server->now_ms();
    BOOST_REQUIRE_EQUAL(server->stop(), 0);
    server.reset();
  }
  void start(TimeMs later_ms = 0) {
    server = std::make_unique<ServerProcess>(ServerOptions{.db_dir = dir.path().string(), .copy_seed = false},
                                             stopped_at + later_ms);
  }
  void restart(TimeMs later_ms = 0) {
    stop();
    start(later_ms);
  }
  // The database's bytes, with its write-ahead log if one is left.
  std::string database_bytes() const {
    std::string bytes;
    for (const char* name : {"t.db", "t.db-wal"}) {
      std::ifstream in(dir.file(name), std::ios::binary);
      std::ostringstream out;
      out << in.rdbuf();
      bytes += out.str();
    }
    return bytes;
  }
};

std::string unhex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

const Json kSilentCall = {{"channel", "hotline"}, {"call_type", "silent"}};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(sessions, Fresh)

BOOST_AUTO_TEST_CASE(login_returns_user_and_csrf_token_and_sets_a_strict_http_only_cookie) {
  auto r = server.login_raw(kOperator.username, kOperator.password);
  REQUIRE_STATUS(r, 200);
  const std::string cookie = r.header("set-cookie");
  BOOST_TEST_INFO("Set-Cookie: " << cookie);
  BOOST_TEST(cookie.starts_with("hl_session="));
  BOOST_TEST(cookie.find("HttpOnly") != std::string::npos);
  BOOST_TEST(cookie.find("SameSite=Strict") != std::string::npos);
  BOOST_TEST(cookie.find("Path=/") != std::string::npos);
  const auto token = cookie.substr(11, cookie.find(';') - 11);
  BOOST_TEST(token.size() >= 43u);  // 256 bits, in any common encoding
  BOOST_TEST(r.header("cache-control").find("no-store") != std::string::npos);

  const Json j = body_json(r);
  BOOST_TEST(j.at("csrf_token").is_string());
  BOOST_TEST(j.at("csrf_token").get<std::string>().size() >= 32u);
  BOOST_TEST(j.at("csrf_token").get<std::string>() != token);
  const Json& u = j.at("user");
  BOOST_TEST(u.at("username") == "operator");
  BOOST_TEST(u.at("role") == "operator");
  BOOST_TEST(u.at("id").is_number_integer());
  BOOST_TEST(u.at("display_name").is_string());
  BOOST_TEST(u.at("office_id").is_number_integer());
  BOOST_TEST(u.at("partner_org_id").is_null());
  BOOST_TEST(u.value("office_name", "") == "永兴县妇联");
  // No password material in the answer.
  BOOST_TEST(r.body.find("yongxing-demo-2026") == std::string::npos);
  BOOST_TEST(r.body.find("argon2") == std::string::npos);

  // A partner user carries its organisation instead of an office.
  const Login police = server.login(kPolice);
  BOOST_TEST(police.user.at("role") == "partner");
  BOOST_TEST(police.user.at("partner_org_id").is_number_integer());
  BOOST_TEST(police.user.at("office_id").is_null());
}

BOOST_AUTO_TEST_CASE(wrong_password_and_unknown_user_get_the_same_401) {
  auto wrong = server.login_raw("operator", "not-the-password");
  auto unknown = server.login_raw("nobody-here", "yongxing-demo-2026");
  CHECK_ERROR(wrong, 401, "unauthenticated");
  CHECK_ERROR(unknown, 401, "unauthenticated");
  BOOST_CHECK_MESSAGE(body_json(wrong) == body_json(unknown), "the two answers differ: " << wrong.body << " vs " << unknown.body);
  BOOST_TEST(!wrong.has_header("set-cookie"));
  BOOST_TEST(!unknown.has_header("set-cookie"));
  // Empty and missing credentials are the same 401, not a validation error that tells them apart.
  CHECK_ERROR(server.login_raw("", ""), 401, "unauthenticated");
  CHECK_ERROR(server.request("POST", "/api/v1/session", "{}", {{"Content-Type", "application/json"}}), 401,
              "unauthenticated");
}

BOOST_AUTO_TEST_CASE(five_failures_lock_the_account_with_429_and_retry_after_even_for_the_right_password) {
  for (int i = 1; i <= 4; ++i) {
    BOOST_TEST_CONTEXT("failed attempt " << i) { CHECK_ERROR(server.login_raw("operator", "wrong-" + std::to_string(i)), 401, "unauthenticated"); }
  }
  // The fifth failure itself may already answer "locked" rather than "wrong password".
  auto fifth = server.login_raw("operator", "wrong-5");
  BOOST_CHECK_MESSAGE(fifth.status == 401 || fifth.status == 429, describe(fifth));

  auto locked = server.login_raw(kOperator.username, kOperator.password);
  CHECK_ERROR(locked, 429, "rate_limited");
  BOOST_TEST(!locked.has_header("set-cookie"));
  const std::string retry = locked.header("retry-after");
  BOOST_TEST_INFO("Retry-After: " << retry);
  BOOST_REQUIRE(!retry.empty());
  BOOST_TEST(retry.find_first_not_of("0123456789") == std::string::npos);
  const int seconds = std::stoi(retry);
  BOOST_TEST(seconds >= 1);
  BOOST_TEST(seconds <= 15 * 60);

  // The lockout is per account: another user is not affected.
  BOOST_CHECK_NO_THROW(server.login(kSupervisor));
}

BOOST_AUTO_TEST_CASE(an_unknown_username_locks_out_exactly_like_a_real_one) {
  // Otherwise the 429 after five failures would tell an attacker which usernames exist.
  std::vector<unsigned> real, unknown;
  for (int i = 1; i <= 7; ++i) {
    real.push_back(server.login_raw("operator2", "wrong-" + std::to_string(i)).status);
    unknown.push_back(server.login_raw("no-such-operator", "wrong-" + std::to_string(i)).status);
  }
  BOOST_TEST(real == unknown);
  BOOST_TEST(unknown.back() == 429u);
  auto locked = server.login_raw("no-such-operator", "anything");
  CHECK_ERROR(locked, 429, "rate_limited");
  BOOST_TEST(!locked.header("retry-after").empty());
}

BOOST_AUTO_TEST_CASE(concurrent_wrong_passwords_all_count_towards_the_lockout) {
  // A guesser who sends many attempts at once must not get more than five for free.
  constexpr int kGuesses = 12;
  std::vector<HttpClientResponse> answers(kGuesses);
  {
    std::vector<std::jthread> threads;
    for (int i = 0; i < kGuesses; ++i)
      threads.emplace_back([&, i] {
        try {
          answers[static_cast<std::size_t>(i)] = server.login_raw("operator", "guess-" + std::to_string(i));
        } catch (const std::exception& e) {
          answers[static_cast<std::size_t>(i)].body = e.what();
        }
      });
  }
  int refused = 0;
  for (const auto& r : answers) {
    BOOST_CHECK_MESSAGE(r.status == 401 || r.status == 429, describe(r));
    refused += r.status == 401 || r.status == 429;
  }
  BOOST_TEST(refused == kGuesses);
  auto right = server.login_raw(kOperator.username, kOperator.password);
  CHECK_ERROR(right, 429, "rate_limited");
}

BOOST_AUTO_TEST_CASE(get_session_returns_the_login_body_or_401) {
  auto login = server.login_raw(kSupervisor.username, kSupervisor.password);
  REQUIRE_STATUS(login, 200);
  const Login s = server.login(kSupervisor);
  auto r = server.get(s, "/api/v1/session");
  REQUIRE_STATUS(r, 200);
  const Json j = body_json(r);
  BOOST_TEST(j.at("csrf_token") == s.csrf);
  BOOST_TEST(j.at("user") == s.user);
  BOOST_TEST(j.at("user").at("role") == "supervisor");

  CHECK_ERROR(server.request("GET", "/api/v1/session"), 401, "unauthenticated");
  CHECK_ERROR(server.request("GET", "/api/v1/session", {}, {{"Cookie", "hl_session=" + std::string(64, 'a')}}), 401,
              "unauthenticated");
  CHECK_ERROR(server.request("GET", "/api/v1/cases"), 401, "unauthenticated");
  // Two logins are two sessions: the first is still alive.
  const Json first = body_json(login);
  BOOST_TEST(first.at("csrf_token") != s.csrf);
}

BOOST_AUTO_TEST_CASE(logout_answers_204_and_the_old_cookie_gets_401) {
  const Login s = server.login(kOperator);
  const Login other = server.login(kOperator);
  auto out = server.del(s, "/api/v1/session");
  CHECK_STATUS(out, 204);
  BOOST_TEST(out.body.empty());
  BOOST_TEST_INFO("Set-Cookie: " << out.header("set-cookie"));
  BOOST_TEST((out.header("set-cookie").starts_with("hl_session=;") || out.header("set-cookie").find("Max-Age=0") != std::string::npos));
  CHECK_ERROR(server.get(s, "/api/v1/session"), 401, "unauthenticated");
  CHECK_ERROR(server.get(s, "/api/v1/cases"), 401, "unauthenticated");
  CHECK_ERROR(server.send(s, "POST", "/api/v1/intakes", {{"channel", "hotline"}, {"call_type", "silent"}}), 401,
              "unauthenticated");
  // Logging out ends that session only.
  CHECK_STATUS(server.get(other, "/api/v1/session"), 200);
}

BOOST_AUTO_TEST_CASE(state_changes_without_the_csrf_token_get_403_and_change_nothing) {
  const Login s = server.login(kOperator);
  const auto id = require_open_case(server, s);
  const Json before = require_case(server, s, id);
  const Json patch = {{"version", before.at("version")}, {"summary", "不应被保存"}};

  CHECK_ERROR(server.send(s, "PATCH", case_path(id), patch, /*csrf=*/false), 403, "forbidden");
  Login wrong = s;
  wrong.csrf = std::string(64, '0');
  CHECK_ERROR(server.send(wrong, "PATCH", case_path(id), patch), 403, "forbidden");
  // The session cookie's own value is not a CSRF token either.
  wrong.csrf = s.token;
  CHECK_ERROR(server.send(wrong, "PATCH", case_path(id), patch), 403, "forbidden");
  CHECK_ERROR(server.send(s, "POST", "/api/v1/intakes", {{"channel", "hotline"}, {"call_type", "silent"}}, false), 403,
              "forbidden");
  CHECK_ERROR(server.send(s, "POST", case_path(id, "/notes"), {{"text", "x"}}, false), 403, "forbidden");
  CHECK_ERROR(server.request("DELETE", "/api/v1/session", {}, {{"Cookie", "hl_session=" + s.token}}), 403, "forbidden");

  const Json after = require_case(server, s, id);
  BOOST_TEST(after.at("summary") == before.at("summary"));
  BOOST_TEST(after.at("version") == before.at("version"));
  CHECK_STATUS(server.get(s, "/api/v1/session"), 200);  // the refused DELETE did not log out
  // With the header the same PATCH goes through.
  CHECK_STATUS(server.send(s, "PATCH", case_path(id), patch), 200);
}

BOOST_AUTO_TEST_CASE(disabling_a_user_ends_their_session_and_they_cannot_log_in) {
  const Login admin = server.login(kAdmin);
  const Login op2 = server.login(kOperator2);
  CHECK_STATUS(server.get(op2, "/api/v1/session"), 200);
  const auto id = user_id_by_name(server, admin, "operator2");

  auto r = server.send(admin, "PATCH", "/api/v1/users/" + std::to_string(id), {{"disabled", true}});
  REQUIRE_STATUS(r, 200);
  BOOST_TEST(body_json(r).at("disabled") == true);

  CHECK_ERROR(server.get(op2, "/api/v1/session"), 401, "unauthenticated");
  CHECK_ERROR(server.get(op2, "/api/v1/cases"), 401, "unauthenticated");
  auto again = server.login_raw(kOperator2.username, kOperator2.password);
  CHECK_ERROR(again, 401, "unauthenticated");
  // Indistinguishable from a wrong password.
  BOOST_TEST(body_json(again) == body_json(server.login_raw("nobody-here", "x-password-x")));
  // The administrator's own session is untouched.
  CHECK_STATUS(server.get(admin, "/api/v1/session"), 200);

  // Enabled again, the user can log in.
  CHECK_STATUS(change_grants(server, id, {{"disabled", false}}), 200);
  BOOST_CHECK_NO_THROW(server.login(kOperator2));
}

BOOST_AUTO_TEST_CASE(api_answers_are_not_cached) {
  const Login s = server.login(kOperator);
  const auto id = require_open_case(server, s, "13800138000");
  const std::vector<std::string> targets = {case_path(id), "/api/v1/cases", case_path(id, "/timeline"), "/api/v1/session",
                                            "/api/v1/callers/lookup?phone=13800138000", case_path(99999999)};
  for (const auto& target : targets) {
    BOOST_TEST_CONTEXT(target) {
      auto r = server.get(s, target);
      BOOST_TEST(r.header("cache-control").find("no-store") != std::string::npos);
    }
  }
  BOOST_TEST(server.request("GET", "/api/v1/cases").header("cache-control").find("no-store") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(sessions_across_a_restart, Restartable)

BOOST_AUTO_TEST_CASE(a_restart_keeps_everyone_logged_in_with_the_same_csrf_token) {
  const Login op = server->login(kOperator);
  const Login sup = server->login(kSupervisor);
  const Json before = body_json(server->get(op, "/api/v1/session"));
  stop();
  // Only the token's keyed hash and the CSRF token encrypted are stored.
  const std::string bytes = database_bytes();
  BOOST_REQUIRE(bytes.find("supervisor") != std::string::npos);  // the scan does see the data
  for (const auto& secret : {op.token, op.csrf, sup.token, sup.csrf}) {
    BOOST_TEST(bytes.find(secret) == std::string::npos);
    BOOST_TEST(bytes.find(unhex(secret)) == std::string::npos);
  }
  start();

  auto r = server->get(op, "/api/v1/session");
  REQUIRE_STATUS(r, 200);
  const Json after = body_json(r);
  BOOST_TEST(after.at("csrf_token") == op.csrf);
  BOOST_TEST(after == before);  // the same user, office, idle timeout and absolute expiry
  CHECK_STATUS(server->get(sup, "/api/v1/session"), 200);
  // The old cookie and CSRF token change state as before; the cookie alone still does not.
  CHECK_STATUS(server->send(op, "POST", "/api/v1/intakes", kSilentCall), 201);
  CHECK_ERROR(server->send(op, "POST", "/api/v1/intakes", kSilentCall, /*csrf=*/false), 403, "forbidden");

  // A logout after the restart holds across the next one.
  CHECK_STATUS(server->del(op, "/api/v1/session"), 204);
  CHECK_ERROR(server->get(op, "/api/v1/session"), 401, "unauthenticated");
  restart();
  CHECK_ERROR(server->get(op, "/api/v1/session"), 401, "unauthenticated");
  CHECK_STATUS(server->get(sup, "/api/v1/session"), 200);
}

BOOST_AUTO_TEST_CASE(logout_and_disabling_before_a_restart_stay_in_force_after_it) {
  const Login admin = server->login(kAdmin);
  const Login gone = server->login(kOperator);
  const Login op2 = server->login(kOperator2);
  CHECK_STATUS(server->del(gone, "/api/v1/session"), 204);
  const auto id = user_id_by_name(*server, admin, "operator2");
  const std::string user = "/api/v1/users/" + std::to_string(id);
  REQUIRE_STATUS(server->send(admin, "PATCH", user, {{"disabled", true}}), 200);
  CHECK_ERROR(server->get(op2, "/api/v1/session"), 401, "unauthenticated");

  restart();
  CHECK_ERROR(server->get(gone, "/api/v1/session"), 401, "unauthenticated");
  CHECK_ERROR(server->get(gone, "/api/v1/cases"), 401, "unauthenticated");
  CHECK_ERROR(server->get(op2, "/api/v1/session"), 401, "unauthenticated");
  CHECK_ERROR(server->login_raw(kOperator2.username, kOperator2.password), 401, "unauthenticated");
  // Enabled again, the user logs in anew; the session the disabling ended stays ended.
  REQUIRE_STATUS(change_grants(*server, id, {{"disabled", false}}), 200);
  CHECK_ERROR(server->get(op2, "/api/v1/session"), 401, "unauthenticated");
  BOOST_CHECK_NO_THROW(server->login(kOperator2));
  restart();  // an enabled account's old session is not in the database to come back from
  CHECK_ERROR(server->get(op2, "/api/v1/session"), 401, "unauthenticated");
  CHECK_STATUS(server->get(admin, "/api/v1/session"), 200);
}

BOOST_AUTO_TEST_CASE(idle_time_counts_across_a_restart) {
  const Login busy = server->login(kOperator);
  const Login idle = server->login(kSupervisor);
  server->advance_clock(20 * kMinute);
  CHECK_STATUS(server->get(busy, "/api/v1/session"), 200);
  // The new server starts 29 min later: 49 min after both logins, 29 min after busy's last request.
  restart(29 * kMinute);
  CHECK_STATUS(server->get(busy, "/api/v1/session"), 200);
  CHECK_ERROR(server->get(idle, "/api/v1/session"), 401, "unauthenticated");
  CHECK_ERROR(server->send(idle, "POST", "/api/v1/intakes", kSilentCall), 401, "unauthenticated");
  server->advance_clock(31 * kMinute);
  CHECK_ERROR(server->get(busy, "/api/v1/session"), 401, "unauthenticated");
}

BOOST_AUTO_TEST_CASE(a_lockout_survives_a_restart_for_real_and_unknown_usernames) {
  for (int i = 1; i <= 5; ++i) {
    BOOST_TEST_CONTEXT("failed attempt " << i) {
      const auto real = server->login_raw("operator2", "wrong-" + std::to_string(i));
      const auto unknown = server->login_raw("no-such-operator", "wrong-" + std::to_string(i));
      BOOST_CHECK_MESSAGE(real.status == 401 || real.status == 429, describe(real));
      BOOST_TEST(unknown.status == real.status);
    }
  }
  CHECK_ERROR(server->login_raw(kOperator2.username, kOperator2.password), 429, "rate_limited");

  restart();
  auto locked = server->login_raw(kOperator2.username, kOperator2.password);
  CHECK_ERROR(locked, 429, "rate_limited");
  BOOST_TEST(!locked.has_header("set-cookie"));
  const std::string retry = locked.header("retry-after");
  BOOST_TEST_INFO("Retry-After: " << retry);
  BOOST_REQUIRE(!retry.empty());
  BOOST_TEST(std::stoi(retry) <= 30);
  // Unknown names stay locked too: a restart must not tell them from real ones.
  CHECK_ERROR(server->login_raw("no-such-operator", "anything"), 429, "rate_limited");
  CHECK_ERROR(server->login_raw("No-Such-Operator", "anything"), 429, "rate_limited");
  BOOST_CHECK_NO_THROW(server->login(kOperator));  // another account is not affected
  // The lock runs out on its own time.
  server->advance_clock(31'000);
  BOOST_CHECK_NO_THROW(server->login(kOperator2));
}

BOOST_AUTO_TEST_SUITE_END()
