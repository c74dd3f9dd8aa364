// The password rules (casework/password_policy.hpp; issue #16 finding 14).
#include <boost/test/unit_test.hpp>
#include <string>

#include "casework/demo_seed.hpp"
#include "casework/password_policy.hpp"
#include "casework/schema_setup.hpp"
#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "support/temp_dir.hpp"

using hl::casework::is_common_password;
using hl::casework::password_problem;

BOOST_AUTO_TEST_SUITE(password_policy)

BOOST_AUTO_TEST_CASE(length_is_counted_in_characters_not_bytes) {
  BOOST_TEST(password_problem("u", "abcde-fghij") == "at least 12 characters");  // 11
  BOOST_TEST(password_problem("u", "abcde-fghijk") == "");                         // 12
  BOOST_TEST(password_problem("u", "我的密码是郴州永兴桂阳八") == "");          // 12 characters, 36 bytes
  BOOST_TEST(password_problem("u", "我的密码是郴州永兴桂阳") == "at least 12 characters");
  BOOST_TEST(password_problem("u", std::string(1025, 'x') + "y") == "at most 1024 bytes");
}

BOOST_AUTO_TEST_CASE(one_repeated_character_is_refused) {
  BOOST_TEST(password_problem("u", std::string(12, 'a')) == "must not be one character repeated");
  BOOST_TEST(password_problem("u", std::string(40, '1')) == "must not be one character repeated");
  BOOST_TEST(password_problem("u", "密密密密密密密密密密密密") == "must not be one character repeated");
  BOOST_TEST(password_problem("u", std::string(11, 'a') + "b") == "");
}

BOOST_AUTO_TEST_CASE(the_username_may_not_be_in_it_whatever_the_case) {
  BOOST_TEST(password_problem("operator", "operator-demo-2026") == "must not contain the username");
  BOOST_TEST(password_problem("Operator", "my-OPERATOR-pass") == "must not contain the username");
  BOOST_TEST(password_problem("zhangli", "zhangli") == "at least 12 characters");
  BOOST_TEST(password_problem("zhangli1990x", "zhangli1990x") == "must not contain the username");
  BOOST_TEST(password_problem("operator", "yongxing-demo-2026") == "");
}

BOOST_AUTO_TEST_CASE(common_passwords_are_refused_without_case) {
  for (const char* p : {"password1234", "PASSWORD1234", "1qaz2wsx3edc", "woaini1314520", "123456789012", "qwertyuiop123",
                        "iloveyou1234", "weiquan123456", "12338weiquan"}) {
    BOOST_TEST_CONTEXT(p) {
      BOOST_TEST(is_common_password(p));
      BOOST_TEST(password_problem("someone", p).starts_with("too common"));
    }
  }
  BOOST_TEST(!is_common_password("yongxing-demo-2026"));
  BOOST_TEST(!is_common_password("# Common passwords of 12 or more characters, lower-case; see scripts/gen-common-passwords.py."));
}

BOOST_AUTO_TEST_CASE(every_demo_password_passes_the_rules) {
  hl::test::TempDir dir;
  auto conn = hl::db::Connection::open(dir.file("seed.db"));
  BOOST_REQUIRE(hl::casework::migrate_database(conn).has_value());
  hl::SystemClock clock;
  auto seeded = hl::casework::seed_demo(conn, clock, 0, [](std::string_view p) { return std::string(p); });
  BOOST_REQUIRE(seeded.has_value());
  BOOST_REQUIRE(!seeded->logins.empty());
  for (const auto& login : seeded->logins)
    BOOST_TEST_CONTEXT(login.username) { BOOST_TEST(password_problem(login.username, login.password) == ""); }
}

BOOST_AUTO_TEST_SUITE_END()
