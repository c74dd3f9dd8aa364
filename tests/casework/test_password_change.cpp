// Changing one's own password (casework/password_change.hpp, password_history.hpp) and the expiry
// arithmetic (password_policy.hpp): issue #16, "Password policy". On a fake clock, with the real
// Argon2id hasher (the history compares by verifying hashes, so nothing cheaper would test it).
#include <boost/test/unit_test.hpp>

#include <array>
#include <string>

#include "casework/password_change.hpp"
#include "casework/password_history.hpp"
#include "casework/password_policy.hpp"
#include "fixture.hpp"

using namespace hl;
using casework::LoginGuard;
using casework::PasswordChange;

namespace {

constexpr TimeMs kDay = 24LL * 3600 * 1000;

struct ChangeFixture : hl::test::CaseworkFixture {
  crypto::PasswordHasher hasher{2};
  crypto::KeyedHash name_hash{std::array<unsigned char, 32>{4, 5, 6}};
  LoginGuard guard{clock, hasher, name_hash};
  PasswordChange changes{clock, hasher, guard};
  std::int64_t id = 0;

  ChangeFixture() {
    auto u = casework::UserRepository::create(
        conn, {"lin", "林接线员", "operator", county.id, std::nullopt, hasher.hash("first-password-2026"), true},
        clock.now_ms());
    BOOST_REQUIRE(u.has_value());
    id = u->id;
  }
  PasswordChange::Outcome change(const std::string& current, const std::string& wanted) {
    clock.advance_ms(1000);
    return changes.settle(conn, changes.check(conn, "lin", current, wanted), "lin");
  }
  casework::User user() { return *casework::UserRepository::get(conn, id); }
};

std::string nth(int i) { return "kept-secret-number-" + std::to_string(i); }

}  // namespace

BOOST_FIXTURE_TEST_SUITE(password_change, ChangeFixture)

BOOST_AUTO_TEST_CASE(a_change_stores_the_new_hash_clears_must_change_and_dates_it) {
  BOOST_TEST(user().must_change_password);
  const auto before = user();
  auto o = change("first-password-2026", nth(1));
  BOOST_TEST(!o.error.has_value());
  const auto after = user();
  BOOST_TEST(!after.must_change_password);
  BOOST_TEST(after.password_changed_at == clock.now_ms());
  BOOST_TEST(after.password_hash != before.password_hash);
  BOOST_TEST(hasher.verify(after.password_hash, nth(1)));
  BOOST_TEST(after.password_hash.find(nth(1)) == std::string::npos);  // a hash, not the password
}

BOOST_AUTO_TEST_CASE(a_wrong_current_password_changes_nothing_and_counts_as_a_failed_login) {
  auto o = change("not-the-password", nth(1));
  BOOST_REQUIRE(o.error.has_value());
  BOOST_TEST((o.error->code == Errc::invalid_input));
  BOOST_TEST(o.error->fields.at("current_password") == "wrong password");
  BOOST_TEST(user().failed_logins == 1);
  BOOST_TEST(hasher.verify(user().password_hash, "first-password-2026"));
  for (int i = 0; i < 4; ++i) o = change("not-the-password", nth(1));
  BOOST_REQUIRE(o.error.has_value());
  BOOST_TEST((o.error->code == Errc::rate_limited));  // the fifth failure locks, as at login
  // Locked: even the right current password is refused now.
  o = change("first-password-2026", nth(1));
  BOOST_TEST((o.error && o.error->code == Errc::rate_limited));
}

BOOST_AUTO_TEST_CASE(the_last_five_are_refused_and_the_sixth_oldest_may_come_back) {
  // first-password-2026 (P0), then P1..P5: the history holds P1..P5.
  std::string current = "first-password-2026";
  for (int i = 1; i <= 5; ++i) {
    auto o = change(current, nth(i));
    BOOST_REQUIRE_MESSAGE(!o.error, "change " << i);
    current = nth(i);
  }
  BOOST_TEST(casework::PasswordHistory::hashes(conn, id).size() == 5u);
  for (int i = 1; i <= 5; ++i) {
    auto o = change(current, nth(i));
    BOOST_REQUIRE_MESSAGE(o.error.has_value(), "P" << i << " is among the last 5");
    BOOST_TEST(o.error->fields.at("new_password") == casework::kReusedPassword);
  }
  BOOST_TEST(hasher.verify(user().password_hash, nth(5)));
  auto o = change(current, "first-password-2026");  // the sixth-oldest
  BOOST_TEST(!o.error.has_value());
  BOOST_TEST(casework::PasswordHistory::hashes(conn, id).size() == 5u);  // older rows purged
}

BOOST_AUTO_TEST_CASE(the_current_password_counts_even_without_history_rows) {
  conn.exec("DELETE FROM password_history");  // an account made before the history existed
  auto o = change("first-password-2026", "first-password-2026");
  BOOST_REQUIRE(o.error.has_value());
  BOOST_TEST(o.error->fields.at("new_password") == casework::kReusedPassword);
}

BOOST_AUTO_TEST_CASE(the_new_password_must_pass_the_policy) {
  auto bad = PasswordChange::acceptable("lin", "lin-is-my-name-2026");
  BOOST_REQUIRE(!bad);
  BOOST_TEST(bad.error().fields.at("new_password") == "must not contain the username");
  BOOST_TEST(PasswordChange::acceptable("lin", nth(1)).has_value());
}

BOOST_AUTO_TEST_CASE(expiry_counts_whole_days_and_zero_means_never) {
  const TimeMs set = clock.now_ms();
  BOOST_TEST(!casework::password_expired(set, set + 100'000 * kDay, 0));
  BOOST_TEST(!casework::password_expired(set, set + 90 * kDay - 1, 90));
  BOOST_TEST(casework::password_expired(set, set + 90 * kDay, 90));
  BOOST_TEST(casework::password_expired(set, set + 91 * kDay, 90));
  const casework::PasswordAgeRules off{}, expiry{90, false}, first_login{0, true};
  BOOST_TEST(!casework::must_change_password(set, true, set + 1000 * kDay, off));
  BOOST_TEST(!casework::must_change_password(set, true, set + kDay, expiry));
  BOOST_TEST(casework::must_change_password(set, false, set + 90 * kDay, expiry));
  BOOST_TEST(casework::must_change_password(set, true, set, first_login));
  BOOST_TEST(!casework::must_change_password(set, false, set + 1000 * kDay, first_login));
}

BOOST_AUTO_TEST_SUITE_END()
