// The audit log, for the audit administrator (审计管理员) alone: reading it (itself audited) and
// verifying the chain against its anchor, as `hotline audit verify` does.
#include "casework/audit_log_query.hpp"
#include "core/local_time.hpp"
#include "web/api/handler_support.hpp"
#include "web/api/query_params.hpp"
#include "web/api/routes.hpp"

namespace hl::web {
namespace {

using nlohmann::json;

Result<casework::AuditFilter> audit_filter(const HttpRequest& r) {
  std::map<std::string, std::string> bad;
  casework::AuditFilter f;
  auto day = [&](const char* name, bool end) -> std::optional<TimeMs> {
    auto text = query(r, name);
    if (!text) return std::nullopt;
    auto d = parse_date(*text);
    if (!d) {
      bad[name] = "a date YYYY-MM-DD";
      return std::nullopt;
    }
    return end ? start_of_local_day(add_days(*d, 1)) : start_of_local_day(*d);
  };
  f.from = day("from", false);
  f.to = day("to", true);  // through the end of that day
  f.action_prefix = query(r, "action");
  f.object_type = query(r, "object_type");
  f.actor_id = integer_query(r, "actor_id", bad);
  f.object_id = integer_query(r, "object_id", bad);
  f.before_id = integer_query(r, "before_id", bad);
  const auto limit = integer_query(r, "limit", bad);
  if (limit && (*limit < 1 || *limit > 200)) bad["limit"] = "1 to 200";
  f.limit = static_cast<int>(limit.value_or(100));
  if (!bad.empty()) return fail(Errc::invalid_input, "invalid query", std::move(bad));
  return f;
}

json row_json(const casework::AuditRow& row) {
  const auto& e = row.entry;
  json actor = nullptr;
  if (e.actor_id) actor = {{"id", *e.actor_id}, {"username", row.actor_username}, {"display_name", row.actor_display_name}};
  return {{"id", row.id},
          {"at", format_iso8601(e.at)},
          {"actor", actor},
          {"action", e.action},
          {"object_type", e.object_type},
          {"object_id", e.object_id ? json(*e.object_id) : json(nullptr)},
          {"detail", e.detail},
          {"ip", e.ip}};
}

void list_audit(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto filter = audit_filter(r);
  if (!filter) return reply(error_response(filter.error()));
  audited_read_then(
      s, std::move(reply),
      [f = *filter](db::Connection& conn) -> Result<casework::AuditPage> { return casework::read_audit_log(conn, f); },
      [&s, &r, session](const casework::AuditPage& page) {
        // Who read which part of the log is itself on the log.
        return audit_entry(s, session, r, "audit.read", "", std::nullopt,
                           r.target.substr(0, 300) + " (" + std::to_string(page.rows.size()) + " rows)");
      },
      [](const casework::AuditPage& page) {
        json items = json::array();
        for (const auto& row : page.rows) items.push_back(row_json(row));
        return json_ok({{"items", items},
                        {"next_before_id", page.next_before_id ? json(*page.next_before_id) : json(nullptr)}});
      });
}

void verify_audit(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  audited_read_then(
      s, std::move(reply),
      [&s](db::Connection& conn) -> Result<audit::VerifyReport> {
        std::optional<audit::Anchor> anchor;
        if (s.audit_anchor) {
          auto highest = s.audit_anchor->highest();
          if (!highest) {
            audit::VerifyReport broken;
            broken.ok = false;
            broken.reason = "the anchor file cannot be read: " + highest.error().message;
            return broken;
          }
          anchor = *highest;
        }
        return s.audit.verify(conn, anchor);
      },
      [&s, &r, session](const audit::VerifyReport& v) {
        return audit_entry(s, session, r, "audit.verify", "", std::nullopt, v.ok ? "ok" : "broken: " + v.reason);
      },
      [](const audit::VerifyReport& v) {
        return json_ok({{"ok", v.ok},
                        {"rows_checked", v.rows_checked},
                        {"last_id", v.last_id},
                        {"first_broken_id", v.first_broken_id ? json(*v.first_broken_id) : json(nullptr)},
                        {"reason", v.reason}});
      });
}

}  // namespace

void add_audit_routes(Router& router, Services& s) {
  router.add("GET", "/api/v1/audit", authed(s, Access::auditor, bind<list_audit>(s)));
  router.add("GET", "/api/v1/audit/verify", authed(s, Access::auditor, bind<verify_audit>(s)));
}

}  // namespace hl::web
