// Two-step verification (casework/second_factor.hpp) on a fake clock: the codes are RFC 6238's
// (test vectors of its appendix B), enrolment needs a right first code and yields ten recovery
// codes, a code is accepted within one step either side and never twice, a recovery code once,
// the secret is never stored readably, and at login a wrong code counts toward the lockout.
#include <boost/test/unit_test.hpp>

#include <array>
#include <set>
#include <string>

#include "casework/login_guard.hpp"
#include "casework/second_factor.hpp"
#include "fixture.hpp"

using namespace hl;
using casework::LoginGuard;
using casework::SecondFactor;

namespace {

struct SecondFactorFixture : hl::test::CaseworkFixture {
  crypto::FieldCipher cipher{std::array<unsigned char, 32>{9, 8, 7}};
  crypto::KeyedHash code_hash{std::array<unsigned char, 32>{4, 5, 6}};
  SecondFactor second{clock, cipher, code_hash};
  crypto::PasswordHasher hasher{2};
  LoginGuard guard{clock, hasher, code_hash};
  std::int64_t user = 0;

  SecondFactorFixture() {
    auto u = casework::UserRepository::create(
        conn, {"lin", "林接线员", "operator", county.id, std::nullopt, hasher.hash("right-password-2026")}, clock.now_ms());
    BOOST_REQUIRE(u.has_value());
    user = u->id;
  }

