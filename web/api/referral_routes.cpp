// Referrals and mediation: POST /cases/{id}/referrals, GET /referrals, POST /referrals/{id}/respond,
// POST /cases/{id}/mediations, POST /mediations/{id}/result.
#include "casework/mediation_service.hpp"
#include "casework/referral_service.hpp"
#include "core/local_time.hpp"
#include "web/api/audit_ids.hpp"
#include "web/api/handler_support.hpp"
#include "web/api/json_body.hpp"
#include "web/api/json_values.hpp"
#include "web/api/query_params.hpp"
#include "web/api/routes.hpp"

namespace hl::web {
namespace {

using nlohmann::json;
using casework::ReferralRecord;


// The structured outcome (null for none): dates as Beijing calendar days.
json result_json(const ReferralRecord& r) {
  if (r.result.kind.empty()) return nullptr;
  auto day = [](const std::optional<TimeMs>& t) { return t ? json(format_date(local_date(*t))) : json(nullptr); };
  return {{"kind", r.result.kind},
          {"date", day(r.result.date)},
          {"until", day(r.result.until)},
          {"document_no", r.result.document_no.empty() ? json(nullptr) : json(r.result.document_no)},
          {"record", r.outcome_record.empty() ? json(nullptr) : json(r.outcome_record)}};
}

casework::ReferralOutcome result_field(JsonFields& f) {
  const auto* given = f.object("result");
  if (given == nullptr) return {};
  auto g = f.nested(*given, "result");
  return {g.text("kind").value_or(""), g.date("date"), g.date("until"), g.text("document_no").value_or("")};
}

json referral_json(const ReferralRecord& r, TimeMs now) {
  return {{"id", r.id},
          {"case_id", r.case_id},
          {"case_no", r.case_no},
          {"partner", {{"id", r.partner_id}, {"name", r.partner_name}, {"type", r.partner_type}}},
          {"service", r.service},
          {"reason", r.reason},
          {"status", r.status},
          {"consent", {{"given", r.consent_given}, {"override_reason", opt(r.override_reason)}}},
          {"sent_at", format_iso8601(r.sent_at)},
          {"response_due", opt_time(r.response_due)},
          {"feedback_due", opt_time(r.feedback_due)},
          {"due_at", opt_time(r.due())},
          {"overdue", r.overdue(now)},
          {"responded_at", opt_time(r.responded_at)},
          {"completed_at", opt_time(r.completed_at)},
          {"outcome", opt(r.outcome)},
          {"result", result_json(r)},
          {"decline_reason", opt(r.decline_reason)},
          {"version", r.version}};
}

json mediation_json(const casework::MediationRecord& m) {
  return {{"id", m.id},
          {"case_id", m.case_id},
          {"mediator", m.mediator},
          {"partner_id", m.partner_id ? json(*m.partner_id) : json(nullptr)},
          {"scheduled_at", format_iso8601(m.scheduled_at)},
          {"place", m.place},
          {"result", opt(m.result)},
          {"agreement_summary", opt(m.agreement_summary)},
          {"next_session_at", opt_time(m.next_session_at)},
          {"version", m.version}};
}

void create_referral(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  casework::NewReferral in;
  in.partner_id = f.integer("partner_id").value_or(0);
  in.service = f.text("service").value_or("");
  in.reason = f.text("reason").value_or("");
  in.case_version = f.integer("version");
  in.response_due = f.time("response_due");
  if (const auto* consent = f.object("consent")) {
    auto c = f.nested(*consent, "consent");
    in.consent_given = c.flag("given").value_or(false);
    in.consent_contact_id = c.integer("recorded_by_contact_id");
    in.override_reason = c.text("override_reason").value_or("");
  } else {
    f.problems()["consent"] = "required: {\"given\":true} or {\"given\":false,\"override_reason\":\"…\"}";
  }
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  write_then(
      s, std::move(reply),
      [&s, id = *id, in, actor = session.actor](db::Connection& conn) { return s.referrals.create(conn, id, in, actor); },
      [&s, &r, session](const ReferralRecord& ref) {
        // A referral without consent is audited with its override reason: sharing without consent must be accountable.
        return audit_entry(s, session, r, ref.consent_given ? "referral.create" : "referral.create_without_consent", "case",
                           ref.case_id, "referral " + std::to_string(ref.id) + " to " + ref.partner_name +
                                            (ref.consent_given ? "" : "; override: " + ref.override_reason.value_or("")));
      },
      [&s](const ReferralRecord& ref) { return json_ok(referral_json(ref, s.clock.now_ms()), 201); });
}

void list_referrals(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  casework::ReferralFilter filter;
  std::map<std::string, std::string> bad;
  filter.status = query(r, "status");
  filter.partner_id = integer_query(r, "partner_id", bad);
  filter.case_id = integer_query(r, "case_id", bad);
  filter.overdue_only = query(r, "overdue") == "true";
  if (!bad.empty()) return reply(error_response({Errc::invalid_input, "invalid list parameters", bad}));
  audited_read_then(
      s, std::move(reply),
      [&s, filter, actor = session.actor](db::Connection& conn) {
        return casework::ReferralService::list(conn, filter, actor, s.clock.now_ms());
      },
      [&s, &r, session](const auto& items) {
        return audit_entry(s, session, r, "referral.list", "referral", std::nullopt,
                           std::to_string(items.size()) + " rows " +
                               case_ids_detail(items, [](const ReferralRecord& x) { return x.case_id; }));
      },
      [&s](const std::vector<ReferralRecord>& items) {
        json out = json::array();
        for (const auto& x : items) out.push_back(referral_json(x, s.clock.now_ms()));
        return json_ok({{"items", out}});
      });
}

void respond(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  const auto action = f.text("action").value_or("");
  const auto version = f.integer("version");
  const auto note = f.text("note").value_or("");
  const auto outcome = f.text("outcome").value_or("");
  const auto decline_reason = f.text("decline_reason").value_or("");
  const auto result = result_field(f);
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  if (!version) return reply(error_response({Errc::invalid_input, "version is required", {{"version", "required"}}}));
  write_then(
      s, std::move(reply),
      [&s, id = *id, version = *version, action, note, outcome, decline_reason, result,
       actor = session.actor](db::Connection& conn) {
        return s.referrals.respond(conn, id, version, action, note, outcome, decline_reason, actor, result);
      },
      [&s, &r, session, action](const ReferralRecord& ref) {
        return audit_entry(s, session, r, "referral." + action, "case", ref.case_id, "referral " + std::to_string(ref.id));
      },
      [&s](const ReferralRecord& ref) { return json_ok(referral_json(ref, s.clock.now_ms())); });
}

void schedule_mediation(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  casework::NewMediation in{f.text("mediator").value_or(""), f.integer("partner_id"), f.time("scheduled_at").value_or(0),
                            f.text("place").value_or("")};
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  write_then(
      s, std::move(reply),
      [&s, id = *id, in, actor = session.actor](db::Connection& conn) { return s.mediations.schedule(conn, id, in, actor); },
      [&s, &r, session](const casework::MediationRecord& m) {
        return audit_entry(s, session, r, "mediation.schedule", "case", m.case_id, "mediation " + std::to_string(m.id));
      },
      [](const casework::MediationRecord& m) { return json_ok(mediation_json(m), 201); });
}

void mediation_result(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  const auto result = f.text("result").value_or("");
  const auto summary = f.text("agreement_summary").value_or("");
  const auto next = f.time("next_session_at");
  const auto version = f.integer("version");
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  if (!version) return reply(error_response({Errc::invalid_input, "version is required", {{"version", "required"}}}));
  write_then(
      s, std::move(reply),
      [&s, id = *id, version = *version, result, summary, next, actor = session.actor](db::Connection& conn) {
        return s.mediations.record_result(conn, id, version, result, summary, next, actor);
      },
      [&s, &r, session, result](const casework::MediationRecord& m) {
        return audit_entry(s, session, r, "mediation.result", "case", m.case_id, result);
      },
      [](const casework::MediationRecord& m) { return json_ok(mediation_json(m)); });
}

}  // namespace

void add_referral_routes(Router& router, Services& s) {
  router.add("POST", "/api/v1/cases/{id}/referrals", authed(s, Access::staff, bind<create_referral>(s)));
  router.add("GET", "/api/v1/referrals", authed(s, Access::staff_or_partner, bind<list_referrals>(s)));
  router.add("POST", "/api/v1/referrals/{id}/respond", authed(s, Access::staff_or_partner, bind<respond>(s)));
  router.add("POST", "/api/v1/cases/{id}/mediations", authed(s, Access::staff, bind<schedule_mediation>(s)));
  router.add("POST", "/api/v1/mediations/{id}/result", authed(s, Access::staff, bind<mediation_result>(s)));
}

}  // namespace hl::web
