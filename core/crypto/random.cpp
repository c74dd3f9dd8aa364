#include "core/crypto/random.hpp"

#include <sodium.h>

#include <string>
#include <vector>

#include "core/crypto/sodium_init.hpp"

namespace hl::crypto {

std::string random_token_hex(std::size_t bytes) {
  if (bytes == 0) return {};  // libsodium rejects the null buffer an empty vector may have
  ensure_sodium();
  std::vector<unsigned char> raw(bytes);
  randombytes_buf(raw.data(), raw.size());
  std::string hex(bytes * 2 + 1, '\0');  // sodium_bin2hex writes a terminating NUL
  sodium_bin2hex(hex.data(), hex.size(), raw.data(), raw.size());
  hex.pop_back();
  sodium_memzero(raw.data(), raw.size());
  return hex;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  ensure_sodium();
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace hl::crypto
