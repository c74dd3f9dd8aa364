#include "casework/case_search_query.hpp"

#include <algorithm>

#include "casework/person_numbers.hpp"

namespace hl::casework {
namespace {

bool digits(std::string_view s, std::size_t n) {
  return s.size() == n && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

}  // namespace

SearchQuery classify_search_query(std::string_view raw) {
  const std::string_view q = trim(raw);
  SearchQuery out;
  // Case numbers first: "431023-2026-000242" would otherwise lose its dashes to the phone rules. A
  // township's or village's number starts with its twelve-digit code (schema 022).
  const std::size_t code = q.size() == 24 ? 12 : 6;
  if ((q.size() == 18 || q.size() == 24) && q[code] == '-' && q[code + 5] == '-' && digits(q.substr(0, code), code) &&
      digits(q.substr(code + 1, 4), 4) && digits(q.substr(code + 6), 6)) {
    out.kind = SearchKind::case_number;
    out.value = std::string(q);
    return out;
  }
  if (q.size() == 11 && q[4] == '-' && digits(q.substr(0, 4), 4) && digits(q.substr(5), 6)) {
    out.kind = SearchKind::case_number;
    out.year = std::stoi(std::string(q.substr(0, 4)));
    out.serial = std::string(q.substr(5));
    return out;
  }
  if (digits(q, 6)) {
    out.kind = SearchKind::case_number;
    out.serial = std::string(q);
    return out;
  }
  const std::string id = normalize_id_number(q);
  // Fifteen digits are also "0086" and a mobile: a legacy ID only when it is a valid one.
  if ((id.size() == 18 && digits(std::string_view(id).substr(0, 17), 17) && (id[17] == 'X' || digits(id.substr(17), 1))) ||
      (digits(id, 15) && valid_id_number(id))) {
    out.kind = SearchKind::id_number;
    out.value = id;
    return out;
  }
  // normalize_phone also takes 3–6 digit service numbers; a case is not found by "110".
  if (auto phone = normalize_phone(q); phone && phone->size() >= 10) {
    out.kind = SearchKind::phone;
    out.value = *phone;
    return out;
  }
  out.value = std::string(q);
  return out;
}

}  // namespace hl::casework
