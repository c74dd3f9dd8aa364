// CaseService::import_case: cases from a legacy ledger, written through the service like every other
// case so that the status, the deadlines and the event log follow the same rules.
#include "casework/case_event_log.hpp"
#include "casework/case_numbering.hpp"
#include "casework/case_service.hpp"
#include "casework/vocabulary.hpp"
#include "core/local_time.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kInsertImported =
    "INSERT INTO cases(case_no, office_id, office_path, status, category, channel, urgency, summary, narrative,"
    " received_at, accepted_at, closed_at, acceptance_due, handling_due, next_due, outcome, closure_summary,"
    " losses_avoided_fen, losses_recovered_fen, created_by, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'normal', ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?20, ?18, ?19, ?19)";

}  // namespace

std::int64_t CaseService::import_case(db::Connection& conn, const ImportedCase& in, const DeadlinePolicy& policy,
                                      const Actor& actor) const {
  const bool closed = in.status == CaseStatus::closed, registered = in.status == CaseStatus::registered;
  std::optional<TimeMs> accepted_at, closed_at, acceptance_due, handling_due, next_due;
  std::optional<std::string> outcome, closure_summary;
  if (!registered) accepted_at = in.received_at;
  if (registered) {
    next_due = acceptance_due = policy.acceptance_due(in.received_at);
  } else if (!closed) {
    next_due = handling_due = policy.handling_due(in.received_at);
  } else {
    closed_at = in.closed_at.value_or(in.received_at);
    outcome = "imported";
    closure_summary = in.closure_summary;
  }
  std::optional<std::int64_t> by;
  if (actor.user_id > 0) by = actor.user_id;
  const TimeMs now = clock_.now_ms();
  const std::string case_no = next_case_no(conn, in.office_id, local_date(in.received_at).year);
  conn.prepare(kInsertImported)
      .bind_all(case_no, in.office_id, in.office_path, to_string(in.status), in.category, in.channel, in.summary,
                in.narrative, in.received_at, accepted_at, closed_at, acceptance_due, handling_due, next_due, outcome,
                closure_summary, in.losses_avoided_fen, by, now, in.losses_recovered_fen)
      .run();
  const std::int64_t id = conn.last_insert_rowid();
  CaseEventLog::append(conn, {id, "import", std::nullopt, to_string(in.status), now, {}, &in.source}, actor);
  return id;
}

}  // namespace hl::casework
