#pragma once
// Follow-up after closure (回访): the office calls the person back and records her satisfaction.
//
// The rule: a closed case is due for follow-up from the 7th Shanghai calendar day after the day it
// was closed until the 90th (kFollowUpAfterDays..kFollowUpWindowDays), unless a follow-up of that
// closure is already recorded. Cases closed by transfer are left out: the receiving office follows
// up. A follow-up belongs to one closure (follow_ups.closed_at = the case's closed_at): a reopened
// and re-closed case is due again. A follow-up may also be recorded outside the window.
//
// "dissatisfied" flags the case: it stays on the dissatisfied list while the case is closed and the
// latest follow-up of its closure is dissatisfied — until a supervisor reopens it (the workflow's
// reopen event) or a later follow-up records another answer.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "casework/actor.hpp"
#include "casework/case_query.hpp"
#include "casework/follow_up_attempts.hpp"
#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

inline constexpr int kFollowUpAfterDays = 7;
inline constexpr int kFollowUpWindowDays = 90;

struct FollowUpRecord {
  std::int64_t id = 0;
  std::int64_t case_id = 0;
  TimeMs closed_at = 0;
  std::string satisfaction;  // satisfied | basically_satisfied | dissatisfied
  std::string note;
  TimeMs contacted_at = 0;
  std::optional<std::int64_t> recorded_by;
  TimeMs created_at = 0;
};

struct NewFollowUp {
  std::string satisfaction;
  std::string note;
  std::optional<TimeMs> contacted_at;  // default: now
};

enum class FollowUpState { due, dissatisfied };

struct FollowUpFilter {
  FollowUpState state = FollowUpState::due;
  std::optional<std::int64_t> office_id;
  int limit = 50;
  std::string cursor;  // opaque, from a previous page
};

struct FollowUpItem {
  CaseSummary summary;                    // the (closed) case
  std::optional<FollowUpRecord> latest;   // the latest follow-up of this closure (dissatisfied list)
  AttemptSummary attempts;                // 未接通 / 改期 / 拒绝回访 on this closure: how many, the last
};

struct FollowUpPage {
  std::vector<FollowUpItem> items;
  std::optional<std::string> next_cursor;
  std::int64_t total = 0;  // all matching cases, not only this page
};

class FollowUpService {
 public:
  explicit FollowUpService(const Clock& clock) : clock_(clock) {}

  // Staff in scope, on a closed case. Writes the follow_ups row and a `follow_up` case event (closed →
  // closed) in the caller's savepoint. not_found out of scope; transition_not_allowed when the case is
  // not closed; invalid_input naming satisfaction, note (≤ 5000 bytes) or contacted_at (in the future,
  // or before the closure).
  Result<FollowUpRecord> record(db::Connection& conn, std::int64_t case_id, const NewFollowUp& in,
                                const Actor& actor) const;

  // The due or the dissatisfied list of the actor's scope (or a sub-office), oldest closure first.
  // invalid_input for a bad limit or cursor; forbidden for admins and partners.
  static Result<FollowUpPage> list(db::Connection& conn, const FollowUpFilter& filter, const Actor& actor, TimeMs now);

  static std::vector<FollowUpRecord> for_case(db::Connection& conn, std::int64_t case_id);

 private:
  const Clock& clock_;
};

}  // namespace hl::casework
