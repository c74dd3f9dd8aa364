// Domestic violence: the DV record, risk assessments and the instrument, safety plans and breaches,
// and repeat victimisation; the measures (orders, letters, shelter, reports) are in
// dv_measure_routes.cpp. Thin: parse, one domain call, map; the rules live in casework/dv_*.
#include "web/api/dv_routes.hpp"

#include "core/local_time.hpp"
#include "web/api/audit_ids.hpp"
#include "web/api/dv_json.hpp"
#include "web/api/handler_support.hpp"
#include "web/api/json_body.hpp"
#include "web/api/json_values.hpp"
#include "web/api/query_params.hpp"

namespace hl::web {
namespace {

using namespace casework;
using namespace dv;

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
  in.first_incident_at = f.date("first_incident_at");
  in.latest_incident_at = f.date("latest_incident_at");
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
        return audit_entry(s, session, r, "dv.breaches.list", "case", std::nullopt,
                           std::to_string(items.size()) + " rows " +
                               case_ids_detail(items, [](const SafetyPlanBreach& b) { return b.case_id; }));
      },
      [](const std::vector<SafetyPlanBreach>& items) { return json_ok(items_json(items, breach_json)); });
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
        return audit_entry(s, session, r, "dv.repeat.read", "case", id,
                           std::to_string(x.previous_cases.size()) + " cases " +
                               case_ids_detail(x.previous_cases, [](const auto& c) { return c.id; }));
      },
      [&s](const RepeatVictimisation& x) { return json_ok(repeat_json(x, s.clock.now_ms())); });
}

// Intake asks before a case exists, with the numbers being typed (422 naming a bad one).
void check_repeat(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto keys = RepeatVictimisationFinder::keys_typed(s.identity, query(r, "phone").value_or(""), query(r, "id_number").value_or(""));
  if (!keys) return reply(error_response(keys.error()));
  audited_read_then(
      s, std::move(reply),
      [&s, keys = std::move(*keys), actor = session.actor](db::Connection& conn) {
        return RepeatVictimisationFinder::by_keys(conn, keys, actor, s.clock.now_ms());
      },
      [&s, &r, session](const RepeatVictimisation& x) {
        return audit_entry(s, session, r, "dv.repeat.check", "", std::nullopt,
                           std::to_string(x.previous_cases.size()) + " cases " +
                               case_ids_detail(x.previous_cases, [](const auto& c) { return c.id; }));
      },
      [&s](const RepeatVictimisation& x) { return json_ok(repeat_json(x, s.clock.now_ms())); });
}

}  // namespace

void add_dv_routes(Router& router, Services& s) {
  add_dv_measure_routes(router, s);
  router.add("GET", "/api/v1/dv/repeat-check", authed(s, Access::staff_case_content, bind<check_repeat>(s)));
  router.add("GET", "/api/v1/dv/instrument", authed(s, Access::staff_case_content, bind<get_instrument>(s)));
  router.add("GET", "/api/v1/dv/breaches", authed(s, Access::staff_case_content, bind<list_breaches>(s)));
  router.add("GET", "/api/v1/cases/{id}/dv", authed(s, Access::staff_case_content, bind<get_record>(s)));
  router.add("PUT", "/api/v1/cases/{id}/dv", authed(s, Access::staff_case_content, bind<put_record>(s)));
  router.add("GET", "/api/v1/cases/{id}/dv/repeat", authed(s, Access::staff_case_content, bind<get_repeat>(s)));
  router.add("POST", "/api/v1/cases/{id}/risk-assessments", authed(s, Access::staff_case_content, bind<assess>(s)));
  router.add("GET", "/api/v1/cases/{id}/risk-assessments", authed(s, Access::staff_case_content, bind<list_assessments>(s)));
  router.add("GET", "/api/v1/cases/{id}/safety-plan", authed(s, Access::staff_case_content, bind<get_plan>(s)));
  router.add("PUT", "/api/v1/cases/{id}/safety-plan", authed(s, Access::staff_case_content, bind<put_plan>(s)));
}

}  // namespace hl::web
