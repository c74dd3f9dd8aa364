#pragma once
// 督办 (issue #13; schema/017_case_supervisions.sql): an office above the handling office — or the
// office that 交办'd the case to it — puts a case under supervision with a note and a due date; the
// handling office sees it flagged until it answers (督办回复), once. Open 督办 past their due date are
// counted as overdue on the dashboard.
//
// Who may do what:
//   open    a supervisor of an office strictly above the case's office (the case lies in her
//           subtree, not in her own office), or a supervisor of the office that sent this case to
//           its office by 交办 (case_transfers mode 'delegate'); not an operator, not a partner, not
//           the case's own office, a sibling or an office below (forbidden when she can read the
//           case, not_found when she cannot). Not on a closed or forwarded case.
//   answer  an operator or supervisor of the case's own office.
// Both write a case event in place (`supervise`, `supervision_answer`) in the caller's savepoint; the
// web layer adds the audit entry. Stateless apart from the clock: safe to share between threads.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "casework/actor.hpp"
#include "casework/case_record.hpp"
#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"
#include "core/local_time.hpp"

namespace hl::casework {

inline constexpr std::size_t kSupervisionTextMax = 5000;  // bytes of a note or an answer

struct SupervisionRecord {
  std::int64_t id = 0;
  std::int64_t case_id = 0;
  std::int64_t office_id = 0;  // the supervising office
  std::string office_name;
  std::optional<std::int64_t> user_id;
  std::optional<std::string> user_name;
  std::string note;
  TimeMs due_at = 0;  // the last millisecond of the due date (Beijing time)
  TimeMs created_at = 0;
  std::optional<std::string> answer;
  std::optional<TimeMs> answered_at;
  std::optional<std::int64_t> answered_by;
  std::optional<std::string> answered_by_name;

  bool is_open() const { return !answered_at.has_value(); }
  // Open past its due date; an answered 督办 is never overdue (on_time() says whether it was late).
  bool overdue(TimeMs now) const { return is_open() && now > due_at; }
  bool on_time() const { return answered_at && *answered_at <= due_at; }
};

struct NewSupervision {
  std::string note;
  std::optional<LocalDate> due_date;  // required; after today (Beijing calendar)
};

struct SupervisionCounts {
  std::int64_t open = 0;
  std::int64_t overdue = 0;  // open and past the due date
};

class SupervisionService {
 public:
  explicit SupervisionService(const Clock& clock) : clock_(clock) {}

  // not_found when the actor cannot read the case; forbidden when she may not supervise it (see
  // above); transition_not_allowed on a closed or forwarded case; invalid_input naming `note`
  // (required, ≤ 5000 bytes) or `due_date` (required, after today); conflict when her office has an
  // open 督办 on the case already.
  Result<SupervisionRecord> open(db::Connection& conn, std::int64_t case_id, const NewSupervision& in,
                                 const Actor& actor) const;

  // not_found when the actor cannot read the case or the case has no such 督办; forbidden for anyone
  // but staff of the case's office; invalid_input naming `answer` (required, ≤ 5000 bytes); conflict
  // when it was answered already (a 督办 is answered once).
  Result<SupervisionRecord> answer(db::Connection& conn, std::int64_t case_id, std::int64_t supervision_id,
                                   const std::string& answer, const Actor& actor) const;

  // Whether `actor` may open a 督办 on `c` as far as who she is goes (not the case's state or an
  // open one of her office): forbidden with the reason otherwise.
  static Status may_open(db::Connection& conn, const CaseRecord& c, const Actor& actor);
  // may_open, and the case neither closed nor forwarded: whether the desk offers the 督办 action.
  static bool offers_open(db::Connection& conn, const CaseRecord& c, const Actor& actor);
  // Staff of the case's own office.
  static bool may_answer(const CaseRecord& c, const Actor& actor);

  // The case's 督办, oldest first.
  static std::vector<SupervisionRecord> for_case(db::Connection& conn, std::int64_t case_id);
  // Open and overdue 督办 on the cases of the office subtree `path` ("/" for all): a scan of the
  // partial index of open ones, each case looked up by its key.
  static SupervisionCounts counts(db::Connection& conn, const std::string& path, TimeMs now);

 private:
  const Clock& clock_;
};

}  // namespace hl::casework
