// Supervision and statistics. Thin: parse, one domain call, map (shapes in web/API.md).
#include "web/api/supervision_routes.hpp"

#include <atomic>
#include <charconv>
#include <memory>

#include "casework/aging.hpp"
#include "casework/case_repository.hpp"
#include "casework/follow_up.hpp"
#include "casework/follow_up_attempts.hpp"
#include "casework/intake_daily.hpp"
#include "casework/workload.hpp"
#include "core/local_time.hpp"
#include "intake/intake_service.hpp"
#include "web/api/case_view.hpp"
#include "web/api/audit_ids.hpp"
#include "web/api/handler_support.hpp"
#include "web/api/json_body.hpp"
#include "web/api/json_values.hpp"
#include "web/api/query_params.hpp"

namespace hl::web {
namespace {

using nlohmann::json;



std::string query_detail(const HttpRequest& r) {
  std::string d;
  for (const auto& [k, v] : r.query) d += (d.empty() ? "" : "&") + k + "=" + v.substr(0, 100);
  return d;
}

json office_json(const casework::ScopeOffice& o) {
  return {{"id", o.id}, {"name", o.name}, {"region_code", o.region_code}};
}

// ---- aging ----

json aging_row_json(const casework::AgingRow& row) {
  return {{"key", row.key}, {"label", row.label}, {"counts", row.counts}, {"overdue", row.overdue}, {"total", row.total}};
}

json aging_json(const casework::AgingReport& a) {
  json buckets = json::array();
  for (auto b : casework::kAgingBucketLabels) buckets.push_back(b);
  json rows = json::array();
  for (const auto& row : a.rows) rows.push_back(aging_row_json(row));
  json oldest = json::array();
  for (const auto& s : a.oldest) {
    json item = case_summary_json(s.record, s.assignee_name, a.as_of);
    item["overdue_days"] = s.record.overdue(a.as_of) ? json(local_days_between(*s.record.next_due, a.as_of)) : json(nullptr);
    oldest.push_back(std::move(item));
  }
  const auto& o = a.overdue_by_deadline;
  return {{"as_of", format_iso8601(a.as_of)},
          {"office", office_json(a.scope)},
          {"buckets", buckets},
          {"rows", rows},
          {"totals", aging_row_json(a.totals)},
          {"overdue_by_deadline",
           {{"acceptance", o.acceptance},
            {"handling", o.handling},
            {"referral_response", o.referral_response},
            {"protection_order_ruling", o.protection_order_ruling}}},
          {"oldest", oldest},
          {"supervisions", {{"open", a.supervisions.open}, {"overdue", a.supervisions.overdue}}}};
}

void aging(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  std::map<std::string, std::string> bad;
  const auto office_id = integer_query(r, "office_id", bad);
  const auto group = casework::parse_aging_group(query(r, "group_by").value_or("status"));
  if (!group) bad["group_by"] = "one of status, assignee, category, partner, office";
  if (!bad.empty()) return reply(error_response({Errc::invalid_input, "invalid parameters", bad}));
  audited_read_then(
      s, std::move(reply),
      [&s, office_id, group = *group, actor = session.actor](db::Connection& conn) {
        return casework::Aging::compute(conn, actor, office_id, group, s.clock.now_ms());
      },
      [&s, &r, session](const casework::AgingReport& a) {
        return audit_entry(s, session, r, "dashboard.aging", "office", a.scope.id,
                           query_detail(r) + " " + case_ids_detail(a.oldest, [](const auto& c) { return c.record.id; }));
      },
      [](const casework::AgingReport& a) { return json_ok(aging_json(a)); });
}

// ---- intake per day ----

void intake_daily(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  std::map<std::string, std::string> bad;
  const auto office_id = integer_query(r, "office_id", bad);
  const auto days = integer_query(r, "days", bad).value_or(30);
  if (!bad.empty()) return reply(error_response({Errc::invalid_input, "invalid parameters", bad}));
  if (days < 1 || days > casework::kMaxIntakeDays)
    return reply(error_response({Errc::invalid_input, "invalid parameters", {{"days", "between 1 and 366"}}}));
  audited_read_then(
      s, std::move(reply),
      [&s, office_id, days = static_cast<int>(days), actor = session.actor](db::Connection& conn) {
        return casework::intake_daily(conn, actor, office_id, days, s.clock.now_ms());
      },
      [&s, &r, session](const casework::IntakeDaily& d) {
        return audit_entry(s, session, r, "dashboard.intake_daily", "office", d.scope.id, query_detail(r));
      },
      [](const casework::IntakeDaily& d) {
        json series = json::array();
        json channels = json::array();
        for (const auto& c : d.series) {
          channels.push_back(c.channel);
          series.push_back({{"channel", c.channel}, {"counts", c.counts}});
        }
        return json_ok({{"as_of", format_iso8601(d.as_of)},
                        {"office", office_json(d.scope)},
                        {"days", d.days},
                        {"channels", channels},
                        {"series", series},
                        {"total", d.total},
                        {"persons", d.persons}});
      });
}

// ---- workload ----

json load_json(const casework::OpenLoad& l) {
  return {{"open", l.open}, {"by_status", l.by_status}, {"overdue", l.overdue}};
}

void workload(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  std::map<std::string, std::string> bad;
  const auto office_id = integer_query(r, "office_id", bad);
  if (!bad.empty()) return reply(error_response({Errc::invalid_input, "invalid parameters", bad}));
  audited_read_then(
      s, std::move(reply),
      [&s, office_id, actor = session.actor](db::Connection& conn) {
        return casework::Workload::compute(conn, actor, office_id, s.clock.now_ms());
      },
      [&s, &r, session](const casework::WorkloadReport& w) {
        return audit_entry(s, session, r, "dashboard.workload", "office", w.scope.id, query_detail(r));
      },
      [](const casework::WorkloadReport& w) {
        json items = json::array();
        for (const auto& m : w.staff) {
          json item = load_json(m.load);
          item["user"] = {{"id", m.user_id},       {"display_name", m.display_name}, {"role", m.role},
                          {"office_id", m.office_id ? json(*m.office_id) : json(nullptr)},
                          {"office_name", m.office_name}, {"disabled", m.disabled}};
          items.push_back(std::move(item));
        }
        return json_ok({{"as_of", format_iso8601(w.as_of)},
                        {"office", office_json(w.scope)},
                        {"items", items},
                        {"unassigned", load_json(w.unassigned)}});
      });
}

// ---- follow-ups ----

json follow_up_json(const casework::FollowUpRecord& f) {
  return {{"id", f.id},
          {"case_id", f.case_id},
          {"closed_at", format_iso8601(f.closed_at)},
          {"satisfaction", f.satisfaction},
          {"note", f.note},
          {"contacted_at", format_iso8601(f.contacted_at)},
          {"recorded_by", f.recorded_by ? json(*f.recorded_by) : json(nullptr)},
          {"created_at", format_iso8601(f.created_at)}};
}

json attempt_json(const casework::FollowUpAttempt& a) {
  return {{"id", a.id},
          {"case_id", a.case_id},
          {"closed_at", format_iso8601(a.closed_at)},
          {"result", a.result},
          {"rescheduled_to", a.rescheduled_to ? json(format_date(local_date(*a.rescheduled_to))) : json(nullptr)},
          {"note", a.note},
          {"attempted_at", format_iso8601(a.attempted_at)},
          {"recorded_by", a.recorded_by ? json(*a.recorded_by) : json(nullptr)},
          {"created_at", format_iso8601(a.created_at)}};
}

void list_follow_ups(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  std::map<std::string, std::string> bad;
  casework::FollowUpFilter f;
  f.office_id = integer_query(r, "office_id", bad);
  f.limit = static_cast<int>(integer_query(r, "limit", bad).value_or(50));
  f.cursor = query(r, "cursor").value_or("");
  const auto state = query(r, "state").value_or("due");
  if (state == "dissatisfied") f.state = casework::FollowUpState::dissatisfied;
  else if (state != "due") bad["state"] = "one of due, dissatisfied";
  if (!bad.empty()) return reply(error_response({Errc::invalid_input, "invalid parameters", bad}));
  audited_read_then(
      s, std::move(reply),
      [&s, f, actor = session.actor](db::Connection& conn) {
        return casework::FollowUpService::list(conn, f, actor, s.clock.now_ms());
      },
      [&s, &r, session](const casework::FollowUpPage& p) {
        return audit_entry(s, session, r, "follow_up.list", "case", std::nullopt,
                           query_detail(r) + " (" + std::to_string(p.items.size()) + " rows) " +
                               case_ids_detail(p.items, [](const auto& it) { return it.summary.record.id; }));
      },
      [&s, state](const casework::FollowUpPage& p) {
        const TimeMs now = s.clock.now_ms();
        json items = json::array();
        for (const auto& it : p.items) {
          const auto& c = it.summary.record;
          items.push_back({{"case", case_summary_json(c, it.summary.assignee_name, now)},
                           {"closed_at", opt_time(c.closed_at)},
                           {"days_since_closure", c.closed_at ? json(local_days_between(*c.closed_at, now)) : json(nullptr)},
                           {"outcome", c.outcome ? json(*c.outcome) : json(nullptr)},
                           {"latest_follow_up", it.latest ? follow_up_json(*it.latest) : json(nullptr)},
                           {"attempts", it.attempts.count},
                           {"last_attempt", it.attempts.last ? attempt_json(*it.attempts.last) : json(nullptr)}});
        }
        return json_ok({{"state", state},
                        {"total", p.total},
                        {"items", items},
                        {"next_cursor", p.next_cursor ? json(*p.next_cursor) : json(nullptr)}});
      });
}

struct CaseFollowUps {
  std::vector<casework::FollowUpRecord> results;
  std::vector<casework::FollowUpAttempt> attempts;
};

void case_follow_ups(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  audited_read_then(
      s, std::move(reply),
      [id = *id, actor = session.actor](db::Connection& conn) -> Result<CaseFollowUps> {
        if (auto c = casework::CaseRepository::get(conn, id, actor); !c) return std::unexpected(c.error());
        return CaseFollowUps{casework::FollowUpService::for_case(conn, id), casework::FollowUpAttemptService::for_case(conn, id)};
      },
      [&s, &r, session, id = *id](const auto&) { return audit_entry(s, session, r, "follow_up.read", "case", id); },
      [](const CaseFollowUps& all) {
        json out = json::array(), attempts = json::array();
        for (const auto& f : all.results) out.push_back(follow_up_json(f));
        for (const auto& a : all.attempts) attempts.push_back(attempt_json(a));
        return json_ok({{"items", out}, {"attempts", attempts}});
      });
}

void record_follow_up(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  casework::NewFollowUp in;
  in.satisfaction = f.text("satisfaction").value_or("");
  in.note = f.text("note").value_or("");
  in.contacted_at = f.time("contacted_at");
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  write_then(
      s, std::move(reply),
      [&s, id = *id, in, actor = session.actor](db::Connection& conn) {
        return casework::FollowUpService(s.clock).record(conn, id, in, actor);
      },
      [&s, &r, session](const casework::FollowUpRecord& fu) {
        return audit_entry(s, session, r, "case.follow_up", "case", fu.case_id, fu.satisfaction);
      },
      [](const casework::FollowUpRecord& fu) {
        json out = follow_up_json(fu);
        out["reopen_suggested"] = fu.satisfaction == "dissatisfied";
        return json_ok(out, 201);
      });
}

void record_attempt(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  casework::NewFollowUpAttempt in{f.text("result").value_or(""), f.date("rescheduled_to"), f.text("note").value_or(""),
                                  f.time("attempted_at")};
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  write_then(
      s, std::move(reply),
      [&s, id = *id, in, actor = session.actor](db::Connection& conn) {
        return casework::FollowUpAttemptService(s.clock).record(conn, id, in, actor);
      },
      [&s, &r, session](const casework::FollowUpAttempt& a) {
        return audit_entry(s, session, r, "case.follow_up_attempt", "case", a.case_id, a.result);
      },
      [](const casework::FollowUpAttempt& a) { return json_ok(attempt_json(a), 201); });
}

}  // namespace

void add_supervision_routes(Router& router, Services& s) {
  router.add("GET", "/api/v1/dashboard/aging", authed(s, Access::supervisor, bind<aging>(s)));
  router.add("GET", "/api/v1/dashboard/workload", authed(s, Access::supervisor, bind<workload>(s)));
  router.add("GET", "/api/v1/dashboard/intake-daily", authed(s, Access::supervisor, bind<intake_daily>(s)));
  router.add("GET", "/api/v1/follow-ups", authed(s, Access::staff, bind<list_follow_ups>(s)));
  router.add("GET", "/api/v1/cases/{id}/follow-ups", authed(s, Access::staff, bind<case_follow_ups>(s)));
  router.add("POST", "/api/v1/cases/{id}/follow-ups", authed(s, Access::staff, bind<record_follow_up>(s)));
  router.add("POST", "/api/v1/cases/{id}/follow-up-attempts", authed(s, Access::staff, bind<record_attempt>(s)));
}

}  // namespace hl::web
