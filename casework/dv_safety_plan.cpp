#include "casework/dv_safety_plan.hpp"

#include <map>

#include "casework/case_repository.hpp"
#include "casework/dv_support.hpp"
#include "casework/dv_vocabulary.hpp"

namespace hl::casework {
namespace {

constexpr std::size_t kMaxSteps = 50, kMaxContacts = 20, kMaxPlaces = 20;

constexpr std::string_view kVersions =
    "SELECT p.version, p.created_at, p.author_id, u.display_name FROM dv_safety_plans p"
    " LEFT JOIN users u ON u.id = p.author_id WHERE p.case_id = ?1 ORDER BY p.version DESC";
constexpr std::string_view kPlan =
    "SELECT id, ok_to_call, safe_times_enc, code_word_enc FROM dv_safety_plans WHERE case_id = ?1 AND version = ?2";
constexpr std::string_view kSteps = "SELECT text_enc, done FROM dv_safety_plan_steps WHERE plan_id = ?1 ORDER BY position";
constexpr std::string_view kContacts =
    "SELECT name_enc, phone_enc, relation_enc FROM dv_safety_plan_contacts WHERE plan_id = ?1 ORDER BY position";
constexpr std::string_view kPlaces =
    "SELECT name_enc, address_enc, note_enc FROM dv_safety_plan_places WHERE plan_id = ?1 ORDER BY position";
constexpr std::string_view kCurrentVersion = "SELECT coalesce(max(version), 0) FROM dv_safety_plans WHERE case_id = ?1";
constexpr std::string_view kInsertPlan =
    "INSERT INTO dv_safety_plans(case_id, version, ok_to_call, safe_times_enc, code_word_enc, author_id, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
constexpr std::string_view kInsertStep =
    "INSERT INTO dv_safety_plan_steps(plan_id, position, text_enc, done) VALUES (?1, ?2, ?3, ?4)";
constexpr std::string_view kInsertContact =
    "INSERT INTO dv_safety_plan_contacts(plan_id, position, name_enc, phone_enc, relation_enc) VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr std::string_view kInsertPlace =
    "INSERT INTO dv_safety_plan_places(plan_id, position, name_enc, address_enc, note_enc) VALUES (?1, ?2, ?3, ?4, ?5)";
// ?1..?2: the actor's subtree as a half-open path range (uses the partial index cases_high_risk).
constexpr std::string_view kBreaches =
    "SELECT c.id, c.case_no, c.status, c.risk_level, c.office_id, c.received_at, c.assignee_id, u.display_name,"
    " (SELECT max(a.assessed_at) FROM dv_risk_assessments a WHERE a.case_id = c.id) AS assessed_at"
    " FROM cases c LEFT JOIN users u ON u.id = c.assignee_id"
    " WHERE c.office_path >= ?1 AND c.office_path < ?2 AND c.risk_level IN ('high','extreme') AND c.status <> 'closed' AND c.status <> 'forwarded'"
    " AND NOT EXISTS (SELECT 1 FROM dv_safety_plans p WHERE p.case_id = c.id)"
    " ORDER BY CASE c.risk_level WHEN 'extreme' THEN 0 ELSE 1 END, coalesce(assessed_at, c.received_at), c.id LIMIT 500";

std::string indexed(const char* list, std::size_t i, const char* field) {
  return std::string(list) + "[" + std::to_string(i) + "]." + field;
}

// A phone number as people write it: digits with optional + - ( ) and spaces, 3 to 20 digits.
bool plausible_phone(const std::string& p) {
  int digits = 0;
  for (char ch : p) {
    if (ch >= '0' && ch <= '9') ++digits;
    else if (ch != '+' && ch != '-' && ch != ' ' && ch != '(' && ch != ')') return false;
  }
  return digits >= 3 && digits <= 20 && p.size() <= 30;
}

std::map<std::string, std::string> validate(const SafetyPlanContent& c) {
  std::map<std::string, std::string> bad;
  if (c.steps.size() > kMaxSteps) bad["steps"] = "at most 50 steps";
  if (c.emergency_contacts.size() > kMaxContacts) bad["emergency_contacts"] = "at most 20 contacts";
  if (c.places.size() > kMaxPlaces) bad["places"] = "at most 20 places";
  for (std::size_t i = 0; i < c.steps.size() && i < kMaxSteps; ++i)
    if (dv_blank(c.steps[i].text) || c.steps[i].text.size() > 1000) bad[indexed("steps", i, "text")] = "1 to 1000 bytes";
  for (std::size_t i = 0; i < c.emergency_contacts.size() && i < kMaxContacts; ++i) {
    const auto& k = c.emergency_contacts[i];
    if (dv_blank(k.name) || k.name.size() > 100) bad[indexed("emergency_contacts", i, "name")] = "1 to 100 bytes";
    if (!k.phone.empty() && !plausible_phone(k.phone))
      bad[indexed("emergency_contacts", i, "phone")] = "a phone number (digits, + - ( ) and spaces)";
    if (k.relation.size() > 100) bad[indexed("emergency_contacts", i, "relation")] = "at most 100 bytes";
  }
  for (std::size_t i = 0; i < c.places.size() && i < kMaxPlaces; ++i) {
    const auto& p = c.places[i];
    if (dv_blank(p.name) || p.name.size() > 200) bad[indexed("places", i, "name")] = "1 to 200 bytes";
    if (p.address.size() > 500) bad[indexed("places", i, "address")] = "at most 500 bytes";
    if (p.note.size() > 1000) bad[indexed("places", i, "note")] = "at most 1000 bytes";
  }
  if (c.safe_contact.safe_times.size() > 500) bad["safe_contact.safe_times"] = "at most 500 bytes";
  if (c.safe_contact.code_word.size() > 200) bad["safe_contact.code_word"] = "at most 200 bytes";
  return bad;
}

// An empty text is stored as NULL (nothing to hide but that it is empty); any other text only as
// its ciphertext under `context`.
void seal(const crypto::FieldCipher& cipher, db::Statement& st, int index, const std::string& text,
          std::string_view context) {
  if (text.empty()) st.bind(index, nullptr);
  else st.bind_blob(index, cipher.encrypt(text, context));
}

// The text back; "" for NULL and for a blob that does not decrypt under `context` (another column's,
// another key's, or damaged), as for the code word before.
std::string unseal(const crypto::FieldCipher& cipher, db::Statement& st, int column, std::string_view context) {
  if (st.is_null(column)) return "";
  return cipher.decrypt(st.blob(column), context).value_or("");
}

}  // namespace

Result<SafetyPlanView> SafetyPlanService::get(db::Connection& conn, std::int64_t case_id, const Actor& actor,
                                              std::optional<std::int64_t> version) const {
  auto c = dv_case(conn, case_id, actor);
  if (!c) return std::unexpected(c.error());
  SafetyPlanView view;
  view.case_id = case_id;
  view.risk_level = c->risk_level;
  view.required = dv_level_needs_safety_plan(c->risk_level);
  auto versions = conn.prepare(kVersions);
  versions.bind_all(case_id);
  while (versions.step())
    view.versions.push_back({versions.int64(0), versions.int64(1), versions.opt_int64(2), versions.opt_text(3)});
  versions.reset();
  if (!view.versions.empty()) view.current_version = view.versions.front().version;
  const std::int64_t shown = version.value_or(view.current_version);
  if (shown == 0 && !version) return view;

  auto st = conn.prepare(kPlan);
  st.bind_all(case_id, shown);
  if (!st.step()) return fail(Errc::not_found, "no such safety plan version");
  SafetyPlan plan;
  plan.case_id = case_id;
  for (const auto& v : view.versions)
    if (v.version == shown) plan.meta = v;
  const auto plan_id = st.int64(0);
  auto& content = plan.content;
  if (!st.is_null(1)) content.safe_contact.ok_to_call = st.int64(1) != 0;
  content.safe_contact.safe_times = unseal(cipher_, st, 2, kSafeTimesContext);
  content.safe_contact.code_word = unseal(cipher_, st, 3, kCodeWordContext);
  st.reset();
  auto steps = conn.prepare(kSteps);
  steps.bind_all(plan_id);
  while (steps.step()) content.steps.push_back({unseal(cipher_, steps, 0, kStepTextContext), steps.int64(1) != 0});
  auto contacts = conn.prepare(kContacts);
  contacts.bind_all(plan_id);
  while (contacts.step())
    content.emergency_contacts.push_back({unseal(cipher_, contacts, 0, kContactNameContext),
                                          unseal(cipher_, contacts, 1, kPhoneContext),
                                          unseal(cipher_, contacts, 2, kContactRelationContext)});
  auto places = conn.prepare(kPlaces);
  places.bind_all(plan_id);
  while (places.step())
    content.places.push_back({unseal(cipher_, places, 0, kPlaceNameContext),
                              unseal(cipher_, places, 1, kPlaceAddressContext),
                              unseal(cipher_, places, 2, kPlaceNoteContext)});
  view.plan = std::move(plan);
  return view;
}

Result<SafetyPlanView> SafetyPlanService::put(db::Connection& conn, std::int64_t case_id, std::int64_t expected_version,
                                              const SafetyPlanContent& content, const Actor& actor) const {
  if (auto c = dv_writable_case(conn, case_id, actor, DvWrite::measure); !c) return std::unexpected(c.error());
  auto cur = conn.prepare(kCurrentVersion);
  cur.bind_all(case_id);
  cur.step();
  const std::int64_t current = cur.int64(0);
  cur.reset();
  if (current != expected_version)
    return fail(Errc::conflict, "the safety plan was changed by someone else (version " + std::to_string(current) +
                                    "); reload it");
  if (auto bad = validate(content); !bad.empty())
    return fail(Errc::invalid_input, "the safety plan is invalid", std::move(bad));

  const TimeMs now = clock_.now_ms();
  const auto& rules = content.safe_contact;
  auto insert = conn.prepare(kInsertPlan);
  insert.bind_all(case_id, current + 1, rules.ok_to_call ? std::optional<int>(*rules.ok_to_call ? 1 : 0) : std::nullopt);
  seal(cipher_, insert, 4, rules.safe_times, kSafeTimesContext);
  seal(cipher_, insert, 5, rules.code_word, kCodeWordContext);
  insert.bind(6, actor.user_id > 0 ? std::optional(actor.user_id) : std::nullopt).bind(7, now);
  insert.run();
  const auto plan_id = conn.last_insert_rowid();
  for (std::size_t i = 0; i < content.steps.size(); ++i) {
    auto st = conn.prepare(kInsertStep);
    st.bind_all(plan_id, static_cast<std::int64_t>(i));
    seal(cipher_, st, 3, content.steps[i].text, kStepTextContext);
    st.bind(4, content.steps[i].done ? 1 : 0).run();
  }
  for (std::size_t i = 0; i < content.emergency_contacts.size(); ++i) {
    const auto& k = content.emergency_contacts[i];
    auto st = conn.prepare(kInsertContact);
    st.bind_all(plan_id, static_cast<std::int64_t>(i));
    seal(cipher_, st, 3, k.name, kContactNameContext);
    seal(cipher_, st, 4, k.phone, kPhoneContext);
    seal(cipher_, st, 5, k.relation, kContactRelationContext);
    st.run();
  }
  for (std::size_t i = 0; i < content.places.size(); ++i) {
    const auto& p = content.places[i];
    auto st = conn.prepare(kInsertPlace);
    st.bind_all(plan_id, static_cast<std::int64_t>(i));
    seal(cipher_, st, 3, p.name, kPlaceNameContext);
    seal(cipher_, st, 4, p.address, kPlaceAddressContext);
    seal(cipher_, st, 5, p.note, kPlaceNoteContext);
    st.run();
  }
  append_dv_event(conn, case_id, "safety_plan_updated", actor, now, {{"version", std::to_string(current + 1)}});
  return get(conn, case_id, actor);
}

Result<std::vector<SafetyPlanBreach>> SafetyPlanService::breaches(db::Connection& conn, const Actor& actor) {
  if (!actor.is_staff() && actor.role != Role::system) return fail(Errc::not_found, "no such resource");
  std::vector<SafetyPlanBreach> out;
  auto st = conn.prepare(kBreaches);
  st.bind_all(actor.office_path, subtree_upper_bound(actor.office_path));
  while (st.step()) {
    SafetyPlanBreach b;
    b.case_id = st.int64(0);
    b.case_no = st.text(1);
    b.status = st.text(2);
    b.risk_level = st.text(3);
    b.office_id = st.int64(4);
    b.received_at = st.int64(5);
    b.assignee_id = st.opt_int64(6);
    b.assignee_name = st.opt_text(7);
    b.assessed_at = st.opt_int64(8);
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace hl::casework
