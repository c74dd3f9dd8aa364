#pragma once
// Calendar-month arithmetic in Asia/Shanghai for the DV module's legal periods.
//
// "N months" (an order lasts at most 6 months; repeat victimisation looks back 12 months) means N
// Shanghai calendar months: the same wall-clock time on the same day of the month N months later.
// When that day does not exist the period ends on the last day of the target month at the same
// time (2026-08-31 10:00 + 6 months = 2027-02-28 10:00). China has had no daylight saving since
// 1991, so the wall-clock time always exists.
#include "core/clock.hpp"

namespace hl::casework {

// t moved by `months` Shanghai calendar months (negative moves back).
TimeMs add_local_months(TimeMs t, int months);

}  // namespace hl::casework
