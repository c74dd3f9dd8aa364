#pragma once
// The stored rows of logged-in sessions (schema/012_sessions.sql), for web/auth/session_store.hpp,
// which keeps the live ones in memory. A row holds the keyed hash of the cookie token and the CSRF
// token encrypted, never either in clear: this layer stores the bytes it is given.
//
// Every function throws db::DbError on a storage failure; the writes run on the writer.
#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/db/connection.hpp"

namespace hl::casework {

struct SessionRow {
  std::string token_hash;   // keyed hash of the cookie token (raw bytes)
  std::int64_t user_id = 0;
  std::string csrf_sealed;  // the CSRF token, encrypted (raw bytes)
  TimeMs created_at = 0;
  TimeMs last_seen = 0;
  TimeMs expires_at = 0;    // the absolute limit
};

class SessionRepository {
 public:
  static void insert(db::Connection& conn, const SessionRow& row);
  // Moves last_seen forward (never back); a row already deleted stays deleted.
  static void touch(db::Connection& conn, const std::string& token_hash, TimeMs last_seen);
  static void remove(db::Connection& conn, const std::string& token_hash);
  // Returns how many sessions of the user were deleted.
  static int remove_user(db::Connection& conn, std::int64_t user_id);
  // Deletes every session of the user but the one of `keep_token_hash`; returns how many.
  static int remove_user_except(db::Connection& conn, std::int64_t user_id, const std::string& keep_token_hash);
  // Deletes every session (a restored database logs everyone out); returns how many.
  static int remove_all(db::Connection& conn);
  // Deletes the rows past their absolute limit at `now` or unused for `idle_ms`; returns how many.
  static int purge(db::Connection& conn, TimeMs now, TimeMs idle_ms);
  // The rows within both limits at `now` whose user exists and is not disabled, oldest first.
  static std::vector<SessionRow> live(db::Connection& conn, TimeMs now, TimeMs idle_ms);
};

}  // namespace hl::casework
