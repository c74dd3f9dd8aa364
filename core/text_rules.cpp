#include "core/text_rules.hpp"

#include <utility>

namespace hl {

std::size_t valid_utf8_prefix(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    unsigned min = 0, cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      min = 0x80;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      min = 0x800;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      min = 0x10000;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > s.size()) return i;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return s.size();
}

bool valid_utf8(std::string_view s) { return valid_utf8_prefix(s) == s.size(); }

std::string trim(std::string_view s) {
  constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  for (bool again = true; again;) {
    again = false;
    while (!s.empty() && space(s.front())) s.remove_prefix(1), again = true;
    while (!s.empty() && space(s.back())) s.remove_suffix(1), again = true;
    if (s.starts_with(kIdeographicSpace)) s.remove_prefix(3), again = true;
    if (s.ends_with(kIdeographicSpace)) s.remove_suffix(3), again = true;
  }
  return std::string(s);
}

std::string utf8_prefix(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return std::string(s.substr(0, end));
}

bool has_control_character(std::string_view s, bool multiline) {
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (multiline && (c == '\n' || c == '\r' || c == '\t')) continue;
    if (c < 0x20 || c == 0x7F) return true;
  }
  return false;
}

namespace {

// Unicode 15.1's format characters (General_Category Cf), as inclusive ranges.
constexpr std::pair<char32_t, char32_t> kFormatCharacters[] = {
    {0x00AD, 0x00AD},   {0x0600, 0x0605},   {0x061C, 0x061C},   {0x06DD, 0x06DD},   {0x070F, 0x070F},
    {0x0890, 0x0891},   {0x08E2, 0x08E2},   {0x180E, 0x180E},   {0x200B, 0x200F},   {0x202A, 0x202E},
    {0x2060, 0x2064},   {0x2066, 0x206F},   {0xFEFF, 0xFEFF},   {0xFFF9, 0xFFFB},   {0x110BD, 0x110BD},
    {0x110CD, 0x110CD}, {0x13430, 0x1343F}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A}, {0xE0001, 0xE0001},
    {0xE0020, 0xE007F},
};

bool is_invisible(char32_t c) {
  if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029) return true;
  for (const auto& [lo, hi] : kFormatCharacters)
    if (c >= lo && c <= hi) return true;
  return false;
}

// Calls f(code point, its bytes) for each character of valid UTF-8 `s`.
template <class F>
void for_each_char(std::string_view s, F f) {
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const std::size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t c = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
    for (std::size_t k = 1; k < n && i + k < s.size(); ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    f(c, s.substr(i, n));
    i += n;
  }
}

}  // namespace

bool has_invisible_character(std::string_view s) {
  bool found = false;
  for_each_char(s, [&](char32_t c, std::string_view) { found = found || is_invisible(c); });
  return found;
}

std::string replace_invisible_characters(std::string_view s, std::string_view replacement) {
  std::string out;
  for_each_char(s, [&](char32_t c, std::string_view bytes) { out += is_invisible(c) ? replacement : bytes; });
  return out;
}

bool is_blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

std::string text_problem(std::string_view value, std::size_t max_bytes, bool multiline, bool required) {
  if (required && is_blank(value)) return "required";
  if (value.size() > max_bytes) return "too long (at most " + std::to_string(max_bytes) + " bytes)";
  if (!valid_utf8(value)) return "not valid UTF-8 text";
  if (has_control_character(value, multiline)) return "contains control characters";
  return "";
}

}  // namespace hl
