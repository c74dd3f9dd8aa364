// 督办: POST /api/v1/cases/{id}/supervisions and POST …/supervisions/{sid}/answer. Thin: parse, one
// domain call (casework/case_supervision.hpp), map; shapes in web/API.md.
#include "casework/case_supervision.hpp"
#include "core/local_time.hpp"
#include "web/api/case_view.hpp"
#include "web/api/handler_support.hpp"
#include "web/api/json_body.hpp"
#include "web/api/routes.hpp"

namespace hl::web {
namespace {

void open_supervision(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  casework::NewSupervision in;
  in.note = f.text("note").value_or("");
  if (auto due = f.date("due_date")) in.due_date = local_date(*due);
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  write_then(
      s, std::move(reply),
      [&s, id = *id, in, actor = session.actor](db::Connection& conn) {
        return casework::SupervisionService(s.clock).open(conn, id, in, actor);
      },
      [&s, &r, session](const casework::SupervisionRecord& sv) {
        return audit_entry(s, session, r, "case.supervise", "case", sv.case_id,
                           "supervision " + std::to_string(sv.id) + " due " + format_date(local_date(sv.due_at)));
      },
      [&s](const casework::SupervisionRecord& sv) { return json_ok(supervision_json(sv, s.clock.now_ms()), 201); });
}

void answer_supervision(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  auto sid = id_param(r.params, "sid");
  if (!sid) return reply(error_response(sid.error()));
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  const auto text = f.text("answer").value_or("");
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  write_then(
      s, std::move(reply),
      [&s, id = *id, sid = *sid, text, actor = session.actor](db::Connection& conn) {
        return casework::SupervisionService(s.clock).answer(conn, id, sid, text, actor);
      },
      [&s, &r, session](const casework::SupervisionRecord& sv) {
        return audit_entry(s, session, r, "case.supervision_answer", "case", sv.case_id,
                           "supervision " + std::to_string(sv.id) + (sv.on_time() ? " on time" : " late"));
      },
      [&s](const casework::SupervisionRecord& sv) { return json_ok(supervision_json(sv, s.clock.now_ms())); });
}

}  // namespace

void add_case_supervision_routes(Router& router, Services& s) {
  router.add("POST", "/api/v1/cases/{id}/supervisions", authed(s, Access::staff, bind<open_supervision>(s)));
  router.add("POST", "/api/v1/cases/{id}/supervisions/{sid}/answer",
             authed(s, Access::staff, bind<answer_supervision>(s)));
}

}  // namespace hl::web
