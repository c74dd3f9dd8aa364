#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <fstream>

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

BOOST_AUTO_TEST_SUITE_END()
