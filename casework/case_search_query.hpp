#pragma once
// What the case list's one search box was given: a phone number, an ID number, a case number (whole
// or its tail) or words. The server decides, so the desk needs one box and the operator no mode.
// Numbers are looked up through indexes (the keyed hashes of persons, the unique case_no), never by
// decrypting or scanning; words go to the full-text index.
#include <optional>
#include <string>
#include <string_view>

namespace hl::casework {

enum class SearchKind { text, phone, id_number, case_number };

struct SearchQuery {
  SearchKind kind = SearchKind::text;
  // text: the query trimmed; phone: its digits (normalize_phone); id_number: normalize_id_number;
  // case_number: the whole number "431023-2026-000242" when given whole, else empty.
  std::string value;
  // case_number given as a tail: "2026-000242" (year and serial) or "000242" (serial only).
  std::optional<int> year;
  std::string serial;  // six digits
};

// The rules, first match wins (surrounding spaces ignored):
//   case_number  NNNNNN-YYYY-NNNNNN (region, year, serial), YYYY-NNNNNN, or exactly six digits NNNNNN;
//   id_number    17 digits and a check character 0-9/X/x (18), or a valid legacy 15-digit one; spaces ignored;
//   phone        a mobile (11 digits 1[3-9]…, with or without +86/0086/86) or a landline with area code
//                (0 + 9–11 digits), spaces, '-', '(', ')', '.' and full-width forms ignored, exactly as
//                intake normalises a number; service numbers (110, 12338) are words here;
//   text         anything else.
SearchQuery classify_search_query(std::string_view q);

}  // namespace hl::casework
