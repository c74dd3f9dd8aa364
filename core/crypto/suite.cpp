#include "core/crypto/suite.hpp"

namespace hl::crypto {

std::string_view to_string(Suite s) { return s == Suite::sm ? "sm" : "sodium"; }

std::optional<Suite> parse_suite(std::string_view s) {
  if (s == "sodium") return Suite::sodium;
  if (s == "sm") return Suite::sm;
  return std::nullopt;
}

}  // namespace hl::crypto
