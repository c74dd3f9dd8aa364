#pragma once
// The two crypto suites a database can be created with (fixed for its life; the key file says which):
//   sodium — libsodium: XChaCha20-Poly1305 (IETF) for fields, keyed BLAKE2b-256 for fingerprints,
//            session-token hashes and the audit chain. The default.
//   sm     — 国密 (GM/T) through OpenSSL 3: SM4 (GB/T 32907) in CTR mode for fields, authenticated
//            with HMAC-SM3 (encrypt-then-MAC; OpenSSL 3.0 has no SM4-GCM), and HMAC-SM3 (SM3: GB/T
//            32905) for fingerprints, token hashes and the audit chain — for deployments a 密评
//            (commercial cryptography assessment) requires to use national algorithms.
#include <optional>
#include <string_view>

namespace hl::crypto {

enum class Suite { sodium, sm };

std::string_view to_string(Suite s);
std::optional<Suite> parse_suite(std::string_view s);  // "sodium" | "sm"

}  // namespace hl::crypto
