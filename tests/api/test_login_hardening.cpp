// Username discovery and weak passwords (issue #16, findings 7 and 14): a locked real account and an
// unknown name answer byte for byte alike and take as long (both verify a password hash); new
// passwords must be long, not one repeated character, not contain the username, not be common.
#include <boost/test/unit_test.hpp>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <utility>

#include "api/case_helpers.hpp"
#include "api/server_process.hpp"

using namespace hl::apitest;

namespace {

// The whole answer as bytes a client could compare: status, every header, body.
std::string answer_bytes(const HttpClientResponse& r) {
  std::string out = std::to_string(r.status) + "\n";
  for (const auto& [name, value] : r.headers) out += name + ": " + value + "\n";
  return out + "\n" + r.body;
}

// The server's CPU time so far, user and system, in ms (/proc/PID/stat fields 14 and 15). What a
// locked login costs the server does not grow, as its wall time does, when other processes take the
// cores (a soak run with both cores busy once measured a wall-time median ratio of 0.4).
double server_cpu_ms(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  const std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));  // from field 3: the name may hold spaces
  std::string skip;
  for (int field = 3; field < 14; ++field) fields >> skip;
  long long user = 0, system = 0;
  fields >> user >> system;
  return 1000.0 * static_cast<double>(user + system) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(login_hardening)

BOOST_AUTO_TEST_CASE(a_locked_account_and_a_locked_unknown_name_answer_alike_and_take_as_long) {
  ServerProcess server;
  const std::string real = "operator2", unknown = "no-such-clerk";
  for (int i = 1; i <= 5; ++i) {
    server.login_raw(real, "wrong-" + std::to_string(i));
    server.login_raw(unknown, "wrong-" + std::to_string(i));
  }
  // Byte for byte, Retry-After included. The two locks began a few ms apart, so a pair of answers
  // may straddle a second of Retry-After: take the next pair then (not freezing the clock keeps the
  // test off the clock file's machinery).
  HttpClientResponse locked_real, locked_unknown;
  for (int attempt = 0; attempt < 5; ++attempt) {
    locked_real = server.login_raw(real, "guiyang-demo-2026");  // even the right password
    locked_unknown = server.login_raw(unknown, "guiyang-demo-2026");
    if (answer_bytes(locked_real) == answer_bytes(locked_unknown)) break;
  }
  CHECK_ERROR(locked_real, 429, "rate_limited");
  BOOST_TEST(answer_bytes(locked_real) == answer_bytes(locked_unknown));
  // Usernames fold case like the accounts do: "No-Such-CLERK" is the same locked name.
  const auto folded = server.login_raw("No-Such-CLERK", "x");
  CHECK_ERROR(folded, 429, "rate_limited");
  BOOST_TEST(folded.body == locked_unknown.body);

  // Cost: both verify an Argon2id hash (a real account's lock alone used to answer in ~3 ms against
  // ~40 ms). The server's CPU time over three alternating batches of six locked tries of each, within
  // a factor of two: never an absolute bound, and not wall time, which the machine's load decides.
  double real_cpu = 0, unknown_cpu = 0;
  for (int round = 0; round < 3; ++round) {
    for (const auto& [name, total] : {std::pair{real, &real_cpu}, std::pair{unknown, &unknown_cpu}}) {
      const double before = server_cpu_ms(server.pid());
      for (int i = 0; i < 6; ++i) BOOST_TEST(server.login_raw(name, "guess-" + std::to_string(i)).status == 429u);
      *total += server_cpu_ms(server.pid()) - before;
    }
  }
  const double ratio = real_cpu / unknown_cpu;
  BOOST_TEST_MESSAGE("locked logins, server CPU for 18 each: real " << real_cpu << " ms, unknown " << unknown_cpu << " ms");
  BOOST_TEST(unknown_cpu >= 18 * 5.0, "an unknown name's locked tries verify a hash: " << unknown_cpu << " ms for 18");
  BOOST_TEST(ratio >= 0.5, "real/unknown CPU ratio " << ratio);
  BOOST_TEST(ratio <= 2.0, "real/unknown CPU ratio " << ratio);
}

BOOST_AUTO_TEST_CASE(weak_passwords_are_refused_naming_the_rule) {
  ServerProcess server;
  const auto admin = server.login(kAdmin);
  const auto county = require_items(server, admin, "/api/v1/offices").at(0).at("id");
  auto create = [&](const std::string& username, const std::string& password) {
    return create_account(server,
                       {{"username", username}, {"display_name", "新用户"}, {"password", password}, {"role", "operator"},
                        {"office_id", county}});
  };
  const std::pair<const char*, const char*> refused[] = {
      {"eleven-char", "at least 12 characters"},                    // 11
      {"aaaaaaaaaaaaaaaa", "must not be one character repeated"},  // the finding: 10+ identical characters
      {"密密密密密密密密密密密密", "must not be one character repeated"},
      {"xNewClerk-2026-spring", "must not contain the username"},  // case does not matter
      {"Password1234", "too common"},
      {"woaini1314520", "too common"},
      {"qwertyuiop123", "too common"},
  };
  for (const auto& [password, rule] : refused) {
    BOOST_TEST_CONTEXT(password) {
      auto r = create("newclerk", password);
      CHECK_ERROR(r, 422, "validation_failed");
      CHECK_NAMES_FIELD(r, "password");
      BOOST_TEST(body_json(r).at("error").at("fields").value("password", "").starts_with(rule), r.body);
      BOOST_TEST(server.login_raw("newclerk", password).status != 200u);  // 401, then 429 once locked
    }
  }
  REQUIRE_STATUS(create("newclerk", "郴州-night-desk-7"), 201);
  BOOST_CHECK_NO_THROW(server.login("newclerk", "郴州-night-desk-7"));

  // The command line applies the same rules.
  auto cli = run_hotline({"user", "add", "--db", server.db_path(), "--username", "cliuser", "--role", "operator", "--office",
                          "431023", "--password-stdin"},
                         "aaaaaaaaaaaaaaaa\n");
  BOOST_TEST(cli.exit_code == 2);
  BOOST_TEST(cli.err.find("one character repeated") != std::string::npos, cli.err);
}

BOOST_AUTO_TEST_SUITE_END()
