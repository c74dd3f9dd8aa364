#pragma once
// When an earlier case makes a new contact a repeat (重复访, DOMAIN.md "The handling process"): the
// same person about a matter the office already has — the case still open, or closed (办结, 不予受理
// or 已转送) within the last 12 months. No database here: the screen-pop and intake both ask this.
#include <optional>
#include <string_view>

#include "core/clock.hpp"

namespace hl::intake {

// The start of the 12-month window ending at `now`: the same calendar day twelve months earlier
// (29 February → 28 February), at 00:00 北京时间. A case closed at or after it is still a candidate.
TimeMs repeat_window_start(TimeMs now);

// "open" (not ended), "closed_within_12_months", or "" when the case is no repeat candidate.
// `ended`: the case's status is one that ends it here (closed, forwarded); closed_at its end.
std::string_view repeat_candidate_reason(bool ended, std::optional<TimeMs> closed_at, TimeMs now);

}  // namespace hl::intake
