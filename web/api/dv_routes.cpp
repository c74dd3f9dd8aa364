// Domestic violence: the DV record, risk assessments and the instrument, safety plans and breaches,
// protection orders and the expiring list, warning letters, shelter stays, mandatory reports and
// repeat victimisation. Thin: parse, one domain call, map; the rules live in casework/dv_*.
#include "web/api/dv_routes.hpp"

#include <charconv>

#include "casework/dv_events.hpp"
#include "casework/dv_instrument.hpp"
#include "casework/dv_protection_order.hpp"
#include "casework/dv_record.hpp"
#include "casework/dv_repeat.hpp"
#include "casework/dv_risk_assessment.hpp"
#include "casework/dv_safety_plan.hpp"
#include "core/local_time.hpp"
#include "intake/normalize.hpp"
#include "web/api/handler_support.hpp"
#include "web/api/json_body.hpp"

namespace hl::web {
namespace {

using nlohmann::json;
using namespace casework;

// ---------------------------------------------------------------- JSON out

json opt_time(const std::optional<TimeMs>& t) { return t ? json(format_iso8601(*t)) : json(nullptr); }
json opt_date(const std::optional<TimeMs>& t) { return t ? json(format_date(local_date(*t))) : json(nullptr); }
json opt_bool(const std::optional<bool>& b) { return b ? json(*b) : json(nullptr); }
json opt_text(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }
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
          {"children_present", opt_bool(f.children_present)},
          {"children_harmed", opt_bool(f.children_harmed)},
          {"weapons_used", opt_bool(f.weapons_used)},
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
    plan["safe_contact"] = {{"ok_to_call", opt_bool(c.safe_contact.ok_to_call)},
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
  return {{"id", o.id},
          {"case_id", o.case_id},
          {"case_no", o.case_no},
          {"court", {{"id", o.court_partner_id}, {"name", o.court_name}}},
          {"emergency", o.emergency},
          {"applied_at", format_iso8601(o.applied_at)},
          {"ruling_due", format_iso8601(o.ruling_due)},
          {"ruling_overdue", o.ruling_overdue(now)},
          {"status", o.status},
          {"ruled_at", opt_time(o.ruled_at)},
          {"expires_at", opt_time(o.expires_at)},
          {"in_force", o.in_force(now)},
          {"days_to_expiry", days_left},
          {"extensions", extensions},
          {"violations", violations},
          {"updated_at", format_iso8601(o.updated_at)},
          {"version", o.version}};
}

json letter_json(const WarningLetter& w) {
  return {{"id", w.id}, {"case_id", w.case_id}, {"police", {{"id", w.police_partner_id}, {"name", w.police_name}}},
          {"issued_at", format_iso8601(w.issued_at)}, {"note", w.note}, {"created_at", format_iso8601(w.created_at)}};
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

template <class T, class F>
json items_json(const std::vector<T>& items, F one) {
  json out = json::array();
  for (const auto& x : items) out.push_back(one(x));
  return {{"items", out}};
}

// ---------------------------------------------------------------- JSON in

// An ISO 8601 time with offset (or a bare date: the start of that Shanghai day).
std::optional<TimeMs> time_field(JsonFields& f, const char* name) {
  auto text = f.text(name);
  if (!text) return std::nullopt;
  auto t = parse_iso8601(*text);
  if (!t) f.problems()[name] = "must be an ISO 8601 time with offset or a date YYYY-MM-DD";
  return t;
}

// A calendar date; a full time is accepted and cut to its Shanghai day.
std::optional<TimeMs> date_field(JsonFields& f, const char* name) {
  auto t = time_field(f, name);
  if (!t) return std::nullopt;
  return start_of_local_day(local_date(*t));
}

// The array `name` of `obj`, or nullptr when absent or null; anything else is a type error.
const json* array_field(const json& obj, JsonFields& f, const std::string& name) {
  auto it = obj.find(name);
  if (it == obj.end() || it->is_null()) return nullptr;
  if (!it->is_array()) {
    f.problems()[name] = "must be an array";
    return nullptr;
  }
  return &*it;
}

// Calls one(element, fields-for-element, index) for each object of the array; non-objects are
// type errors named "list[i]".
template <class One>
void each_object(const json& obj, JsonFields& f, const std::string& name, One one) {
  const json* arr = array_field(obj, f, name);
  if (arr == nullptr) return;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const std::string path = name + "[" + std::to_string(i) + "]";
    if (!(*arr)[i].is_object()) {
      f.problems()[path] = "must be an object";
      continue;
    }
    auto item = f.nested((*arr)[i], path.c_str());
    one((*arr)[i], item, i);
  }
}

Result<std::int64_t> required_version(const std::optional<std::int64_t>& v) {
  if (!v) return fail(Errc::invalid_input, "version is required", {{"version", "required"}});
  return *v;
}

std::optional<std::string> query(const HttpRequest& r, const char* name) {
  auto it = r.query.find(name);
  if (it == r.query.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

Result<std::optional<std::int64_t>> int_query(const HttpRequest& r, const char* name) {
  auto v = query(r, name);
  if (!v) return std::optional<std::int64_t>{};
  std::int64_t n = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || p != v->data() + v->size()) return fail(Errc::invalid_input, "invalid parameter", {{name, "must be a whole number"}});
  return std::optional(n);
}

// Partner users get the answer a case outside their scope gets, before any work is done.
Handler staff_only(Services& s, AuthedHandler handler) {
  return authed(s, Access::staff_or_partner, [handler = std::move(handler)](HttpRequest& r, Reply reply, const Session& session) {
    if (!session.actor.is_staff()) return reply(error_response({Errc::not_found, "no such case", {}}));
    handler(r, std::move(reply), session);
  });
}

// ---------------------------------------------------------------- DV record

void get_record(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  audited_read_then(
      s, std::move(reply),
      [id = *id, actor = session.actor](db::Connection& conn) { return DvRecordService::get(conn, id, actor); },
      [&s, &r, session, id = *id](const DvRecord&) { return audit_entry(s, session, r, "dv.record.read", "case", id); },
      [](const DvRecord& rec) { return json_ok(record_json(rec)); });
}

void put_record(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  DvRecordFields in;
  if (const json* forms = array_field(*body, f, "forms"))
    for (std::size_t i = 0; i < forms->size(); ++i) {
      if ((*forms)[i].is_string()) in.forms.push_back((*forms)[i].get<std::string>());
      else f.problems()["forms[" + std::to_string(i) + "]"] = "must be a string";
    }
  in.first_incident_at = date_field(f, "first_incident_at");
  in.latest_incident_at = date_field(f, "latest_incident_at");
  in.frequency = f.text("frequency").value_or("");
  in.injuries = f.text("injuries").value_or("");
  in.children_present = f.flag("children_present");
  in.children_harmed = f.flag("children_harmed");
  in.weapons_used = f.flag("weapons_used");
  in.weapons = f.text("weapons").value_or("");
  in.relationship = f.text("relationship").value_or("");
  in.cohabitation = f.text("cohabitation").value_or("");
  const auto version = f.integer("version");
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  if (!version) return reply(error_response(required_version(version).error()));
  write_then(
      s, std::move(reply),
      [&s, id = *id, version = *version, in, actor = session.actor](db::Connection& conn) {
        return DvRecordService(s.clock).put(conn, id, version, in, actor);
      },
      [&s, &r, session, id = *id](const DvRecord& rec) {
        return audit_entry(s, session, r, "dv.record.update", "case", id, "version " + std::to_string(rec.version));
      },
      [](const DvRecord& rec) { return json_ok(record_json(rec)); });
}

// ---------------------------------------------------------------- risk

void get_instrument(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto version = int_query(r, "version");
  if (!version) return reply(error_response(version.error()));
  audited_read_then(
      s, std::move(reply),
      [v = *version](db::Connection& conn) {
        return v ? InstrumentRepository::version(conn, static_cast<int>(*v)) : InstrumentRepository::active(conn);
      },
      [&s, &r, session](const Instrument& in) {
        return audit_entry(s, session, r, "dv.instrument.read", "dv_instrument", in.version);
      },
      [](const Instrument& in) { return json_ok(instrument_json(in)); });
}

void assess(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  NewRiskAssessment in;
  if (const json* answers = f.object("answers")) {
    for (const auto& [code, value] : answers->items()) {
      if (value.is_boolean()) in.answers[code] = value.get<bool>();
      else f.problems()["answers." + code.substr(0, 64)] = "must be true or false";
    }
  }
  if (auto v = f.integer("instrument_version")) in.instrument_version = static_cast<int>(*v);
  in.note = f.text("note").value_or("");
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  write_then(
      s, std::move(reply),
      [&s, id = *id, in, actor = session.actor](db::Connection& conn) {
        return RiskAssessmentService(s.clock).assess(conn, id, in, actor);
      },
      [&s, &r, session, id = *id](const RiskAssessment& a) {
        return audit_entry(s, session, r, "dv.risk.assess", "case", id,
                           "assessment " + std::to_string(a.id) + ": " + std::to_string(a.score) + " " + a.level);
      },
      [](const RiskAssessment& a) { return json_ok(assessment_json(a), 201); });
}

void list_assessments(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  audited_read_then(
      s, std::move(reply),
      [id = *id, actor = session.actor](db::Connection& conn) { return RiskAssessmentService::history(conn, id, actor); },
      [&s, &r, session, id = *id](const auto&) { return audit_entry(s, session, r, "dv.risk.list", "case", id); },
      [](const std::vector<RiskAssessment>& items) {
        json out = items_json(items, assessment_json);
        out["current_level"] = items.empty() ? json(nullptr) : json(items.back().level);
        return json_ok(out);
      });
}

// ---------------------------------------------------------------- safety plan

void get_plan(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  auto version = int_query(r, "version");
  if (!version) return reply(error_response(version.error()));
  audited_read_then(
      s, std::move(reply),
      [&s, id = *id, v = *version, actor = session.actor](db::Connection& conn) {
        return SafetyPlanService(s.clock, s.cipher).get(conn, id, actor, v);
      },
      [&s, &r, session, id = *id](const SafetyPlanView& v) {
        return audit_entry(s, session, r, "dv.safety_plan.read", "case", id,
                           "version " + std::to_string(v.plan ? v.plan->meta.version : 0));
      },
      [](const SafetyPlanView& v) { return json_ok(safety_plan_json(v)); });
}

void put_plan(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  SafetyPlanContent in;
  each_object(*body, f, "steps", [&](const json&, JsonFields& item, std::size_t) {
    in.steps.push_back({item.text("text").value_or(""), item.flag("done").value_or(false)});
  });
  each_object(*body, f, "emergency_contacts", [&](const json&, JsonFields& item, std::size_t) {
    in.emergency_contacts.push_back(
        {item.text("name").value_or(""), item.text("phone").value_or(""), item.text("relation").value_or("")});
  });
  if (const json* rules = f.object("safe_contact")) {
    auto item = f.nested(*rules, "safe_contact");
    in.safe_contact = {item.flag("ok_to_call"), item.text("safe_times").value_or(""), item.text("code_word").value_or("")};
  }
  // A place is an object {name, address, note} or just its name.
  if (const json* places = array_field(*body, f, "places"))
    for (std::size_t i = 0; i < places->size(); ++i) {
      const auto& p = (*places)[i];
      const std::string path = "places[" + std::to_string(i) + "]";
      if (p.is_string()) in.places.push_back({p.get<std::string>(), "", ""});
      else if (p.is_object()) {
        auto item = f.nested(p, path.c_str());
        in.places.push_back({item.text("name").value_or(""), item.text("address").value_or(""), item.text("note").value_or("")});
      } else f.problems()[path] = "must be an object or a string";
    }
  const auto version = f.integer("version");
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  if (!version) return reply(error_response(required_version(version).error()));
  write_then(
      s, std::move(reply),
      [&s, id = *id, version = *version, in, actor = session.actor](db::Connection& conn) {
        return SafetyPlanService(s.clock, s.cipher).put(conn, id, version, in, actor);
      },
      [&s, &r, session, id = *id](const SafetyPlanView& v) {
        return audit_entry(s, session, r, "dv.safety_plan.update", "case", id, "version " + std::to_string(v.current_version));
      },
      [](const SafetyPlanView& v) { return json_ok(safety_plan_json(v)); });
}

void list_breaches(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  audited_read_then(
      s, std::move(reply),
      [actor = session.actor](db::Connection& conn) { return SafetyPlanService::breaches(conn, actor); },
      [&s, &r, session](const std::vector<SafetyPlanBreach>& items) {
        return audit_entry(s, session, r, "dv.breaches.list", "case", std::nullopt, std::to_string(items.size()) + " rows");
      },
      [](const std::vector<SafetyPlanBreach>& items) { return json_ok(items_json(items, breach_json)); });
}

// ---------------------------------------------------------------- protection orders

void apply_order(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  NewProtectionOrder in{f.integer("court_partner_id").value_or(0), time_field(f, "applied_at").value_or(0),
                        f.flag("emergency").value_or(false)};
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  write_then(
      s, std::move(reply),
      [&s, id = *id, in, actor = session.actor](db::Connection& conn) {
        return ProtectionOrderService(s.clock).apply(conn, id, in, actor);
      },
      [&s, &r, session, id = *id](const ProtectionOrder& o) {
        return audit_entry(s, session, r, "dv.protection_order.apply", "case", id, "order " + std::to_string(o.id));
      },
      [&s](const ProtectionOrder& o) { return json_ok(order_json(o, s.clock.now_ms()), 201); });
}

void list_orders(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  audited_read_then(
      s, std::move(reply),
      [id = *id, actor = session.actor](db::Connection& conn) { return ProtectionOrderService::for_case(conn, id, actor); },
      [&s, &r, session, id = *id](const auto&) { return audit_entry(s, session, r, "dv.protection_order.list", "case", id); },
      [&s](const std::vector<ProtectionOrder>& items) {
        const TimeMs now = s.clock.now_ms();
        return json_ok(items_json(items, [now](const ProtectionOrder& o) { return order_json(o, now); }));
      });
}

void get_order(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  audited_read_then(
      s, std::move(reply),
      [id = *id, actor = session.actor](db::Connection& conn) { return ProtectionOrderService::get(conn, id, actor); },
      [&s, &r, session](const ProtectionOrder& o) {
        return audit_entry(s, session, r, "dv.protection_order.read", "case", o.case_id, "order " + std::to_string(o.id));
      },
      [&s](const ProtectionOrder& o) { return json_ok(order_json(o, s.clock.now_ms())); });
}

void patch_order(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  OrderUpdate u;
  u.status = f.text("status");
  u.ruled_at = time_field(f, "ruled_at");
  u.expires_at = time_field(f, "expires_at");
  each_object(*body, f, "violations", [&](const json&, JsonFields& item, std::size_t) {
    u.violations.push_back({time_field(item, "occurred_at").value_or(0), item.text("description").value_or(""),
                            item.text("police_response").value_or("")});
  });
  const auto version = f.integer("version");
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  if (!version) return reply(error_response(required_version(version).error()));
  write_then(
      s, std::move(reply),
      [&s, id = *id, version = *version, u, actor = session.actor](db::Connection& conn) {
        return ProtectionOrderService(s.clock).update(conn, id, version, u, actor);
      },
      [&s, &r, session, u](const ProtectionOrder& o) {
        return audit_entry(s, session, r, "dv.protection_order.update", "case", o.case_id,
                           "order " + std::to_string(o.id) + " " + o.status + ", " +
                               std::to_string(u.violations.size()) + " violations logged");
      },
      [&s](const ProtectionOrder& o) { return json_ok(order_json(o, s.clock.now_ms())); });
}

void extend_order(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  const auto expires_at = time_field(f, "expires_at");
  const auto version = f.integer("version");
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  if (!version) return reply(error_response(required_version(version).error()));
  if (!expires_at) return reply(error_response({Errc::invalid_input, "expires_at is required", {{"expires_at", "required"}}}));
  write_then(
      s, std::move(reply),
      [&s, id = *id, version = *version, t = *expires_at, actor = session.actor](db::Connection& conn) {
        return ProtectionOrderService(s.clock).extend(conn, id, version, t, actor);
      },
      [&s, &r, session](const ProtectionOrder& o) {
        return audit_entry(s, session, r, "dv.protection_order.extend", "case", o.case_id,
                           "order " + std::to_string(o.id) + " to " + format_iso8601(o.expires_at.value_or(0)));
      },
      [&s](const ProtectionOrder& o) { return json_ok(order_json(o, s.clock.now_ms())); });
}

void list_expiring(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto days = int_query(r, "days");
  if (!days) return reply(error_response(days.error()));
  const std::int64_t n = days->value_or(14);
  if (n < 1 || n > 366) return reply(error_response({Errc::invalid_input, "days out of range", {{"days", "1 to 366"}}}));
  audited_read_then(
      s, std::move(reply),
      [&s, n, actor = session.actor](db::Connection& conn) {
        return ProtectionOrderService::expiring(conn, static_cast<int>(n), actor, s.clock.now_ms());
      },
      [&s, &r, session, n](const std::vector<ProtectionOrder>& items) {
        return audit_entry(s, session, r, "dv.expiring.list", "case", std::nullopt,
                           "days=" + std::to_string(n) + " (" + std::to_string(items.size()) + " rows)");
      },
      [&s, n](const std::vector<ProtectionOrder>& items) {
        const TimeMs now = s.clock.now_ms();
        json out = items_json(items, [now](const ProtectionOrder& o) { return order_json(o, now); });
        out["days"] = n;
        return json_ok(out);
      });
}

// ---------------------------------------------------------------- interventions

void add_letter(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  NewWarningLetter in{f.integer("police_partner_id").value_or(0), time_field(f, "issued_at").value_or(0),
                      f.text("note").value_or("")};
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  write_then(
      s, std::move(reply),
      [&s, id = *id, in, actor = session.actor](db::Connection& conn) {
        return DvEventService(s.clock).add_warning_letter(conn, id, in, actor);
      },
      [&s, &r, session, id = *id](const WarningLetter& w) {
        return audit_entry(s, session, r, "dv.warning_letter.create", "case", id, "warning letter " + std::to_string(w.id));
      },
      [](const WarningLetter& w) { return json_ok(letter_json(w), 201); });
}

void add_stay(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  NewShelterStay in{f.integer("partner_id").value_or(0), time_field(f, "from").value_or(0), time_field(f, "to"),
                    f.text("note").value_or("")};
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  write_then(
      s, std::move(reply),
      [&s, id = *id, in, actor = session.actor](db::Connection& conn) {
        return DvEventService(s.clock).add_shelter_stay(conn, id, in, actor);
      },
      [&s, &r, session, id = *id](const ShelterStay& x) {
        return audit_entry(s, session, r, "dv.shelter_stay.create", "case", id, "shelter stay " + std::to_string(x.id));
      },
      [](const ShelterStay& x) { return json_ok(stay_json(x), 201); });
}

// POST /api/v1/shelter-stays/{id}/end {"to"}: she left the shelter.
void end_stay(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  const TimeMs to = time_field(f, "to").value_or(0);
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  write_then(
      s, std::move(reply),
      [&s, id = *id, to, actor = session.actor](db::Connection& conn) {
        return DvEventService(s.clock).end_shelter_stay(conn, id, to, actor);
      },
      [&s, &r, session](const ShelterStay& x) {
        return audit_entry(s, session, r, "dv.shelter_stay.end", "case", x.case_id, "shelter stay " + std::to_string(x.id));
      },
      [](const ShelterStay& x) { return json_ok(stay_json(x)); });
}

void add_report(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  NewMandatoryReport in{f.text("reporter_type").value_or(""), f.text("reporter_name").value_or(""),
                        time_field(f, "reported_at").value_or(0), f.integer("police_partner_id"), f.text("note").value_or("")};
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  write_then(
      s, std::move(reply),
      [&s, id = *id, in, actor = session.actor](db::Connection& conn) {
        return DvEventService(s.clock).add_mandatory_report(conn, id, in, actor);
      },
      [&s, &r, session, id = *id](const MandatoryReport& x) {
        return audit_entry(s, session, r, "dv.mandatory_report.create", "case", id, "mandatory report " + std::to_string(x.id));
      },
      [](const MandatoryReport& x) { return json_ok(report_json(x), 201); });
}

// GET of a case's list: `load(conn, case_id, actor)` → vector<T>, each mapped by `one`.
template <auto Load, auto One>
void case_list(Services& s, HttpRequest& r, Reply reply, const Session& session, const char* action) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  audited_read_then(
      s, std::move(reply), [id = *id, actor = session.actor](db::Connection& conn) { return Load(conn, id, actor); },
      [&s, &r, session, id = *id, action](const auto&) { return audit_entry(s, session, r, action, "case", id); },
      [](const auto& items) { return json_ok(items_json(items, One)); });
}

void list_letters(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  case_list<&DvEventService::warning_letters, &letter_json>(s, r, std::move(reply), session, "dv.warning_letter.list");
}
void list_stays(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  case_list<&DvEventService::shelter_stays, &stay_json>(s, r, std::move(reply), session, "dv.shelter_stay.list");
}
void list_reports(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  case_list<&DvEventService::mandatory_reports, &report_json>(s, r, std::move(reply), session, "dv.mandatory_report.list");
}

// ---------------------------------------------------------------- repeat victimisation

void get_repeat(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  audited_read_then(
      s, std::move(reply),
      [&s, id = *id, actor = session.actor](db::Connection& conn) {
        return RepeatVictimisationFinder::for_case(conn, id, actor, s.clock.now_ms());
      },
      [&s, &r, session, id = *id](const RepeatVictimisation& x) {
        return audit_entry(s, session, r, "dv.repeat.read", "case", id, std::to_string(x.previous_cases.size()) + " cases");
      },
      [&s](const RepeatVictimisation& x) { return json_ok(repeat_json(x, s.clock.now_ms())); });
}

// Intake asks before a case exists: the numbers being typed, hashed exactly as intake stores them.
// Invalid numbers are 422 naming the field; no number at all is 422 on `phone`.
void check_repeat(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto param = [&r](const char* name) {
    auto it = r.query.find(name);
    return it == r.query.end() ? std::string() : it->second;
  };
  const std::string raw_phone = param("phone"), raw_id = param("id_number");
  VictimKeys keys;
  std::map<std::string, std::string> bad;
  if (!raw_phone.empty()) {
    if (auto phone = intake::normalize_phone(raw_phone)) keys.phone_hashes.push_back(s.lookup_hash.digest("phone:" + *phone));
    else bad["phone"] = "not a phone number";
  }
  if (!raw_id.empty()) {
    const auto id = intake::normalize_id_number(raw_id);
    if (intake::valid_id_number(id)) keys.id_number_hashes.push_back(s.lookup_hash.digest("id:" + id));
    else bad["id_number"] = "not a valid ID number";
  }
  if (raw_phone.empty() && raw_id.empty()) bad["phone"] = "give a phone or an ID number";
  if (!bad.empty()) return reply(error_response({Errc::invalid_input, "invalid parameters", std::move(bad)}));
  audited_read_then(
      s, std::move(reply),
      [&s, keys = std::move(keys), actor = session.actor](db::Connection& conn) {
        return RepeatVictimisationFinder::by_keys(conn, keys, actor, s.clock.now_ms());
      },
      [&s, &r, session](const RepeatVictimisation& x) {
        return audit_entry(s, session, r, "dv.repeat.check", "", std::nullopt,
                           std::to_string(x.previous_cases.size()) + " cases");
      },
      [&s](const RepeatVictimisation& x) { return json_ok(repeat_json(x, s.clock.now_ms())); });
}

}  // namespace

void add_dv_routes(Router& router, Services& s) {
  router.add("GET", "/api/v1/dv/repeat-check", staff_only(s, bind<check_repeat>(s)));
  router.add("GET", "/api/v1/dv/instrument", staff_only(s, bind<get_instrument>(s)));
  router.add("GET", "/api/v1/dv/breaches", staff_only(s, bind<list_breaches>(s)));
  router.add("GET", "/api/v1/dv/expiring", staff_only(s, bind<list_expiring>(s)));
  router.add("GET", "/api/v1/cases/{id}/dv", staff_only(s, bind<get_record>(s)));
  router.add("PUT", "/api/v1/cases/{id}/dv", staff_only(s, bind<put_record>(s)));
  router.add("GET", "/api/v1/cases/{id}/dv/repeat", staff_only(s, bind<get_repeat>(s)));
  router.add("POST", "/api/v1/cases/{id}/risk-assessments", staff_only(s, bind<assess>(s)));
  router.add("GET", "/api/v1/cases/{id}/risk-assessments", staff_only(s, bind<list_assessments>(s)));
  router.add("GET", "/api/v1/cases/{id}/safety-plan", staff_only(s, bind<get_plan>(s)));
  router.add("PUT", "/api/v1/cases/{id}/safety-plan", staff_only(s, bind<put_plan>(s)));
  router.add("POST", "/api/v1/cases/{id}/protection-orders", staff_only(s, bind<apply_order>(s)));
  router.add("GET", "/api/v1/cases/{id}/protection-orders", staff_only(s, bind<list_orders>(s)));
  router.add("GET", "/api/v1/protection-orders/{id}", staff_only(s, bind<get_order>(s)));
  router.add("PATCH", "/api/v1/protection-orders/{id}", staff_only(s, bind<patch_order>(s)));
  router.add("POST", "/api/v1/protection-orders/{id}/extend", staff_only(s, bind<extend_order>(s)));
  router.add("POST", "/api/v1/cases/{id}/warning-letters", staff_only(s, bind<add_letter>(s)));
  router.add("GET", "/api/v1/cases/{id}/warning-letters", staff_only(s, bind<list_letters>(s)));
  router.add("POST", "/api/v1/cases/{id}/shelter-stays", staff_only(s, bind<add_stay>(s)));
  router.add("GET", "/api/v1/cases/{id}/shelter-stays", staff_only(s, bind<list_stays>(s)));
  router.add("POST", "/api/v1/shelter-stays/{id}/end", staff_only(s, bind<end_stay>(s)));
  router.add("POST", "/api/v1/cases/{id}/mandatory-reports", staff_only(s, bind<add_report>(s)));
  router.add("GET", "/api/v1/cases/{id}/mandatory-reports", staff_only(s, bind<list_reports>(s)));
}

}  // namespace hl::web
