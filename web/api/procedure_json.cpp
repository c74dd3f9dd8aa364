// The 信访 procedure on the case page: running deadlines with days left, the notices to the person,
// the reply in force, the extension and the 转送 / 交办 records (web/API.md, "Cases").
#include "web/api/case_view.hpp"
#include "web/api/json_values.hpp"

namespace hl::web {
namespace {

using nlohmann::json;

json deadline(const char* kind, TimeMs due, TimeMs now) {
  json d = json::object();
  d["kind"] = kind;
  d["due_at"] = format_iso8601(due);
  d["overdue"] = due < now;
  // Calendar days from today to the last day (0 on it, negative once past), as the desk counts down.
  d["days_left"] = local_days_between(now, due);
  return d;
}

json transfer_json(const casework::TransferRecord& t) {
  json j = json::object();
  j["mode"] = t.mode;
  j["from_case_id"] = t.from_case_id;
  j["to_case_id"] = t.to_case_id;
  j["sent_at"] = format_iso8601(t.sent_at);
  j["first_received_at"] = format_iso8601(t.first_received_at);
  j["report_due"] = opt_time(t.report_due);
  j["report_state"] = opt(t.report_state);
  j["reported_at"] = opt_time(t.reported_at);
  j["returns"] = t.returns;
  j["last_return_reason"] = opt(t.last_return_reason);
  return j;
}

}  // namespace

json deadlines_json(const CaseView& v, TimeMs now) {
  using casework::CaseStatus;
  const auto& c = v.record;
  const auto& p = v.procedure;
  json out = json::array();
  if (c.status == CaseStatus::registered && c.acceptance_due) out.push_back(deadline("acceptance", *c.acceptance_due, now));
  const bool handling = c.status == CaseStatus::in_progress || c.status == CaseStatus::referred ||
                        c.status == CaseStatus::mediation || c.status == CaseStatus::pending_closure;
  // The reply meets the handling limit: once one stands, the clock no longer runs.
  if (handling && c.handling_due && !p.reply) out.push_back(deadline("handling", *c.handling_due, now));
  if (c.status == CaseStatus::delegated && p.sent && p.sent->report_state == "awaited" && p.sent->report_due)
    out.push_back(deadline("report", *p.sent->report_due, now));
  return out;
}

void add_procedure_json(json& j, const CaseView& v) {
  const auto& p = v.procedure;
  j["first_received_at"] = p.received ? json(format_iso8601(p.received->first_received_at)) : json(nullptr);
  json notices = json::array();
  for (const auto& n : p.notices) {
    json o = json::object();
    o["kind"] = n.kind;
    o["decision"] = opt(n.decision);
    o["told_at"] = format_iso8601(n.told_at);
    o["method"] = n.method;
    o["document_no"] = opt(n.document_no);
    o["on_the_spot"] = n.on_the_spot;
    o["due_at"] = opt_time(n.due_at);
    o["on_time"] = n.on_time();
    notices.push_back(std::move(o));
  }
  j["notices"] = std::move(notices);
  if (p.reply) {
    const auto& r = *p.reply;
    json o = json::object();
    o["replied_at"] = format_iso8601(r.replied_at);
    o["method"] = r.method;
    o["opinion"] = r.opinion;
    o["basis"] = r.basis;
    o["document_no"] = opt(r.document_no);
    o["due_at"] = opt_time(r.handling_due);
    o["on_time"] = r.on_time();
    o["from_case_id"] = opt(r.from_case_id);
    j["reply"] = std::move(o);
  } else {
    j["reply"] = nullptr;
  }
  if (p.extension) {
    const auto& e = *p.extension;
    json o = json::object();
    o["days"] = e.days;
    o["reason"] = e.reason;
    o["approved_by"] = e.approved_by ? json{{"id", *e.approved_by}, {"display_name", v.extension_approver_name.value_or("")}}
                                     : json(nullptr);
    o["granted_at"] = format_iso8601(e.granted_at);
    o["previous_due"] = opt_time(e.previous_due);
    o["new_due"] = format_iso8601(e.new_due);
    j["extension"] = std::move(o);
  } else {
    j["extension"] = nullptr;
  }
  j["sent"] = p.sent ? transfer_json(*p.sent) : json(nullptr);
  j["received"] = p.received ? transfer_json(*p.received) : json(nullptr);
}

}  // namespace hl::web
