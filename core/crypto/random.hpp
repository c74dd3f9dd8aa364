#pragma once
// Unpredictable tokens and timing-safe comparison (libsodium).
#include <cstddef>
#include <string>
#include <string_view>

namespace hl::crypto {

// Returns 2*bytes lower-case hex characters from the OS CSPRNG (randombytes_buf), e.g. a 256-bit
// session token for bytes = 32.
std::string random_token_hex(std::size_t bytes);

// True when a and b hold the same bytes. The time taken depends only on the lengths, not on where
// they differ, so comparing a secret against a guess leaks nothing but the length.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace hl::crypto
