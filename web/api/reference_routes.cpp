// Reference data the desk needs: categories, offices, partners.
#include "casework/office_repository.hpp"
#include "casework/partner_repository.hpp"
#include "web/api/directory_json.hpp"
#include "web/api/handler_support.hpp"
#include "web/api/query_params.hpp"
#include "web/api/routes.hpp"

namespace hl::web {
namespace {

using nlohmann::json;

struct Category {
  std::string code, parent, zh, en;
};

json partner_json(const casework::Partner& p) {
  return {{"id", p.id},         {"name", p.name},   {"type", p.type},
          {"region_codes", p.region_codes}, {"services", p.services}, {"phone", p.phone},
          {"contact_person", p.contact_person}, {"working_hours", p.working_hours}, {"active", p.active},
          {"version", p.version}};
}

}  // namespace

json office_json(const casework::Office& o) {
  return {{"id", o.id}, {"name", o.name}, {"region_code", o.region_code.empty() ? json(nullptr) : json(o.region_code)},
          {"parent_id", o.parent_id ? json(*o.parent_id) : json(nullptr)}, {"level", o.level}, {"active", o.active},
          {"phone", o.phone}};
}

json partner_to_json(const casework::Partner& p) { return partner_json(p); }

void add_reference_routes(Router& router, Services& s) {
  router.add("GET", "/api/v1/categories", authed(s, Access::any_user, [&s](HttpRequest&, Reply reply, const Session&) {
               read_then(
                   s, std::move(reply),
                   [](db::Connection& conn) -> Result<std::vector<Category>> {
                     std::vector<Category> out;
                     auto st = conn.prepare("SELECT code, coalesce(parent_code, ''), name_zh, name_en FROM categories"
                                            " WHERE active = 1 ORDER BY sort");
                     while (st.step()) out.push_back({st.text(0), st.text(1), st.text(2), st.text(3)});
                     return out;
                   },
                   [](const std::vector<Category>& cats) {
                     json items = json::array();
                     for (const auto& c : cats)
                       items.push_back({{"code", c.code}, {"parent_code", c.parent.empty() ? json(nullptr) : json(c.parent)},
                                        {"name_zh", c.zh}, {"name_en", c.en}});
                     return json_ok({{"items", items}});
                   });
             }));
  router.add("GET", "/api/v1/offices", authed(s, Access::staff_or_account_admin, [&s](HttpRequest& r, Reply reply, const Session& session) {
               // ?scope=all: every active office, for staff choosing where to forward (转送) a case;
               // names and region codes of federation offices are public knowledge.
               const std::string scope = query(r, "scope").value_or("");
               if (!scope.empty() && scope != "all" && scope != "own") {
                 reply(error_response(Error{Errc::invalid_input, "scope is all or own", {{"scope", "all or own"}}}));
                 return;
               }
               read_then(
                   s, std::move(reply),
                   [actor = session.actor, all_offices = scope == "all"](db::Connection& conn) -> Result<std::vector<casework::Office>> {
                     auto all = casework::OfficeRepository::list(conn);
                     if (casework::is_administrator(actor.role)) return all;
                     if (all_offices) {
                       std::erase_if(all, [](const casework::Office& o) { return !o.active; });
                       return all;
                     }
                     // Staff see their subtree (to assign or transfer down) and their ancestors (to send up).
                     std::vector<casework::Office> out;
                     for (auto& o : all)
                       if (o.path.starts_with(actor.office_path) || actor.office_path.starts_with(o.path)) out.push_back(o);
                     return out;
                   },
                   [](const std::vector<casework::Office>& offices) {
                     json items = json::array();
                     for (const auto& o : offices) items.push_back(office_json(o));
                     return json_ok({{"items", items}});
                   });
             }));
  router.add("GET", "/api/v1/partners", authed(s, Access::staff_or_account_admin, [&s](HttpRequest& r, Reply reply, const Session& session) {
               const std::optional<std::string> type = query(r, "type");
               // Staff see active partners only (whom they can refer to). Administrators see all, or
               // with ?active=true|false the active or the inactive ones.
               std::optional<bool> active;
               if (!casework::is_administrator(session.actor.role)) active = true;
               else if (auto a = query(r, "active")) {
                 if (*a != "true" && *a != "false") {
                   reply(error_response(Error{Errc::invalid_input, "active is true or false", {{"active", "true or false"}}}));
                   return;
                 }
                 active = *a == "true";
               }
               read_then(
                   s, std::move(reply),
                   [type, active](db::Connection& conn) -> Result<std::vector<casework::Partner>> {
                     if (type && !casework::is_one_of(casework::partner_types(), *type))
                       return fail(Errc::invalid_input, "unknown partner type", {{"type", "unknown partner type"}});
                     auto partners = casework::PartnerRepository::list(conn, type, active.value_or(false));
                     if (active == false) std::erase_if(partners, [](const casework::Partner& p) { return p.active; });
                     return partners;
                   },
                   [](const std::vector<casework::Partner>& partners) {
                     json items = json::array();
                     for (const auto& p : partners) items.push_back(partner_json(p));
                     return json_ok({{"items", items}});
                   });
             }));
}

}  // namespace hl::web
