#pragma once
// A case as stored (one row of `cases`). Deadlines are absolute UTC ms; nullopt when not running.
#include <cstdint>
#include <optional>
#include <string>

#include "casework/vocabulary.hpp"
#include "core/clock.hpp"

namespace hl::casework {

struct CaseRecord {
  std::int64_t id = 0;
  std::string case_no;
  std::int64_t office_id = 0;
  std::string office_path;
  CaseStatus status = CaseStatus::registered;
  std::string category;
  std::string channel;
  std::string urgency = "normal";
  std::string risk_level = "none";
  std::string summary;
  std::string narrative;
  std::optional<std::int64_t> assignee_id;
  TimeMs received_at = 0;
  std::optional<TimeMs> accepted_at, closed_at;
  std::optional<TimeMs> acceptance_due, handling_due, next_due;
  int extension_days = 0;
  std::optional<std::string> outcome, closure_summary, decline_reason;
  std::optional<std::int64_t> losses_avoided_fen;
  std::optional<std::int64_t> transferred_to_case_id, transferred_from_case_id;
  std::optional<std::int64_t> created_by;
  TimeMs created_at = 0, updated_at = 0;
  std::int64_t version = 1;
  std::optional<TimeMs> archived_at;  // 存档 (casework/case_archive.hpp): read-only since then
  std::optional<TimeMs> anonymised_at;  // retention (casework/case_retention.hpp): personal data gone
  // A supervisor's legal hold: retention does not anonymise the case while it is set.
  std::optional<TimeMs> legal_hold_at;
  std::optional<std::int64_t> legal_hold_by;
  std::optional<std::string> legal_hold_reason;

  bool overdue(TimeMs now) const { return next_due && *next_due < now && !is_ended(status); }
};

// One applied workflow event, as stored in case_events.
struct CaseEventRecord {
  std::int64_t id = 0;
  std::int64_t case_id = 0;
  std::string event;
  std::optional<std::string> from_status;
  std::string to_status;
  std::optional<std::int64_t> actor_id;
  TimeMs at = 0;
  std::string note;
  std::string payload_json;
};

}  // namespace hl::casework
