// Legal hold (retention, casework/case_retention.hpp): POST /api/v1/cases/{id}/legal-hold {"reason"}
// and DELETE /api/v1/cases/{id}/legal-hold, by a supervisor of the case's office or above. Thin:
// parse, one domain call, map; shapes in web/API.md.
#include "casework/case_retention.hpp"
#include "core/local_time.hpp"
#include "web/api/handler_support.hpp"
#include "web/api/json_body.hpp"
#include "web/api/routes.hpp"

namespace hl::web {
namespace {

nlohmann::json hold_json(std::int64_t case_id, const casework::LegalHold& h) {
  return {{"case_id", case_id}, {"at", format_iso8601(h.at)}, {"by", h.by}, {"reason", h.reason}};
}

void hold(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  const auto reason = f.text("reason").value_or("");
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  write_then(
      s, std::move(reply),
      [&s, id = *id, reason, actor = session.actor](db::Connection& conn) {
        return casework::CaseRetention::hold(conn, actor, id, reason, s.clock.now_ms());
      },
      [&s, &r, session, id = *id](const casework::LegalHold&) {
        return audit_entry(s, session, r, "case.legal_hold", "case", id);
      },
      [id = *id](const casework::LegalHold& h) { return json_ok(hold_json(id, h), 201); });
}

void release(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  write_then(
      s, std::move(reply),
      [&s, id = *id, actor = session.actor](db::Connection& conn) -> Result<int> {
        if (auto done = casework::CaseRetention::release(conn, actor, id, s.clock.now_ms()); !done)
          return std::unexpected(done.error());
        return 0;
      },
      [&s, &r, session, id = *id](int) { return audit_entry(s, session, r, "case.legal_hold_released", "case", id); },
      [](int) { return HttpResponse{204, "", "", {}}; });
}

}  // namespace

void add_legal_hold_routes(Router& router, Services& s) {
  router.add("POST", "/api/v1/cases/{id}/legal-hold", authed(s, Access::staff_case_content, bind<hold>(s)),
             {.body_limit = 8 * 1024});
  router.add("DELETE", "/api/v1/cases/{id}/legal-hold", authed(s, Access::staff_case_content, bind<release>(s)));
}

}  // namespace hl::web
