// POST/GET/DELETE /api/v1/session: login with Argon2id, lockout with back-off, CSRF token; POST
// /api/v1/session/password: changing one's own password.
#include "casework/login_guard.hpp"
#include "casework/password_change.hpp"
#include "casework/password_policy.hpp"
#include "casework/user_repository.hpp"
#include "core/local_time.hpp"
#include "web/api/handler_support.hpp"
#include "web/api/json_body.hpp"
#include "web/api/routes.hpp"

namespace hl::web {
namespace {

using casework::UserRepository;

struct LoginOutcome {
  casework::LoginGuard::Outcome decision;
  std::string office_name, partner_name;
  std::optional<NewSession> created;  // accepted: the session, stored in the same transaction
};

nlohmann::json session_json(const Session& s, const std::string& office_name, const std::string& partner_name,
                            TimeMs idle_ms) {
  const auto& a = s.actor;
  return {{"user",
           {{"id", a.user_id},
            {"username", s.username},
            {"display_name", s.display_name},
            {"role", casework::to_string(a.role)},
            {"office_id", a.office_id ? nlohmann::json(*a.office_id) : nlohmann::json(nullptr)},
            {"office_name", office_name},
            {"partner_org_id", a.partner_id ? nlohmann::json(*a.partner_id) : nlohmann::json(nullptr)},
            {"partner_name", partner_name}}},
          {"csrf_token", s.csrf_token},
          {"idle_timeout_s", idle_ms / 1000},
          {"must_change_password", s.must_change_password},
          {"must_enrol_second_factor", s.must_enrol_second_factor},
          {"expires_at", format_iso8601(s.expires_at)}};
}

void login(Services& s, HttpRequest& request, Reply reply) {
  auto body = parse_object(request.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  const auto username = f.text("username").value_or("");
  const auto password = f.text("password").value_or("");
  const auto code = f.text("code").value_or("");  // two-step verification: TOTP or a recovery code
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  if (username.empty() || password.empty() || username.size() > 64 || password.size() > 1024)
    return reply(error_response({Errc::unauthenticated, "wrong username or password", {}}));

  const std::string ip = request.remote_ip;
  // The password on a read worker (Argon2id is slow), then the decision on the writer.
  s.reads.post(
      [&s, username, password](db::Connection& conn) -> Result<casework::LoginGuard::Check> {
        return s.logins.check(conn, username, password);
      },
      [&s, reply, username, code, ip](Result<casework::LoginGuard::Check> checked) mutable {
        if (!checked) return reply(error_response(checked.error()));
        s.writer.post(
            [&s, check = *checked, username, code, ip](db::Connection& conn) -> Result<LoginOutcome> {
              LoginOutcome out{s.logins.settle(conn, check, username, &s.second_factor, code.substr(0, 64)), {}, {}, {}};
              if (const auto& d = out.decision; d.actor) {
                std::tie(out.office_name, out.partner_name) = UserRepository::affiliation_names(conn, *d.actor);
                const bool must_change = casework::must_change_password(
                    d.user->password_changed_at, d.user->must_change_password, s.clock.now_ms(), s.sessions.password_rules());
                const bool must_enrol =
                    s.sessions.second_factor_required() && !casework::SecondFactor::enabled(conn, d.actor->user_id);
                out.created = s.sessions.create(conn, *d.actor, d.user->username, d.user->display_name, must_change,
                                                must_enrol);
              }
              s.audit.append(conn, {s.clock.now_ms(), out.decision.user_id, out.decision.audit_action, "user",
                                    out.decision.user_id, "username=" + username, ip});
              return out;
            },
            [&s, reply](Result<LoginOutcome> outcome) {
              if (!outcome) return reply(error_response(outcome.error()));
              const auto& d = outcome->decision;
              if (d.retry_after_ms > 0)
                return reply(rate_limited_response("too many failed logins; try again later", d.retry_after_ms));
              if (d.result == casework::LoginGuard::Result::second_factor_required) {
                // The password was right; the desk asks for the code and sends all three again.
                const nlohmann::json body = {{"error",
                                              {{"code", "second_factor_required"},
                                               {"message", "enter the code from your authenticator app"}}}};
                return reply(json_response(401, body.dump()));
              }
              if (!outcome->created) return reply(error_response({Errc::unauthenticated, "wrong username or password", {}}));
              const auto& created = *outcome->created;
              auto r = json_ok(session_json(created.session, outcome->office_name, outcome->partner_name, s.sessions.idle_ms()));
              r.headers.emplace_back("Set-Cookie", "hl_session=" + created.token + "; Path=/; HttpOnly; SameSite=Strict" +
                                                       (s.secure_cookies ? "; Secure" : ""));
              reply(std::move(r));
            });
      });
}

HttpResponse password_change_answer(const casework::PasswordChange::Outcome& outcome) {
  if (!outcome.error) return HttpResponse{204, "", "", {}};
  if (outcome.error->code == Errc::rate_limited && outcome.decision.retry_after_ms > 0)
    return rate_limited_response(outcome.error->message, outcome.decision.retry_after_ms);
  return error_response(*outcome.error);
}

// The current password is checked like a login's (and a wrong one counts as a failed login); the
// new one must pass the policy and not repeat her last 5. Her other sessions end; this one stays.
void change_password(Services& s, HttpRequest& request, Reply reply, const Session& session) {
  auto body = parse_object(request.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  const auto current = f.text("current_password").value_or("");
  const auto wanted = f.text("new_password").value_or("");
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  if (current.empty() || current.size() > casework::kMaxPasswordBytes)
    return reply(error_response({Errc::invalid_input, "the current password is wrong", {{"current_password", "wrong password"}}}));
  if (auto ok = casework::PasswordChange::acceptable(session.username, wanted); !ok) return reply(error_response(ok.error()));
  s.reads.post(
      [&s, user = session.username, current, wanted](db::Connection& conn) -> Result<casework::PasswordChange::Check> {
        return s.password_changes.check(conn, user, current, wanted);
      },
      [&s, reply, session, token = cookie_value(request, "hl_session"), ip = request.remote_ip](Result<casework::PasswordChange::Check> checked) mutable {
        if (!checked) return reply(error_response(checked.error()));
        s.writer.post(
            [&s, check = *checked, session, token, ip](db::Connection& conn) -> Result<casework::PasswordChange::Outcome> {
              auto out = s.password_changes.settle(conn, check, session.username);
              const bool accepted = out.decision.result == casework::LoginGuard::Result::accepted;
              const std::string action = !out.error ? "user.password_change"
                                         : accepted ? "user.password_change_refused"
                                                    : out.decision.audit_action;
              if (!out.error) s.sessions.password_changed(conn, session.actor.user_id, token);
              s.audit.append(conn, {s.clock.now_ms(), session.actor.user_id, action, "user", session.actor.user_id,
                                    out.error ? out.error->message : "", ip});
              return out;
            },
            [&s, reply, user_id = session.actor.user_id](Result<casework::PasswordChange::Outcome> outcome) {
              if (!outcome) return reply(error_response(outcome.error()));
              if (!outcome->error) s.events.close_user(user_id);  // streams of the ended sessions
              reply(password_change_answer(*outcome));
            });
      });
}

}  // namespace

void add_session_routes(Router& router, Services& s) {
  router.add("POST", "/api/v1/session", [&s](HttpRequest& request, Reply reply) { login(s, request, std::move(reply)); },
             {.body_limit = 8 * 1024});
  router.add("GET", "/api/v1/session", authed(s, Access::own_session, [&s](HttpRequest&, Reply reply, const Session& session) {
               read_then(
                   s, std::move(reply),
                   [actor = session.actor](db::Connection& conn) -> Result<std::pair<std::string, std::string>> {
                     return UserRepository::affiliation_names(conn, actor);
                   },
                   [&s, session](const auto& names) {
                     return json_ok(session_json(session, names.first, names.second, s.sessions.idle_ms()));
                   });
             }));
  router.add("DELETE", "/api/v1/session", authed(s, Access::own_session, [&s](HttpRequest& request, Reply reply, const Session& session) {
               write_then(
                   s, std::move(reply),
                   [&s, token = cookie_value(request, "hl_session"), user_id = session.actor.user_id](db::Connection& conn) -> Result<int> {
                     s.sessions.revoke(conn, token);
                     s.events.close_user(user_id);  // after the session: a stream reconnecting at once is refused
                     return 0;
                   },
                   [&s, &request, session](int) { return audit_entry(s, session, request, "session.logout", "user", session.actor.user_id); },
                   [](int) {
                     HttpResponse r{204, "", "", {}};
                     r.headers.emplace_back("Set-Cookie", "hl_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
                     return r;
                   });
             }));
  router.add("POST", "/api/v1/session/password", authed(s, Access::own_session, bind<change_password>(s)),
             {.body_limit = 8 * 1024});
}

}  // namespace hl::web
