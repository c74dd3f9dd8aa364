#include "casework/case_supervision.hpp"

#include "casework/case_event_log.hpp"
#include "casework/case_repository.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kColumns =
    "SELECT s.id, s.case_id, s.office_id, o.name, s.user_id, u.display_name, s.note, s.due_at, s.created_at, s.answer,"
    " s.answered_at, s.answered_by, a.display_name FROM case_supervisions s JOIN offices o ON o.id = s.office_id"
    " LEFT JOIN users u ON u.id = s.user_id LEFT JOIN users a ON a.id = s.answered_by";
constexpr std::string_view kByCase = " WHERE s.case_id = ?1 ORDER BY s.id";
constexpr std::string_view kById = " WHERE s.id = ?1 AND s.case_id = ?2";
constexpr std::string_view kOpenOfOffice =
    "SELECT 1 FROM case_supervisions WHERE case_id = ?1 AND office_id = ?2 AND answered_at IS NULL";
constexpr std::string_view kInsert =
    "INSERT INTO case_supervisions(case_id, office_id, user_id, note, due_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
// `answered_at IS NULL` again here: the row is answered once even if two answers race.
constexpr std::string_view kAnswer =
    "UPDATE case_supervisions SET answer = ?2, answered_at = ?3, answered_by = ?4 WHERE id = ?1 AND answered_at IS NULL";
constexpr std::string_view kDelegatedBy =
    "SELECT 1 FROM case_transfers WHERE to_case_id = ?1 AND mode = 'delegate' AND from_office_id = ?2";
// Scans the open 督办 (a partial index), then each case by its key. CROSS JOIN keeps that order:
// with a plain JOIN SQLite walks the scope's cases in cases_scope_received instead and probes each
// one, which costs the scope's size (a province: every case) rather than the few open 督办.
constexpr std::string_view kCounts =
    "SELECT count(*), coalesce(sum(s.due_at < ?3), 0) FROM case_supervisions s CROSS JOIN cases c ON c.id = s.case_id"
    " WHERE s.answered_at IS NULL AND c.office_path >= ?1 AND c.office_path < ?2";

SupervisionRecord read_row(const db::Statement& st) {
  return {st.int64(0),      st.int64(1),      st.int64(2),  st.text(3),       st.opt_int64(4),
          st.opt_text(5),   st.text(6),       st.int64(7),  st.int64(8),      st.opt_text(9),
          st.opt_int64(10), st.opt_int64(11), st.opt_text(12)};
}

std::optional<SupervisionRecord> by_id(db::Connection& conn, std::int64_t id, std::int64_t case_id) {
  auto st = conn.prepare(std::string(kColumns) + std::string(kById));
  st.bind_all(id, case_id);
  if (!st.step()) return std::nullopt;
  return read_row(st);
}

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

std::optional<std::int64_t> user_of(const Actor& a) { return a.user_id > 0 ? std::optional(a.user_id) : std::nullopt; }

}  // namespace

Status SupervisionService::may_open(db::Connection& conn, const CaseRecord& c, const Actor& actor) {
  if (actor.role != Role::supervisor || !actor.office_id || actor.office_path.empty())
    return fail(Errc::forbidden, "a 督办 is opened by a supervisor of an office above or of the office that assigned the case");
  // Strictly above: the case lies in her subtree but not in her own office.
  const bool above = c.office_id != *actor.office_id && c.office_path.starts_with(actor.office_path);
  if (above) return {};
  auto st = conn.prepare(kDelegatedBy);
  st.bind_all(c.id, *actor.office_id);
  if (st.step()) return {};
  return fail(Errc::forbidden, "only an office above the handling office, or the office that assigned the case (交办), supervises it");
}

bool SupervisionService::offers_open(db::Connection& conn, const CaseRecord& c, const Actor& actor) {
  return c.status != CaseStatus::closed && c.status != CaseStatus::forwarded && may_open(conn, c, actor).has_value();
}

bool SupervisionService::may_answer(const CaseRecord& c, const Actor& actor) {
  return actor.is_staff() && actor.office_id && *actor.office_id == c.office_id;
}

