#pragma once
// Failed logins for usernames that do not exist, counted like those of real accounts (whose count
// and lock live in the users table), so that "five wrong passwords, then 429" happens for every
// name and the lockout does not tell an attacker which usernames are real.
//
// Stored in login_throttle (schema/012_sessions.sql), like the real accounts' counts, so that a
// restart does not unlock unknown names while real ones stay locked (which would tell them apart).
// A name is stored only as its keyed hash, ASCII-lower-cased first because usernames match without
// case (users.username COLLATE NOCASE): "Nobody" and "nobody" share one count, as "Operator" and
// "operator" share the real account's. Bounded: when a new name comes, names left alone for an hour
// are forgotten and, past kMaxEntries names not locked, the least recently tried go (locked names
// stay until their lock ends: each takes five slow password checks to make).
//
// Shared between threads: safe (immutable); the calls run on the writer's connection.
#include <cstddef>
#include <string>

#include "core/clock.hpp"
#include "core/crypto/keyed_hash.hpp"
#include "core/db/connection.hpp"

namespace hl::casework {

class UnknownUserThrottle {
 public:
  static constexpr std::size_t kMaxEntries = 10'000;
  // A name left alone this long starts again from zero failures (as a real account does once its
  // lock has passed and it logs in).
  static constexpr TimeMs kForgetAfterMs = 60 * 60'000;

  explicit UnknownUserThrottle(const crypto::KeyedHash& name_hash) : name_hash_(name_hash) {}

  // Until when the name is locked (0 when it is not). Throws db::DbError.
  TimeMs locked_until(db::Connection& conn, const std::string& username, TimeMs now) const;
  // Counts a failure; returns the new lock (0 while under `free_failures`). `lockout(failures)` is
  // the back-off the real accounts use. Throws db::DbError.
  TimeMs record_failure(db::Connection& conn, const std::string& username, TimeMs now, int free_failures,
                        TimeMs (*lockout)(int)) const;

 private:
  std::string key(const std::string& username) const;
  void make_room(db::Connection& conn, TimeMs now) const;

  const crypto::KeyedHash& name_hash_;
};

}  // namespace hl::casework
