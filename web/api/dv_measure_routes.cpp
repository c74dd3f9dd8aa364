// Domestic violence measures that outlive a case: protection orders (apply, rule, extend, record
// violations; the expiring list), warning letters, shelter stays and mandatory reports. Thin:
// parse, one domain call, map; the rules live in casework/dv_protection_order and dv_events.
#include "casework/dv_order_reconsideration.hpp"
#include "core/local_time.hpp"
#include "web/api/audit_ids.hpp"
#include "web/api/dv_json.hpp"
#include "web/api/handler_support.hpp"
#include "web/api/json_body.hpp"
#include "web/api/json_values.hpp"
#include "web/api/dv_routes.hpp"

namespace hl::web {
namespace {

using namespace casework;
using namespace dv;

// ---------------------------------------------------------------- protection orders

void apply_order(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  NewProtectionOrder in{f.integer("court_partner_id").value_or(0), f.time("applied_at").value_or(0),
                        f.flag("emergency").value_or(false), f.time("court_accepted_at"),
                        f.text("applied_by").value_or("victim")};
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
  u.court_accepted_at = f.time("court_accepted_at");
  u.status = f.text("status");
  u.ruled_at = f.time("ruled_at");
  u.expires_at = f.time("expires_at");
  each_object(*body, f, "violations", [&](const json&, JsonFields& item, std::size_t) {
    u.violations.push_back({item.time("occurred_at").value_or(0), item.text("description").value_or(""),
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
  const auto expires_at = f.time("expires_at");
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

// 复议 (Art. 31): the request, then the court's result.
void request_reconsideration(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  NewReconsideration in{f.time("applied_at").value_or(0), f.text("applied_by").value_or(""), f.text("note").value_or("")};
  const auto version = f.integer("version");
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  if (!version) return reply(error_response(required_version(version).error()));
  write_then(
      s, std::move(reply),
      [&s, id = *id, version = *version, in, actor = session.actor](db::Connection& conn) {
        return OrderReconsiderationService(s.clock).request(conn, id, version, in, actor);
      },
      [&s, &r, session](const ProtectionOrder& o) {
        return audit_entry(s, session, r, "dv.protection_order.reconsideration", "case", o.case_id,
                           "order " + std::to_string(o.id) + " by " + o.reconsideration->applied_by);
      },
      [&s](const ProtectionOrder& o) { return json_ok(order_json(o, s.clock.now_ms())); });
}

void decide_reconsideration(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  ReconsiderationDecision in{f.text("result").value_or(""), f.time("decided_at").value_or(0), f.text("note").value_or("")};
  const auto version = f.integer("version");
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  if (!version) return reply(error_response(required_version(version).error()));
  write_then(
      s, std::move(reply),
      [&s, id = *id, version = *version, in, actor = session.actor](db::Connection& conn) {
        return OrderReconsiderationService(s.clock).decide(conn, id, version, in, actor);
      },
      [&s, &r, session](const ProtectionOrder& o) {
        return audit_entry(s, session, r, "dv.protection_order.reconsideration_decided", "case", o.case_id,
                           "order " + std::to_string(o.id) + " " + o.reconsideration->result.value_or(""));
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
                           "days=" + std::to_string(n) + " (" + std::to_string(items.size()) + " rows) " +
                               case_ids_detail(items, [](const ProtectionOrder& o) { return o.case_id; }));
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
  NewWarningLetter in{f.integer("police_partner_id").value_or(0), f.time("issued_at").value_or(0),
                      f.text("note").value_or(""), f.text("document_no").value_or("")};
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
  NewShelterStay in{f.integer("partner_id").value_or(0), f.time("from").value_or(0), f.time("to"),
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
  const TimeMs to = f.time("to").value_or(0);
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
                        f.time("reported_at").value_or(0), f.integer("police_partner_id"), f.text("note").value_or("")};
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

}  // namespace

void add_dv_measure_routes(Router& router, Services& s) {
  router.add("GET", "/api/v1/dv/expiring", authed(s, Access::staff_case_content, bind<list_expiring>(s)));
  router.add("POST", "/api/v1/cases/{id}/protection-orders", authed(s, Access::staff_case_content, bind<apply_order>(s)));
  router.add("GET", "/api/v1/cases/{id}/protection-orders", authed(s, Access::staff_case_content, bind<list_orders>(s)));
  router.add("GET", "/api/v1/protection-orders/{id}", authed(s, Access::staff_case_content, bind<get_order>(s)));
  router.add("PATCH", "/api/v1/protection-orders/{id}", authed(s, Access::staff_case_content, bind<patch_order>(s)));
  router.add("POST", "/api/v1/protection-orders/{id}/extend", authed(s, Access::staff_case_content, bind<extend_order>(s)));
  router.add("POST", "/api/v1/protection-orders/{id}/reconsideration",
             authed(s, Access::staff_case_content, bind<request_reconsideration>(s)));
  router.add("POST", "/api/v1/protection-orders/{id}/reconsideration/decision",
             authed(s, Access::staff_case_content, bind<decide_reconsideration>(s)));
  router.add("POST", "/api/v1/cases/{id}/warning-letters", authed(s, Access::staff_case_content, bind<add_letter>(s)));
  router.add("GET", "/api/v1/cases/{id}/warning-letters", authed(s, Access::staff_case_content, bind<list_letters>(s)));
  router.add("POST", "/api/v1/cases/{id}/shelter-stays", authed(s, Access::staff_case_content, bind<add_stay>(s)));
  router.add("GET", "/api/v1/cases/{id}/shelter-stays", authed(s, Access::staff_case_content, bind<list_stays>(s)));
  router.add("POST", "/api/v1/shelter-stays/{id}/end", authed(s, Access::staff_case_content, bind<end_stay>(s)));
  router.add("POST", "/api/v1/cases/{id}/mandatory-reports", authed(s, Access::staff_case_content, bind<add_report>(s)));
  router.add("GET", "/api/v1/cases/{id}/mandatory-reports", authed(s, Access::staff_case_content, bind<list_reports>(s)));
}

}  // namespace hl::web
