#pragma once
// A user's last passwords (schema/027_password_policy.sql): the Argon2id hashes of at most
// kPasswordHistory of them, the current one included, so a new password can be refused for
// repeating one of them. Only hashes are stored; a candidate is compared by verifying it against
// each (each verify costs what a login does, so this runs on a read worker, never the writer).
//
// Every function throws db::DbError on a storage failure.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/crypto/password_hasher.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

class PasswordHistory {
 public:
  // The stored hashes of the user's last passwords, newest first (at most kPasswordHistory).
  static std::vector<std::string> hashes(db::Connection& conn, std::int64_t user_id);
  // True when `password` is one of the user's last kPasswordHistory passwords or her current one
  // (`current_hash`: accounts made before the history existed have no rows yet).
  static bool reused(db::Connection& conn, crypto::PasswordHasher& hasher, std::int64_t user_id,
                     const std::string& current_hash, std::string_view password);
  // Records a password just set (its hash) and drops all but the newest kPasswordHistory rows.
  static void record(db::Connection& conn, std::int64_t user_id, const std::string& hash, TimeMs now);
  // Replaces the user's password by one she chose herself: the hash, its time (for the expiry),
  // no longer must-change, and the history. conflict when her stored hash is no longer
  // `expected_hash` (changed meanwhile, e.g. from another session): nothing is written then.
  static Result<bool> set_own(db::Connection& conn, std::int64_t user_id, const std::string& expected_hash,
                              const std::string& new_hash, TimeMs now);
};

}  // namespace hl::casework
