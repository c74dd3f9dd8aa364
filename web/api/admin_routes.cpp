// Administration (the system administrator): offices, partners, deadline configuration. Accounts
// are in account_routes.cpp. Administrators manage the system but see no case content.
#include "casework/deadline_policy.hpp"
#include "casework/office_repository.hpp"
#include "casework/partner_import.hpp"
#include "casework/partner_repository.hpp"
#include "web/api/directory_json.hpp"
#include "web/api/handler_support.hpp"
#include "web/api/json_body.hpp"
#include "web/api/query_params.hpp"
#include "web/api/routes.hpp"

namespace hl::web {
namespace {

using nlohmann::json;

std::optional<std::vector<std::string>> string_list(const json& body, const char* name, std::map<std::string, std::string>& bad) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  std::vector<std::string> out;
  if (!it->is_array()) {
    bad[name] = "must be an array of strings";
    return std::nullopt;
  }
  for (const auto& v : *it) {
    if (!v.is_string()) {
      bad[name] = "must be an array of strings";
      return std::nullopt;
    }
    out.push_back(v.get<std::string>());
  }
  return out;
}

struct PartnerRequest {
  casework::PartnerFields fields;
  std::optional<std::int64_t> version;
};

Result<PartnerRequest> partner_request(const std::string& raw) {
  auto body = parse_object(raw);
  if (!body) return std::unexpected(body.error());
  JsonFields f(*body);
  PartnerRequest p{{f.text("name"), f.text("type"), f.text("phone"), f.text("contact_person"), f.text("working_hours"),
                    string_list(*body, "region_codes", f.problems()), string_list(*body, "services", f.problems()),
                    f.flag("active")},
                   f.integer("version")};
  if (auto typed = f.result(); !typed) return std::unexpected(typed.error());
  return p;
}

void create_office(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  auto name = f.text("name").value_or("");
  auto code = f.text("region_code").value_or("");
  auto parent = f.integer("parent_id");
  auto level = f.text("level").value_or(parent ? "county" : "province");
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  write_then(
      s, std::move(reply),
      [&s, name, code, parent, level](db::Connection& conn) {
        return casework::OfficeRepository::create(conn, name, code, parent, level, s.clock.now_ms());
      },
      [&s, &r, session](const casework::Office& o) { return audit_entry(s, session, r, "office.create", "office", o.id, o.name); },
      [](const casework::Office& o) { return json_ok(office_json(o), 201); });
}

void patch_office(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  auto phone = f.text("phone");
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  if (!phone) return reply(error_response({Errc::invalid_input, "nothing to change", {{"phone", "required"}}}));
  write_then(
      s, std::move(reply),
      [id = *id, phone = *phone](db::Connection& conn) { return casework::OfficeRepository::set_phone(conn, id, phone); },
      [&s, &r, session](const casework::Office& o) { return audit_entry(s, session, r, "office.update", "office", o.id, "phone"); },
      [](const casework::Office& o) { return json_ok(office_json(o)); });
}

void create_partner(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto request = partner_request(r.body);
  if (!request) return reply(error_response(request.error()));
  write_then(
      s, std::move(reply),
      [&s, f = request->fields](db::Connection& conn) { return casework::PartnerRepository::create(conn, f, s.clock.now_ms()); },
      [&s, &r, session](const casework::Partner& p) { return audit_entry(s, session, r, "partner.create", "partner", p.id, p.name); },
      [](const casework::Partner& p) { return json_ok(partner_to_json(p), 201); });
}

void import_partners(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  write_then(
      s, std::move(reply),
      [&s, csv = r.body](db::Connection& conn) { return casework::import_partners(conn, csv, s.clock.now_ms()); },
      [&s, &r, session](const casework::PartnerImportReport& rep) {
        return audit_entry(s, session, r, "partner.import", "partner", std::nullopt,
                           std::to_string(rep.imported) + " imported, " + std::to_string(rep.updated) + " updated, " +
                               std::to_string(rep.rejected.size()) + " rejected");
      },
      [](const casework::PartnerImportReport& rep) {
        json rejected = json::array();
        for (const auto& [line, reason] : rep.rejected) rejected.push_back({{"line", line}, {"reason", reason}});
        return json_ok({{"rows", rep.rows}, {"imported", rep.imported}, {"updated", rep.updated}, {"rejected", rejected}});
      });
}

void patch_partner(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  auto request = partner_request(r.body);
  if (!request) return reply(error_response(request.error()));
  if (!request->version) return reply(error_response({Errc::invalid_input, "version is required", {{"version", "required"}}}));
  write_then(
      s, std::move(reply),
      [id = *id, version = *request->version, f = request->fields](db::Connection& conn) {
        return casework::PartnerRepository::update(conn, id, version, f);
      },
      [&s, &r, session](const casework::Partner& p) { return audit_entry(s, session, r, "partner.update", "partner", p.id); },
      [](const casework::Partner& p) { return json_ok(partner_to_json(p)); });
}

constexpr const char* kDeadlineKeys[] = {"acceptance_days", "handling_days", "max_extension_days", "referral_response_days",
                                         "referral_feedback_days", "po_ruling_hours", "po_ruling_emergency_hours",
                                         "review_request_days", "review_answer_days", "archive_after_days"};

json policy_json(const casework::DeadlinePolicy& p) {
  return {{"acceptance_days", p.acceptance_days},
          {"handling_days", p.handling_days},
          {"max_extension_days", p.max_extension_days},
          {"referral_response_days", p.referral_response_days},
          {"referral_feedback_days", p.referral_feedback_days},
          {"po_ruling_hours", p.po_ruling_hours},
          {"po_ruling_emergency_hours", p.po_ruling_emergency_hours},
          {"review_request_days", p.review_request_days},
          {"review_answer_days", p.review_answer_days},
          {"archive_after_days", p.archive_after_days}};
}

// 0 for none, -1 (no such office) for one that is not a number.
std::int64_t office_query(const HttpRequest& r) {
  std::map<std::string, std::string> bad;
  const auto id = integer_query(r, "office_id", bad);
  return bad.empty() ? id.value_or(0) : -1;
}

void get_deadlines(Services& s, HttpRequest& r, Reply reply, const Session&) {
  const auto office = office_query(r);
  read_then(
      s, std::move(reply),
      [office](db::Connection& conn) -> Result<casework::DeadlinePolicy> {
        if (office < 0 || (office > 0 && !casework::OfficeRepository::get(conn, office)))
          return fail(Errc::not_found, "no such office");
        return casework::load_deadline_policy(conn, office);
      },
      [office](const casework::DeadlinePolicy& p) { return json_ok({{"office_id", office}, {"deadlines", policy_json(p)}}); });
}

void put_deadlines(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  const auto office = office_query(r);
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  std::map<std::string, std::int64_t> values;
  std::map<std::string, std::string> bad;
  for (const char* key : kDeadlineKeys) {
    if (auto v = f.integer(key)) {
      if (*v < 1 || *v > 365 * 24) bad[key] = "a positive number";
      else values[key] = *v;
    }
  }
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  if (!bad.empty()) return reply(error_response({Errc::invalid_input, "invalid deadlines", bad}));
  write_then(
      s, std::move(reply),
      [office, values](db::Connection& conn) -> Result<casework::DeadlinePolicy> {
        if (office < 0 || (office > 0 && !casework::OfficeRepository::get(conn, office)))
          return fail(Errc::not_found, "no such office");
        for (const auto& [k, v] : values)
          conn.prepare("INSERT INTO deadline_config(office_id, key, value) VALUES (?1, ?2, ?3)"
                       " ON CONFLICT(office_id, key) DO UPDATE SET value = excluded.value")
              .bind_all(office, k, v)
              .run();
        return casework::load_deadline_policy(conn, office);
      },
      [&s, &r, session, office](const auto&) {
        return audit_entry(s, session, r, "config.deadlines", "office", office, r.body.substr(0, 500));
      },
      [office](const casework::DeadlinePolicy& p) { return json_ok({{"office_id", office}, {"deadlines", policy_json(p)}}); });
}

}  // namespace

void add_admin_routes(Router& router, Services& s) {
  router.add("POST", "/api/v1/offices", authed(s, Access::sysadmin, bind<create_office>(s)));
  router.add("PATCH", "/api/v1/offices/{id}", authed(s, Access::sysadmin, bind<patch_office>(s)));
  router.add("POST", "/api/v1/partners", authed(s, Access::sysadmin, bind<create_partner>(s)));
  router.add("PATCH", "/api/v1/partners/{id}", authed(s, Access::sysadmin, bind<patch_partner>(s)));
  router.add("POST", "/api/v1/partners/import", authed(s, Access::sysadmin, bind<import_partners>(s)),
             {.body_limit = 2 * 1024 * 1024, .json_body = false});
  router.add("GET", "/api/v1/config/deadlines", authed(s, Access::sysadmin, bind<get_deadlines>(s)));
  router.add("PUT", "/api/v1/config/deadlines", authed(s, Access::sysadmin, bind<put_deadlines>(s)));
}

}  // namespace hl::web
