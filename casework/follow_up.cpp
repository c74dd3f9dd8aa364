#include "casework/follow_up.hpp"
#include "casework/case_archive.hpp"

#include <charconv>
#include <limits>

#include "casework/aging.hpp"
#include "casework/case_event_log.hpp"
#include "casework/case_repository.hpp"
#include "core/json_text.hpp"
#include "core/local_time.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kInsertFollowUp =
    "INSERT INTO follow_ups(case_id, closed_at, satisfaction, note, contacted_at, recorded_by, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
constexpr std::string_view kFollowUpColumns =
    "SELECT id, case_id, closed_at, satisfaction, note, contacted_at, recorded_by, created_at FROM follow_ups";
constexpr std::string_view kById = " WHERE id = ?1";
constexpr std::string_view kByCase = " WHERE case_id = ?1 ORDER BY id";
constexpr std::string_view kLatestOfClosure = " WHERE case_id = ?1 AND closed_at = ?2 ORDER BY id DESC LIMIT 1";

// Due: closed in [?1, ?2), in the scope ?3..?4, not transferred, no follow-up of this closure yet and
// no 拒绝回访 of it: a person who refused is not called again (for a DV victim a call may be a danger).
// A range scan of cases_closed_month (schema 005), which covers every column read here; the attempts
// by follow_up_attempts_case (schema 026).
constexpr std::string_view kDueWhere =
    " FROM cases c WHERE c.status = 'closed' AND c.closed_at >= ?1 AND c.closed_at < ?2"
    " AND c.office_path >= ?3 AND c.office_path < ?4 AND coalesce(c.outcome, '') <> 'transferred'"
    " AND NOT EXISTS (SELECT 1 FROM follow_ups f WHERE f.case_id = c.id AND f.closed_at = c.closed_at)"
    " AND NOT EXISTS (SELECT 1 FROM follow_up_attempts a WHERE a.case_id = c.id AND a.closed_at = c.closed_at"
    " AND a.result = 'refused')";
// Dissatisfied: the latest follow-up of the current closure says so. ?1..?2 (the due window) are
// bound but not used: SQLite accepts any index up to the highest one in the statement.
constexpr std::string_view kDissatisfiedWhere =
    " FROM follow_ups f JOIN cases c ON c.id = f.case_id WHERE f.satisfaction = 'dissatisfied'"
    " AND c.status = 'closed' AND f.closed_at = c.closed_at"
    " AND c.office_path >= ?3 AND c.office_path < ?4"
    " AND f.id = (SELECT max(g.id) FROM follow_ups g WHERE g.case_id = f.case_id AND g.closed_at = f.closed_at)";
constexpr std::string_view kCount = "SELECT count(*)";
constexpr std::string_view kPageIds = "SELECT c.id, c.closed_at";
constexpr std::string_view kAfterCursor =
    " AND (c.closed_at > ?5 OR (c.closed_at = ?5 AND c.id > ?6)) ORDER BY c.closed_at, c.id LIMIT ?7";
constexpr std::string_view kCaseWithAssignee = " FROM cases c LEFT JOIN users u ON u.id = c.assignee_id WHERE c.id = ?1";

constexpr std::array<std::string_view, 3> kSatisfaction = {"satisfied", "basically_satisfied", "dissatisfied"};

FollowUpRecord read_follow_up(const db::Statement& st) {
  return {st.int64(0), st.int64(1), st.int64(2), st.text(3), st.text(4), st.int64(5), st.opt_int64(6), st.int64(7)};
}

std::optional<std::pair<std::int64_t, std::int64_t>> parse_cursor(const std::string& s) {
  const auto colon = s.find(':');
  if (colon == std::string::npos) return std::nullopt;
  std::int64_t key = 0, id = 0;
  auto a = std::from_chars(s.data(), s.data() + colon, key);
  auto b = std::from_chars(s.data() + colon + 1, s.data() + s.size(), id);
  if (a.ec != std::errc() || a.ptr != s.data() + colon || b.ec != std::errc() || b.ptr != s.data() + s.size())
    return std::nullopt;
  return std::pair{key, id};
}

}  // namespace

