#include "web/auth/session_store.hpp"

#include <vector>

#include "casework/second_factor.hpp"
#include "casework/session_repository.hpp"
#include "casework/user_repository.hpp"
#include "core/crypto/random.hpp"

namespace hl::web {
namespace {

using casework::SessionRepository;

// Bound into the CSRF token's ciphertext: a blob copied from another encrypted field does not decrypt.
constexpr std::string_view kCsrfContext = "session.csrf";

struct Loaded {
  std::string token_hash;
  Session session;
};

}  // namespace

SessionStore::SessionStore(const Clock& clock, const crypto::KeyedHash& token_hash, const crypto::FieldCipher& cipher,
                           db::Writer& writer, TimeMs idle_ms, TimeMs absolute_ms, casework::PasswordAgeRules password_rules,
                           bool second_factor_required)
    : clock_(clock),
      hash_(token_hash),
      cipher_(cipher),
      writer_(writer),
      idle_ms_(idle_ms),
      absolute_ms_(absolute_ms),
      password_rules_(password_rules),
      second_factor_required_(second_factor_required) {}

bool SessionStore::expired(const Session& s, TimeMs now) const {
  return s.expires_at <= now || s.last_seen + idle_ms_ <= now;
}

Result<std::size_t> SessionStore::load() {
  const TimeMs now = clock_.now_ms();
  auto loaded = writer_
                    .submit([this, now](db::Connection& conn) -> Result<std::vector<Loaded>> {
                      SessionRepository::purge(conn, now, idle_ms_);
                      std::vector<Loaded> out;
                      for (auto& row : SessionRepository::live(conn, now, idle_ms_)) {
                        auto user = casework::UserRepository::get(conn, row.user_id);
                        auto actor = casework::UserRepository::actor_for(conn, row.user_id);
                        auto csrf = cipher_.decrypt(row.csrf_sealed, kCsrfContext);
                        if (!user || !actor || !csrf) {  // e.g. a row written under another key file
                          SessionRepository::remove(conn, row.token_hash);
                          continue;
                        }
                        // Decided again, under today's rules: a restart neither lifts nor imposes
                        // anything a fresh login would not.
                        const bool must_change = casework::must_change_password(
                            user->password_changed_at, user->must_change_password, now, password_rules_);
                        out.push_back({std::move(row.token_hash),
                                       Session{*actor, user->username, user->display_name, std::move(*csrf),
                                               row.created_at, row.last_seen, row.expires_at, must_change,
                                               second_factor_required_ &&
                                                   !casework::SecondFactor::enabled(conn, row.user_id)}});
                      }
                      return out;
                    })
                    .get();
  if (!loaded) return std::unexpected(loaded.error());
  std::lock_guard lock(mutex_);
  for (auto& l : *loaded) {
    const TimeMs stored = l.session.last_seen;
    by_hash_[std::move(l.token_hash)] = Entry{std::move(l.session), stored};
  }
  next_purge_ = now + kPurgeEveryMs;
  return by_hash_.size();
}

NewSession SessionStore::create(db::Connection& conn, const casework::Actor& actor, std::string username,
                                std::string display_name, bool must_change_password, bool must_enrol_second_factor) {
  const TimeMs now = clock_.now_ms();
  NewSession out;
  out.token = crypto::random_token_hex(32);  // 256 bits
  out.session = Session{actor, std::move(username), std::move(display_name), crypto::random_token_hex(32), now, now,
                        now + absolute_ms_, must_change_password, must_enrol_second_factor};
  std::string key = hash_.digest(out.token);
  SessionRepository::insert(conn, {key, actor.user_id, cipher_.encrypt(out.session.csrf_token, kCsrfContext),
                                   now, now, out.session.expires_at});
  std::lock_guard lock(mutex_);
  by_hash_[std::move(key)] = Entry{out.session, now};
  return out;
}

bool SessionStore::live(const std::string& token) const {
  if (token.size() != 64) return false;
  const std::string key = hash_.digest(token);
  const TimeMs now = clock_.now_ms();
  std::lock_guard lock(mutex_);
  const auto it = by_hash_.find(key);
  return it != by_hash_.end() && !expired(it->second.session, now);
}

std::optional<Session> SessionStore::find(const std::string& token) {
  if (token.size() != 64) return std::nullopt;
  std::string key = hash_.digest(token);
  const TimeMs now = clock_.now_ms();
  std::lock_guard lock(mutex_);
  purge_if_due(now);
  auto it = by_hash_.find(key);
  if (it == by_hash_.end()) return std::nullopt;
  if (expired(it->second.session, now)) {
    by_hash_.erase(it);  // its row goes with the next purge
    return std::nullopt;
  }
  Entry& e = it->second;
  e.session.last_seen = now;
  if (now - e.stored_last_seen >= kTouchEveryMs) {
    e.stored_last_seen = now;
    // Not awaited: the request does not wait for this write, and a failed one only costs idle time
    // after a restart. The lambdas hold values only (the store may be gone when they run).
    writer_.post(
        [key = std::move(key), now](db::Connection& conn) -> Result<bool> {
          SessionRepository::touch(conn, key, now);
          return true;
        },
        [](Result<bool>) {});
  }
  return e.session;
}

void SessionStore::purge_if_due(TimeMs now) {
  if (now < next_purge_) return;
  next_purge_ = now + kPurgeEveryMs;
  std::erase_if(by_hash_, [&](const auto& kv) { return expired(kv.second.session, now); });
  // A row's last_seen may lag the memory's by up to kTouchEveryMs: a row is purged only once the
  // session is idle by that much more, so no live session loses its row.
  writer_.post(
      [now, idle = idle_ms_ + kTouchEveryMs](db::Connection& conn) -> Result<int> {
        return SessionRepository::purge(conn, now, idle);
      },
      [](Result<int>) {});
}

void SessionStore::revoke(db::Connection& conn, const std::string& token) {
  const std::string key = hash_.digest(token);
  SessionRepository::remove(conn, key);
  std::lock_guard lock(mutex_);
  by_hash_.erase(key);
}

void SessionStore::revoke_user(db::Connection& conn, std::int64_t user_id) {
  SessionRepository::remove_user(conn, user_id);
  std::lock_guard lock(mutex_);
  std::erase_if(by_hash_, [&](const auto& kv) { return kv.second.session.actor.user_id == user_id; });
}

void SessionStore::second_factor_enrolled(std::int64_t user_id) {
  std::lock_guard lock(mutex_);
  for (auto& [key, entry] : by_hash_)
    if (entry.session.actor.user_id == user_id) entry.session.must_enrol_second_factor = false;
}

void SessionStore::password_changed(db::Connection& conn, std::int64_t user_id, const std::string& keep_token) {
  const std::string keep = hash_.digest(keep_token);
  SessionRepository::remove_user_except(conn, user_id, keep);
  std::lock_guard lock(mutex_);
  std::erase_if(by_hash_, [&](const auto& kv) { return kv.second.session.actor.user_id == user_id && kv.first != keep; });
  if (auto it = by_hash_.find(keep); it != by_hash_.end()) it->second.session.must_change_password = false;
}

void SessionStore::flush() {
  std::vector<std::pair<std::string, TimeMs>> touched;
  {
    std::lock_guard lock(mutex_);
    for (auto& [key, e] : by_hash_) {
      if (e.session.last_seen <= e.stored_last_seen) continue;
      touched.emplace_back(key, e.session.last_seen);
      e.stored_last_seen = e.session.last_seen;
    }
  }
  if (touched.empty()) return;
  writer_
      .submit([touched = std::move(touched)](db::Connection& conn) -> Result<bool> {
        for (const auto& [key, last_seen] : touched) SessionRepository::touch(conn, key, last_seen);
        return true;
      })
      .get();
}

std::size_t SessionStore::size() const {
  std::lock_guard lock(mutex_);
  return by_hash_.size();
}

}  // namespace hl::web
