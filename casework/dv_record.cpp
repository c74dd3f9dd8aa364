#include "casework/dv_record.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "casework/dv_support.hpp"
#include "casework/dv_vocabulary.hpp"
#include "casework/user_repository.hpp"
#include "casework/vocabulary.hpp"
#include "core/local_time.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kSelect =
    "SELECT first_incident_at, latest_incident_at, frequency, injuries, children_present, children_harmed, weapons_used,"
    " weapons, relationship, cohabitation, updated_by, updated_at, version FROM dv_records WHERE case_id = ?1";
constexpr std::string_view kForms = "SELECT form FROM dv_violence_forms WHERE case_id = ?1";
constexpr std::string_view kInsert =
    "INSERT INTO dv_records(case_id, first_incident_at, latest_incident_at, frequency, injuries, children_present,"
    " children_harmed, weapons_used, weapons, relationship, cohabitation, updated_by, updated_at, version)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 1)";
constexpr std::string_view kUpdate =
    "UPDATE dv_records SET first_incident_at = ?3, latest_incident_at = ?4, frequency = ?5, injuries = ?6,"
    " children_present = ?7, children_harmed = ?8, weapons_used = ?9, weapons = ?10, relationship = ?11,"
    " cohabitation = ?12, updated_by = ?13, updated_at = ?14, version = version + 1 WHERE case_id = ?1 AND version = ?2";
constexpr std::string_view kDeleteForms = "DELETE FROM dv_violence_forms WHERE case_id = ?1";
constexpr std::string_view kInsertForm = "INSERT INTO dv_violence_forms(case_id, form) VALUES (?1, ?2)";

std::optional<bool> opt_bool(const db::Statement& st, int col) {
  if (st.is_null(col)) return std::nullopt;
  return st.int64(col) != 0;
}

std::optional<int> as_int(std::optional<bool> b) {
  if (!b) return std::nullopt;
  return *b ? 1 : 0;
}

std::optional<std::string> non_empty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

std::map<std::string, std::string> validate(const DvRecordFields& f, TimeMs now) {
  std::map<std::string, std::string> bad;
  std::set<std::string> seen;
  for (const auto& form : f.forms) {
    if (!is_one_of(dv_violence_forms(), form)) bad["forms"] = "unknown form of violence: " + form.substr(0, 40);
    else if (!seen.insert(form).second) bad["forms"] = "listed twice: " + form;
  }
  const TimeMs end_of_today = end_of_local_day(local_date(now));
  if (f.first_incident_at && *f.first_incident_at > end_of_today) bad["first_incident_at"] = "must not be in the future";
  if (f.latest_incident_at && *f.latest_incident_at > end_of_today) bad["latest_incident_at"] = "must not be in the future";
  if (f.first_incident_at && f.latest_incident_at && *f.first_incident_at > *f.latest_incident_at)
    bad["latest_incident_at"] = "must not be before first_incident_at";
  if (!f.frequency.empty() && !is_one_of(dv_frequencies(), f.frequency))
    bad["frequency"] = "one of once, occasional, monthly, weekly, daily";
  if (!f.relationship.empty() && !is_one_of(dv_relationships(), f.relationship))
    bad["relationship"] = "one of spouse, former_spouse, cohabiting_partner, former_partner, parent, child, sibling, in_law,"
                          " other_family, guardian, other";
  if (!f.cohabitation.empty() && !is_one_of(dv_cohabitations(), f.cohabitation))
    bad["cohabitation"] = "cohabiting or separated";
  if (f.injuries.size() > 5000) bad["injuries"] = "at most 5000 bytes";
  if (f.weapons.size() > 1000) bad["weapons"] = "at most 1000 bytes";
  return bad;
}

// Names of the fields that differ, for the timeline (values stay out of it).
std::string changed_fields(const DvRecordFields& a, const DvRecordFields& b) {
  std::string out;
  auto note = [&](bool differs, const char* name) {
    if (differs) out += (out.empty() ? "" : ",") + std::string(name);
  };
  auto sorted = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  note(sorted(a.forms) != sorted(b.forms), "forms");
  note(a.first_incident_at != b.first_incident_at, "first_incident_at");
  note(a.latest_incident_at != b.latest_incident_at, "latest_incident_at");
  note(a.frequency != b.frequency, "frequency");
  note(a.injuries != b.injuries, "injuries");
  note(a.children_present != b.children_present, "children_present");
  note(a.children_harmed != b.children_harmed, "children_harmed");
  note(a.weapons_used != b.weapons_used, "weapons_used");
  note(a.weapons != b.weapons, "weapons");
  note(a.relationship != b.relationship, "relationship");
  note(a.cohabitation != b.cohabitation, "cohabitation");
  return out;
}

}  // namespace

