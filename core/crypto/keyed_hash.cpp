#include "core/crypto/keyed_hash.hpp"

#include <sodium.h>

#include "core/crypto/sm.hpp"
#include "core/crypto/sodium_init.hpp"

namespace hl::crypto {
namespace {
constexpr std::size_t kDigest = 32;
static_assert(kDigest >= crypto_generichash_BYTES_MIN && kDigest <= crypto_generichash_BYTES_MAX);
static_assert(32 >= crypto_generichash_KEYBYTES_MIN && 32 <= crypto_generichash_KEYBYTES_MAX);
}  // namespace

KeyedHash::KeyedHash(const std::array<unsigned char, 32>& key, Suite suite) : key_(key), suite_(suite) {
  ensure_sodium();
}

std::string KeyedHash::digest(std::string_view data) const {
  if (suite_ == Suite::sm)
    return sm::hmac_sm3(std::string_view(reinterpret_cast<const char*>(key_.data()), key_.size()), data);
  std::string out(kDigest, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                     reinterpret_cast<const unsigned char*>(data.data()), data.size(), key_.data(),
                     key_.size());
  return out;
}

std::string KeyedHash::hex(std::string_view data) const {
  const std::string raw = digest(data);
  std::string out(raw.size() * 2 + 1, '\0');  // room for sodium_bin2hex's terminating NUL
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                 raw.size());
  out.pop_back();
  return out;
}

}  // namespace hl::crypto
