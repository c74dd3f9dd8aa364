#pragma once
// Logged-in sessions. A session is found by the keyed hash of its cookie token (the token itself is
// never stored), expires after `idle` without requests or `absolute` after login, and is revoked by
// logout or when its user is changed or disabled.
//
// Sessions survive a restart: each is a row of `sessions` (casework/session_repository.hpp: the
// token's hash, the CSRF token encrypted with the FieldCipher) written through the Writer, and the
// live ones are loaded at start. The request path reads only the in-memory copy: find() takes a
// lock and a hash lookup, no SQL. It touches the idle timer in memory at once but writes last_seen
// to the row at most once a minute per session (and for every session at a clean stop, flush()), so
// after a crash a session may end up to that minute early, never late. Rows past their limits are
// purged at load and, piggy-backed on find(), every few minutes.
//
// create/revoke/revoke_user run on the writer thread inside the command that changes the account
// (login, logout, user update), so the row and the memory change in the order the writer runs the
// commands. Memory changes at once, before the commit: a new session's token reaches nobody unless
// the commit succeeds; a revocation whose command fails (the client hears so) still ends the
// session now, but the row, and with it the session after a restart, stays.
//
// Shared between threads: every method locks mutex_; the writes go through the (thread-safe) Writer.
// The store must be destroyed before the Writer; nothing it queues refers back to it.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "casework/actor.hpp"
#include "casework/password_policy.hpp"
#include "core/clock.hpp"
#include "core/crypto/field_cipher.hpp"
#include "core/crypto/keyed_hash.hpp"
#include "core/db/writer.hpp"
#include "core/error.hpp"

namespace hl::web {

struct Session {
  casework::Actor actor;
  std::string username;
  std::string display_name;
  std::string csrf_token;
  TimeMs created_at = 0;
  TimeMs last_seen = 0;
  TimeMs expires_at = 0;  // absolute limit
  // Her password expired or was set by an administrator (casework::must_change_password): until she
  // changes it, the session may only show itself, log out and change the password (authed()).
  bool must_change_password = false;
  // Two-step verification is required (config second_factor_required) and she has not set it up:
  // until she does, the session may only show itself, log out and enrol (authed()).
  bool must_enrol_second_factor = false;
};

struct NewSession {
  std::string token;  // goes into the cookie, once
  Session session;
};

class SessionStore {
 public:
  // last_seen reaches the database at most this often per session.
  static constexpr TimeMs kTouchEveryMs = 60'000;
  // Expired rows (and memory) are swept at most this often.
  static constexpr TimeMs kPurgeEveryMs = 5 * 60'000;

  SessionStore(const Clock& clock, const crypto::KeyedHash& token_hash, const crypto::FieldCipher& cipher,
               db::Writer& writer, TimeMs idle_ms, TimeMs absolute_ms, casework::PasswordAgeRules password_rules = {},
               bool second_factor_required = false);

  // At start, before serving (waits for the writer): purges expired rows and loads the live ones,
  // rebuilding each actor from its user as it is now (a disabled user's rows are dropped). Returns
  // how many are live, or the storage error.
  Result<std::size_t> load();

  // Writer thread, inside the login's command: a new session (fresh 256-bit token and CSRF token),
  // its row written and the session live. Throws db::DbError.
  NewSession create(db::Connection& conn, const casework::Actor& actor, std::string username, std::string display_name,
                    bool must_change_password = false, bool must_enrol_second_factor = false);
  // The live session for a cookie token, touching its idle timer; nullopt when unknown or expired.
  std::optional<Session> find(const std::string& token);
  // Whether the session of a cookie token is still live (not logged out, revoked or expired),
  // without touching its idle timer: for an open event stream, which is not a request of the
  // user's and must not keep an unattended desk's session alive.
  bool live(const std::string& token) const;
  // Writer thread, inside a command: ends the session of a token / every session of a user, row and
  // memory. Throw db::DbError.
  void revoke(db::Connection& conn, const std::string& token);
  void revoke_user(db::Connection& conn, std::int64_t user_id);
  // Writer thread, inside the password change's command: ends every other session of the user, row
  // and memory, and lifts must_change_password from the one of `keep_token`. Throws db::DbError.
  void password_changed(db::Connection& conn, std::int64_t user_id, const std::string& keep_token);
  const casework::PasswordAgeRules& password_rules() const { return password_rules_; }
  bool second_factor_required() const { return second_factor_required_; }
  // She turned two-step verification on: her sessions are no longer held to enrolling.
  void second_factor_enrolled(std::int64_t user_id);
  // At a clean stop, from any thread but the writer's (waits for it): writes the last_seen that the
  // once-a-minute rule held back, so a planned restart costs no idle time.
  void flush();

  std::size_t size() const;
  TimeMs idle_ms() const { return idle_ms_; }

 private:
  struct Entry {
    Session session;
    TimeMs stored_last_seen = 0;  // what the row says (or is about to, once the queued touch runs)
  };
  bool expired(const Session& s, TimeMs now) const;
  void purge_if_due(TimeMs now);

  const Clock& clock_;
  const crypto::KeyedHash& hash_;
  const crypto::FieldCipher& cipher_;
  db::Writer& writer_;
  TimeMs idle_ms_, absolute_ms_;
  casework::PasswordAgeRules password_rules_;
  bool second_factor_required_ = false;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> by_hash_;
  TimeMs next_purge_ = 0;
};

}  // namespace hl::web
