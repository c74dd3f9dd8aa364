// The login lockout, on a fake clock: five free failures, then 30 s doubling with each further
// failure up to 15 minutes, expiry when the lock runs out, a success clearing the count; an unknown
// username locked exactly like a real one; a disabled account never let in.
#include <boost/test/unit_test.hpp>

#include <string>

#include "casework/login_guard.hpp"
#include "fixture.hpp"

using namespace hl;
using casework::LoginGuard;

namespace {

constexpr TimeMs kSecond = 1000;

struct LoginFixture : hl::test::CaseworkFixture {
  crypto::PasswordHasher hasher{2};
  LoginGuard guard{clock, hasher};

  LoginFixture() {
    auto u = casework::UserRepository::create(
        conn, {"lin", "林接线员", "operator", county.id, std::nullopt, hasher.hash("right-password-2026")}, clock.now_ms());
    BOOST_REQUIRE(u.has_value());
  }

  LoginGuard::Outcome attempt(const std::string& username, const std::string& password) {
    return guard.settle(conn, guard.check(conn, username, password), username);
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(login_guard, LoginFixture)

BOOST_AUTO_TEST_CASE(the_lock_doubles_from_30_seconds_to_at_most_15_minutes_and_expires) {
  for (int i = 1; i <= 4; ++i) {
    auto o = attempt("lin", "wrong");
    BOOST_TEST((o.result == LoginGuard::Result::refused));
    BOOST_TEST(o.retry_after_ms == 0);  // free failures
  }
  // The fifth failure locks for 30 s; each further one (after the lock ran out) doubles it, up to 15 min.
  const TimeMs expected[] = {30, 60, 120, 240, 480, 900, 900};
  for (TimeMs seconds : expected) {
    auto o = attempt("lin", "wrong");
    BOOST_TEST((o.result == LoginGuard::Result::refused));
    BOOST_TEST(o.retry_after_ms == seconds * kSecond);
    // Locked: even the right password is refused, and the answer says how long is left.
    clock.advance_ms(seconds * kSecond - 1);
    auto locked = attempt("lin", "right-password-2026");
    BOOST_TEST((locked.result == LoginGuard::Result::locked));
    BOOST_TEST(locked.retry_after_ms == 1);
    BOOST_TEST(!locked.actor.has_value());
    clock.advance_ms(1);  // the lock has run out
  }
  // Expired: the right password gets in and clears the count.
  auto ok = attempt("lin", "right-password-2026");
  BOOST_REQUIRE((ok.result == LoginGuard::Result::accepted));
  BOOST_TEST(ok.actor.has_value());
  BOOST_TEST(ok.audit_action == "session.login");
  for (int i = 1; i <= 4; ++i) BOOST_TEST(attempt("lin", "wrong").retry_after_ms == 0);
  BOOST_TEST(attempt("lin", "wrong").retry_after_ms == 30 * kSecond);
}

BOOST_AUTO_TEST_CASE(an_unknown_username_is_locked_exactly_like_a_real_one) {
  for (int i = 1; i <= 4; ++i) {
    auto o = attempt("no-such-user", "wrong");
    BOOST_TEST((o.result == LoginGuard::Result::refused));
    BOOST_TEST(o.retry_after_ms == 0);
    BOOST_TEST(!o.user_id.has_value());
  }
  BOOST_TEST(attempt("no-such-user", "wrong").retry_after_ms == 30 * kSecond);
  auto locked = attempt("no-such-user", "wrong");
  BOOST_TEST((locked.result == LoginGuard::Result::locked));
  BOOST_TEST(locked.audit_action == "session.login_locked");
  clock.advance_ms(30 * kSecond);
  BOOST_TEST(attempt("no-such-user", "wrong").retry_after_ms == 60 * kSecond);
}

BOOST_AUTO_TEST_CASE(a_disabled_account_is_refused_with_the_right_password) {
  auto u = casework::UserRepository::by_username(conn, "lin");
  BOOST_REQUIRE(u.has_value());
  casework::UserChange disable;
  disable.disabled = true;
  BOOST_REQUIRE(casework::UserRepository::update(conn, u->id, disable).has_value());
  auto o = attempt("lin", "right-password-2026");
  BOOST_TEST((o.result == LoginGuard::Result::refused));
  BOOST_TEST(!o.actor.has_value());
  BOOST_TEST(o.audit_action == "session.login_failed");
}

BOOST_AUTO_TEST_SUITE_END()