  // Enrolled and confirmed; returns the secret and the recovery codes.
  std::pair<std::string, std::vector<std::string>> enrol() {
    auto e = second.begin(conn, user, "lin", "Weiquan");
    BOOST_REQUIRE(e.has_value());
    auto codes = second.confirm(conn, user, *SecondFactor::code_at(e->secret_base32, clock.now_ms()));
    BOOST_REQUIRE(codes.has_value());
    return {e->secret_base32, *codes};
  }
  std::string now_code(const std::string& secret) { return *SecondFactor::code_at(secret, clock.now_ms()); }
  LoginGuard::Outcome login(const std::string& password, const std::string& code) {
    return guard.settle(conn, guard.check(conn, "lin", password), "lin", &second, code);
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(second_factor, SecondFactorFixture)

BOOST_AUTO_TEST_CASE(codes_are_rfc_6238_totp) {
  // RFC 6238 appendix B, SHA-1, secret "12345678901234567890": the last six of the eight digits.
  const std::string secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
  BOOST_TEST(*SecondFactor::code_at(secret, 59'000) == "287082");
  BOOST_TEST(*SecondFactor::code_at(secret, 1'111'111'109'000) == "081804");
  BOOST_TEST(*SecondFactor::code_at(secret, 1'234'567'890'000) == "005924");
  BOOST_TEST(*SecondFactor::code_at(secret, 2'000'000'000'000) == "279037");
  BOOST_TEST(!SecondFactor::code_at("not base32!", 0).has_value());
}

BOOST_AUTO_TEST_CASE(enrolment_needs_a_right_first_code_and_gives_ten_recovery_codes) {
  auto e = second.begin(conn, user, "lin", "Weiquan");
  BOOST_REQUIRE(e.has_value());
  BOOST_TEST(e->secret_base32.size() == 32u);  // 160 bits
  BOOST_TEST(e->otpauth_uri == "otpauth://totp/Weiquan:lin?secret=" + e->secret_base32 +
                                   "&issuer=Weiquan&algorithm=SHA1&digits=6&period=30");
  BOOST_TEST(!SecondFactor::enabled(conn, user));  // pending
  BOOST_TEST((second.verify(conn, user, "") == SecondFactor::Verdict::not_enrolled));
  auto wrong = second.confirm(conn, user, "000000");
  BOOST_REQUIRE(!wrong.has_value());
  BOOST_TEST((wrong.error().code == Errc::invalid_input));
  BOOST_TEST(wrong.error().fields.contains("code"));
  auto codes = second.confirm(conn, user, now_code(e->secret_base32));
  BOOST_REQUIRE(codes.has_value());
  BOOST_TEST(codes->size() == 10u);
  BOOST_TEST(std::set<std::string>(codes->begin(), codes->end()).size() == 10u);
  for (const auto& c : *codes) BOOST_TEST(c.size() == 11u);  // xxxxx-xxxxx
  BOOST_TEST(SecondFactor::enabled(conn, user));
  BOOST_TEST(SecondFactor::recovery_codes_left(conn, user) == 10);
  // Already on: no second enrolment over it; no second confirmation.
  BOOST_TEST((second.begin(conn, user, "lin", "Weiquan").error().code == Errc::conflict));
  BOOST_TEST((second.confirm(conn, user, "123456").error().code == Errc::conflict));
  // Neither the secret nor a recovery code is in the database as written.
  auto st = conn.prepare("SELECT secret_enc FROM user_totp WHERE user_id = ?1");
  st.bind_all(user);
  BOOST_REQUIRE(st.step());
  BOOST_TEST(st.blob(0).find(e->secret_base32) == std::string::npos);
  auto rc = conn.prepare("SELECT count(*) FROM user_recovery_codes WHERE code_hash = ?1 OR code_hash = ?2");
  rc.bind_all((*codes)[0], (*codes)[0].substr(0, 5) + (*codes)[0].substr(6));
  rc.step();
  BOOST_TEST(rc.int64(0) == 0);
}

BOOST_AUTO_TEST_CASE(a_code_counts_within_a_step_either_side_and_only_once) {
  auto [secret, recovery] = enrol();
  using V = SecondFactor::Verdict;
  BOOST_TEST((second.verify(conn, user, "") == V::missing));
  // The enrolment's own code cannot be used again.
  BOOST_TEST((second.verify(conn, user, now_code(secret)) == V::wrong));
  clock.advance_ms(30'000);
  const std::string next = now_code(secret);
  BOOST_TEST((second.verify(conn, user, next.substr(0, 3) + " " + next.substr(3)) == V::accepted));  // "123 456"
  BOOST_TEST((second.verify(conn, user, next) == V::wrong));  // replayed
  // A phone 30 s behind: the previous step's code is accepted if not used yet; two steps off is not.
  clock.advance_ms(60'000);
  BOOST_TEST((second.verify(conn, user, *SecondFactor::code_at(secret, clock.now_ms() - 30'000)) == V::accepted));
  clock.advance_ms(90'000);
  BOOST_TEST((second.verify(conn, user, *SecondFactor::code_at(secret, clock.now_ms() - 60'000)) == V::wrong));
  BOOST_TEST((second.verify(conn, user, "12345") == V::wrong));
  // A recovery code, with or without its dash, in any case, once.
  std::string upper = recovery[0];
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  BOOST_TEST((second.verify(conn, user, upper) == V::accepted));
  BOOST_TEST((second.verify(conn, user, recovery[0]) == V::wrong));
  BOOST_TEST((second.verify(conn, user, recovery[1].substr(0, 5) + recovery[1].substr(6)) == V::accepted));
  BOOST_TEST(SecondFactor::recovery_codes_left(conn, user) == 8);
  second.remove(conn, user);
  BOOST_TEST(!SecondFactor::enabled(conn, user));
  BOOST_TEST(SecondFactor::recovery_codes_left(conn, user) == 0);
}

BOOST_AUTO_TEST_CASE(at_login_a_missing_code_is_asked_and_wrong_codes_lock_like_wrong_passwords) {
  auto [secret, recovery] = enrol();
  clock.advance_ms(30'000);
  // The right password without a code: asked for it, nothing counted.
  auto asked = login("right-password-2026", "");
  BOOST_TEST((asked.result == LoginGuard::Result::second_factor_required));
  BOOST_TEST(!asked.actor.has_value());
  BOOST_TEST(asked.audit_action == "session.second_factor_required");
  // A wrong password with a right code is still a wrong password.
  BOOST_TEST((login("wrong-password", now_code(secret)).result == LoginGuard::Result::refused));
  // Wrong codes count: with the failure above, the fifth locks the account for 30 s.
  for (int i = 0; i < 3; ++i) {
    auto o = login("right-password-2026", "000000");
    BOOST_TEST((o.result == LoginGuard::Result::refused));
    BOOST_TEST(o.audit_action == "session.second_factor_failed");
    BOOST_TEST(o.retry_after_ms == 0);
  }
  auto fifth = login("right-password-2026", "111111");
  BOOST_TEST(fifth.retry_after_ms == 30'000);
  BOOST_TEST((login("right-password-2026", now_code(secret)).result == LoginGuard::Result::locked));
  clock.advance_ms(31'000);
  auto in = login("right-password-2026", now_code(secret));
  BOOST_TEST((in.result == LoginGuard::Result::accepted));
  BOOST_TEST(in.actor.has_value());
  // A recovery code logs in too.
  BOOST_TEST((login("right-password-2026", recovery[3]).result == LoginGuard::Result::accepted));
}

BOOST_AUTO_TEST_SUITE_END()
