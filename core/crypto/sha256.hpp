#pragma once
// SHA-256 (libsodium) as lower-case hex: a public fingerprint of a file, for checking copies.
#include <sodium.h>

#include <string>
#include <string_view>

namespace hl::crypto {

std::string sha256_hex(std::string_view data);

// The same digest fed in pieces, for files too large to hold in memory (a backup of gigabytes is
// hashed while it is read or copied). Not shared between threads.
class Sha256 {
 public:
  Sha256();
  void update(std::string_view data);
  std::string hex();  // finishes the digest; call once

 private:
  crypto_hash_sha256_state state_;
};

}  // namespace hl::crypto
