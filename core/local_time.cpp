#include "core/local_time.hpp"

#include <chrono>
#include <cstdio>

namespace hl {
namespace {

using namespace std::chrono;

LocalDate from_days(sys_days d) {
  year_month_day ymd{d};
  return {static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
          static_cast<unsigned>(ymd.day())};
}

sys_days to_days(LocalDate d) {
  return sys_days{year{d.year} / month{d.month} / day{d.day}};
}

TimeMs floor_div(TimeMs a, TimeMs b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

}  // namespace

LocalDate local_date(TimeMs t) {
  return from_days(sys_days{days{floor_div(t + kShanghaiOffsetMs, kMsPerDay)}});
}

TimeMs start_of_local_day(LocalDate d) {
  return to_days(d).time_since_epoch().count() * kMsPerDay - kShanghaiOffsetMs;
}

TimeMs end_of_local_day(LocalDate d) { return start_of_local_day(add_days(d, 1)) - 1; }

LocalDate add_days(LocalDate d, int n) { return from_days(to_days(d) + days{n}); }

int local_days_between(TimeMs from, TimeMs to) {
  return static_cast<int>((to_days(local_date(to)) - to_days(local_date(from))).count());
}

std::string format_date(LocalDate d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", d.year, d.month, d.day);
  return buf;
}

std::string format_iso8601(TimeMs t) {
  const LocalDate d = local_date(t);
  const TimeMs in_day = t + kShanghaiOffsetMs - floor_div(t + kShanghaiOffsetMs, kMsPerDay) * kMsPerDay;
  const long secs = static_cast<long>(in_day / 1000);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ld+08:00", d.year, d.month, d.day,
                secs / 3600, (secs / 60) % 60, secs % 60);
  return buf;
}

std::optional<LocalDate> parse_date(std::string_view s) {
  int y, m, d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (!digits(s, 0, 4, y) || !digits(s, 5, 2, m) || !digits(s, 8, 2, d)) return std::nullopt;
  year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || y < 1900 || y > 2200) return std::nullopt;
  return LocalDate{y, static_cast<unsigned>(m), static_cast<unsigned>(d)};
}

std::optional<TimeMs> parse_iso8601(std::string_view s) {
  auto date = parse_date(s.substr(0, 10));
  if (!date) return std::nullopt;
  if (s.size() == 10) return start_of_local_day(*date);
  if (s.size() < 16 || (s[10] != 'T' && s[10] != ' ')) return std::nullopt;
  int hh, mm, ss = 0, ms = 0;
  if (!digits(s, 11, 2, hh) || s[13] != ':' || !digits(s, 14, 2, mm)) return std::nullopt;
  std::size_t pos = 16;
  if (pos < s.size() && s[pos] == ':') {
    if (!digits(s, pos + 1, 2, ss)) return std::nullopt;
    pos += 3;
    if (pos < s.size() && s[pos] == '.') {
      std::size_t start = ++pos;
      int frac = 0, n = 0;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        if (n < 3) { frac = frac * 10 + (s[pos] - '0'); ++n; }
        ++pos;
      }
      if (pos == start) return std::nullopt;
      while (n < 3) { frac *= 10; ++n; }
      ms = frac;
    }
  }
  if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  TimeMs offset_ms;
  if (pos < s.size() && s[pos] == 'Z' && pos + 1 == s.size()) {
    offset_ms = 0;
  } else if (pos + 6 == s.size() && (s[pos] == '+' || s[pos] == '-') && s[pos + 3] == ':') {
    int oh, om;
    if (!digits(s, pos + 1, 2, oh) || !digits(s, pos + 4, 2, om) || oh > 14 || om > 59) return std::nullopt;
    offset_ms = (oh * 60 + om) * 60'000LL * (s[pos] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  const TimeMs utc_midnight = to_days(*date).time_since_epoch().count() * kMsPerDay;
  return utc_midnight + ((hh * 60 + mm) * 60 + ss) * 1000LL + ms - offset_ms;
}

}  // namespace hl
