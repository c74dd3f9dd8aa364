// POST/GET/DELETE /api/v1/session: login with Argon2id, lockout with back-off, CSRF token.
#include <algorithm>

#include "casework/office_repository.hpp"
#include "core/local_time.hpp"
#include "casework/user_repository.hpp"
#include "web/api/handler_support.hpp"
#include "web/api/json_body.hpp"
#include "web/api/routes.hpp"

namespace hl::web {
namespace {

using casework::User;
using casework::UserRepository;

constexpr int kFreeFailures = 5;
// A real hash to verify against for unknown or disabled users, so their answer takes as long as a
// real one and does not reveal which usernames exist.
const std::string& dummy_hash(crypto::PasswordHasher& hasher) {
  static const std::string hash = hasher.hash("no-such-user-placeholder");
  return hash;
}

TimeMs lockout_ms(int failures) {
  // 30 s after the 5th failure, doubling with each further one, at most 15 minutes.
  const int extra = std::clamp(failures - kFreeFailures, 0, 5);
  return std::min<TimeMs>(30'000LL << extra, 15 * 60'000LL);
}

constexpr std::string_view kRecordFailure =
    "UPDATE users SET failed_logins = failed_logins + 1, locked_until = ?2 WHERE id = ?1";

struct LoginCheck {
  std::optional<User> user;
  bool password_ok = false;
  TimeMs locked_until = 0;
};

struct LoginOutcome {
  std::optional<casework::Actor> actor;
  User user;
  std::string office_name, partner_name;
  TimeMs retry_after_ms = 0;
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
          {"expires_at", format_iso8601(s.expires_at)}};
}

std::pair<std::string, std::string> names_of(db::Connection& conn, const casework::Actor& a) {
  std::string office, partner;
  if (a.office_id)
    if (auto o = casework::OfficeRepository::get(conn, *a.office_id)) office = o->name;
  if (a.partner_id) {
    auto st = conn.prepare("SELECT name FROM partners WHERE id = ?1");
    st.bind_all(*a.partner_id);
    if (st.step()) partner = st.text(0);
  }
  return {office, partner};
}

void login(Services& s, HttpRequest& request, Reply reply) {
  auto body = parse_object(request.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  const auto username = f.text("username").value_or("");
  const auto password = f.text("password").value_or("");
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  if (username.empty() || password.empty() || username.size() > 64 || password.size() > 1024)
    return reply(error_response({Errc::unauthenticated, "wrong username or password", {}}));

  const std::string ip = request.remote_ip;
  // 1. On a read worker: find the user and verify the password (Argon2id, bounded concurrency).
  s.reads.post(
      [&s, username, password](db::Connection& conn) -> Result<LoginCheck> {
        LoginCheck check;
        check.user = UserRepository::by_username(conn, username);
        if (check.user && check.user->locked_until > s.clock.now_ms()) {
          check.locked_until = check.user->locked_until;
          return check;  // locked: do not even verify
        }
        const std::string_view stored =
            check.user && !check.user->disabled ? std::string_view(check.user->password_hash) : dummy_hash(s.hasher);
        check.password_ok = s.hasher.verify(stored, password) && check.user && !check.user->disabled;
        return check;
      },
      // 2. On the writer: count the failure or clear the counter, and audit the attempt.
      [&s, reply, username, ip](Result<LoginCheck> checked) mutable {
        if (!checked) return reply(error_response(checked.error()));
        const LoginCheck check = *checked;
        s.writer.post(
            [&s, check, username, ip](db::Connection& conn) -> Result<LoginOutcome> {
              const TimeMs now = s.clock.now_ms();
              audit::AuditEntry e{now, std::nullopt, "", "user", std::nullopt, "username=" + username, ip};
              LoginOutcome out;
              // The lock and the failure count are re-read and updated here, on the single writer, so
              // parallel wrong guesses all count: the read worker's snapshot may already be stale.
              TimeMs locked_until = check.locked_until;
              std::optional<casework::User> current;
              if (check.user) {
                e.actor_id = check.user->id;
                e.object_id = check.user->id;
                current = UserRepository::get(conn, check.user->id);
                if (current) locked_until = current->locked_until;
              } else {
                // An unknown name locks like a real one, so the lockout does not reveal which exist.
                locked_until = s.unknown_users.locked_until(username, now);
              }
              if (locked_until > now) {
                e.action = "session.login_locked";
                out.retry_after_ms = locked_until - now;
              } else if (check.password_ok && current && !current->disabled) {
                conn.prepare("UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = ?1").bind_all(current->id).run();
                e.action = "session.login";
                out.actor = UserRepository::actor_for(conn, current->id);
                out.user = *current;
                std::tie(out.office_name, out.partner_name) = names_of(conn, *out.actor);
              } else {
                e.action = "session.login_failed";
                if (current) {
                  const int failures = current->failed_logins + 1;
                  const TimeMs until = failures >= kFreeFailures ? now + lockout_ms(failures) : 0;
                  conn.prepare(kRecordFailure).bind_all(current->id, until).run();
                  if (until > 0) out.retry_after_ms = until - now;
                } else if (!check.user) {
                  const TimeMs until = s.unknown_users.record_failure(username, now, kFreeFailures, &lockout_ms);
                  if (until > 0) out.retry_after_ms = until - now;
                }
              }
              s.audit.append(conn, e);
              return out;
            },
            [&s, reply](Result<LoginOutcome> outcome) {
              if (!outcome) return reply(error_response(outcome.error()));
              if (outcome->retry_after_ms > 0) {
                auto r = error_response({Errc::rate_limited, "too many failed logins; try again later", {}});
                r.headers.emplace_back("Retry-After", std::to_string((outcome->retry_after_ms + 999) / 1000));
                return reply(std::move(r));
              }
              if (!outcome->actor) return reply(error_response({Errc::unauthenticated, "wrong username or password", {}}));
              auto created = s.sessions.create(*outcome->actor, outcome->user.username, outcome->user.display_name);
              auto r = json_ok(session_json(created.session, outcome->office_name, outcome->partner_name, s.sessions.idle_ms()));
              r.headers.emplace_back("Set-Cookie", "hl_session=" + created.token + "; Path=/; HttpOnly; SameSite=Strict" +
                                                       (s.secure_cookies ? "; Secure" : ""));
              reply(std::move(r));
            });
      });
}

}  // namespace

void add_session_routes(Router& router, Services& s) {
  router.add("POST", "/api/v1/session", [&s](HttpRequest& request, Reply reply) { login(s, request, std::move(reply)); },
             {.body_limit = 8 * 1024});
  router.add("GET", "/api/v1/session", authed(s, Access::any_user, [&s](HttpRequest&, Reply reply, const Session& session) {
               read_then(
                   s, std::move(reply),
                   [actor = session.actor](db::Connection& conn) -> Result<std::pair<std::string, std::string>> {
                     return names_of(conn, actor);
                   },
                   [&s, session](const auto& names) {
                     return json_ok(session_json(session, names.first, names.second, s.sessions.idle_ms()));
                   });
             }));
  router.add("DELETE", "/api/v1/session", authed(s, Access::any_user, [&s](HttpRequest& request, Reply reply, const Session& session) {
               s.sessions.revoke(cookie_value(request, "hl_session"));
               s.events.close_user(session.actor.user_id);
               write_then(
                   s, std::move(reply), [](db::Connection&) -> Result<int> { return 0; },
                   [&s, &request, session](int) { return audit_entry(s, session, request, "session.logout", "user", session.actor.user_id); },
                   [](int) {
                     HttpResponse r{204, "", "", {}};
                     r.headers.emplace_back("Set-Cookie", "hl_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
                     return r;
                   });
             }));
}

}  // namespace hl::web