Result<SupervisionRecord> SupervisionService::open(db::Connection& conn, std::int64_t case_id, const NewSupervision& in,
                                                   const Actor& actor) const {
  auto readable = CaseRepository::get_readable(conn, case_id, actor);
  if (!readable) return std::unexpected(readable.error());
  const CaseRecord& c = readable->record;
  if (auto allowed = may_open(conn, c, actor); !allowed) return std::unexpected(allowed.error());
  if (c.status == CaseStatus::closed || c.status == CaseStatus::forwarded)
    return fail(Errc::transition_not_allowed, "a closed or forwarded case is not supervised", {{"case", "not open"}});

  const TimeMs now = clock_.now_ms();
  std::map<std::string, std::string> bad;
  if (blank(in.note)) bad["note"] = "required";
  else if (in.note.size() > kSupervisionTextMax) bad["note"] = "at most 5000 bytes";
  // After today: a 督办 due today would be overdue before the handling office could read it.
  if (!in.due_date) bad["due_date"] = "required";
  else if (start_of_local_day(*in.due_date) <= end_of_local_day(local_date(now))) bad["due_date"] = "must be after today";
  if (!bad.empty()) return fail(Errc::invalid_input, "the 督办 has invalid fields", std::move(bad));

  auto dup = conn.prepare(kOpenOfOffice);
  dup.bind_all(case_id, *actor.office_id);
  if (dup.step()) return fail(Errc::conflict, "this office already has an open 督办 on the case");

  const TimeMs due_at = end_of_local_day(*in.due_date);
  conn.prepare(kInsert).bind_all(case_id, *actor.office_id, user_of(actor), in.note, due_at, now).run();
  const std::int64_t id = conn.last_insert_rowid();
  const EventData payload{{"supervision_id", std::to_string(id)},
                          {"supervising_office_id", std::to_string(*actor.office_id)},
                          {"due_date", format_date(*in.due_date)}};
  CaseEventLog::append_in_place(conn, case_id, "supervise", actor, now, payload, in.note);
  return *by_id(conn, id, case_id);
}

Result<SupervisionRecord> SupervisionService::answer(db::Connection& conn, std::int64_t case_id,
                                                     std::int64_t supervision_id, const std::string& text,
                                                     const Actor& actor) const {
  auto readable = CaseRepository::get_readable(conn, case_id, actor);
  if (!readable) return std::unexpected(readable.error());
  auto s = by_id(conn, supervision_id, case_id);
  if (!s) return fail(Errc::not_found, "no such 督办");
  if (!may_answer(readable->record, actor))
    return fail(Errc::forbidden, "a 督办 is answered by the office handling the case");
  if (!s->is_open()) return fail(Errc::conflict, "this 督办 was answered already");
  if (blank(text)) return fail(Errc::invalid_input, "the answer is required", {{"answer", "required"}});
  if (text.size() > kSupervisionTextMax)
    return fail(Errc::invalid_input, "the answer is too long", {{"answer", "at most 5000 bytes"}});

  const TimeMs now = clock_.now_ms();
  conn.prepare(kAnswer).bind_all(supervision_id, text, now, user_of(actor)).run();
  if (conn.changes() != 1) return fail(Errc::conflict, "this 督办 was answered already");
  const EventData payload{{"supervision_id", std::to_string(supervision_id)},
                          {"supervising_office_id", std::to_string(s->office_id)},
                          {"due_date", format_date(local_date(s->due_at))},
                          {"on_time", now <= s->due_at ? "true" : "false"}};
  CaseEventLog::append_in_place(conn, case_id, "supervision_answer", actor, now, payload, text);
  return *by_id(conn, supervision_id, case_id);
}

std::vector<SupervisionRecord> SupervisionService::for_case(db::Connection& conn, std::int64_t case_id) {
  std::vector<SupervisionRecord> out;
  auto st = conn.prepare(std::string(kColumns) + std::string(kByCase));
  st.bind_all(case_id);
  while (st.step()) out.push_back(read_row(st));
  return out;
}

SupervisionCounts SupervisionService::counts(db::Connection& conn, const std::string& path, TimeMs now) {
  auto st = conn.prepare(kCounts);
  st.bind_all(path, subtree_upper_bound(path), now);
  st.step();
  return {st.int64(0), st.int64(1)};
}

}  // namespace hl::casework
