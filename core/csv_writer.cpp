#include "core/csv_writer.hpp"

namespace hl {
namespace {

void append_quoted(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += field;
    return;
  }
  out += '"';
  for (char ch : field) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
}

}  // namespace

bool csv_formula_risk(std::string_view text) {
  if (text.empty()) return false;
  if (std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) return true;
  // Full-width ＝ ＋ － ＠ (U+FF1D, U+FF0B, U+FF0D, U+FF20) in UTF-8.
  for (std::string_view wide : {"\xEF\xBC\x9D", "\xEF\xBC\x8B", "\xEF\xBC\x8D", "\xEF\xBC\xA0"})
    if (text.starts_with(wide)) return true;
  return false;
}

void append_csv_text(std::string& out, std::string_view text) {
  if (csv_formula_risk(text)) append_quoted(out, "'" + std::string(text));
  else append_quoted(out, text);
}

void append_csv_number(std::string& out, std::string_view number) { append_quoted(out, number); }

}  // namespace hl
