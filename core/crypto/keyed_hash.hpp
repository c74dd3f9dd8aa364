#pragma once
// Keyed BLAKE2b-256 (libsodium crypto_generichash with a 32-byte key; HMAC-SM3 in the sm suite): a deterministic fingerprint
// for finding equal values (a repeat caller's phone number) without storing them readably, and for
// chaining the audit log. Without the key, which lives outside the database, the fingerprints of the
// small space of phone numbers cannot be brute-forced.
//
// Shared between threads: safe, the object is immutable after construction.
#include <array>
#include <string>
#include <string_view>

#include "core/crypto/suite.hpp"

namespace hl::crypto {

class KeyedHash {
 public:
  explicit KeyedHash(const std::array<unsigned char, 32>& key, Suite suite = Suite::sodium);

  // Returns the 32 raw bytes of the keyed hash of data.
  std::string digest(std::string_view data) const;
  // Returns the same digest as 64 lower-case hex characters.
  std::string hex(std::string_view data) const;

 private:
  std::array<unsigned char, 32> key_;
  Suite suite_;
};

}  // namespace hl::crypto
