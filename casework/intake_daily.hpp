#pragma once
// Contacts taken per Shanghai calendar day and channel over the last N days (today included), for
// the supervisor's dashboard. Counted by the office that took the contact (as the monthly report
// does), over the caller's subtree or a sub-office of it. Read-only, from the index
// contacts_office_received: one range scan per office of the subtree.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "casework/actor.hpp"
#include "casework/aging.hpp"
#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

struct ChannelSeries {
  std::string channel;
  std::vector<std::int64_t> counts;  // one per day, oldest first
};

struct IntakeDaily {
  ScopeOffice scope;
  TimeMs as_of = 0;
  std::vector<std::string> days;       // "YYYY-MM-DD", oldest first, today last
  std::vector<ChannelSeries> series;   // every channel, in vocabulary order
  std::vector<std::int64_t> total;     // per day
  std::vector<std::int64_t> persons;   // 人次 per day (a group visit of 5 counts 5)
};

inline constexpr int kMaxIntakeDays = 366;

// invalid_input when days is outside 1..kMaxIntakeDays; scope errors as supervision_scope().
Result<IntakeDaily> intake_daily(db::Connection& conn, const Actor& actor, std::optional<std::int64_t> office_id,
                                 int days, TimeMs now);

}  // namespace hl::casework
