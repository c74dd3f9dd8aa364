#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "support/temp_dir.hpp"
#include "web/app/config.hpp"

using namespace hl;
using namespace hl::web;

namespace {
Result<AppConfig> load(std::vector<const char*> argv) {
  argv.insert(argv.begin(), "hotline");
  auto args = parse_cli(static_cast<int>(argv.size()), argv.data(), {});
  BOOST_REQUIRE(args.has_value());
  return load_config(*args);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(config)

BOOST_AUTO_TEST_CASE(defaults_are_loopback_8080_and_keys_beside_the_database) {
  unsetenv("HOTLINE_DB");
  unsetenv("HOTLINE_LISTEN");
  auto c = load({"serve", "--db", "/tmp/x.db"});
  BOOST_REQUIRE(c.has_value());
  BOOST_TEST(c->address == "127.0.0.1");
  BOOST_TEST(c->port == 8080);
  BOOST_TEST(c->keys_path == "/tmp/x.db.keys");
}

BOOST_AUTO_TEST_CASE(flags_beat_environment_which_beats_the_file) {
  test::TempDir dir;
  const auto file = dir.file("hotline.json");
  std::ofstream(file) << R"({"db": "/from/file.db", "listen": "127.0.0.1:7000", "threads": 3})";
  setenv("HOTLINE_LISTEN", "127.0.0.1:7100", 1);
  auto c = load({"serve", "--config", file.c_str(), "--threads", "4"});
  unsetenv("HOTLINE_LISTEN");
  BOOST_REQUIRE(c.has_value());
  BOOST_TEST(c->db_path == "/from/file.db");
  BOOST_TEST(c->port == 7100);
  BOOST_TEST(c->threads == 4u);
}

BOOST_AUTO_TEST_CASE(every_problem_is_reported_at_once_with_a_clear_message) {
  test::TempDir dir;
  const auto file = dir.file("bad.json");
  std::ofstream(file) << R"({"session_idle_minutes": 0, "colour": "blue"})";
  auto c = load({"serve", "--config", file.c_str(), "--listen", "localhost", "--threads", "zero"});
  BOOST_REQUIRE(!c.has_value());
  const auto& f = c.error().fields;
  BOOST_TEST(f.contains("listen"));
  BOOST_TEST(f.contains("threads"));
  BOOST_TEST(f.contains("session_idle_minutes"));
  BOOST_TEST(f.contains("config.colour"));
  BOOST_TEST(c.error().message.find("ADDRESS:PORT") != std::string::npos);
  BOOST_TEST(!load({"serve", "--config", dir.file("missing.json").c_str()}).has_value());
}

// backup_every: a number of minutes or a count with m, h or d; backups are off until backup_dir is set.
BOOST_AUTO_TEST_CASE(backup_settings_take_an_interval_with_a_unit) {
  test::TempDir dir;
  const auto file = dir.file("hotline.json");
  auto with = [&](const std::string& settings) {
    std::ofstream(file) << "{" + settings + "}";
    return load({"serve", "--config", file.c_str()});
  };
  auto c = with("");
  BOOST_REQUIRE(c.has_value());
  BOOST_TEST(c->backup_dir.empty());
  BOOST_TEST(c->backup_every_minutes == 24 * 60);
  BOOST_TEST(c->backup_keep == 14);
  for (const auto& [text, minutes] : std::vector<std::pair<std::string, long long>>{
           {"90", 90}, {"\"90\"", 90}, {"\"30m\"", 30}, {"\"6h\"", 360}, {"\"1d\"", 1440}}) {
    c = with(R"("backup_dir": "/srv/backup/weiquan", "backup_keep": 30, "backup_every": )" + text);
    BOOST_REQUIRE_MESSAGE(c.has_value(), text);
    BOOST_TEST(c->backup_every_minutes == minutes, text);
    BOOST_TEST(c->backup_dir == "/srv/backup/weiquan");
    BOOST_TEST(c->backup_keep == 30);
  }
  for (const char* text : {"\"6x\"", "\"h\"", "0", "\"-5m\"", "\"32d\"", "\"1.5h\""}) {
    c = with(std::string(R"("backup_every": )") + text);
    BOOST_TEST((!c.has_value() && c.error().fields.contains("backup_every")), text);
  }
  c = with(R"("backup_keep": 0)");
  BOOST_TEST((!c.has_value() && c.error().fields.contains("backup_keep")));
}

// The call-centre systems: names and token hashes (never tokens), office ids; anything else refused.
BOOST_AUTO_TEST_CASE(telephony_systems_hold_token_hashes_and_offices) {
  test::TempDir dir;
  const std::string hash(64, 'a');
  const auto good = dir.file("good.json");
  std::ofstream(good) << R"({"telephony": [{"name": "pbx-1", "token_sha256": ")" << hash
                      << R"(", "offices": [3, 5]}, {"name": "pbx_2", "token_sha256": ")" << std::string(64, 'b') << R"("}]})";
  auto c = load({"serve", "--config", good.c_str()});
  BOOST_REQUIRE_MESSAGE(c.has_value(), (c.has_value() ? std::string() : c.error().message));
  BOOST_REQUIRE_EQUAL(c->telephony.size(), 2u);
  BOOST_TEST(c->telephony[0].name == "pbx-1");
  BOOST_TEST(c->telephony[0].token_sha256 == hash);
  BOOST_TEST((c->telephony[0].offices == std::vector<std::int64_t>{3, 5}));
  BOOST_TEST(c->telephony[1].offices.empty());

  for (const std::string& bad : std::vector<std::string>{R"({"telephony": {"name": "x"}})",
                                R"({"telephony": [{"name": "pbx", "token_sha256": "not-a-hash"}]})",
                                R"({"telephony": [{"name": "pbx", "token": "plaintext-token-0123456789abcdef"}]})",
                                R"({"telephony": [{"name": "p b x", "token_sha256": ")" + hash + R"("}]})",
                                R"({"telephony": [{"name": "pbx", "token_sha256": ")" + hash + R"(", "offices": ["x"]}]})",
                                R"({"telephony": [{"name": "pbx", "token_sha256": ")" + hash + R"("}, {"name": "pbx", "token_sha256": ")" +
                                    std::string(64, 'c') + R"("}]})"}) {
    const auto file = dir.file("bad.json");
    std::ofstream(file) << bad;
    auto refused = load({"serve", "--config", file.c_str()});
    BOOST_TEST(!refused.has_value(), bad);
    if (!refused) BOOST_TEST(refused.error().fields.contains("telephony"), bad);
  }
}

BOOST_AUTO_TEST_SUITE_END()
