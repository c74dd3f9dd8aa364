#include "casework/case_event_log.hpp"

#include "core/json_text.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kAppend =
    "INSERT INTO case_events(case_id, event, from_status, to_status, actor_id, at, note, payload)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
// The status is read in the same statement, so the row cannot disagree with the case.
constexpr std::string_view kAppendInPlace =
    "INSERT INTO case_events(case_id, event, from_status, to_status, actor_id, at, note, payload)"
    " SELECT id, ?2, status, status, ?3, ?4, ?5, ?6 FROM cases WHERE id = ?1";

std::optional<std::int64_t> actor_id(const Actor& actor) {
  if (actor.user_id > 0) return actor.user_id;
  return std::nullopt;
}

}  // namespace

void CaseEventLog::append(db::Connection& conn, const CaseEventEntry& e, const Actor& actor) {
  conn.prepare(kAppend)
      .bind_all(e.case_id, e.event, e.from_status, e.to_status, actor_id(actor), e.at, e.note,
                json_object(e.payload ? *e.payload : EventData{}))
      .run();
}

void CaseEventLog::append_in_place(db::Connection& conn, std::int64_t case_id, std::string_view event, const Actor& actor,
                                   TimeMs at, const EventData& payload, std::string_view note) {
  conn.prepare(kAppendInPlace)
      .bind_all(case_id, event, actor_id(actor), at, note, json_object(payload))
      .run();
}

}  // namespace hl::casework
