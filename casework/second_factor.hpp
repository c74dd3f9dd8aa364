#pragma once
// The second factor of a login (等保三级: two factors for every account that reads case content or
// administers): a time-based one-time password (TOTP, RFC 6238: HMAC-SHA1, 30-second steps, six
// digits — what every authenticator app reads from a QR code), computed and checked by liboath, and
// ten one-time recovery codes for a lost phone.
//
// The secret is stored encrypted with the field key (context "user.totp"), the recovery codes as
// keyed hashes; neither is ever returned again after enrolment. A code is accepted within one
// step either side (clock drift of a phone) and only for a step newer than the last accepted one,
// so a code read over her shoulder cannot be replayed.
//
// Writes (begin, confirm, verify, disable) run on the writer; enabled() anywhere.
// Shared between threads: safe, immutable after construction.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/crypto/field_cipher.hpp"
#include "core/crypto/keyed_hash.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

inline constexpr int kRecoveryCodeCount = 10;

class SecondFactor {
 public:
  SecondFactor(const Clock& clock, const crypto::FieldCipher& cipher, const crypto::KeyedHash& code_hash)
      : clock_(clock), cipher_(cipher), code_hash_(code_hash) {}

  // Whether the user logs in with a second factor (enrolment confirmed).
  static bool enabled(db::Connection& conn, std::int64_t user_id);
  static int recovery_codes_left(db::Connection& conn, std::int64_t user_id);

  struct Enrolment {
    std::string secret_base32;  // for typing into an app by hand
    std::string otpauth_uri;    // otpauth://totp/<issuer>:<username>?secret=…&issuer=…, the QR code's text
  };
  // A new secret, pending until confirmed (replaces a pending one). conflict when already enabled.
  Result<Enrolment> begin(db::Connection& conn, std::int64_t user_id, std::string_view username,
                          std::string_view issuer) const;
  // The first code from her app turns it on; returns the recovery codes, the only time they are
  // shown. invalid_input naming "code" when wrong; conflict when nothing is pending.
  Result<std::vector<std::string>> confirm(db::Connection& conn, std::int64_t user_id, std::string_view code) const;

  enum class Verdict { not_enrolled, missing, accepted, wrong };
  // At login: a TOTP code (six digits) or an unused recovery code (then spent).
  Verdict verify(db::Connection& conn, std::int64_t user_id, std::string_view code) const;
  // Turned off (the caller has checked her password and a code, as at login): secret and recovery
  // codes deleted.
  void remove(db::Connection& conn, std::int64_t user_id) const;

  // The code an app would show at `at` for a base32 secret (tests and the desk's test helper).
  static std::optional<std::string> code_at(std::string_view secret_base32, TimeMs at);

 private:
  // The TOTP step a code matches (±1 step of now), newer than last_step; nullopt otherwise.
  std::optional<std::int64_t> matching_step(const std::string& secret, std::string_view code, std::int64_t last_step) const;
  bool spend_recovery_code(db::Connection& conn, std::int64_t user_id, std::string_view code) const;
  std::string recovery_hash(std::int64_t user_id, std::string_view code) const;

  const Clock& clock_;
  const crypto::FieldCipher& cipher_;
  const crypto::KeyedHash& code_hash_;
};

}  // namespace hl::casework
