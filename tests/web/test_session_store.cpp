#include <boost/test/unit_test.hpp>

#include "core/crypto/keyed_hash.hpp"
#include "web/auth/session_store.hpp"

using namespace hl;
using namespace hl::web;

namespace {
constexpr TimeMs kMinute = 60'000;
std::array<unsigned char, 32> key() {
  std::array<unsigned char, 32> k{};
  k.fill(7);
  return k;
}
casework::Actor actor(std::int64_t id) { return {id, casework::Role::operator_, 3, "/1/3/", std::nullopt}; }
}  // namespace

BOOST_AUTO_TEST_SUITE(session_store)

BOOST_AUTO_TEST_CASE(a_new_session_is_found_by_its_token_only) {
  FakeClock clock(1'000'000);
  crypto::KeyedHash hash(key());
  SessionStore store(clock, hash, 30 * kMinute, 12 * 60 * kMinute);
  auto s = store.create(actor(1), "op", "接线员");
  BOOST_TEST(s.token.size() == 64u);
  BOOST_TEST(s.session.csrf_token.size() == 64u);
  BOOST_TEST(s.token != s.session.csrf_token);
  auto found = store.find(s.token);
  BOOST_REQUIRE(found.has_value());
  BOOST_TEST(found->actor.user_id == 1);
  BOOST_TEST(!store.find(s.session.csrf_token).has_value());
  BOOST_TEST(!store.find("").has_value());
  BOOST_TEST(!store.find(std::string(64, '0')).has_value());
}

BOOST_AUTO_TEST_CASE(idle_timeout_is_reset_by_use_and_ends_the_session_after_30_minutes) {
  FakeClock clock(1'000'000);
  crypto::KeyedHash hash(key());
  SessionStore store(clock, hash, 30 * kMinute, 12 * 60 * kMinute);
  auto s = store.create(actor(1), "op", "接线员");
  clock.advance_ms(29 * kMinute);
  BOOST_TEST(store.find(s.token).has_value());  // touches it
  clock.advance_ms(29 * kMinute);
  BOOST_TEST(store.find(s.token).has_value());
  clock.advance_ms(30 * kMinute);
  BOOST_TEST(!store.find(s.token).has_value());
  BOOST_TEST(store.size() == 0u);
}

BOOST_AUTO_TEST_CASE(absolute_timeout_ends_even_a_busy_session_after_12_hours) {
  FakeClock clock(1'000'000);
  crypto::KeyedHash hash(key());
  SessionStore store(clock, hash, 30 * kMinute, 12 * 60 * kMinute);
  auto s = store.create(actor(1), "op", "接线员");
  for (int i = 0; i < 12 * 3 - 1; ++i) {
    clock.advance_ms(20 * kMinute);
    BOOST_TEST_REQUIRE(store.find(s.token).has_value());
  }
  clock.advance_ms(20 * kMinute);
  BOOST_TEST(!store.find(s.token).has_value());
}

BOOST_AUTO_TEST_CASE(revoking_a_token_or_a_user_ends_their_sessions) {
  FakeClock clock(1'000'000);
  crypto::KeyedHash hash(key());
  SessionStore store(clock, hash, 30 * kMinute, 12 * 60 * kMinute);
  auto a = store.create(actor(1), "op", "接线员");
  auto b = store.create(actor(1), "op", "接线员");  // the same user on a second desk
  auto c = store.create(actor(2), "op2", "接线员2");
  store.revoke(a.token);
  BOOST_TEST(!store.find(a.token).has_value());
  BOOST_TEST(store.find(b.token).has_value());
  store.revoke_user(1);
  BOOST_TEST(!store.find(b.token).has_value());
  BOOST_TEST(store.find(c.token).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
