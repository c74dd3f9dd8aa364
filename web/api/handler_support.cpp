#include "web/api/handler_support.hpp"

#include "casework/change_scope.hpp"
#include "core/crypto/random.hpp"
#include "core/local_time.hpp"

namespace hl::web {
namespace {

bool allowed(Access access, casework::Role role) {
  using casework::Role;
  switch (access) {
    case Access::any_user:
    case Access::own_session: return true;
    case Access::staff:
    case Access::staff_case_content: return role == Role::operator_ || role == Role::supervisor;
    case Access::supervisor: return role == Role::supervisor;
    case Access::staff_or_partner:
    case Access::case_content: return role == Role::operator_ || role == Role::supervisor || role == Role::partner;
    case Access::staff_or_account_admin:
      return role == Role::operator_ || role == Role::supervisor || role == Role::sysadmin || role == Role::secadmin;
    case Access::sysadmin: return role == Role::sysadmin;
    case Access::secadmin: return role == Role::secadmin;
    case Access::account_admin: return role == Role::sysadmin || role == Role::secadmin;
    case Access::account_oversight: return role == Role::sysadmin || role == Role::secadmin || role == Role::supervisor;
    case Access::auditor: return role == Role::auditor;
  }
  return false;
}

}  // namespace

HttpResponse password_expired_response() {
  // A 403 of its own code (not Errc::forbidden): the desk must tell "change your password first"
  // from "your role may not".
  const nlohmann::json body = {{"error", {{"code", "password_expired"}, {"message", "change your password first"}}}};
  return json_response(403, body.dump());
}

HttpResponse second_factor_enrolment_response() {
  const nlohmann::json body = {
      {"error", {{"code", "second_factor_enrolment_required"}, {"message", "set up two-step verification first"}}}};
  return json_response(403, body.dump());
}

namespace {

bool changes_state(const std::string& method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

}  // namespace

std::string cookie_value(const HttpRequest& request, std::string_view name) {
  const std::string header = request.header("cookie");
  std::string_view rest = header;
  while (!rest.empty()) {
    const auto semi = rest.find(';');
    std::string_view part = rest.substr(0, semi);
    rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    const auto eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name) return std::string(part.substr(eq + 1));
  }
  return {};
}

Handler authed(Services& s, Access access, AuthedHandler handler) {
  return [&s, access, handler = std::move(handler)](HttpRequest& request, Reply reply) {
    auto session = s.sessions.find(cookie_value(request, "hl_session"));
    if (!session) {
      reply(error_response({Errc::unauthenticated, "please log in", {}}));
      return;
    }
    if (changes_state(request.method) &&
        !crypto::constant_time_equal(request.header("x-csrf-token"), session->csrf_token)) {
      reply(error_response({Errc::forbidden, "missing or wrong X-CSRF-Token header", {}}));
      return;
    }
    if (session->must_change_password && access != Access::own_session) {
      reply(password_expired_response());
      return;
    }
    if (session->must_enrol_second_factor && access != Access::own_session) {
      reply(second_factor_enrolment_response());
      return;
    }
    if (!allowed(access, session->actor.role)) {
      const bool hide = access == Access::case_content ||
                        (access == Access::staff_case_content && session->actor.role == casework::Role::partner);
      reply(hide ? error_response({Errc::not_found, "no such case", {}})
                 : error_response({Errc::forbidden, "your role may not do this", {}}));
      return;
    }
    handler(request, std::move(reply), *session);
  };
}

std::optional<Change> change_for(db::Connection& conn, const audit::AuditEntry& e) {
  if (!e.object_id) return std::nullopt;
  auto scope = casework::scope_of_change(conn, e.object_type, *e.object_id);
  if (!scope) return std::nullopt;
  return Change{e.action, scope->case_id, scope->contact_id, std::move(scope->office_path), std::move(scope->partner_ids),
                format_iso8601(e.at)};
}

HttpResponse json_ok(const nlohmann::json& body, unsigned status) {
  return json_response(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

audit::AuditEntry audit_entry(const Services& s, const Session& session, const HttpRequest& request,
                              std::string action, std::string object_type, std::optional<std::int64_t> object_id,
                              std::string detail) {
  audit::AuditEntry e;
  e.at = s.clock.now_ms();
  e.actor_id = session.actor.user_id;
  e.action = std::move(action);
  e.object_type = std::move(object_type);
  e.object_id = object_id;
  e.detail = std::move(detail);
  e.ip = request.remote_ip;
  return e;
}

}  // namespace hl::web
