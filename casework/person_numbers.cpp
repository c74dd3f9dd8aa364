#include "casework/person_numbers.hpp"

#include "casework/division_codes.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <tuple>

namespace hl::casework {
namespace {

// Nobody types a phone number this long; refusing early bounds the work on hostile input.
constexpr std::size_t kMaxRawPhone = 64;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_digits(std::string_view s) { return std::all_of(s.begin(), s.end(), is_digit); }

bool is_mobile(std::string_view s) {
  return s.size() == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9' && all_digits(s);
}

bool is_landline(std::string_view s) {
  return s.size() >= 10 && s.size() <= 12 && s[0] == '0' && s[1] != '0' && all_digits(s);
}

bool is_service_number(std::string_view s) {
  return s.size() >= 3 && s.size() <= 6 && s[0] != '0' && all_digits(s);
}

// Drops separators and maps full-width digits and '+' to ASCII. Nullopt on any other character.
std::optional<std::string> strip_separators(std::string_view raw) {
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (is_digit(c) || c == '+') {
      out += c;
    } else if (c == ' ' || c == '\t' || c == '-' || c == '(' || c == ')' || c == '.') {
      continue;
    } else if (raw.substr(i).starts_with("\xE3\x80\x80")) {  // U+3000 ideographic space
      i += 2;
    } else if (raw.substr(i).starts_with("\xEF\xBC") && i + 2 < raw.size()) {  // U+FF00 block
      const auto third = static_cast<unsigned char>(raw[i + 2]);
      if (third >= 0x90 && third <= 0x99) {  // U+FF10..U+FF19 full-width digits
        out += static_cast<char>('0' + (third - 0x90));
      } else if (third == 0x8B) {  // U+FF0B full-width plus
        out += '+';
      } else if (third != 0x88 && third != 0x89 && third != 0x8D && third != 0x8E) {  // （ ） － ．
        return std::nullopt;
      }
      i += 2;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

std::optional<LocalDate> calendar_date(int year, int month, int day) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return std::nullopt;
  const int last = kDays[static_cast<std::size_t>(month - 1)] + (month == 2 && is_leap(year) ? 1 : 0);
  if (day > last) return std::nullopt;
  return LocalDate{year, static_cast<unsigned>(month), static_cast<unsigned>(day)};
}

int number(std::string_view digits) {
  int n = 0;
  for (char c : digits) n = n * 10 + (c - '0');
  return n;
}

// GB 11643 / ISO 7064 MOD 11-2 check character of the first 17 digits.
char id_check_character(std::string_view first17) {
  static constexpr std::array<int, 17> kWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr std::string_view kCheck = "10X98765432";
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return kCheck[static_cast<std::size_t>(sum % 11)];
}

// The birth date field, before the checksum: 18-character IDs carry YYYYMMDD at offset 6, legacy
// 15-digit ones YYMMDD (all in the 1900s) at the same offset.
std::optional<LocalDate> encoded_birth_date(std::string_view id) {
  std::optional<LocalDate> date;
  if (id.size() == 18) {
    date = calendar_date(number(id.substr(6, 4)), number(id.substr(10, 2)), number(id.substr(12, 2)));
    if (date && (date->year < 1900 || date->year > 2099)) return std::nullopt;
  } else if (id.size() == 15) {
    date = calendar_date(1900 + number(id.substr(6, 2)), number(id.substr(8, 2)), number(id.substr(10, 2)));
  }
  return date;
}

}  // namespace

std::optional<std::string> normalize_phone(std::string_view raw) {
  if (raw.size() > kMaxRawPhone) return std::nullopt;
  auto stripped = strip_separators(raw);
  if (!stripped) return std::nullopt;
  std::string_view s = *stripped;
  // A country prefix is dropped only before a mobile: for landlines callers dial "+86 735…" without
  // the trunk 0, and guessing it back would risk matching the wrong number.
  for (std::string_view prefix : {"+86", "0086", "86"}) {
    if (s.starts_with(prefix) && is_mobile(s.substr(prefix.size()))) return std::string(s.substr(prefix.size()));
  }
  if (is_mobile(s) || is_landline(s) || is_service_number(s)) return std::string(s);
  return std::nullopt;
}

std::optional<std::string> normalize_person_phone(std::string_view raw) {
  auto digits = normalize_phone(raw);
  if (!digits || !(is_mobile(*digits) || is_landline(*digits))) return std::nullopt;
  return digits;
}

// The checks of valid_id_number one by one, so the operator learns what to ask the caller again
// (issue #15): the length, the characters, the region code, the birth date, the check character.
// Every reason starts "not a valid resident ID number: " (the ledger import and older desks match it).
std::optional<std::string> id_number_problem(std::string_view raw, LocalDate today) {
  const std::string id = normalize_id_number(raw);
  if (id.size() != 18 && id.size() != 15)
    return "not a valid resident ID number: it has 18 characters (an old one 15 digits)";
  if (id.size() == 18 ? !all_digits(id.substr(0, 17)) || !(is_digit(id[17]) || id[17] == 'X') : !all_digits(id))
    return "not a valid resident ID number: only digits, and X as the 18th character";
  if (!valid_region_code(id.substr(0, 6)))
    return "not a valid resident ID number: its region code (the first 6 digits) cannot start with 0";
  if (!encoded_birth_date(id)) return "not a valid resident ID number: its birth date is not a real date";
  if (id.size() == 18 && id[17] != id_check_character(id.substr(0, 17)))
    return "not a valid resident ID number: its check character (the last) does not match the other digits";
  const auto born = id_birth_date(id);
  if (!born) return "not a valid resident ID number";  // not reached: the checks above are valid_id_number's
  if (std::tie(born->year, born->month, born->day) > std::tie(today.year, today.month, today.day))
    return "its birth date is in the future";
  return std::nullopt;
}

std::string normalize_id_number(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (char c : raw) {
    if (c == ' ' || c == '\t') continue;
    out += c == 'x' ? 'X' : c;
  }
  return out;
}

bool valid_id_number(std::string_view id) {
  if (id.size() == 18) {
    if (!all_digits(id.substr(0, 17))) return false;
    const char check = id[17] == 'x' ? 'X' : id[17];
    if (check != id_check_character(id.substr(0, 17))) return false;
  } else if (id.size() == 15) {
    if (!all_digits(id)) return false;
  } else {
    return false;
  }
  return valid_region_code(id.substr(0, 6)) && encoded_birth_date(id).has_value();
}

std::optional<LocalDate> id_birth_date(std::string_view id) {
  if (!valid_id_number(id)) return std::nullopt;
  return encoded_birth_date(id);
}

std::string mask_phone(std::string_view normalized) {
  const std::size_t n = normalized.size();
  std::size_t head = 0, tail = 0;
  if (n >= 8) {
    head = 3;
    tail = 4;
  } else if (n >= 5) {
    tail = 2;
  }
  std::string out(normalized.substr(0, head));
  out.append(n - head - tail, '*');
  out.append(normalized.substr(n - tail));
  return out;
}

bool valid_region_code(std::string_view code) { return code.size() == 6 && code[0] != '0' && all_digits(code); }

bool valid_person_region_code(std::string_view code) {
  if ((code.size() != 6 && code.size() != 9) || code[0] == '0' || !all_digits(code)) return false;
  std::uint32_t n = 0;
  for (char c : code) n = n * 10 + static_cast<std::uint32_t>(c - '0');
  return std::ranges::binary_search(division_codes(), n);
}

}  // namespace hl::casework
