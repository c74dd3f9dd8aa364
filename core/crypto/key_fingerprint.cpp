#include "core/crypto/key_fingerprint.hpp"

#include "core/crypto/keyed_hash.hpp"

namespace hl::crypto {

std::string key_fingerprint(const Keys& keys) {
  // A domain of its own: no other keyed hash in the system is taken of this text.
  constexpr std::string_view kText = "hl.keys.fingerprint.v1";
  // The sodium suite's text is as it always was (fingerprints in old backup manifests still match);
  // another suite is named in it, so keys of one suite never pass for the other's.
  const std::string text = keys.suite == Suite::sodium ? std::string(kText)
                                                       : std::string(kText) + "|" + std::string(to_string(keys.suite));
  std::string each;
  for (const auto* key : {&keys.field_key, &keys.lookup_key, &keys.audit_key, &keys.token_key})
    each += KeyedHash(*key, keys.suite).digest(text);
  return KeyedHash(keys.audit_key, keys.suite).hex(text + "|" + each);
}

}  // namespace hl::crypto
