// Two-step verification over HTTP (issue #16): enrolment with a QR code and a first code, ten
// recovery codes shown once; a login then needs the code (401 second_factor_required without it,
// a wrong one counted by the lockout: 429 from the fifth failure); a recovery code works once;
// turning it off needs the password and a code. With second_factor_required, a session without it
// may only enrol (403 second_factor_enrolment_required elsewhere), across a restart.
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <memory>
#include <string>

#include "api/server_process.hpp"
#include "casework/second_factor.hpp"
#include "support/temp_dir.hpp"

using namespace hl::apitest;
using hl::casework::SecondFactor;

namespace {

constexpr const char* kPath = "/api/v1/session/second-factor";

// The code her app shows now, on the server's clock.
std::string code_now(const ServerProcess& server, const std::string& secret) {
  return *SecondFactor::code_at(secret, server.now_ms());
}

// Enrols `who`; returns the secret and the recovery codes. Moves the clock one step on, so the
// enrolment's code is not the one a test sends next.
std::pair<std::string, Json> enrol(ServerProcess& server, const Login& who) {
  auto begun = server.send(who, "POST", kPath, Json::object());
  REQUIRE_STATUS(begun, 201);
  const Json b = body_json(begun);
  const std::string secret = b.at("secret");
  auto done = server.send(who, "POST", std::string(kPath) + "/confirm", {{"code", code_now(server, secret)}});
  REQUIRE_STATUS(done, 200);
  server.advance_clock(30'000);
  return {secret, body_json(done).at("recovery_codes")};
}

std::string config_file(hl::test::TempDir& dir, const std::string& settings) {
  std::ofstream(dir.file("hotline.json")) << settings;
  return dir.file("hotline.json");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(second_factor)

BOOST_AUTO_TEST_CASE(enrolment_then_every_login_needs_a_code) {
  ServerProcess server;
  const Login op = server.login(kOperator);
  auto state = server.get(op, kPath);
  REQUIRE_STATUS(state, 200);
  BOOST_TEST(body_json(state) == (Json{{"enabled", false}, {"required", false}, {"recovery_codes_left", 0}}));

  auto begun = server.send(op, "POST", kPath, Json::object());
  REQUIRE_STATUS(begun, 201);
  const Json b = body_json(begun);
  const std::string secret = b.at("secret");
  BOOST_TEST(b.at("otpauth_uri").get<std::string>().starts_with("otpauth://totp/Weiquan:" + std::string(kOperator.username) + "?secret=" + secret));
  BOOST_TEST(b.at("qr_svg").get<std::string>().starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  // Without the CSRF header: refused like any state change.
  CHECK_ERROR(server.send(op, "POST", kPath, Json::object(), false), 403, "forbidden");
  // A wrong first code leaves it off.
  auto wrong = server.send(op, "POST", std::string(kPath) + "/confirm", {{"code", "000000"}});
  CHECK_ERROR(wrong, 422, "validation_failed");
  CHECK_NAMES_FIELD(wrong, "code");
  CHECK_ERROR(server.send(op, "POST", std::string(kPath) + "/confirm", {{"code", 123456}}), 400, "bad_request");
  auto done = server.send(op, "POST", std::string(kPath) + "/confirm", {{"code", code_now(server, secret)}});
  REQUIRE_STATUS(done, 200);
  const Json recovery = body_json(done).at("recovery_codes");
  BOOST_TEST(recovery.size() == 10u);
  BOOST_TEST(body_json(server.get(op, kPath)).at("enabled") == true);
  CHECK_ERROR(server.send(op, "POST", kPath, Json::object()), 409, "conflict");
  server.advance_clock(30'000);

  // The password alone is not enough; the code is.
  auto asked = server.login_raw(kOperator.username, kOperator.password);
  CHECK_ERROR(asked, 401, "second_factor_required");
  BOOST_TEST(asked.header("set-cookie").empty());
  const std::string code = code_now(server, secret);
  const Login in = server.login(kOperator.username, kOperator.password, code);
  CHECK_STATUS(server.get(in, "/api/v1/cases"), 200);
  // The same code again (read over her shoulder) is refused. The very code sent, not code_now() again:
  // the clock runs, and a 30-second step may begin in between (the soak caught a new, valid code).
  CHECK_ERROR(server.login_raw(kOperator.username, kOperator.password, code), 401, "unauthenticated");
  // A recovery code, once.
  const std::string rc = recovery[0];
  CHECK_STATUS(server.login_raw(kOperator.username, kOperator.password, rc), 200);
  CHECK_ERROR(server.login_raw(kOperator.username, kOperator.password, rc), 401, "unauthenticated");
  BOOST_TEST(body_json(server.get(in, kPath)).at("recovery_codes_left") == 9);
  // The secret is not in the database file as text.
  std::ifstream db(server.db_path(), std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(db)), std::istreambuf_iterator<char>());
  BOOST_TEST(bytes.find(secret) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(wrong_codes_lock_the_account_like_wrong_passwords) {
  ServerProcess server;
  const Login op = server.login(kOperator);
  const auto [secret, recovery] = enrol(server, op);
  for (int i = 1; i <= 4; ++i)
    CHECK_ERROR(server.login_raw(kOperator.username, kOperator.password, "000000"), 401, "unauthenticated");
  auto fifth = server.login_raw(kOperator.username, kOperator.password, "111111");
  CHECK_ERROR(fifth, 429, "rate_limited");
  BOOST_TEST(fifth.header("retry-after") == "30");
  // Locked: even the right code waits.
  CHECK_ERROR(server.login_raw(kOperator.username, kOperator.password, code_now(server, secret)), 429, "rate_limited");
  server.advance_clock(31'000);
  CHECK_STATUS(server.login_raw(kOperator.username, kOperator.password, code_now(server, secret)), 200);
}

BOOST_AUTO_TEST_CASE(turning_it_off_needs_the_password_and_a_code) {
  ServerProcess server;
  const Login op = server.login(kOperator);
  const auto [secret, recovery] = enrol(server, op);
  const Login in = server.login(kOperator.username, kOperator.password, code_now(server, secret));
  server.advance_clock(30'000);
  auto wrong = server.send(in, "DELETE", kPath, {{"password", kOperator.password}, {"code", "000000"}});
  CHECK_ERROR(wrong, 422, "validation_failed");
  CHECK_NAMES_FIELD(wrong, "code");
  CHECK_ERROR(server.send(in, "DELETE", kPath, {{"password", "not-her-password"}, {"code", code_now(server, secret)}}),
              422, "validation_failed");
  CHECK_STATUS(server.send(in, "DELETE", kPath, {{"password", kOperator.password}, {"code", code_now(server, secret)}}), 204);
  BOOST_TEST(body_json(server.get(in, kPath)).at("enabled") == false);
  CHECK_STATUS(server.login_raw(kOperator.username, kOperator.password), 200);
  CHECK_ERROR(server.send(in, "DELETE", kPath, {{"password", kOperator.password}, {"code", "123456"}}), 409, "conflict");
}

BOOST_AUTO_TEST_CASE(when_required_a_session_may_only_enrol_until_it_has_and_a_restart_keeps_that) {
  hl::test::TempDir data, conf;
  const std::string settings = config_file(conf, R"({"second_factor_required": true})");
  auto first = std::make_unique<ServerProcess>(ServerOptions{.db_dir = data.path().string(), .config_file = settings});
  const Login sup = first->login(kSupervisor);
  BOOST_TEST(body_json(first->get(sup, "/api/v1/session")).at("must_enrol_second_factor") == true);
  CHECK_ERROR(first->get(sup, "/api/v1/cases"), 403, "second_factor_enrolment_required");
  CHECK_ERROR(first->get(sup, "/api/v1/reports?period=2026-10"), 403, "second_factor_enrolment_required");
  BOOST_TEST(body_json(first->get(sup, kPath)).at("required") == true);
  // A restart: the session is still held to enrolling.
  const auto stopped = first->now_ms();
  first->stop();
  first.reset();
  ServerProcess again(ServerOptions{.db_dir = data.path().string(), .copy_seed = false, .config_file = settings}, stopped);
  CHECK_ERROR(again.get(sup, "/api/v1/cases"), 403, "second_factor_enrolment_required");
  const auto [secret, recovery] = enrol(again, sup);
  CHECK_STATUS(again.get(sup, "/api/v1/cases"), 200);
  BOOST_TEST(body_json(again.get(sup, "/api/v1/session")).at("must_enrol_second_factor") == false);
  // Required: it cannot be turned off.
  CHECK_ERROR(again.send(sup, "DELETE", kPath, {{"password", kSupervisor.password}, {"code", code_now(again, secret)}}),
              409, "conflict");
  // The next login asks the code and is not held.
  const Login next = again.login(kSupervisor.username, kSupervisor.password, code_now(again, secret));
  CHECK_STATUS(again.get(next, "/api/v1/cases"), 200);
}

BOOST_AUTO_TEST_SUITE_END()
