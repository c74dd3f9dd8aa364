// POST /api/v1/intakes and GET /api/v1/callers/lookup: JSON ⇄ intake structs, one service call each.

#include "core/local_time.hpp"
#include "web/api/handler_support.hpp"
#include "web/api/json_body.hpp"
#include "web/api/routes.hpp"

namespace hl::web {
namespace {

using nlohmann::json;

intake::PersonInput person(JsonFields f) {
  intake::PersonInput p;
  p.name = f.text("name").value_or("");
  p.phone = f.text("phone").value_or("");
  p.gender = f.text("gender").value_or("");
  p.region_code = f.text("region_code").value_or("");
  p.id_number = f.text("id_number").value_or("");
  p.relationship_to_victim = f.text("relationship_to_victim").value_or("");
  p.age = f.int32("age");
  return p;
}

Result<intake::IntakeRequest> parse_intake(const std::string& raw) {
  auto body = parse_object(raw);
  if (!body) return std::unexpected(body.error());
  JsonFields f(*body);
  intake::IntakeRequest in;
  in.channel = f.text("channel").value_or("");
  in.call_type = f.text("call_type").value_or("");
  if (auto at = f.text("received_at")) {
    if (auto t = parse_iso8601(*at)) in.received_at = *t;
    else f.problems()["received_at"] = "must be an ISO 8601 time with offset";
  }
  in.duration_s = f.int32("duration_s");
  in.persons = f.int32("persons").value_or(1);
  for (const char* role : {"complainant", "victim"}) {
    if (const auto* o = f.object(role)) {
      auto nested = f.nested(*o, role);
      auto p = person(nested);
      if (const auto* sc = nested.object("safe_contact")) {
        auto safe = nested.nested(*sc, "safe_contact");
        p.safe_contact = {safe.flag("ok_to_call"), safe.text("safe_times").value_or(""), safe.text("note").value_or("")};
      }
      (std::string(role) == "complainant" ? in.complainant : in.victim) = p;
    }
  }
  if (const auto* o = f.object("respondent")) {
    auto nested = f.nested(*o, "respondent");
    in.respondent = intake::RespondentInput{nested.text("name").value_or(""), nested.text("relationship").value_or("")};
  }
  in.category = f.text("category").value_or("");
  in.summary = f.text("summary").value_or("");
  in.narrative = f.text("narrative").value_or("");
  in.urgency = f.text("urgency").value_or("normal");
  in.resolution = f.text("resolution").value_or("");
  in.answer = f.text("answer").value_or("");
  in.case_id = f.integer("case_id");
  if (auto typed = f.result(); !typed) return std::unexpected(typed.error());
  return in;
}

json repeat_json(const intake::RepeatInfo& r) {
  json cases = json::array();
  for (const auto& c : r.prior_cases)
    cases.push_back({{"id", c.id}, {"case_no", c.case_no}, {"status", c.status}, {"category", c.category},
                     {"risk_level", c.risk_level}, {"received_at", format_iso8601(c.received_at)}});
  return {{"prior_contacts", r.prior_contacts}, {"prior_cases", cases}};
}

void post_intake(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto in = parse_intake(r.body);
  if (!in) return reply(error_response(in.error()));
  write_then(
      s, std::move(reply),
      [&s, in = *in, actor = session.actor](db::Connection& conn) { return s.intake.record(conn, in, actor); },
      [&s, &r, session](const intake::IntakeResult& res) {
        return res.opened_case
                   ? audit_entry(s, session, r, "case.create", "case", res.opened_case->id, "contact " + std::to_string(res.contact_id))
                   : audit_entry(s, session, r, "contact.create", "contact", res.contact_id);
      },
      [](const intake::IntakeResult& res) {
        json c = nullptr;
        if (res.opened_case)
          c = {{"id", res.opened_case->id}, {"case_no", res.opened_case->case_no},
               {"status", casework::to_string(res.opened_case->status)}};
        return json_ok({{"contact_id", res.contact_id}, {"case", c}, {"repeat", repeat_json(res.repeat)}}, 201);
      });
}

void lookup_caller(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto it = r.query.find("phone");
  const std::string phone = it == r.query.end() ? "" : it->second;
  audited_read_then(
      s, std::move(reply),
      [&s, phone, actor = session.actor](db::Connection& conn) { return s.intake.lookup_caller(conn, phone, actor); },
      [&s, &r, session](const intake::RepeatInfo& info) {
        return audit_entry(s, session, r, "caller.lookup", "", std::nullopt,
                           std::to_string(info.prior_cases.size()) + " prior cases");
      },
      [](const intake::RepeatInfo& info) { return json_ok(repeat_json(info)); });
}

}  // namespace

void add_intake_routes(Router& router, Services& s) {
  router.add("POST", "/api/v1/intakes", authed(s, Access::staff, [&s](HttpRequest& r, Reply reply, const Session& session) {
               post_intake(s, r, std::move(reply), session);
             }));
  router.add("GET", "/api/v1/callers/lookup", authed(s, Access::staff, [&s](HttpRequest& r, Reply reply, const Session& session) {
               lookup_caller(s, r, std::move(reply), session);
             }));
}

}  // namespace hl::web
