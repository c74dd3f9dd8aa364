#pragma once
// Authenticated encryption of single values (phone and ID numbers) with XChaCha20-Poly1305 (IETF),
// under a key kept outside the database. The context string (e.g. "person.phone") is bound in as
// associated data, so a ciphertext copied into another field or table fails to decrypt instead of
// revealing one person's number under another label.
//
// Shared between threads: safe, the object is immutable after construction.
#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace hl::crypto {

class FieldCipher {
 public:
  explicit FieldCipher(const std::array<unsigned char, 32>& key);

  // Returns nonce (24 random bytes) || ciphertext || tag (16 bytes): 40 bytes longer than the
  // plaintext. The random nonce makes equal plaintexts encrypt differently; matching equal values
  // is the job of KeyedHash.
  std::string encrypt(std::string_view plaintext, std::string_view context) const;

  // Returns the plaintext, or nullopt when the blob is too short, was altered, was encrypted under
  // another key or for another context.
  std::optional<std::string> decrypt(std::string_view blob, std::string_view context) const;

 private:
  std::array<unsigned char, 32> key_;
};

}  // namespace hl::crypto
