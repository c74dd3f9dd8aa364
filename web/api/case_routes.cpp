// /api/v1/cases: list, get, patch, transitions, timeline, notes. Thin: parse, one domain call, map.
#include <charconv>

#include "casework/case_query.hpp"
#include "casework/case_timeline.hpp"
#include "casework/workflow.hpp"
#include "core/local_time.hpp"
#include "web/api/audit_ids.hpp"
#include "web/api/case_view.hpp"
#include "web/api/handler_support.hpp"
#include "web/api/json_body.hpp"
#include "web/api/query_params.hpp"
#include "web/api/routes.hpp"

namespace hl::web {
namespace {

using casework::CaseFilter;
using nlohmann::json;

Result<CaseFilter> parse_filter(const HttpRequest& r, const Session& session) {
  CaseFilter f;
  std::map<std::string, std::string> bad;
  auto integer = [&](const char* name) { return integer_query(r, name, bad); };
  f.status = query(r, "status");
  f.category = query(r, "category");
  f.channel = query(r, "channel");
  f.risk_level = query(r, "risk_level");
  f.office_id = integer("office_id");
  if (query(r, "assignee_id") == "me") f.assignee_id = session.actor.user_id;
  else if (query(r, "assignee_id") == "none") f.unassigned_only = true;
  else f.assignee_id = integer("assignee_id");
  f.partner_id = integer("partner_id");
  f.overdue_only = query(r, "overdue") == "true";
  if (auto supervised = query(r, "supervised")) {
    if (*supervised == "1" || *supervised == "true") f.supervised_only = true;
    else if (*supervised != "0" && *supervised != "false") bad["supervised"] = "1 or 0";
  }
  if (auto from = query(r, "received_from")) {
    if (auto d = parse_date(*from)) f.received_from = start_of_local_day(*d);
    else bad["received_from"] = "a date YYYY-MM-DD";
  }
  if (auto to = query(r, "received_to")) {
    if (auto d = parse_date(*to)) f.received_to = end_of_local_day(*d);
    else bad["received_to"] = "a date YYYY-MM-DD";
  }
  f.q = query(r, "q").value_or("");
  if (auto sort = query(r, "sort")) {
    if (*sort == "received_desc") f.sort = casework::CaseSort::received_desc;
    else if (*sort == "received_asc") f.sort = casework::CaseSort::received_asc;
    else if (*sort == "due_asc") f.sort = casework::CaseSort::due_asc;
    else bad["sort"] = "one of received_desc, received_asc, due_asc";
  }
  f.limit = static_cast<int>(integer("limit").value_or(50));
  f.cursor = query(r, "cursor").value_or("");
  if (!bad.empty()) return fail(Errc::invalid_input, "invalid list parameters", std::move(bad));
  return f;
}

// The list's filters for the audit log. The search text is left out (only its length is kept): an
// operator may search for a phone number or a name, which must not end up in plain text there.
std::string filter_detail(const HttpRequest& r) {
  std::string d;
  for (const auto& [k, v] : r.query) {
    const std::string value = k == "q" ? "<" + std::to_string(v.size()) + " bytes>" : v.substr(0, 100);
    d += (d.empty() ? "" : "&") + k + "=" + value;
  }
  return d;
}

void list_cases(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto filter = parse_filter(r, session);
  if (!filter) return reply(error_response(filter.error()));
  audited_read_then(
      s, std::move(reply),
      [&s, f = *filter, actor = session.actor](db::Connection& conn) {
        return casework::CaseQuery::list(conn, f, actor, s.clock.now_ms(), s.identity);
      },
      [&s, &r, session](const casework::CasePage& page) {
        return audit_entry(s, session, r, "case.list", "case", std::nullopt,
                           filter_detail(r) + " (" + std::to_string(page.items.size()) + " rows) " +
                               case_ids_detail(page.items, [](const auto& c) { return c.record.id; }));
      },
      [&s, partner = session.actor.role == casework::Role::partner](const casework::CasePage& page) {
        return json_ok(case_page_json(page, s.clock.now_ms(), partner));
      });
}

void get_case(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  audited_read_then(
      s, std::move(reply),
      [id = *id, actor = session.actor](db::Connection& conn) { return load_case_view(conn, id, actor); },
      [&s, &r, session, id = *id](const CaseView&) { return audit_entry(s, session, r, "case.read", "case", id); },
      [&s](const CaseView& v) { return json_ok(case_json(v, s.identity, s.clock.now_ms())); });
}

void patch_case(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  casework::CasePatch patch{f.text("summary"), f.text("narrative"), f.text("category"), f.text("urgency"),
                            f.integer("assignee_id")};
  const auto version = f.integer("version");
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  if (!version) return reply(error_response({Errc::invalid_input, "version is required", {{"version", "required"}}}));
  write_then(
      s, std::move(reply),
      [&s, id = *id, version = *version, patch, actor = session.actor](db::Connection& conn) -> Result<CaseView> {
        auto c = s.edits.patch(conn, id, version, patch, actor);
        if (!c) return std::unexpected(c.error());
        return load_case_view(conn, id, actor);
      },
      [&s, &r, session, id = *id](const CaseView&) { return audit_entry(s, session, r, "case.update", "case", id); },
      [&s](const CaseView& v) { return json_ok(case_json(v, s.identity, s.clock.now_ms())); });
}

void transition(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  const auto event_name = f.text("event");
  const auto version = f.integer("version");
  const auto note = f.text("note").value_or("");
  auto data = f.flat_text_map("data");
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  std::map<std::string, std::string> bad;
  if (!version) bad["version"] = "required";
  const auto event = casework::parse_event(event_name.value_or(""));
  // The engine's own events (the system role) are not requested from outside.
  using casework::CaseEvent;
  if (!event || *event == CaseEvent::register_case || *event == CaseEvent::referral_done ||
      *event == CaseEvent::report_received || *event == CaseEvent::report_returned)
    bad["event"] = "unknown event";
  if (note.size() > 5000) bad["note"] = "at most 5000 bytes";
  if (!bad.empty()) return reply(error_response({Errc::invalid_input, "the transition request is invalid", bad}));
  write_then(
      s, std::move(reply),
      [&s, id = *id, version = *version, event = *event, data, note, actor = session.actor](db::Connection& conn) -> Result<CaseView> {
        auto c = s.cases.apply(conn, id, version, event, actor, data, note);
        if (!c) return std::unexpected(c.error());
        return load_case_view(conn, id, actor);
      },
      [&s, &r, session, id = *id, name = *event_name, data](const CaseView& v) {
        std::string detail = name + " -> " + std::string(casework::to_string(v.record.status));
        // A referral without consent is audited with its override reason, as POST …/referrals does:
        // sharing a victim's case without her consent must be accountable.
        if (const auto consent = data.find("consent_given"); name == "refer" && consent != data.end() &&
                                                             consent->second != "true") {
          const auto reason = data.find("override_reason");
          detail += "; without consent; override: " + (reason == data.end() ? std::string() : reason->second);
        }
        return audit_entry(s, session, r, "case.transition", "case", id, detail);
      },
      [&s](const CaseView& v) { return json_ok(case_json(v, s.identity, s.clock.now_ms())); });
}

void timeline(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  audited_read_then(
      s, std::move(reply),
      [id = *id, actor = session.actor](db::Connection& conn) { return casework::CaseTimeline::load(conn, id, actor); },
      [&s, &r, session, id = *id](const auto&) { return audit_entry(s, session, r, "case.timeline", "case", id); },
      [](const std::vector<casework::TimelineItem>& items) { return json_ok(timeline_json(items)); });
}

void add_note(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  const auto text = f.text("text").value_or("");
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  write_then(
      s, std::move(reply),
      [&s, id = *id, text, actor = session.actor](db::Connection& conn) { return s.edits.add_note(conn, id, text, actor); },
      [&s, &r, session, id = *id](const casework::Note& n) {
        return audit_entry(s, session, r, "case.note", "case", id, "note " + std::to_string(n.id));
      },
      [](const casework::Note& n) {
        return json_ok({{"id", n.id}, {"at", format_iso8601(n.at)}, {"text", n.text}}, 201);
      });
}

}  // namespace

void add_case_routes(Router& router, Services& s) {
  router.add("GET", "/api/v1/cases", authed(s, Access::staff_or_partner, bind<list_cases>(s)));
  router.add("GET", "/api/v1/cases/{id}", authed(s, Access::case_content, bind<get_case>(s)));
  router.add("PATCH", "/api/v1/cases/{id}", authed(s, Access::staff, bind<patch_case>(s)));
  router.add("POST", "/api/v1/cases/{id}/transitions", authed(s, Access::staff, bind<transition>(s)));
  router.add("GET", "/api/v1/cases/{id}/timeline", authed(s, Access::case_content, bind<timeline>(s)));
  router.add("POST", "/api/v1/cases/{id}/notes", authed(s, Access::staff_or_partner, bind<add_note>(s)));
}

}  // namespace hl::web
