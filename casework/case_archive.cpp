#include "casework/case_archive.hpp"

#include "casework/actor.hpp"
#include "casework/case_event_log.hpp"
#include "casework/case_procedure.hpp"
#include "casework/case_review.hpp"
#include "casework/deadline_policy.hpp"
#include "core/local_time.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kArchivedAt = "SELECT archived_at FROM cases WHERE id = ?1";
constexpr std::string_view kCase = "SELECT status, closed_at, archived_at, office_id FROM cases WHERE id = ?1";
constexpr std::string_view kOpenSupervision = "SELECT 1 FROM case_supervisions WHERE case_id = ?1 AND answered_at IS NULL LIMIT 1";
constexpr std::string_view kFollowUpOfClosure = "SELECT 1 FROM follow_ups WHERE case_id = ?1 AND closed_at = ?2 LIMIT 1";
constexpr std::string_view kRefusalOfClosure =
    "SELECT 1 FROM follow_up_attempts WHERE case_id = ?1 AND closed_at = ?2 AND result = 'refused' LIMIT 1";
// Walks cases_to_archive (schema 021) from a position, oldest closure first.
constexpr std::string_view kCandidates =
    "SELECT id, closed_at FROM cases WHERE status = 'closed' AND archived_at IS NULL AND closed_at < ?1"
    " AND (closed_at > ?2 OR (closed_at = ?2 AND id > ?3)) ORDER BY closed_at, id LIMIT ?4";
constexpr std::string_view kArchive =
    "UPDATE cases SET archived_at = ?2, updated_at = ?2, version = version + 1 WHERE id = ?1 AND archived_at IS NULL";

}  // namespace

std::optional<TimeMs> CaseArchive::archived_at(db::Connection& conn, std::int64_t case_id) {
  auto st = conn.prepare(kArchivedAt);
  st.bind_all(case_id);
  return st.step() ? st.opt_int64(0) : std::nullopt;
}

Status CaseArchive::refuse_if_archived(db::Connection& conn, std::int64_t case_id) {
  if (auto at = archived_at(conn, case_id))
    return fail(Errc::transition_not_allowed,
                "the case is archived (已存档) since " + format_date(local_date(*at)) + ": it is read-only");
  return {};
}

std::optional<std::string> CaseArchive::due_reason(db::Connection& conn, std::int64_t case_id, TimeMs now) {
  auto st = conn.prepare(kCase);
  st.bind_all(case_id);
  if (!st.step() || st.text(0) != "closed" || st.is_null(1) || !st.is_null(2)) return std::nullopt;
  const TimeMs closed_at = st.int64(1);
  const std::int64_t office_id = st.int64(3);
  st.reset();
  if (ReviewService::review_may_follow(conn, case_id, now)) return std::nullopt;
  // A 督办 still unanswered keeps the case open to its answer.
  if (auto sv = conn.prepare(kOpenSupervision); sv.bind_all(case_id), sv.step()) return std::nullopt;
  // A case received by 交办 stays open to the sender's return of its report until the sender accepts it.
  if (const auto received = ProcedureRepository::load(conn, case_id).received;
      received && received->mode == "delegate" && received->report_state.value_or("") != "accepted")
    return std::nullopt;
  auto fu = conn.prepare(kFollowUpOfClosure);
  fu.bind_all(case_id, closed_at);
  if (fu.step()) return "follow_up_done";
  // 拒绝回访 ends the follow-up of this closure: nobody calls her again, so nothing is left to wait for.
  auto refused = conn.prepare(kRefusalOfClosure);
  refused.bind_all(case_id, closed_at);
  if (refused.step()) return "follow_up_refused";
  const int days = load_deadline_policy(conn, office_id).archive_after_days;
  if (end_of_local_day(add_days(local_date(closed_at), days)) < now) return "time_elapsed";
  return std::nullopt;
}

CaseArchive::Sweep CaseArchive::archive_due(db::Connection& conn, TimeMs now,
                                            std::optional<std::pair<TimeMs, std::int64_t>> after, int batch) {
  Sweep out;
  std::vector<std::pair<std::int64_t, TimeMs>> ids;
  {
    auto st = conn.prepare(kCandidates);
    // Closed today: the review window of at least a day is open, so not due yet.
    st.bind_all(start_of_local_day(local_date(now)), after ? after->first : -1, after ? after->second : 0,
                static_cast<std::int64_t>(batch));
    while (st.step()) ids.emplace_back(st.int64(0), st.int64(1));
  }
  for (const auto& [id, closed_at] : ids) {
    const auto reason = due_reason(conn, id, now);
    if (!reason) continue;
    conn.prepare(kArchive).bind_all(id, now).run();
    if (conn.changes() != 1) continue;
    CaseEventLog::append_in_place(conn, id, "archive", Actor::system(), now, {{"reason", *reason}});
    ++out.archived;
  }
  if (static_cast<int>(ids.size()) == batch) out.next = std::pair{ids.back().second, ids.back().first};
  return out;
}

}  // namespace hl::casework
