// Sessions on a fake clock and a real (temporary) database: lookup by token only, idle and absolute
// expiry, revocation, and what a restart keeps — a second SessionStore loading the first one's rows
// stands for the restarted server (tests/api/test_sessions.cpp restarts the real one).
#include <boost/test/unit_test.hpp>

#include <array>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>

#include "casework/office_repository.hpp"
#include "casework/schema_setup.hpp"
#include "casework/session_repository.hpp"
#include "casework/user_repository.hpp"
#include "core/crypto/field_cipher.hpp"
#include "core/crypto/keyed_hash.hpp"
#include "core/db/writer.hpp"
#include "support/temp_dir.hpp"
#include "web/auth/session_store.hpp"

using namespace hl;
using namespace hl::web;
using casework::SessionRow;

namespace {

constexpr TimeMs kSecond = 1000;
constexpr TimeMs kMinute = 60'000;

std::array<unsigned char, 32> key(unsigned char fill) {
  std::array<unsigned char, 32> k{};
  k.fill(fill);
  return k;
}

struct StoreFixture {
  test::TempDir dir;
  std::string path = dir.file("sessions.db");
  FakeClock clock{1'790'000'000'000};
  crypto::KeyedHash hash{key(7)};
  crypto::FieldCipher cipher{key(9)};
  std::optional<db::Writer> writer;
  std::int64_t op = 0, op2 = 0;
  std::unique_ptr<SessionStore> store;

  StoreFixture() {
    auto conn = db::Connection::open(path);
    BOOST_REQUIRE(casework::migrate_database(conn).has_value());
    auto office = casework::OfficeRepository::create(conn, "永兴县妇联", "990023", std::nullopt, "county", clock.now_ms());
    BOOST_REQUIRE(office.has_value());
    op = user(conn, "op", office->id);
    op2 = user(conn, "op2", office->id);
    writer.emplace(std::move(conn));
    store = fresh_store();
    BOOST_REQUIRE(store->load().has_value());
  }

  std::int64_t user(db::Connection& conn, const char* name, std::int64_t office_id) {
    auto u = casework::UserRepository::create(conn, {name, "接线员", "operator", office_id, std::nullopt, "x"}, clock.now_ms());
    BOOST_REQUIRE(u.has_value());
    return u->id;
  }

  std::unique_ptr<SessionStore> fresh_store() {
    return std::make_unique<SessionStore>(clock, hash, cipher, *writer, 30 * kMinute, 12 * 60 * kMinute);
  }

  // What the server does at a clean stop and the next start; `clean = false` is a crash (no flush).
  void restart(bool clean = true) {
    if (clean) store->flush();
    settle();
    store = fresh_store();
    BOOST_REQUIRE(store->load().has_value());
  }

  NewSession login(std::int64_t user_id) {
    auto created = writer
                       ->submit([&](db::Connection& c) -> Result<NewSession> {
                         auto actor = casework::UserRepository::actor_for(c, user_id);
                         if (!actor) return fail(Errc::not_found, "no such user");
                         return store->create(c, *actor, "op", "接线员");
                       })
                       .get();
    BOOST_REQUIRE(created.has_value());
    return *created;
  }

  // Runs `f` on the writer (no test assertions in there: it is another thread).
  template <class F>
  void write(F f) {
    auto done = writer->submit([&](db::Connection& c) -> Result<bool> {
                        f(c);
                        return true;
                      })
                    .get();
    BOOST_REQUIRE(done.has_value());
  }

  // Waits until everything find() queued on the writer is committed.
  void settle() { write([](db::Connection&) {}); }

  // Every stored row, live or not.
  std::vector<SessionRow> rows() {
    settle();
    auto read = writer
                    ->submit([&](db::Connection& c) -> Result<std::vector<SessionRow>> {
                      auto st = c.prepare("SELECT token_hash, user_id, csrf_sealed, last_seen FROM sessions");
                      std::vector<SessionRow> out;
                      while (st.step()) out.push_back({st.blob(0), st.int64(1), st.blob(2), 0, st.int64(3), 0});
                      return out;
                    })
                    .get();
    BOOST_REQUIRE(read.has_value());
    return *read;
  }

