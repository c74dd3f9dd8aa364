#pragma once
// The 国密 primitives of the "sm" suite (suite.hpp), through OpenSSL 3's default provider:
// SM3 (GB/T 32905), HMAC-SM3, and SM4 (GB/T 32907) as a single block and in CTR mode. Inputs and
// outputs are raw bytes in std::string. Throws std::runtime_error when OpenSSL fails (it does not
// for valid sizes: that would be a broken installation).
#include <string>
#include <string_view>

namespace hl::crypto::sm {

std::string sm3(std::string_view data);                              // 32 bytes
std::string hmac_sm3(std::string_view key, std::string_view data);   // 32 bytes
// One block (16 bytes) under a 16-byte key: the standard's known-answer form.
std::string sm4_encrypt_block(std::string_view key16, std::string_view block16);
// CTR mode with a 16-byte IV (encrypts and decrypts alike).
std::string sm4_ctr(std::string_view key16, std::string_view iv16, std::string_view data);

}  // namespace hl::crypto::sm
