// POST /api/v1/intakes and GET /api/v1/callers/lookup: JSON ⇄ intake structs, one service call each.

#include "core/local_time.hpp"
#include "web/api/audit_ids.hpp"
#include "web/api/handler_support.hpp"
#include "web/api/intake_json.hpp"
#include "web/api/json_values.hpp"
#include "web/api/query_params.hpp"
#include "web/api/routes.hpp"

namespace hl::web {
namespace {

using nlohmann::json;

json repeat_json(const intake::RepeatInfo& r) {
  json cases = json::array();
  for (const auto& c : r.prior_cases)
    cases.push_back({{"id", c.id}, {"case_no", c.case_no}, {"status", c.status}, {"category", c.category},
                     {"risk_level", c.risk_level}, {"received_at", format_iso8601(c.received_at)},
                     {"closed_at", opt_time(c.closed_at)}, {"repeat_candidate", !c.repeat_reason.empty()},
                     {"repeat_reason", c.repeat_reason.empty() ? json(nullptr) : json(c.repeat_reason)},
                     {"no_further_acceptance", c.no_further_acceptance}});
  return {{"prior_contacts", r.prior_contacts}, {"prior_cases", cases}};
}

// The screen-pop: the repeat answer plus the caller's latest contacts and the name she gave.
json history_json(const intake::CallerHistory& h) {
  json out = repeat_json(h);
  json contacts = json::array();
  for (const auto& c : h.contacts) {
    json ref = nullptr;
    if (c.case_ref)
      ref = {{"id", c.case_ref->id}, {"case_no", c.case_ref->case_no}, {"status", c.case_ref->status},
             {"outcome", opt(c.case_ref->outcome)}};
    contacts.push_back({{"id", c.id}, {"received_at", format_iso8601(c.received_at)}, {"channel", c.channel},
                        {"call_type", opt(c.call_type)}, {"summary", c.summary}, {"resolution", c.resolution},
                        {"answer", c.answer}, {"case", ref}, {"persons", c.persons},
                        {"group_visit", intake::is_group_visit(c.channel, c.persons)},
                        {"repeat_of_case_id", opt(c.repeat_of_case_id)}, {"level_skipping", c.level_skipping}});
  }
  out["caller_name"] = h.caller_name;
  out["contacts"] = contacts;
  return out;
}

void post_intake(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto in = parse_intake(r.body);
  if (!in) return reply(error_response(in.error()));
  write_then(
      s, std::move(reply),
      [&s, in = *in, actor = session.actor](db::Connection& conn) { return s.intake.record(conn, in, actor); },
      [&s, &r, session, repeat_of = in->repeat_of_case_id](const intake::IntakeResult& res) {
        // The answer lists the caller's earlier cases (repeat): their ids are audited like a lookup's.
        std::string prior = "prior " + case_ids_detail(res.repeat.prior_cases, [](const auto& c) { return c.id; });
        if (repeat_of) prior = "repeat of case " + std::to_string(*repeat_of) + " " + prior;
        return res.opened_case
                   ? audit_entry(s, session, r, "case.create", "case", res.opened_case->id,
                                 "contact " + std::to_string(res.contact_id) + " " + prior)
                   : audit_entry(s, session, r, "contact.create", "contact", res.contact_id, prior);
      },
      [](const intake::IntakeResult& res) {
        json c = nullptr;
        if (res.opened_case)
          c = {{"id", res.opened_case->id}, {"case_no", res.opened_case->case_no},
               {"status", casework::to_string(res.opened_case->status)}};
        return json_ok({{"contact_id", res.contact_id}, {"case", c}, {"linked_case_id", opt(res.linked_case_id)},
                        {"group_visit", res.group_visit}, {"repeat", repeat_json(res.repeat)}},
                       201);
      });
}

void lookup_caller(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  const std::string phone = query(r, "phone").value_or("");
  audited_read_then(
      s, std::move(reply),
      [&s, phone, actor = session.actor](db::Connection& conn) { return s.intake.lookup_caller(conn, phone, actor); },
      [&s, &r, session](const intake::CallerHistory& info) {
        return audit_entry(s, session, r, "caller.lookup", "", std::nullopt,
                           std::to_string(info.prior_cases.size()) + " prior cases " +
                               case_ids_detail(info.prior_cases, [](const auto& c) { return c.id; }));
      },
      [](const intake::CallerHistory& info) { return json_ok(history_json(info)); });
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
