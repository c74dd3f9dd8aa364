#pragma once
// Argon2id password hashing (libsodium crypto_pwhash, ALG_ARGON2ID13, opslimit 2, memlimit 19 MiB:
// the OWASP minimum). Each hash or verify costs ~19 MiB and tens of milliseconds of one core, so a
// burst of logins could exhaust memory or starve request threads; a counting semaphore bounds how
// many run at once and the rest wait their turn.
//
// Shared between threads: one instance serves all request threads; the semaphore (its only mutable
// state, thread-safe by itself) is what they share.
#include <semaphore>
#include <string>
#include <string_view>

namespace hl::crypto {

class PasswordHasher {
 public:
  // max_concurrent: hashes/verifies allowed to run at the same time (values below 1 count as 1).
  explicit PasswordHasher(unsigned max_concurrent = 2);
  PasswordHasher(const PasswordHasher&) = delete;
  PasswordHasher& operator=(const PasswordHasher&) = delete;

  // Returns the self-describing encoded hash ("$argon2id$v=19$m=…,t=…,p=1$salt$hash"), which is all
  // that needs storing. Throws std::runtime_error when the memory for hashing cannot be allocated.
  std::string hash(std::string_view password);

  // True when password matches stored_hash. False, never an exception, for a wrong password and for
  // a stored hash that is malformed, empty, too long or not Argon2id (e.g. a disabled account's
  // placeholder).
  bool verify(std::string_view stored_hash, std::string_view password);

 private:
  std::counting_semaphore<> slots_;
};

}  // namespace hl::crypto
