// A database made with the 国密 suite (issue #16: SM4 + HMAC-SM3, core/crypto/suite.hpp), end to end
// through the real binary: `seed-demo --crypto-suite sm` writes a key file naming the suite; the
// server encrypts a caller's phone with it (not in the file as text), finds her again by the keyed
// hash, and `audit verify` checks the HMAC-SM3 chain; a backup restores and verifies; a key file of
// the other suite, or asking for the other suite, is refused.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "api/case_helpers.hpp"
#include "api/server_process.hpp"
#include "support/temp_dir.hpp"

using namespace hl::apitest;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(crypto_suite)

BOOST_AUTO_TEST_CASE(a_database_made_with_the_sm_suite_works_and_verifies) {
  hl::test::TempDir data, scratch;
  const std::string db = data.file("t.db");
  const auto seeded = run_hotline({"seed-demo", "--db", db, "--cases", "5", "--crypto-suite", "sm"});
  BOOST_REQUIRE_MESSAGE(seeded.exit_code == 0, seeded.err);
  BOOST_TEST(read_file(db + ".keys").find("\nsuite=sm\n") != std::string::npos);

  const std::string phone = "13907351234";
  {
    ServerProcess server(ServerOptions{.db_dir = data.path().string(), .copy_seed = false});
    const Login op = server.login(kOperator);
    const auto id = require_open_case(server, op, phone);
    auto found = server.get(op, "/api/v1/cases?q=" + phone);
    REQUIRE_STATUS(found, 200);
    const Json list = body_json(found);
    bool listed = false;
    for (const auto& c : list.at("items")) listed = listed || c.at("id") == id;
    BOOST_TEST(listed, "found by the phone's HMAC-SM3 fingerprint: " << found.body.substr(0, 300));
    auto shown = server.get(op, "/api/v1/cases/" + std::to_string(id));
    REQUIRE_STATUS(shown, 200);
    BOOST_TEST(shown.body.find(phone) != std::string::npos, "decrypted for the operator");
    server.stop();
  }
  for (const char* f : {"t.db", "t.db-wal"})
    if (std::filesystem::exists(data.file(f))) BOOST_TEST(read_file(data.file(f)).find(phone) == std::string::npos, f);

  const auto verified = run_hotline({"audit", "verify", "--db", db});
  BOOST_TEST(verified.exit_code == 0, verified.out << verified.err);

  // A backup restores into a fresh place and verifies there.
  const auto backed = run_hotline({"backup", scratch.file("b.db"), "--db", db});
  BOOST_REQUIRE_MESSAGE(backed.exit_code == 0, backed.err);
  std::filesystem::create_directories(scratch.file("fresh"));
  std::filesystem::copy_file(db + ".keys", scratch.file("fresh/t.db.keys"));
  const auto restored = run_hotline({"restore", scratch.file("b.db"), "--db", scratch.file("fresh/t.db")});
  BOOST_TEST(restored.exit_code == 0, restored.out << restored.err);
  BOOST_TEST(run_hotline({"audit", "verify", "--db", scratch.file("fresh/t.db")}).exit_code == 0);

  // The database keeps its suite: asking for the other one is refused…
  const auto other = run_hotline({"user", "add", "--db", db, "--username", "xin", "--role", "operator", "--office", "431023",
                                  "--crypto-suite", "sodium", "--password-stdin"},
                                 "a-long-enough-password-2027\n");
  BOOST_TEST(other.exit_code != 0);
  BOOST_TEST(other.err.find("crypto suite is sm") != std::string::npos, other.err);
  // …and so is a key file of the other suite in its place.
  std::filesystem::rename(db + ".keys", scratch.file("sm.keys"));
  const auto sodium = run_hotline({"seed-demo", "--db", scratch.file("sodium.db"), "--cases", "1"});
  BOOST_REQUIRE_MESSAGE(sodium.exit_code == 0, sodium.err);
  std::filesystem::copy_file(scratch.file("sodium.db.keys"), db + ".keys");
  std::filesystem::permissions(db + ".keys", std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  const auto wrong = run_hotline({"user", "add", "--db", db, "--username", "xin", "--role", "operator", "--office", "431023",
                                  "--password-stdin"},
                                 "a-long-enough-password-2027\n");
  BOOST_TEST(wrong.exit_code != 0);
  BOOST_TEST(wrong.err.find("database was made with sm") != std::string::npos, wrong.err);
}

BOOST_AUTO_TEST_SUITE_END()
