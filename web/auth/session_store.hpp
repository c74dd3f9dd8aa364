#pragma once
// Logged-in sessions, in memory. A session is found by the keyed hash of its cookie token (the
// token itself is never stored), expires after `idle` without requests or `absolute` after login,
// and is revoked by logout or when its user is disabled.
//
// Shared between threads: every method locks mutex_. Sessions do not survive a restart: users log
// in again, and the web desk keeps their typed drafts locally.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "casework/actor.hpp"
#include "core/clock.hpp"
#include "core/crypto/keyed_hash.hpp"

namespace hl::web {

struct Session {
  casework::Actor actor;
  std::string username;
  std::string display_name;
  std::string csrf_token;
  TimeMs created_at = 0;
  TimeMs last_seen = 0;
  TimeMs expires_at = 0;  // absolute limit
};

struct NewSession {
  std::string token;  // goes into the cookie, once
  Session session;
};

class SessionStore {
 public:
  SessionStore(const Clock& clock, const crypto::KeyedHash& hash, TimeMs idle_ms, TimeMs absolute_ms);

  NewSession create(const casework::Actor& actor, std::string username, std::string display_name);
  // The live session for a cookie token, touching its idle timer; nullopt when unknown or expired.
  std::optional<Session> find(const std::string& token);
  void revoke(const std::string& token);
  void revoke_user(std::int64_t user_id);
  std::size_t size() const;
  TimeMs idle_ms() const { return idle_ms_; }

 private:
  const Clock& clock_;
  const crypto::KeyedHash& hash_;
  TimeMs idle_ms_, absolute_ms_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Session> by_hash_;
};

}  // namespace hl::web
