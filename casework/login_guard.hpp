#pragma once
// The login policy: who may log in, and the lockout that stops password guessing. Five failures are
// free; from the fifth on the account is locked for 30 s, doubling with each further failure, at
// most 15 minutes; a success clears the count. A username that does not exist is counted and
// locked exactly like a real one (UnknownUserThrottle) and its password is checked against a real
// hash, so neither the answer nor its time tells which usernames exist. Both counts are stored, so
// a restart unlocks nobody.
//
// A login is two steps because Argon2id is slow and the writer must not wait for it: check() on a
// read connection verifies the password; settle() on the single writer re-reads the lock and the
// count (parallel wrong guesses all count) and records the result.
//
// Shared between threads: safe; the hasher bounds its own concurrency, the rest is immutable.
#include <optional>
#include <string>
#include <string_view>

#include "casework/actor.hpp"
#include "casework/second_factor.hpp"
#include "casework/unknown_user_throttle.hpp"
#include "casework/user_repository.hpp"
#include "core/clock.hpp"
#include "core/crypto/keyed_hash.hpp"
#include "core/crypto/password_hasher.hpp"
#include "core/db/connection.hpp"

namespace hl::casework {

class LoginGuard {
 public:
  static constexpr int kFreeFailures = 5;

  // `name_hash` fingerprints unknown usernames for their stored count (the lookup key).
  LoginGuard(const Clock& clock, crypto::PasswordHasher& hasher, const crypto::KeyedHash& name_hash)
      : clock_(clock), hasher_(hasher), unknown_(name_hash) {}

  // What the read step found.
  struct Check {
    std::optional<User> user;
    bool password_ok = false;
    TimeMs locked_until = 0;  // > now: locked; the password was not tried (a dummy hash was verified, for the time)
  };

  // second_factor_required: the password was right but her account asks a code and none came (no
  // failure counted, nothing cleared: the login is not done).
  enum class Result { accepted, refused, locked, second_factor_required };
  struct Outcome {
    Result result = Result::refused;
    std::optional<Actor> actor;        // accepted
    std::optional<User> user;          // accepted
    TimeMs retry_after_ms = 0;         // locked, or refused with this failure locking the name
    std::optional<std::int64_t> user_id;  // the account tried, when it exists (for the audit)
    std::string audit_action;  // session.login | session.login_failed | session.login_locked |
                               // session.second_factor_failed | session.second_factor_required
  };

  // The read step: finds the user and verifies the password (when locked, a dummy hash instead: the
  // same time either way).
  Check check(db::Connection& conn, const std::string& username, std::string_view password) const;
  // The writer step: decides, and counts the failure or clears the count. Throws db::DbError.
  // With `second`, an account that has two-step verification on is accepted only with a valid
  // `code` (TOTP or recovery code); a wrong code counts as a failed login, so the lockout bounds
  // guessing codes as it bounds guessing passwords.
  Outcome settle(db::Connection& conn, const Check& check, const std::string& username,
                 const SecondFactor* second = nullptr, std::string_view code = {});

  // The lock after `failures` consecutive failures (from the fifth on).
  static TimeMs lockout_ms(int failures);

 private:
  const Clock& clock_;
  crypto::PasswordHasher& hasher_;
  UnknownUserThrottle unknown_;
};

}  // namespace hl::casework
