#pragma once
// DV counts for the federation's monthly and yearly reports (protection orders applied / granted,
// warning letters, shelters, mandatory reports, risk assessments), per Shanghai calendar month, for
// an office and everything below it. Read-only; callers check that the office is in their scope.
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/db/connection.hpp"

namespace hl::casework {

struct DvMonthCounts {
  int year = 0;
  unsigned month = 0;  // 1..12, Shanghai calendar
  int risk_assessments = 0;
  int high_risk_assessments = 0;  // assessed high or extreme
  int protection_orders_applied = 0;   // by applied_at
  int protection_orders_granted = 0;   // by ruled_at
  int protection_orders_denied = 0;    // by ruled_at
  int protection_order_violations = 0; // by occurred_at
  int warning_letters = 0;             // by issued_at
  int shelter_stays = 0;               // stays begun (from)
  int mandatory_reports = 0;           // by reported_at
};

// One entry for every Shanghai calendar month that [from, to) touches, oldest first; each month
// counts only what falls inside [from, to). `office_path` is an office's path ("/1/4/"): its
// subtree is counted, by the office that owns each case. Empty when to <= from.
std::vector<DvMonthCounts> dv_monthly_counts(db::Connection& conn, const std::string& office_path, TimeMs from, TimeMs to);

}  // namespace hl::casework
