#pragma once
// The open-case aging picture a supervisor starts the day with: open cases of her scope counted by
// age bucket (Shanghai calendar days since receipt: 0-3, 4-7, 8-15, 16-30, 31-60, 61+), grouped by
// status, assignee, category, partner or sub-office; overdue deadlines by kind; and the cases most
// overdue. Read-only; everything comes from the partial index cases_open_aging (schema 005) and the
// open-deadline indexes, so it stays fast at a million cases.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "casework/actor.hpp"
#include "casework/case_query.hpp"
#include "casework/case_supervision.hpp"
#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

// The office whose subtree a supervision view covers.
struct ScopeOffice {
  std::int64_t id = 0;  // 0: the whole tree (system actor only)
  std::string name;
  std::string region_code;
  std::string path;
};

// `office_id` when given (it must lie in the actor's subtree, else not_found: never reveal that it
// exists), otherwise the actor's own office. forbidden for admins and partners (no case content).
Result<ScopeOffice> supervision_scope(db::Connection& conn, const Actor& actor, std::optional<std::int64_t> office_id);
// The active offices directly below `office_id`, by region code (the columns of an upper office's
// forms and its 汇总).
std::vector<ScopeOffice> offices_directly_below(db::Connection& conn, std::int64_t office_id);

enum class AgingGroup { status, assignee, category, partner, office };
std::optional<AgingGroup> parse_aging_group(std::string_view s);

inline constexpr int kAgingBuckets = 6;
// The bucket labels, and the first age (days) of each bucket after the first.
inline constexpr std::array<std::string_view, kAgingBuckets> kAgingBucketLabels = {"0-3", "4-7", "8-15", "16-30",
                                                                                    "31-60", "61+"};
inline constexpr std::array<int, kAgingBuckets - 1> kAgingBucketStarts = {4, 8, 16, 31, 61};
// The bucket of an age in whole Shanghai calendar days (0 on the day of receipt).
int aging_bucket(int age_days);

struct AgingRow {
  std::string key;    // status name, user id, category code, partner id, office id; "none" for none
  std::string label;  // display name from the data (user, category name_zh, partner, office); the key otherwise
  std::array<std::int64_t, kAgingBuckets> counts{};
  std::int64_t overdue = 0;  // open cases whose running deadline (next_due) has passed
  std::int64_t total = 0;
};

struct OverdueByDeadline {
  std::int64_t acceptance = 0;               // registered cases past their acceptance deadline
  std::int64_t handling = 0;                 // accepted open cases past their handling deadline
  std::int64_t referral_response = 0;        // referrals still `sent` past their response deadline
  std::int64_t protection_order_ruling = 0;  // orders still `applied` past their ruling deadline (0 without the DV tables)
};

struct AgingReport {
  TimeMs as_of = 0;
  ScopeOffice scope;
  AgingGroup group = AgingGroup::status;
  std::vector<AgingRow> rows;
  AgingRow totals;  // all open cases in scope (key "total")
  OverdueByDeadline overdue_by_deadline;
  std::vector<CaseSummary> oldest;  // up to 10: overdue first (earliest deadline first), then oldest received
  SupervisionCounts supervisions;    // open and overdue 督办 on the scope's cases
};

class Aging {
 public:
  // Rows come in workflow order for status, by total (descending) otherwise, "none" last. For
  // partner grouping a case counts once under each partner with an open referral and once under
  // "none" when it has none, so the rows may add up to more than the total.
  static Result<AgingReport> compute(db::Connection& conn, const Actor& actor, std::optional<std::int64_t> office_id,
                                     AgingGroup group, TimeMs now);
};

// True when the database has `table` with every column in `columns` (the DV tables arrive in a
// later migration than this code may run against).
bool table_has_columns(db::Connection& conn, std::string_view table, std::initializer_list<std::string_view> columns);

}  // namespace hl::casework
