#pragma once
// Hex text to bytes, for the hashes written as hex in anchor files and backup manifests.
#include <optional>
#include <string>
#include <string_view>

namespace hl::crypto {

// The bytes `hex` spells (lower- or upper-case, no separators), or nullopt when it is not hex of an
// even length.
std::optional<std::string> bytes_from_hex(std::string_view hex);

}  // namespace hl::crypto
