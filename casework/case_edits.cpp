#include "casework/case_edits.hpp"
#include "casework/case_archive.hpp"

#include "casework/case_event_log.hpp"
#include "casework/case_repository.hpp"
#include "casework/case_search.hpp"
#include "core/json_text.hpp"
#include "core/text_rules.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kUpdate =
    "UPDATE cases SET summary = ?3, narrative = ?4, category = ?5, urgency = ?6, assignee_id = ?7, updated_at = ?8,"
    " version = version + 1 WHERE id = ?1 AND version = ?2";
constexpr std::string_view kCategory = "SELECT 1 FROM categories WHERE code = ?1 AND parent_code IS NOT NULL AND active = 1";
constexpr std::string_view kAssignable =
    "SELECT 1 FROM users u JOIN offices o ON o.id = u.office_id WHERE u.id = ?1 AND u.disabled = 0"
    " AND u.role IN ('operator','supervisor') AND substr(?2, 1, length(o.path)) = o.path";
constexpr std::string_view kInsertNote = "INSERT INTO notes(case_id, author_id, at, text) VALUES (?1, ?2, ?3, ?4)";

}  // namespace

Result<CaseRecord> CaseEdits::patch(db::Connection& conn, std::int64_t case_id, std::int64_t expected_version,
                                    const CasePatch& p, const Actor& actor) const {
  if (!actor.is_staff()) return fail(Errc::not_found, "no such case");
  auto loaded = CaseRepository::get(conn, case_id, actor);
  if (!loaded) return std::unexpected(loaded.error());
  CaseRecord c = std::move(*loaded);
  if (c.version != expected_version)
    return fail(Errc::conflict, "the case was changed by someone else (version " + std::to_string(c.version) + "); reload it");
  if (is_ended(c.status))
    return fail(Errc::transition_not_allowed, "a closed or forwarded case cannot be edited; reopen it first");

  std::map<std::string, std::string> bad;
  std::map<std::string, std::string> changed;
  if (p.summary) {
    if (auto problem = text_problem(*p.summary, 500, false, true); !problem.empty()) bad["summary"] = problem;
    else if (*p.summary != c.summary) {
      changed["summary"] = *p.summary;
      c.summary = *p.summary;
    }
  }
  if (p.narrative) {
    if (auto problem = text_problem(*p.narrative, 20000, true); !problem.empty()) bad["narrative"] = problem;
    else if (*p.narrative != c.narrative) {
      changed["narrative"] = "(edited)";  // the text itself stays out of the event log
      c.narrative = *p.narrative;
    }
  }
  if (p.category) {
    auto st = conn.prepare(kCategory);
    st.bind_all(*p.category);
    if (!st.step()) bad["category"] = "unknown category";
    else if (*p.category != c.category) {
      changed["category"] = *p.category;
      c.category = *p.category;
    }
  }
  if (p.urgency) {
    if (!is_one_of(urgencies(), *p.urgency)) bad["urgency"] = "one of normal, urgent, emergency";
    else if (*p.urgency != c.urgency) {
      changed["urgency"] = *p.urgency;
      c.urgency = *p.urgency;
    }
  }
  const char* event = "update";
  if (p.assignee_id && p.assignee_id != c.assignee_id) {
    auto st = conn.prepare(kAssignable);
    st.bind_all(*p.assignee_id, c.office_path);
    const bool self_take = actor.user_id == *p.assignee_id && !c.assignee_id;
    if (!st.step()) bad["assignee_id"] = "no active staff member of this office or above";
    else if (actor.role != Role::supervisor && !self_take) bad["assignee_id"] = "only a supervisor reassigns cases";
    else {
      changed["assignee_id"] = std::to_string(*p.assignee_id);
      c.assignee_id = p.assignee_id;
      event = "assign";
    }
  }
  if (!bad.empty()) return fail(Errc::invalid_input, "the case cannot be changed", std::move(bad));
  if (changed.empty()) return c;

  const TimeMs now = clock_.now_ms();
  conn.prepare(kUpdate)
      .bind_all(c.id, expected_version, c.summary, c.narrative, c.category, c.urgency, c.assignee_id, now)
      .run();
  if (conn.changes() != 1) return fail(Errc::conflict, "the case was changed by someone else; reload it");
  CaseEventLog::append(conn, {c.id, event, to_string(c.status), to_string(c.status), now, {}, &changed}, actor);
  if (changed.contains("summary") || changed.contains("narrative")) refresh_search_document(conn, c.id);
  return *CaseRepository::get_unscoped(conn, c.id);
}

Result<Note> CaseEdits::add_note(db::Connection& conn, std::int64_t case_id, const std::string& text,
                                 const Actor& actor) const {
  auto c = CaseRepository::get(conn, case_id, actor);
  if (!c) return std::unexpected(c.error());
  if (auto archived = CaseArchive::refuse_if_archived(conn, case_id); !archived) return std::unexpected(archived.error());
  if (auto problem = text_problem(text, 10000, true, true); !problem.empty())
    return fail(Errc::invalid_input, "the note cannot be saved", {{"text", problem}});
  const TimeMs now = clock_.now_ms();
  conn.prepare(kInsertNote).bind_all(case_id, actor.user_id, now, text).run();
  return Note{conn.last_insert_rowid(), case_id, actor.user_id, now, text};
}

}  // namespace hl::casework
