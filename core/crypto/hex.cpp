#include "core/crypto/hex.hpp"

#include <sodium.h>

namespace hl::crypto {

std::optional<std::string> bytes_from_hex(std::string_view hex) {
  std::string out(hex.size() / 2, '\0');
  std::size_t len = 0;
  if (hex.size() % 2 != 0 ||
      sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), hex.data(), hex.size(), nullptr, &len,
                     nullptr) != 0 ||
      len != out.size())
    return std::nullopt;
  return out;
}

}  // namespace hl::crypto
