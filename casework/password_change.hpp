#pragma once
// A logged-in user changing her own password (POST /api/v1/session/password). The current
// password is checked exactly as a login checks it (LoginGuard: same lock, same counting, a wrong
// one is a failed login); the new one must pass password_problem() and repeat none of her last
// kPasswordHistory passwords. Two steps like a login, because Argon2id is slow and the writer must
// not wait for it: check() on a read worker verifies and hashes, settle() on the writer decides,
// counts, and stores.
//
// Shared between threads: safe (LoginGuard and the hasher are; nothing else is mutable).
#include <optional>
#include <string>
#include <string_view>

#include "casework/login_guard.hpp"
#include "core/error.hpp"

namespace hl::casework {

class PasswordChange {
 public:
  PasswordChange(const Clock& clock, crypto::PasswordHasher& hasher, LoginGuard& guard)
      : clock_(clock), hasher_(hasher), guard_(guard) {}

  struct Check {
    LoginGuard::Check current;
    bool reused = false;
    std::string new_hash;  // set when the current one matched and the new one is not reused
  };
  struct Outcome {
    LoginGuard::Outcome decision;   // of the current password, as a login's (for the audit, the lockout)
    std::optional<Error> error;     // what to answer when nothing changed
  };

  // invalid_input naming new_password when it breaks the policy (checked before any hashing).
  static Result<bool> acceptable(std::string_view username, std::string_view new_password);
  // The read step.
  Check check(db::Connection& conn, const std::string& username, std::string_view current_password,
              std::string_view new_password) const;
  // The writer step: counts the attempt like a login; when the current password matched and the new
  // one is fresh, stores it (PasswordHistory::set_own). Errors, as values: rate_limited (locked),
  // invalid_input naming current_password (wrong) or new_password (reused), conflict (changed
  // meanwhile). Throws db::DbError.
  Outcome settle(db::Connection& conn, const Check& check, const std::string& username);

 private:
  const Clock& clock_;
  crypto::PasswordHasher& hasher_;
  LoginGuard& guard_;
};

inline constexpr std::string_view kWrongCurrentPassword = "wrong password";
inline constexpr std::string_view kReusedPassword = "used recently: choose one not among your last 5 passwords";

}  // namespace hl::casework
