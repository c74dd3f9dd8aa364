#include "core/crypto/password_hasher.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "core/crypto/sodium_init.hpp"

namespace hl::crypto {
namespace {

constexpr unsigned long long kOpsLimit = 2;
constexpr std::size_t kMemLimit = 19u * 1024u * 1024u;
static_assert(kOpsLimit >= crypto_pwhash_OPSLIMIT_MIN && kMemLimit >= crypto_pwhash_MEMLIMIT_MIN);

// Holds one slot of the semaphore for the lifetime of a hash or verify.
class SlotGuard {
 public:
  explicit SlotGuard(std::counting_semaphore<>& s) : s_(s) { s_.acquire(); }
  SlotGuard(const SlotGuard&) = delete;
  SlotGuard& operator=(const SlotGuard&) = delete;
  ~SlotGuard() { s_.release(); }

 private:
  std::counting_semaphore<>& s_;
};

// libsodium declares the password pointer nonnull, while an empty string_view may carry nullptr.
const char* nonnull_data(std::string_view s) { return s.data() ? s.data() : ""; }

}  // namespace

PasswordHasher::PasswordHasher(unsigned max_concurrent)
    : slots_(static_cast<std::ptrdiff_t>(std::max(1u, max_concurrent))) {
  ensure_sodium();
}

std::string PasswordHasher::hash(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  {
    SlotGuard slot(slots_);
    if (crypto_pwhash_str_alg(out, nonnull_data(password), password.size(), kOpsLimit, kMemLimit,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
      throw std::runtime_error("password hashing failed: out of memory");
  }
  return std::string(out);
}

bool PasswordHasher::verify(std::string_view stored_hash, std::string_view password) {
  // libsodium reads stored_hash as a NUL-terminated string of fewer than STRBYTES characters;
  // anything else (or an embedded NUL that would silently truncate it) is malformed.
  if (stored_hash.empty() || stored_hash.size() >= crypto_pwhash_STRBYTES ||
      stored_hash.find('\0') != std::string_view::npos)
    return false;
  // Only our own algorithm is accepted, so a stored value from elsewhere (argon2i, bcrypt, a
  // placeholder) can never be treated as a valid credential.
  if (!stored_hash.starts_with(crypto_pwhash_argon2id_STRPREFIX)) return false;
  char terminated[crypto_pwhash_STRBYTES] = {};
  std::memcpy(terminated, stored_hash.data(), stored_hash.size());
  SlotGuard slot(slots_);
  return crypto_pwhash_str_verify(terminated, nonnull_data(password), password.size()) == 0;
}

}  // namespace hl::crypto
