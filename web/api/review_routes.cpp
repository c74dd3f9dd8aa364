// 复查 / 复核 of a case's reply: the list with what may come next, the request recorded by the office
// one level up, its answer. Thin: parse, one domain call, map; the rules live in casework/case_review.
#include "casework/case_review.hpp"
#include "core/local_time.hpp"
#include "web/api/handler_support.hpp"
#include "web/api/json_body.hpp"
#include "web/api/json_values.hpp"
#include "web/api/routes.hpp"

namespace hl::web {
namespace {

using casework::CaseReview;
using casework::CaseReviews;
using casework::ReviewService;
using nlohmann::json;

json review_json(const CaseReview& r, TimeMs now) {
  return {{"id", r.id},
          {"kind", r.kind},
          {"office", {{"id", r.office_id}, {"name", r.office_name}}},
          {"requested_at", format_iso8601(r.requested_at)},
          {"request", r.request},
          {"due_at", format_iso8601(r.due_at)},
          {"overdue", r.overdue(now)},
          {"recorded_at", format_iso8601(r.recorded_at)},
          {"decided_at", opt_time(r.decided_at)},
          {"decision", r.decision ? json(*r.decision) : json(nullptr)},
          {"basis", r.basis ? json(*r.basis) : json(nullptr)},
          {"document_no", r.document_no ? json(*r.document_no) : json(nullptr)}};
}

json reviews_json(const CaseReviews& v, TimeMs now) {
  json items = json::array();
  for (const auto& r : v.items) items.push_back(review_json(r, now));
  json next = nullptr;
  if (v.next)
    next = {{"kind", v.next->kind},
            {"office", {{"id", v.next->office_id}, {"name", v.next->office_name}}},
            {"answered_at", format_iso8601(v.next->answered_at)},
            {"window_ends", format_iso8601(v.next->window_ends)},
            {"window_open", now <= v.next->window_ends}};
  return {{"items", items}, {"next", next}, {"final", v.final}};
}

void list_reviews(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  audited_read_then(
      s, std::move(reply),
      [&s, id = *id, actor = session.actor](db::Connection& conn) {
        return ReviewService::for_case(conn, id, actor, s.clock.now_ms());
      },
      [&s, &r, session, id = *id](const CaseReviews&) { return audit_entry(s, session, r, "case.review.list", "case", id); },
      [&s](const CaseReviews& v) { return json_ok(reviews_json(v, s.clock.now_ms())); });
}

void request_review(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  casework::NewReview in{f.text("kind").value_or(""), f.time("requested_at").value_or(0), f.text("request").value_or("")};
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  write_then(
      s, std::move(reply),
      [&s, id = *id, in, actor = session.actor](db::Connection& conn) {
        return ReviewService(s.clock).request(conn, id, in, actor);
      },
      [&s, &r, session, id = *id](const CaseReview& v) {
        return audit_entry(s, session, r, "case.review.request", "case", id, v.kind + " " + std::to_string(v.id));
      },
      [&s](const CaseReview& v) { return json_ok(review_json(v, s.clock.now_ms()), 201); });
}

void decide_review(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  auto review_id = id_param(r.params, "rid");
  if (!review_id) return reply(error_response(review_id.error()));
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  casework::ReviewDecision in{f.time("decided_at"), f.text("decision").value_or(""), f.text("basis").value_or(""),
                              f.text("document_no")};
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  write_then(
      s, std::move(reply),
      [&s, id = *id, rid = *review_id, in, actor = session.actor](db::Connection& conn) {
        return ReviewService(s.clock).decide(conn, id, rid, in, actor);
      },
      [&s, &r, session, id = *id](const CaseReview& v) {
        return audit_entry(s, session, r, "case.review.decide", "case", id, v.kind + " " + v.decision.value_or(""));
      },
      [&s](const CaseReview& v) { return json_ok(review_json(v, s.clock.now_ms())); });
}

}  // namespace

void add_review_routes(Router& router, Services& s) {
  router.add("GET", "/api/v1/cases/{id}/reviews", authed(s, Access::staff_case_content, bind<list_reviews>(s)));
  router.add("POST", "/api/v1/cases/{id}/reviews", authed(s, Access::staff_case_content, bind<request_review>(s)));
  router.add("POST", "/api/v1/cases/{id}/reviews/{rid}/decision",
             authed(s, Access::staff_case_content, bind<decide_review>(s)));
}

}  // namespace hl::web
