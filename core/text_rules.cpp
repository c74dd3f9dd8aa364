#include "core/text_rules.hpp"

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

bool is_blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

std::string text_problem(std::string_view value, std::size_t max_bytes, bool multiline, bool required) {
  if (required && is_blank(value)) return "required";
  if (value.size() > max_bytes) return "too long (at most " + std::to_string(max_bytes) + " bytes)";
  if (!valid_utf8(value)) return "not valid UTF-8 text";
  if (has_control_character(value, multiline)) return "contains control characters";
  return "";
}

}  // namespace hl
