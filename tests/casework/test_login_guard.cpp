// The login lockout, on a fake clock: five free failures, then 30 s doubling with each further
// failure up to 15 minutes, expiry when the lock runs out, a success clearing the count; an unknown
// username locked exactly like a real one; a disabled account never let in; the counts stored, so a
// new LoginGuard (a restarted server) keeps every lock.
#include <boost/test/unit_test.hpp>

#include <array>
#include <string>

#include "casework/login_guard.hpp"
#include "fixture.hpp"

using namespace hl;
using casework::LoginGuard;

namespace {

constexpr TimeMs kSecond = 1000;

struct LoginFixture : hl::test::CaseworkFixture {
  crypto::PasswordHasher hasher{2};
  crypto::KeyedHash name_hash{std::array<unsigned char, 32>{1, 2, 3}};
  LoginGuard guard{clock, hasher, name_hash};

  LoginFixture() {
    auto u = casework::UserRepository::create(
        conn, {"lin", "林接线员", "operator", county.id, std::nullopt, hasher.hash("right-password-2026")}, clock.now_ms());
    BOOST_REQUIRE(u.has_value());
  }

  LoginGuard::Outcome attempt(const std::string& username, const std::string& password) {
    return guard.settle(conn, guard.check(conn, username, password), username);
  }
  // A wrong password for a name that does not exist, without the (slow) password check.
  LoginGuard::Outcome unknown_failure(LoginGuard& g, const std::string& username) {
    return g.settle(conn, LoginGuard::Check{}, username);
  }
  std::int64_t count(const std::string& sql) {
    auto st = conn.prepare(sql);
    return st.step() ? st.int64(0) : -1;
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

BOOST_AUTO_TEST_CASE(every_lock_survives_a_restart) {
  for (int i = 1; i <= 5; ++i) {
    attempt("lin", "wrong");
    unknown_failure(guard, "no-such-user");
  }
  LoginGuard restarted{clock, hasher, name_hash};  // a new server on the same database
  auto real = restarted.settle(conn, restarted.check(conn, "lin", "right-password-2026"), "lin");
  BOOST_TEST((real.result == LoginGuard::Result::locked));
  BOOST_TEST(real.retry_after_ms == 30 * kSecond);
  auto unknown = unknown_failure(restarted, "no-such-user");
  BOOST_TEST((unknown.result == LoginGuard::Result::locked));
  BOOST_TEST(unknown.retry_after_ms == 30 * kSecond);
  // The count goes on from where it was: the next failure after the lock doubles it.
  clock.advance_ms(30 * kSecond);
  BOOST_TEST(unknown_failure(restarted, "no-such-user").retry_after_ms == 60 * kSecond);
}

BOOST_AUTO_TEST_CASE(unknown_names_count_without_case_and_are_stored_only_as_keyed_hashes) {
  // As "LIN" and "lin" are one real account, "Nobody" and "nobody" are one count.
  for (const char* name : {"Nobody", "NOBODY", "nobody", "noBody"}) BOOST_TEST(unknown_failure(guard, name).retry_after_ms == 0);
  BOOST_TEST(unknown_failure(guard, "nObOdY").retry_after_ms == 30 * kSecond);
  BOOST_TEST(count("SELECT count(*) FROM login_throttle") == 1);
  auto st = conn.prepare("SELECT name_hash FROM login_throttle");
  BOOST_REQUIRE(st.step());
  const std::string stored = st.blob(0);
  BOOST_TEST(stored.size() == 32u);
  BOOST_TEST(stored.find("obody") == std::string::npos);
  BOOST_TEST(stored != name_hash.digest("nobody"));  // domain-separated from other fingerprints of the key
}

BOOST_AUTO_TEST_CASE(the_unknown_name_table_stays_bounded) {
  const TimeMs now = clock.now_ms();
  conn.exec("BEGIN");
  auto insert = conn.prepare("INSERT INTO login_throttle (name_hash, failures, locked_until, last_seen) VALUES (?1, 1, ?2, ?3)");
  const auto max = static_cast<std::int64_t>(casework::UnknownUserThrottle::kMaxEntries);
  for (std::int64_t i = 0; i < max; ++i) {
    insert.reset();
    // Oldest first; the 100 oldest were last tried over an hour ago (one of them still locked).
    const TimeMs seen = i < 100 ? now - 2 * 60 * 60'000 + i : now - max + i;
    insert.bind_blob(1, "name-" + std::to_string(i)).bind(2, i == 0 ? now + 60'000 : 0).bind(3, seen).run();
  }
  conn.exec("COMMIT");
  unknown_failure(guard, "a-new-name");
  BOOST_TEST(count("SELECT count(*) FROM login_throttle") <= max);
  // The forgotten ones went, but not a name still locked.
  BOOST_TEST(count("SELECT count(*) FROM login_throttle WHERE last_seen < " + std::to_string(now - 60 * 60'000)) == 1);
  // Full of recent names: the least recently tried makes room for the new one.
  conn.exec("BEGIN");
  for (std::int64_t i = 0; i < 200; ++i) {
    insert.reset();
    insert.bind_blob(1, "more-" + std::to_string(i)).bind(2, 0).bind(3, now - 1).run();
  }
  conn.exec("COMMIT");
  BOOST_REQUIRE(count("SELECT count(*) FROM login_throttle") > max);
  unknown_failure(guard, "yet-another-name");
  const std::string unlocked = "SELECT count(*) FROM login_throttle WHERE locked_until <= " + std::to_string(now);
  BOOST_TEST(count(unlocked) <= max);
  BOOST_TEST(count(unlocked) >= max - 1);
  // The least recently tried went; the locked name stayed, however old.
  auto gone = conn.prepare("SELECT count(*) FROM login_throttle WHERE name_hash IN (?1, ?2)");
  gone.bind_blob(1, "name-150").bind_blob(2, "name-0");
  BOOST_REQUIRE(gone.step());
  BOOST_TEST(gone.int64(0) == 1);
  BOOST_TEST(count("SELECT count(*) FROM login_throttle WHERE locked_until > " + std::to_string(now)) == 1);
}

BOOST_AUTO_TEST_SUITE_END()
