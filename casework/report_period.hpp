#pragma once
// The period of a statistics report (月报 / 季报 / 半年报 / 年报 / 自定义): Beijing calendar days,
// [from, to) in epoch ms with `to` the first instant of the day after the last one.
//   "2026-10"                  a month             kind month
//   "2026-Q3"                  a quarter (Q1–Q4)   kind quarter
//   "2026-H1"                  a half-year (H1/H2) kind half
//   "2026"                     a year              kind year
//   "2026-10-01..2026-11-15"   a custom range of inclusive Beijing dates (from <= to) kind range
// Years 2000–2100. A period's key is the text above, normalised (upper-case Q/H).
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/local_time.hpp"

namespace hl::casework {

enum class PeriodKind { month, quarter, half, year, range };
std::string_view to_string(PeriodKind k);

struct ReportPeriod {
  std::string key;
  PeriodKind kind = PeriodKind::month;
  LocalDate first, last;  // inclusive Beijing dates
  TimeMs from = 0, to = 0;  // [from, to)
};

std::optional<ReportPeriod> parse_period(std::string_view text);

// The Beijing months [from, to) touches, as "YYYY-MM", oldest first (the monthly series).
std::string month_key(LocalDate d);

enum class ReportScope { office, subtree };  // 本级 / 本级及下级
std::optional<ReportScope> parse_scope(std::string_view text);
std::string_view to_string(ReportScope s);

}  // namespace hl::casework
