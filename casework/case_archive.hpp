#pragma once
// 存档 (DOMAIN.md, "The handling process"): a closed case is archived once its follow-up (回访) is done
// and no 复查 / 复核 window is open — or, whatever the follow-up, `archive_after_days` after closure
// (deadline policy, default 90) — provided no review is pending or may still be asked, no 交办 report
// is owed and no 督办 is unanswered. Archived cases are read-only: every write refuses them
// (refuse_if_archived), except the DV measures, which outlive the case. Reads go on, audited as before.
//
// The server archives due cases in the background (archive_due, in batches on the writer); each leaves
// an `archive` case event saying why.
#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

class CaseArchive {
 public:
  // When the case was archived; nullopt when it is not (or does not exist).
  static std::optional<TimeMs> archived_at(db::Connection& conn, std::int64_t case_id);

  // transition_not_allowed ("the case is archived (已存档) …") for an archived case, else success.
  static Status refuse_if_archived(db::Connection& conn, std::int64_t case_id);

  // Why the case may be archived at `now` ("follow_up_done", "follow_up_refused" or "time_elapsed"), or
  // nullopt when it may not be yet (not closed, already archived, a review pending or still open, a
  // report owed, no follow-up or refusal and not old enough).
  static std::optional<std::string> due_reason(db::Connection& conn, std::int64_t case_id, TimeMs now);

  // Archives up to `batch` due cases, examining closed unarchived cases oldest closure first from the
  // position after (after_closed_at, after_id); returns how many were archived and where it stopped
  // (the position of the last case examined; nullopt when the walk reached the end).
  struct Sweep {
    int archived = 0;
    std::optional<std::pair<TimeMs, std::int64_t>> next;
  };
  static Sweep archive_due(db::Connection& conn, TimeMs now, std::optional<std::pair<TimeMs, std::int64_t>> after,
                           int batch = 200);
};

}  // namespace hl::casework
