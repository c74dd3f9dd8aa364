#include "casework/report_period.hpp"

#include <cstdio>

namespace hl::casework {
namespace {

bool digits(std::string_view s, int& out) {
  if (s.empty()) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(int y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

std::optional<int> year_of(std::string_view s) {
  int y = 0;
  if (s.size() != 4 || !digits(s, y) || y < 2000 || y > 2100) return std::nullopt;
  return y;
}

ReportPeriod months(std::string key, PeriodKind kind, int year, unsigned first_month, unsigned count) {
  ReportPeriod p;
  p.key = std::move(key);
  p.kind = kind;
  p.first = {year, first_month, 1};
  const unsigned last_month = first_month + count - 1;
  p.last = {year, last_month, days_in_month(year, last_month)};
  p.from = start_of_local_day(p.first);
  p.to = start_of_local_day(add_days(p.last, 1));
  return p;
}

// "YYYY-MM-DD", checked against the calendar (2026-02-29 is refused, 2028-02-29 taken).
std::optional<LocalDate> strict_date(std::string_view s) {
  int y = 0, m = 0, d = 0;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (!year_of(s.substr(0, 4)) || !digits(s.substr(5, 2), m) || !digits(s.substr(8, 2), d)) return std::nullopt;
  y = *year_of(s.substr(0, 4));
  if (m < 1 || m > 12 || d < 1 || static_cast<unsigned>(d) > days_in_month(y, static_cast<unsigned>(m)))
    return std::nullopt;
  return LocalDate{y, static_cast<unsigned>(m), static_cast<unsigned>(d)};
}

}  // namespace

std::string_view to_string(PeriodKind k) {
  switch (k) {
    case PeriodKind::month: return "month";
    case PeriodKind::quarter: return "quarter";
    case PeriodKind::half: return "half";
    case PeriodKind::year: return "year";
    case PeriodKind::range: return "range";
  }
  return "range";
}

std::optional<ReportPeriod> parse_period(std::string_view text) {
  if (text.size() == 4) {
    auto y = year_of(text);
    if (!y) return std::nullopt;
    return months(std::string(text), PeriodKind::year, *y, 1, 12);
  }
  if (text.size() == 7 && text[4] == '-') {
    auto y = year_of(text.substr(0, 4));
    if (!y) return std::nullopt;
    const char tag = text[5];
    const char n = text[6];
    if ((tag == 'Q' || tag == 'q') && n >= '1' && n <= '4') {
      const unsigned q = static_cast<unsigned>(n - '0');
      return months(std::string(text.substr(0, 4)) + "-Q" + n, PeriodKind::quarter, *y, 3 * q - 2, 3);
    }
    if ((tag == 'H' || tag == 'h') && (n == '1' || n == '2')) {
      const unsigned h = static_cast<unsigned>(n - '0');
      return months(std::string(text.substr(0, 4)) + "-H" + n, PeriodKind::half, *y, 6 * h - 5, 6);
    }
    int m = 0;
    if (!digits(text.substr(5, 2), m) || m < 1 || m > 12) return std::nullopt;
    return months(std::string(text), PeriodKind::month, *y, static_cast<unsigned>(m), 1);
  }
  if (text.size() == 22 && text.substr(10, 2) == "..") {
    auto first = strict_date(text.substr(0, 10)), last = strict_date(text.substr(12, 10));
    if (!first || !last) return std::nullopt;
    ReportPeriod p;
    p.key = std::string(text);
    p.kind = PeriodKind::range;
    p.first = *first;
    p.last = *last;
    p.from = start_of_local_day(p.first);
    p.to = start_of_local_day(add_days(p.last, 1));
    if (p.to <= p.from) return std::nullopt;
    return p;
  }
  return std::nullopt;
}

std::string month_key(LocalDate d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u", d.year, d.month);
  return buf;
}

std::optional<ReportScope> parse_scope(std::string_view text) {
  if (text == "office") return ReportScope::office;
  if (text == "subtree") return ReportScope::subtree;
  return std::nullopt;
}

std::string_view to_string(ReportScope s) { return s == ReportScope::office ? "office" : "subtree"; }

}  // namespace hl::casework
