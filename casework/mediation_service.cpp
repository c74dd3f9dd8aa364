#include "casework/mediation_service.hpp"

#include "casework/case_event_log.hpp"
#include "casework/case_repository.hpp"
#include "casework/case_service.hpp"
#include "core/json_text.hpp"
#include "core/local_time.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kSelect =
    "SELECT id, case_id, mediator, partner_id, scheduled_at, place, result, agreement_summary, next_session_at, version"
    " FROM mediations WHERE id = ?1";
constexpr std::string_view kInsert =
    "INSERT INTO mediations(case_id, mediator, partner_id, scheduled_at, place, created_by, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
constexpr std::string_view kSetResult =
    "UPDATE mediations SET result = ?3, agreement_summary = ?4, next_session_at = ?5, version = version + 1"
    " WHERE id = ?1 AND version = ?2";
constexpr std::string_view kCommittee = "SELECT 1 FROM partners WHERE id = ?1 AND type = 'mediation_committee' AND active = 1";

MediationRecord read(db::Statement& st) {
  return {st.int64(0), st.int64(1), st.text(2), st.opt_int64(3), st.int64(4), st.text(5),
          st.opt_text(6), st.opt_text(7), st.opt_int64(8), st.int64(9)};
}

}  // namespace

Result<MediationRecord> MediationService::get(db::Connection& conn, std::int64_t id, const Actor& actor) {
  auto st = conn.prepare(kSelect);
  st.bind_all(id);
  if (!st.step()) return fail(Errc::not_found, "no such mediation session");
  auto m = read(st);
  if (!actor.is_staff() && actor.role != Role::system) return fail(Errc::not_found, "no such mediation session");
  // Another office's session answers exactly like a missing one (not "no such case").
  if (auto c = CaseRepository::get(conn, m.case_id, actor); !c) return fail(Errc::not_found, "no such mediation session");
  return m;
}

Result<MediationRecord> MediationService::schedule(db::Connection& conn, std::int64_t case_id, const NewMediation& in,
                                                   const Actor& actor) const {
  auto c = CaseRepository::get(conn, case_id, actor);
  if (!c) return std::unexpected(c.error());
  std::map<std::string, std::string> bad;
  if (in.mediator.empty() || in.mediator.size() > 200) bad["mediator"] = "required, at most 200 bytes";
  if (in.place.size() > 200) bad["place"] = "at most 200 bytes";
  if (in.scheduled_at <= 0) bad["scheduled_at"] = "required";
  if (in.partner_id) {
    auto st = conn.prepare(kCommittee);
    st.bind_all(*in.partner_id);
    if (!st.step()) bad["partner_id"] = "not an active mediation committee";
  }
  if (!bad.empty()) return fail(Errc::invalid_input, "the session cannot be scheduled", bad);
  if (c->status == CaseStatus::mediation) {
    if (!actor.is_staff()) return fail(Errc::transition_not_allowed, "only office staff schedule mediation");
    const TimeMs now = clock_.now_ms();
    conn.prepare(kInsert).bind_all(case_id, in.mediator, in.partner_id, in.scheduled_at, in.place, actor.user_id, now).run();
    const auto id = conn.last_insert_rowid();
    CaseEventLog::append_in_place(conn, case_id, "mediation_scheduled", actor, now,
                                  {{"mediation_id", std::to_string(id)}, {"scheduled_at", format_iso8601(in.scheduled_at)}});
    return get(conn, id, actor);
  }
  EventData data{{"mediator", in.mediator}, {"scheduled_at", format_iso8601(in.scheduled_at)}, {"place", in.place}};
  if (in.partner_id) data["partner_id"] = std::to_string(*in.partner_id);
  auto started = CaseService(clock_).apply(conn, case_id, c->version, CaseEvent::start_mediation, actor, data);
  if (!started) return std::unexpected(started.error());
  auto latest = conn.prepare("SELECT max(id) FROM mediations WHERE case_id = ?1");
  latest.bind_all(case_id);
  latest.step();
  return get(conn, latest.int64(0), actor);
}

Result<MediationRecord> MediationService::record_result(db::Connection& conn, std::int64_t id, std::int64_t expected_version,
                                                        const std::string& result, const std::string& summary,
                                                        std::optional<TimeMs> next_session_at, const Actor& actor) const {
  auto m = get(conn, id, actor);
  if (!m) return std::unexpected(m.error());
  if (m->version != expected_version) return fail(Errc::conflict, "the session was changed by someone else; reload it");
  if (m->result) return fail(Errc::transition_not_allowed, "this session already has a result");
  std::map<std::string, std::string> bad;
  if (result != "agreement" && result != "failed" && result != "postponed") bad["result"] = "agreement, failed or postponed";
  if (result == "agreement" && summary.find_first_not_of(" \t\r\n") == std::string::npos)
    bad["agreement_summary"] = "required for an agreement";
  const TimeMs now = clock_.now_ms();
  if (result == "postponed" && (!next_session_at || *next_session_at <= now)) bad["next_session_at"] = "a future time is required";
  if (!bad.empty()) return fail(Errc::invalid_input, "the result cannot be recorded", bad);
  auto c = CaseRepository::get(conn, m->case_id, actor);
  if (!c) return std::unexpected(c.error());
  if (c->status != CaseStatus::mediation)
    return fail(Errc::transition_not_allowed, "the case is not in mediation (it is " + std::string(to_string(c->status)) + ")");

  if (result == "postponed") {
    conn.prepare(kSetResult).bind_all(id, expected_version, result, nullptr, *next_session_at).run();
    conn.prepare(kInsert).bind_all(m->case_id, m->mediator, m->partner_id, *next_session_at, m->place, actor.user_id, now).run();
    CaseEventLog::append_in_place(conn, m->case_id, "mediation_postponed", actor, now,
                                  {{"mediation_id", std::to_string(id)}, {"next_session_at", format_iso8601(*next_session_at)}});
    return get(conn, id, actor);
  }
  // end_mediation closes the latest open session with this result; make sure that is this one.
  auto latest = conn.prepare("SELECT max(id) FROM mediations WHERE case_id = ?1 AND result IS NULL");
  latest.bind_all(m->case_id);
  latest.step();
  if (latest.int64(0) != id) return fail(Errc::transition_not_allowed, "a later session of this case is still open");
  EventData data{{"outcome", result}};
  if (!summary.empty()) data["agreement_summary"] = summary;
  auto ended = CaseService(clock_).apply(conn, m->case_id, c->version, CaseEvent::end_mediation, actor, data);
  if (!ended) return std::unexpected(ended.error());
  return get(conn, id, actor);
}

}  // namespace hl::casework
