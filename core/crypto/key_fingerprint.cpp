#include "core/crypto/key_fingerprint.hpp"

#include "core/crypto/keyed_hash.hpp"

namespace hl::crypto {

std::string key_fingerprint(const Keys& keys) {
  // A domain of its own: no other keyed hash in the system is taken of this text.
  constexpr std::string_view kText = "hl.keys.fingerprint.v1";
  std::string each;
  for (const auto* key : {&keys.field_key, &keys.lookup_key, &keys.audit_key, &keys.token_key})
    each += KeyedHash(*key).digest(kText);
  return KeyedHash(keys.audit_key).hex(std::string(kText) + "|" + each);
}

}  // namespace hl::crypto