Result<DvRecord> DvRecordService::get(db::Connection& conn, std::int64_t case_id, const Actor& actor) {
  if (auto c = dv_case(conn, case_id, actor); !c) return std::unexpected(c.error());
  DvRecord r;
  r.case_id = case_id;
  auto st = conn.prepare(kSelect);
  st.bind_all(case_id);
  if (!st.step()) return r;
  auto& f = r.fields;
  f.first_incident_at = st.opt_int64(0);
  f.latest_incident_at = st.opt_int64(1);
  f.frequency = st.opt_text(2).value_or("");
  f.injuries = st.text(3);
  f.children_present = opt_bool(st, 4);
  f.children_harmed = opt_bool(st, 5);
  f.weapons_used = opt_bool(st, 6);
  f.weapons = st.text(7);
  f.relationship = st.opt_text(8).value_or("");
  f.cohabitation = st.opt_text(9).value_or("");
  r.updated_by = st.opt_int64(10);
  r.updated_at = st.int64(11);
  r.version = st.int64(12);
  r.updated_by_name = UserRepository::display_name(conn, r.updated_by);
  auto forms = conn.prepare(kForms);
  forms.bind_all(case_id);
  while (forms.step()) f.forms.push_back(forms.text(0));
  // Report the forms in the legal list's order, whatever order they were stored in.
  std::vector<std::string> ordered;
  for (auto form : dv_violence_forms())
    if (std::find(f.forms.begin(), f.forms.end(), form) != f.forms.end()) ordered.emplace_back(form);
  f.forms = std::move(ordered);
  return r;
}

Result<DvRecord> DvRecordService::put(db::Connection& conn, std::int64_t case_id, std::int64_t expected_version,
                                      const DvRecordFields& in, const Actor& actor) const {
  if (auto c = dv_writable_case(conn, case_id, actor, DvWrite::case_facts); !c) return std::unexpected(c.error());
  auto current = get(conn, case_id, actor);
  if (!current) return std::unexpected(current.error());
  if (current->version != expected_version)
    return fail(Errc::conflict, "the DV record was changed by someone else (version " +
                                    std::to_string(current->version) + "); reload it");
  const TimeMs now = clock_.now_ms();
  if (auto bad = validate(in, now); !bad.empty()) return fail(Errc::invalid_input, "the DV record is invalid", std::move(bad));
  const auto changed = changed_fields(current->fields, in);
  if (current->version > 0 && changed.empty()) return current;

  const std::optional<std::int64_t> by = actor.user_id > 0 ? std::optional(actor.user_id) : std::nullopt;
  if (expected_version == 0) {
    conn.prepare(kInsert)
        .bind_all(case_id, in.first_incident_at, in.latest_incident_at, non_empty(in.frequency), in.injuries,
                  as_int(in.children_present), as_int(in.children_harmed), as_int(in.weapons_used), in.weapons,
                  non_empty(in.relationship), non_empty(in.cohabitation), by, now)
        .run();
  } else {
    conn.prepare(kUpdate)
        .bind_all(case_id, expected_version, in.first_incident_at, in.latest_incident_at, non_empty(in.frequency),
                  in.injuries, as_int(in.children_present), as_int(in.children_harmed), as_int(in.weapons_used),
                  in.weapons, non_empty(in.relationship), non_empty(in.cohabitation), by, now)
        .run();
    if (conn.changes() != 1) return fail(Errc::conflict, "the DV record was changed by someone else; reload it");
  }
  conn.prepare(kDeleteForms).bind_all(case_id).run();
  for (const auto& form : in.forms) conn.prepare(kInsertForm).bind_all(case_id, form).run();
  append_dv_event(conn, case_id, "dv_record_updated", actor, now,
                  {{"fields", changed.empty() ? std::string("(created)") : changed}});
  return get(conn, case_id, actor);
}

}  // namespace hl::casework
