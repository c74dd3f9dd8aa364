#include "casework/follow_up_attempts.hpp"

#include <array>

#include "casework/case_archive.hpp"
#include "casework/case_event_log.hpp"
#include "casework/case_repository.hpp"
#include "casework/vocabulary.hpp"
#include "core/local_time.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kInsert =
    "INSERT INTO follow_up_attempts(case_id, closed_at, result, rescheduled_to, note, attempted_at, recorded_by, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr std::string_view kColumns =
    "SELECT id, case_id, closed_at, result, rescheduled_to, note, attempted_at, recorded_by, created_at FROM follow_up_attempts";
constexpr std::string_view kByCase = " WHERE case_id = ?1 ORDER BY attempted_at, id";
constexpr std::string_view kOfClosure = " WHERE case_id = ?1 AND closed_at = ?2 ORDER BY attempted_at, id";

constexpr std::array<std::string_view, 3> kResults = {"no_answer", "rescheduled", "refused"};

FollowUpAttempt read(const db::Statement& st) {
  return {st.int64(0),    st.int64(1),     st.int64(2),     st.text(3), st.opt_int64(4),
          st.text(5),     st.int64(6),     st.opt_int64(7), st.int64(8)};
}

}  // namespace

Result<FollowUpAttempt> FollowUpAttemptService::record(db::Connection& conn, std::int64_t case_id,
                                                       const NewFollowUpAttempt& in, const Actor& actor) const {
  if (!actor.is_staff()) return fail(Errc::forbidden, "follow-ups are recorded by office staff");
  auto c = CaseRepository::get(conn, case_id, actor);
  if (!c) return std::unexpected(c.error());
  if (auto archived = CaseArchive::refuse_if_archived(conn, case_id); !archived) return std::unexpected(archived.error());
  const TimeMs now = clock_.now_ms();
  const TimeMs at = in.attempted_at.value_or(now);
  std::map<std::string, std::string> bad;
  if (!is_one_of(kResults, in.result)) bad["result"] = "one of no_answer, rescheduled, refused";
  if (in.result == "rescheduled" && !in.rescheduled_to) bad["rescheduled_to"] = "required";
  else if (in.result != "rescheduled" && in.rescheduled_to) bad["rescheduled_to"] = "only when rescheduled";
  else if (in.rescheduled_to && *in.rescheduled_to < start_of_local_day(local_date(at)))
    bad["rescheduled_to"] = "must not be before the day of the attempt";
  if (in.note.size() > 5000) bad["note"] = "at most 5000 bytes";
  if (at > now) bad["attempted_at"] = "cannot be in the future";
  if (!bad.empty()) return fail(Errc::invalid_input, "the follow-up attempt has invalid fields", std::move(bad));
  if (c->status != CaseStatus::closed || !c->closed_at)
    return fail(Errc::transition_not_allowed, "only a closed case is followed up", {{"case", "not closed"}});
  if (at < *c->closed_at)
    return fail(Errc::invalid_input, "the follow-up attempt has invalid fields",
                {{"attempted_at", "before the case was closed (" + format_iso8601(*c->closed_at) + ")"}});

  std::optional<std::int64_t> by;
  if (actor.user_id > 0) by = actor.user_id;
  conn.prepare(kInsert).bind_all(case_id, *c->closed_at, in.result, in.rescheduled_to, in.note, at, by, now).run();
  const std::int64_t id = conn.last_insert_rowid();
  EventData payload{{"follow_up_attempt_id", std::to_string(id)}, {"attempt_result", in.result}, {"attempted_at", format_iso8601(at)}};
  if (in.rescheduled_to) payload["rescheduled_to"] = format_date(local_date(*in.rescheduled_to));
  CaseEventLog::append(conn, {case_id, "follow_up_attempt", "closed", "closed", now, in.note, &payload}, actor);
  return FollowUpAttempt{id, case_id, *c->closed_at, in.result, in.rescheduled_to, in.note, at, by, now};
}

std::vector<FollowUpAttempt> FollowUpAttemptService::for_case(db::Connection& conn, std::int64_t case_id) {
  std::vector<FollowUpAttempt> out;
  auto st = conn.prepare(std::string(kColumns) + std::string(kByCase));
  st.bind_all(case_id);
  while (st.step()) out.push_back(read(st));
  return out;
}

std::map<std::int64_t, AttemptSummary> FollowUpAttemptService::summaries(
    db::Connection& conn, const std::vector<std::pair<std::int64_t, TimeMs>>& closures) {
  std::map<std::int64_t, AttemptSummary> out;
  auto st = conn.prepare(std::string(kColumns) + std::string(kOfClosure));
  for (const auto& [case_id, closed_at] : closures) {
    st.reset();
    st.bind(1, case_id).bind(2, closed_at);
    AttemptSummary s;
    while (st.step()) {
      ++s.count;
      s.last = read(st);
    }
    out[case_id] = std::move(s);
  }
  return out;
}

}  // namespace hl::casework
