#include "intake/repeat_rules.hpp"

#include "core/local_time.hpp"

namespace hl::intake {

TimeMs repeat_window_start(TimeMs now) {
  LocalDate d = local_date(now);
  d.year -= 1;
  // Only 29 February has no twin a year earlier.
  if (d.month == 2 && d.day == 29) d.day = 28;
  return start_of_local_day(d);
}

std::string_view repeat_candidate_reason(bool ended, std::optional<TimeMs> closed_at, TimeMs now) {
  if (!ended) return "open";
  // An ended case without a closing time (imported data) is treated as closed long ago.
  if (closed_at && *closed_at >= repeat_window_start(now)) return "closed_within_12_months";
  return "";
}

}  // namespace hl::intake
