#include "web/auth/session_store.hpp"

#include "core/crypto/random.hpp"

namespace hl::web {

SessionStore::SessionStore(const Clock& clock, const crypto::KeyedHash& hash, TimeMs idle_ms, TimeMs absolute_ms)
    : clock_(clock), hash_(hash), idle_ms_(idle_ms), absolute_ms_(absolute_ms) {}

NewSession SessionStore::create(const casework::Actor& actor, std::string username, std::string display_name) {
  const TimeMs now = clock_.now_ms();
  NewSession out;
  out.token = crypto::random_token_hex(32);  // 256 bits
  out.session = Session{actor, std::move(username), std::move(display_name), crypto::random_token_hex(32), now, now,
                        now + absolute_ms_};
  std::lock_guard lock(mutex_);
  // Expired sessions are swept here rather than by a timer: logins are rare, lookups are not.
  std::erase_if(by_hash_, [&](const auto& kv) {
    return kv.second.expires_at <= now || kv.second.last_seen + idle_ms_ <= now;
  });
  by_hash_[hash_.digest(out.token)] = out.session;
  return out;
}

std::optional<Session> SessionStore::find(const std::string& token) {
  if (token.size() != 64) return std::nullopt;
  const std::string key = hash_.digest(token);
  const TimeMs now = clock_.now_ms();
  std::lock_guard lock(mutex_);
  auto it = by_hash_.find(key);
  if (it == by_hash_.end()) return std::nullopt;
  if (it->second.expires_at <= now || it->second.last_seen + idle_ms_ <= now) {
    by_hash_.erase(it);
    return std::nullopt;
  }
  it->second.last_seen = now;
  return it->second;
}

void SessionStore::revoke(const std::string& token) {
  const std::string key = hash_.digest(token);
  std::lock_guard lock(mutex_);
  by_hash_.erase(key);
}

void SessionStore::revoke_user(std::int64_t user_id) {
  std::lock_guard lock(mutex_);
  std::erase_if(by_hash_, [&](const auto& kv) { return kv.second.actor.user_id == user_id; });
}

std::size_t SessionStore::size() const {
  std::lock_guard lock(mutex_);
  return by_hash_.size();
}

}  // namespace hl::web
