#pragma once
// A public fingerprint of a key file's four keys: a backup's manifest records it, so that a restore
// can tell the wrong key file at once, before it decrypts or verifies anything. Each key hashes a
// fixed text under itself (keyed BLAKE2b), and the audit key hashes the four results together: the
// fingerprint reveals nothing of any key, and a key file differing in any one key has another one.
#include <string>

#include "core/crypto/keys.hpp"

namespace hl::crypto {

// 64 lower-case hex digits.
std::string key_fingerprint(const Keys& keys);

}  // namespace hl::crypto