Result<FollowUpRecord> FollowUpService::record(db::Connection& conn, std::int64_t case_id, const NewFollowUp& in,
                                               const Actor& actor) const {
  if (!actor.is_staff()) return fail(Errc::forbidden, "follow-ups are recorded by office staff");
  auto c = CaseRepository::get(conn, case_id, actor);
  if (!c) return std::unexpected(c.error());
  if (auto archived = CaseArchive::refuse_if_archived(conn, case_id); !archived) return std::unexpected(archived.error());
  const TimeMs now = clock_.now_ms();
  const TimeMs contacted_at = in.contacted_at.value_or(now);
  std::map<std::string, std::string> bad;
  if (!is_one_of(kSatisfaction, in.satisfaction))
    bad["satisfaction"] = "one of satisfied, basically_satisfied, dissatisfied";
  if (in.note.size() > 5000) bad["note"] = "at most 5000 bytes";
  if (contacted_at > now) bad["contacted_at"] = "cannot be in the future";
  if (!bad.empty()) return fail(Errc::invalid_input, "the follow-up has invalid fields", std::move(bad));
  if (c->status != CaseStatus::closed || !c->closed_at)
    return fail(Errc::transition_not_allowed, "only a closed case is followed up", {{"case", "not closed"}});
  if (contacted_at < *c->closed_at)
    return fail(Errc::invalid_input, "the follow-up has invalid fields",
                {{"contacted_at", "before the case was closed (" + format_iso8601(*c->closed_at) + ")"}});

  std::optional<std::int64_t> by;
  if (actor.user_id > 0) by = actor.user_id;
  conn.prepare(kInsertFollowUp).bind_all(case_id, *c->closed_at, in.satisfaction, in.note, contacted_at, by, now).run();
  const std::int64_t id = conn.last_insert_rowid();
  const EventData payload{{"follow_up_id", std::to_string(id)},
                          {"satisfaction", in.satisfaction},
                          {"contacted_at", format_iso8601(contacted_at)}};
  CaseEventLog::append(conn, {case_id, "follow_up", "closed", "closed", now, in.note, &payload}, actor);
  auto st = conn.prepare(std::string(kFollowUpColumns) + std::string(kById));
  st.bind_all(id);
  st.step();
  return read_follow_up(st);
}

std::vector<FollowUpRecord> FollowUpService::for_case(db::Connection& conn, std::int64_t case_id) {
  std::vector<FollowUpRecord> out;
  auto st = conn.prepare(std::string(kFollowUpColumns) + std::string(kByCase));
  st.bind_all(case_id);
  while (st.step()) out.push_back(read_follow_up(st));
  return out;
}

Result<FollowUpPage> FollowUpService::list(db::Connection& conn, const FollowUpFilter& f, const Actor& actor, TimeMs now) {
  std::map<std::string, std::string> bad;
  std::pair<std::int64_t, std::int64_t> cursor{std::numeric_limits<std::int64_t>::min(), 0};
  if (!f.cursor.empty()) {
    if (auto c = parse_cursor(f.cursor)) cursor = *c;
    else bad["cursor"] = "malformed cursor";
  }
  if (f.limit < 1 || f.limit > 200) bad["limit"] = "between 1 and 200";
  if (!bad.empty()) return fail(Errc::invalid_input, "invalid list parameters", std::move(bad));
  auto scope = supervision_scope(conn, actor, f.office_id);
  if (!scope) return std::unexpected(scope.error());

  const LocalDate today = local_date(now);
  const TimeMs window_start = start_of_local_day(add_days(today, -kFollowUpWindowDays));
  const TimeMs window_end = start_of_local_day(add_days(today, -(kFollowUpAfterDays - 1)));
  const std::string upper = subtree_upper_bound(scope->path);
  const std::string where(f.state == FollowUpState::due ? kDueWhere : kDissatisfiedWhere);
  auto bind_scope = [&](db::Statement& st) {
    st.bind(1, window_start).bind(2, window_end).bind(3, scope->path).bind(4, upper);
  };

  FollowUpPage page;
  {
    auto st = conn.prepare(std::string(kCount) + where);
    bind_scope(st);
    if (st.step()) page.total = st.int64(0);
  }
  std::vector<std::int64_t> ids;
  {
    auto st = conn.prepare(std::string(kPageIds) + where + std::string(kAfterCursor));
    bind_scope(st);
    st.bind(5, cursor.first).bind(6, cursor.second).bind(7, std::int64_t{f.limit} + 1);
    while (st.step()) ids.push_back(st.int64(0));
  }
  const bool more = ids.size() > static_cast<std::size_t>(f.limit);
  if (more) ids.pop_back();

  std::string sql = select_case_columns();
  sql += ", u.display_name";
  sql += kCaseWithAssignee;
  auto one = conn.prepare(sql);
  auto latest = conn.prepare(std::string(kFollowUpColumns) + std::string(kLatestOfClosure));
  for (auto id : ids) {
    one.reset();
    one.bind(1, id);
    if (!one.step()) continue;
    FollowUpItem item;
    item.summary.record = read_case_row(one);
    item.summary.assignee_name = one.opt_text(kCaseColumnCount);
    latest.reset();
    latest.bind(1, id).bind(2, item.summary.record.closed_at.value_or(0));
    if (latest.step()) item.latest = read_follow_up(latest);
    page.items.push_back(std::move(item));
  }
  std::vector<std::pair<std::int64_t, TimeMs>> closures;
  for (const auto& item : page.items) closures.emplace_back(item.summary.record.id, item.summary.record.closed_at.value_or(0));
  auto attempts = FollowUpAttemptService::summaries(conn, closures);
  for (auto& item : page.items) item.attempts = std::move(attempts[item.summary.record.id]);
  if (more && !page.items.empty()) {
    const auto& last = page.items.back().summary.record;
    page.next_cursor = std::to_string(last.closed_at.value_or(0)) + ":" + std::to_string(last.id);
  }
  return page;
}

}  // namespace hl::casework
