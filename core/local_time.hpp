#pragma once
// Calendar arithmetic in China Standard Time (Asia/Shanghai, UTC+8, no daylight saving since 1991),
// the zone every office works in. Storage stays UTC epoch ms; these convert at the edges.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace hl {

constexpr TimeMs kMsPerDay = 86'400'000;
constexpr TimeMs kMsPerHour = 3'600'000;
constexpr TimeMs kShanghaiOffsetMs = 8 * kMsPerHour;

struct LocalDate {
  int year = 1970;
  unsigned month = 1;
  unsigned day = 1;
  friend bool operator==(const LocalDate&, const LocalDate&) = default;
};

// The Shanghai calendar date that contains instant t.
LocalDate local_date(TimeMs t);
// The first and last millisecond of a Shanghai calendar date.
TimeMs start_of_local_day(LocalDate d);
TimeMs end_of_local_day(LocalDate d);
LocalDate add_days(LocalDate d, int days);
// Whole Shanghai calendar days from the date of `from` to the date of `to` (0 on the same day).
int local_days_between(TimeMs from, TimeMs to);

// "2026-11-23T09:30:00+08:00" (Shanghai offset, second precision).
std::string format_iso8601(TimeMs t);
std::string format_date(LocalDate d);  // "2026-11-23"
// Accepts "YYYY-MM-DDTHH:MM[:SS[.fff]]" followed by Z or ±HH:MM (offset required), or a bare date
// "YYYY-MM-DD" meaning the start of that Shanghai day. Nullopt when malformed or out of range.
std::optional<TimeMs> parse_iso8601(std::string_view text);
std::optional<LocalDate> parse_date(std::string_view text);

}  // namespace hl
