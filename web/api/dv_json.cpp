#include "web/api/dv_json.hpp"

#include "core/local_time.hpp"
#include "web/api/json_values.hpp"
#include "web/api/query_params.hpp"

namespace hl::web::dv {

using namespace casework;

json person(const std::optional<std::int64_t>& id, const std::optional<std::string>& name) {
  if (!id) return nullptr;
  return {{"id", *id}, {"display_name", name.value_or("")}};
}

json record_json(const DvRecord& r) {
  const auto& f = r.fields;
  return {{"case_id", r.case_id},
          {"forms", f.forms},
          {"first_incident_at", opt_date(f.first_incident_at)},
          {"latest_incident_at", opt_date(f.latest_incident_at)},
          {"frequency", opt_text(f.frequency)},
          {"injuries", f.injuries},
          {"children_present", opt(f.children_present)},
          {"children_harmed", opt(f.children_harmed)},
          {"weapons_used", opt(f.weapons_used)},
          {"weapons", f.weapons},
          {"relationship", opt_text(f.relationship)},
          {"cohabitation", opt_text(f.cohabitation)},
          {"updated_at", opt_time(r.updated_at)},
          {"updated_by", person(r.updated_by, r.updated_by_name)},
          {"version", r.version}};
}

json instrument_json(const Instrument& in) {
  json items = json::array(), levels = json::array();
  int max_score = 0;
  for (const auto& i : in.items) {
    items.push_back({{"code", i.code}, {"weight", i.weight}, {"text_zh", i.text_zh}, {"text_en", i.text_en}, {"sort", i.sort}});
    max_score += i.weight;
  }
  for (std::size_t k = 0; k < in.levels.size(); ++k) {
    const auto& l = in.levels[k];
    levels.push_back({{"level", l.level},
                      {"min_score", l.min_score},
                      {"max_score", k + 1 < in.levels.size() ? json(in.levels[k + 1].min_score - 1) : json(nullptr)},
                      {"name_zh", l.name_zh},
                      {"name_en", l.name_en}});
  }
  return {{"version", in.version}, {"name_zh", in.name_zh}, {"name_en", in.name_en}, {"active", in.active},
          {"retired_at", opt_time(in.retired_at)}, {"max_score", max_score}, {"items", items}, {"levels", levels}};
}

json assessment_json(const RiskAssessment& a) {
  json answers = json::object();
  for (const auto& [code, yes] : a.answers) answers[code] = yes;
  return {{"id", a.id},
          {"case_id", a.case_id},
          {"score", a.score},
          {"level", a.level},
          {"assessed_at", format_iso8601(a.assessed_at)},
          {"instrument_version", a.instrument_version},
          {"assessor", person(a.assessor_id, a.assessor_name)},
          {"answers", answers},
          {"note", a.note}};
}

json plan_version_json(const SafetyPlanVersion& v) {
  return {{"version", v.version}, {"updated_at", format_iso8601(v.created_at)}, {"updated_by", person(v.author_id, v.author_name)}};
}

json safety_plan_json(const SafetyPlanView& v) {
  json versions = json::array();
  for (const auto& x : v.versions) versions.push_back(plan_version_json(x));
  json plan = nullptr;
  if (v.plan) {
    const auto& c = v.plan->content;
    json steps = json::array(), contacts = json::array(), places = json::array();
    for (const auto& s : c.steps) steps.push_back({{"text", s.text}, {"done", s.done}});
    for (const auto& k : c.emergency_contacts)
      contacts.push_back({{"name", k.name}, {"phone", k.phone}, {"relation", k.relation}});
    for (const auto& p : c.places) places.push_back({{"name", p.name}, {"address", p.address}, {"note", p.note}});
    plan = plan_version_json(v.plan->meta);
    plan["steps"] = steps;
    plan["emergency_contacts"] = contacts;
    plan["safe_contact"] = {{"ok_to_call", opt(c.safe_contact.ok_to_call)},
                            {"safe_times", c.safe_contact.safe_times},
                            {"code_word", c.safe_contact.code_word}};
    plan["places"] = places;
  }
  return {{"case_id", v.case_id}, {"version", v.current_version}, {"risk_level", v.risk_level}, {"required", v.required},
          {"plan", plan},         {"versions", versions}};
}

json breach_json(const SafetyPlanBreach& b) {
  return {{"id", b.case_id},          {"case_no", b.case_no},         {"status", b.status},
          {"risk_level", b.risk_level}, {"office_id", b.office_id},     {"received_at", format_iso8601(b.received_at)},
          {"assessed_at", opt_time(b.assessed_at)}, {"assignee", person(b.assignee_id, b.assignee_name)}};
}

json order_json(const ProtectionOrder& o, TimeMs now) {
  json extensions = json::array(), violations = json::array();
  for (const auto& e : o.extensions)
    extensions.push_back({{"extended_at", format_iso8601(e.extended_at)},
                          {"previous_expires_at", format_iso8601(e.previous_expires_at)},
                          {"expires_at", format_iso8601(e.expires_at)}});
  for (const auto& v : o.violations)
    violations.push_back({{"id", v.id},
                          {"occurred_at", format_iso8601(v.occurred_at)},
                          {"description", v.description},
                          {"police_response", v.police_response},
                          {"recorded_at", format_iso8601(v.recorded_at)}});
  json days_left = nullptr;
  if (o.in_force(now)) days_left = local_days_between(now, *o.expires_at);
  json reconsideration = nullptr;
  if (const auto& r = o.reconsideration)
    reconsideration = {{"applied_at", format_iso8601(r->applied_at)},
                       {"applied_by", r->applied_by},
                       {"result", r->result ? json(*r->result) : json(nullptr)},
                       {"decided_at", opt_time(r->decided_at)},
                       {"note", r->note}};
  return {{"id", o.id},
          {"case_id", o.case_id},
          {"case_no", o.case_no},
          {"court", {{"id", o.court_partner_id}, {"name", o.court_name}}},
          {"emergency", o.emergency},
          {"applied_by", o.applied_by},
          {"applied_at", format_iso8601(o.applied_at)},
          {"court_accepted_at", opt_time(o.court_accepted_at)},
          {"ruling_due", opt_time(o.ruling_due)},
          {"ruling_overdue", o.ruling_overdue(now)},
          {"status", o.status},
          {"ruled_at", opt_time(o.ruled_at)},
          {"reconsideration_due", opt_time(o.reconsideration_due())},
          {"expires_at", opt_time(o.expires_at)},
          {"in_force", o.in_force(now)},
          {"days_to_expiry", days_left},
          {"extensions", extensions},
          {"violations", violations},
          {"reconsideration", reconsideration},
          {"updated_at", format_iso8601(o.updated_at)},
          {"version", o.version}};
}

json letter_json(const WarningLetter& w) {
  return {{"id", w.id}, {"case_id", w.case_id}, {"police", {{"id", w.police_partner_id}, {"name", w.police_name}}},
          {"issued_at", format_iso8601(w.issued_at)}, {"document_no", w.document_no}, {"note", w.note},
          {"created_at", format_iso8601(w.created_at)}};
}

json stay_json(const ShelterStay& s) {
  return {{"id", s.id}, {"case_id", s.case_id}, {"partner", {{"id", s.partner_id}, {"name", s.partner_name}}},
          {"from", format_iso8601(s.from)}, {"to", opt_time(s.to)}, {"note", s.note},
          {"created_at", format_iso8601(s.created_at)}};
}

json report_json(const MandatoryReport& r) {
  json police = nullptr;
  if (r.police_partner_id) police = {{"id", *r.police_partner_id}, {"name", r.police_name.value_or("")}};
  return {{"id", r.id}, {"case_id", r.case_id}, {"reporter_type", r.reporter_type}, {"reporter_name", r.reporter_name},
          {"reported_at", format_iso8601(r.reported_at)}, {"police", police}, {"note", r.note},
          {"created_at", format_iso8601(r.created_at)}};
}

json repeat_json(const RepeatVictimisation& r, TimeMs now) {
  json cases = json::array();
  for (const auto& c : r.previous_cases)
    cases.push_back({{"id", c.id}, {"case_no", c.case_no}, {"status", c.status},
                     {"received_at", format_iso8601(c.received_at)}, {"risk_level", c.risk_level}});
  return {{"repeat", r.repeat}, {"previous_cases", cases},
          {"window_start", format_iso8601(RepeatVictimisationFinder::window_start(now))}};
}

Result<std::optional<std::int64_t>> int_query(const HttpRequest& r, const char* name) {
  std::map<std::string, std::string> bad;
  auto n = integer_query(r, name, bad);
  if (!bad.empty()) return fail(Errc::invalid_input, "invalid parameter", std::move(bad));
  return n;
}

}  // namespace hl::web::dv
