#pragma once
// Each staff member's open load, for a supervisor deciding whom to (re)assign a case to: open cases
// by status and overdue, per operator and supervisor of the scope, plus the unassigned ones.
// Reassignment itself is CaseEdits::patch (PATCH /api/v1/cases/{id} with assignee_id).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "casework/actor.hpp"
#include "casework/aging.hpp"
#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

struct OpenLoad {
  std::map<std::string, std::int64_t> by_status;  // every open status, zeros included
  std::int64_t open = 0;
  std::int64_t overdue = 0;
};

struct StaffLoad {
  std::int64_t user_id = 0;
  std::string display_name;
  std::string role;
  std::optional<std::int64_t> office_id;
  std::string office_name;
  bool disabled = false;  // a disabled account still holding open cases: they need reassigning
  OpenLoad load;
};

struct WorkloadReport {
  TimeMs as_of = 0;
  ScopeOffice scope;
  std::vector<StaffLoad> staff;  // active staff of the scope (by office, then name), then anyone else holding its cases
  OpenLoad unassigned;
};

class Workload {
 public:
  // Same scope rules as the aging view (supervision_scope).
  static Result<WorkloadReport> compute(db::Connection& conn, const Actor& actor, std::optional<std::int64_t> office_id,
                                        TimeMs now);
};

}  // namespace hl::casework
