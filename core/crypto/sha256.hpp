#pragma once
// SHA-256 (libsodium) as lower-case hex: a public fingerprint of a file, for checking copies.
#include <string>
#include <string_view>

namespace hl::crypto {

std::string sha256_hex(std::string_view data);

}  // namespace hl::crypto