  std::optional<SessionRow> row_of(const std::string& token) {
    for (auto& r : rows())
      if (r.token_hash == hash.digest(token)) return r;
    return std::nullopt;
  }
};

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string unhex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(session_store, StoreFixture)

BOOST_AUTO_TEST_CASE(a_new_session_is_found_by_its_token_only) {
  auto s = login(op);
  BOOST_TEST(s.token.size() == 64u);
  BOOST_TEST(s.session.csrf_token.size() == 64u);
  BOOST_TEST(s.token != s.session.csrf_token);
  auto found = store->find(s.token);
  BOOST_REQUIRE(found.has_value());
  BOOST_TEST(found->actor.user_id == op);
  BOOST_TEST(found->csrf_token == s.session.csrf_token);
  BOOST_TEST(!store->find(s.session.csrf_token).has_value());
  BOOST_TEST(!store->find("").has_value());
  BOOST_TEST(!store->find(std::string(64, '0')).has_value());
}

BOOST_AUTO_TEST_CASE(idle_timeout_is_reset_by_use_and_ends_the_session_after_30_minutes) {
  auto s = login(op);
  clock.advance_ms(29 * kMinute);
  BOOST_TEST(store->find(s.token).has_value());  // touches it
  clock.advance_ms(29 * kMinute);
  BOOST_TEST(store->find(s.token).has_value());
  clock.advance_ms(30 * kMinute);
  BOOST_TEST(!store->find(s.token).has_value());
  BOOST_TEST(store->size() == 0u);
}

BOOST_AUTO_TEST_CASE(absolute_timeout_ends_even_a_busy_session_after_12_hours) {
  auto s = login(op);
  for (int i = 0; i < 12 * 3 - 1; ++i) {
    clock.advance_ms(20 * kMinute);
    BOOST_TEST_REQUIRE(store->find(s.token).has_value());
  }
  clock.advance_ms(20 * kMinute);
  BOOST_TEST(!store->find(s.token).has_value());
}

BOOST_AUTO_TEST_CASE(revoking_a_token_or_a_user_ends_their_sessions_for_good) {
  auto a = login(op);
  auto b = login(op);  // the same user on a second desk
  auto c = login(op2);
  write([&](db::Connection& conn) { store->revoke(conn, a.token); });
  BOOST_TEST(!store->find(a.token).has_value());
  BOOST_TEST(store->find(b.token).has_value());
  write([&](db::Connection& conn) { store->revoke_user(conn, op); });
  BOOST_TEST(!store->find(b.token).has_value());
  BOOST_TEST(store->find(c.token).has_value());
  // The rows went with them: a restart does not bring them back.
  restart();
  BOOST_TEST(!store->find(a.token).has_value());
  BOOST_TEST(!store->find(b.token).has_value());
  BOOST_TEST(store->find(c.token).has_value());
  BOOST_TEST(store->size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_restart_keeps_a_session_its_csrf_token_actor_and_limits) {
  auto s = login(op);
  auto other = login(op2);
  clock.advance_ms(10 * kMinute);
  BOOST_REQUIRE(store->find(s.token).has_value());
  restart();
  BOOST_TEST(store->size() == 2u);
  auto found = store->find(s.token);
  BOOST_REQUIRE(found.has_value());
  BOOST_TEST(found->csrf_token == s.session.csrf_token);
  BOOST_TEST(found->actor.user_id == op);
  BOOST_TEST(found->actor.office_path == s.session.actor.office_path);
  BOOST_TEST((found->actor.role == casework::Role::operator_));
  BOOST_TEST(found->username == "op");
  BOOST_TEST(found->created_at == s.session.created_at);
  BOOST_TEST(found->expires_at == s.session.expires_at);
  BOOST_TEST(store->find(other.token).has_value());
  // The absolute limit still counts from the login before the restart.
  for (int i = 0; i < 12 * 3 - 1; ++i) {  // up to 11 h 50 min after the login
    clock.advance_ms(20 * kMinute);
    BOOST_TEST_REQUIRE(store->find(s.token).has_value());
  }
  restart();
  clock.advance_ms(20 * kMinute);
  BOOST_TEST(!store->find(s.token).has_value());
}

BOOST_AUTO_TEST_CASE(a_clean_restart_keeps_the_idle_timer_to_the_millisecond) {
  auto s = login(op);
  clock.advance_ms(20 * kMinute);
  BOOST_REQUIRE(store->find(s.token).has_value());
  clock.advance_ms(30 * kSecond);
  BOOST_REQUIRE(store->find(s.token).has_value());  // in memory only: within the minute
  restart();                                        // flush() writes it
  clock.advance_ms(30 * kMinute - 1);
  BOOST_TEST(store->find(s.token).has_value());
  restart();
  clock.advance_ms(30 * kMinute);
  BOOST_TEST(!store->find(s.token).has_value());
}

BOOST_AUTO_TEST_CASE(last_seen_reaches_the_database_at_most_once_a_minute) {
  auto s = login(op);
  const TimeMs t0 = s.session.created_at;
  BOOST_REQUIRE(row_of(s.token).has_value());
  BOOST_TEST(row_of(s.token)->last_seen == t0);
  clock.advance_ms(30 * kSecond);
  for (int i = 0; i < 20; ++i) BOOST_REQUIRE(store->find(s.token).has_value());
  BOOST_TEST(row_of(s.token)->last_seen == t0);  // no write for these requests
  clock.advance_ms(30 * kSecond);
  BOOST_REQUIRE(store->find(s.token).has_value());
  BOOST_TEST(row_of(s.token)->last_seen == t0 + kMinute);
  clock.advance_ms(59 * kSecond);
  BOOST_REQUIRE(store->find(s.token).has_value());
  BOOST_TEST(row_of(s.token)->last_seen == t0 + kMinute);
  store->flush();
  BOOST_TEST(row_of(s.token)->last_seen == t0 + kMinute + 59 * kSecond);
}

BOOST_AUTO_TEST_CASE(after_a_crash_a_session_ends_up_to_a_minute_early_never_late) {
  auto a = login(op);
  auto b = login(op);
  const TimeMs t0 = a.session.created_at;
  for (TimeMs at : {t0 + 20 * kMinute, t0 + 20 * kMinute + 50 * kSecond}) {  // stored, then held back
    clock.set(at);
    BOOST_REQUIRE(store->find(a.token).has_value());
    BOOST_REQUIRE(store->find(b.token).has_value());
  }
  // No flush: the rows say t0 + 20 min, and idle time counts from there, 50 s before the last request.
  clock.set(t0 + 50 * kMinute - 1);
  restart(/*clean=*/false);
  BOOST_TEST(store->find(a.token).has_value());
  clock.set(t0 + 50 * kMinute + 1);  // 29 min 11 s after b's last request, 30 min after its stored one
  restart(false);
  BOOST_TEST(!store->find(b.token).has_value());
}

BOOST_AUTO_TEST_CASE(a_disabled_users_stored_sessions_are_not_loaded) {
  auto s = login(op);
  auto other = login(op2);
  // Disabled behind the store's back (as an older binary or a hand edit would): the row remains,
  // but no session comes back for a disabled account.
  casework::UserChange disable;
  disable.disabled = true;
  BOOST_REQUIRE(writer->submit([&](db::Connection& conn) { return casework::UserRepository::update(conn, op, disable); })
                    .get()
                    .has_value());
  restart();
  BOOST_TEST(!store->find(s.token).has_value());
  BOOST_TEST(store->find(other.token).has_value());
}

BOOST_AUTO_TEST_CASE(expired_rows_are_purged_at_start_and_every_few_minutes) {
  auto idle = login(op);
  auto busy = login(op2);
  clock.advance_ms(20 * kMinute);
  BOOST_REQUIRE(store->find(busy.token).has_value());
  BOOST_TEST(rows().size() == 2u);
  clock.advance_ms(15 * kMinute);  // `idle` unused for 35 min: past the limit and the touch's minute
  BOOST_REQUIRE(store->find(busy.token).has_value());
  BOOST_TEST(rows().size() == 1u);
  BOOST_TEST(!row_of(idle.token).has_value());
  BOOST_TEST(store->size() == 1u);

  // At start: `busy` is past its idle limit when the server comes back.
  clock.advance_ms(31 * kMinute);
  restart();
  BOOST_TEST(rows().empty());
  BOOST_TEST(store->size() == 0u);
}

BOOST_AUTO_TEST_CASE(a_purge_never_takes_the_row_of_a_live_session) {
  auto s = login(op);
  const TimeMs t0 = s.session.created_at;
  clock.set(t0 + 59 * kSecond);
  BOOST_REQUIRE(store->find(s.token).has_value());  // held back: the row still says t0
  // The row is 30 min 30 s old, the session 29 min 31 s idle: the purge this request sets off
  // must leave the row, which the request's own touch then moves on.
  clock.set(t0 + 30 * kMinute + 30 * kSecond);
  BOOST_REQUIRE(store->find(s.token).has_value());
  BOOST_REQUIRE(row_of(s.token).has_value());
  BOOST_TEST(row_of(s.token)->last_seen == t0 + 30 * kMinute + 30 * kSecond);
  restart(false);
  BOOST_TEST(store->find(s.token).has_value());
}

BOOST_AUTO_TEST_CASE(the_database_holds_neither_the_token_nor_the_csrf_token) {
  auto s = login(op);
  auto row = row_of(s.token);
  BOOST_REQUIRE(row.has_value());
  BOOST_TEST(row->token_hash == hash.digest(s.token));
  BOOST_TEST(row->csrf_sealed.find(s.session.csrf_token) == std::string::npos);
  BOOST_TEST(row->csrf_sealed.find(unhex(s.session.csrf_token)) == std::string::npos);
  store->flush();
  settle();
  const std::string bytes = file_bytes(path) + file_bytes(path + "-wal");
  BOOST_REQUIRE(bytes.find("990023") != std::string::npos);  // the scan does see the data
  for (const auto& secret : {s.token, s.session.csrf_token}) {
    BOOST_TEST(bytes.find(secret) == std::string::npos);
    BOOST_TEST(bytes.find(unhex(secret)) == std::string::npos);
  }
}

BOOST_AUTO_TEST_SUITE_END()
