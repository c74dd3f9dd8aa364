#pragma once
// Follow-up attempts (回访尝试): a call back that did not reach a result — 未接通 (no_answer), 改期
// (rescheduled, with the agreed new date) or 拒绝回访 (refused). DOMAIN.md: each attempt is recorded, and
// a reached person's rating is a follow-up (follow_up.hpp). Attempts are kept apart from follow-ups:
// follow_up.done and the satisfaction rate count results only, and an attempt does not take a case off
// the due list. An attempt belongs to one closure, like a follow-up. Writes run on the single writer.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "casework/actor.hpp"
#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

struct FollowUpAttempt {
  std::int64_t id = 0;
  std::int64_t case_id = 0;
  TimeMs closed_at = 0;
  std::string result;  // no_answer | rescheduled | refused
  std::optional<TimeMs> rescheduled_to;
  std::string note;
  TimeMs attempted_at = 0;
  std::optional<std::int64_t> recorded_by;
  TimeMs created_at = 0;
};

struct NewFollowUpAttempt {
  std::string result;
  std::optional<TimeMs> rescheduled_to = {};  // required for rescheduled: not before the attempt's day
  std::string note = {};
  std::optional<TimeMs> attempted_at = {};    // default: now
};

// The attempts of a case's current closure: how many, and the latest.
struct AttemptSummary {
  std::int64_t count = 0;
  std::optional<FollowUpAttempt> last;
};

class FollowUpAttemptService {
 public:
  explicit FollowUpAttemptService(const Clock& clock) : clock_(clock) {}

  // Staff in scope, on a closed case that is not archived. Writes the row and a `follow_up_attempt`
  // event (closed → closed). not_found out of scope; transition_not_allowed when not closed;
  // invalid_input naming result, rescheduled_to (required for rescheduled only, not before the
  // attempt's day), note (≤ 5000 bytes) or attempted_at (in the future, before the closure).
  Result<FollowUpAttempt> record(db::Connection& conn, std::int64_t case_id, const NewFollowUpAttempt& in,
                                 const Actor& actor) const;

  // Every attempt on the case, oldest first (the caller checks the scope).
  static std::vector<FollowUpAttempt> for_case(db::Connection& conn, std::int64_t case_id);
  // For each case id, the attempts of the closure given with it.
  static std::map<std::int64_t, AttemptSummary> summaries(db::Connection& conn,
                                                          const std::vector<std::pair<std::int64_t, TimeMs>>& closures);

 private:
  const Clock& clock_;
};

}  // namespace hl::casework
