#pragma once
// Authenticated encryption of single values (phone and ID numbers) under a key kept outside the
// database: XChaCha20-Poly1305 (IETF) in the sodium suite; in the sm suite SM4-CTR with a random IV,
// then HMAC-SM3 over the context, IV and ciphertext (encrypt-then-MAC, two keys derived from the
// field key with HMAC-SM3). The context string (e.g. "person.phone") is bound in as
// associated data, so a ciphertext copied into another field or table fails to decrypt instead of
// revealing one person's number under another label.
//
// Shared between threads: safe, the object is immutable after construction.
#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "core/crypto/suite.hpp"

namespace hl::crypto {

class FieldCipher {
 public:
  explicit FieldCipher(const std::array<unsigned char, 32>& key, Suite suite = Suite::sodium);

  // sodium: nonce (24 random bytes) || ciphertext || tag (16 bytes), 40 bytes longer than the
  // plaintext; sm: IV (16 random bytes) || ciphertext || HMAC-SM3 tag (32 bytes), 48 bytes longer. The random nonce makes equal plaintexts encrypt differently; matching equal values
  // is the job of KeyedHash.
  std::string encrypt(std::string_view plaintext, std::string_view context) const;

  // Returns the plaintext, or nullopt when the blob is too short, was altered, was encrypted under
  // another key or for another context.
  std::optional<std::string> decrypt(std::string_view blob, std::string_view context) const;

 private:
  std::array<unsigned char, 32> key_;
  Suite suite_;
  std::string sm_enc_key_, sm_mac_key_;  // sm: 16-byte SM4 key and 32-byte HMAC key, derived
};

}  // namespace hl::crypto
