// Two-step verification of one's own account (casework/second_factor.hpp): its state, enrolment
// (a secret and its QR code, then the first code, which turns it on and shows the recovery codes
// once) and turning it off (as hard as a login: password and code, counted by the lockout). Every
// route is Access::own_session: a session held to enrolling can reach them.
#include "casework/password_policy.hpp"
#include "casework/second_factor.hpp"
#include "web/api/handler_support.hpp"
#include "web/api/json_body.hpp"
#include "web/api/qr_svg.hpp"
#include "web/api/routes.hpp"

namespace hl::web {
namespace {

using casework::SecondFactor;

struct State {
  bool enabled = false;
  int recovery_codes_left = 0;
};

void show(Services& s, HttpRequest&, Reply reply, const Session& session) {
  read_then(
      s, std::move(reply),
      [user = session.actor.user_id](db::Connection& conn) -> Result<State> {
        return State{SecondFactor::enabled(conn, user), SecondFactor::recovery_codes_left(conn, user)};
      },
      [&s](const State& st) {
        return json_ok({{"enabled", st.enabled},
                        {"required", s.sessions.second_factor_required()},
                        {"recovery_codes_left", st.recovery_codes_left}});
      });
}

void begin(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  write_then(
      s, std::move(reply),
      [&s, session](db::Connection& conn) {
        return s.second_factor.begin(conn, session.actor.user_id, session.username, s.second_factor_issuer);
      },
      [&s, &r, session](const SecondFactor::Enrolment&) {
        return audit_entry(s, session, r, "user.second_factor_enrol", "user", session.actor.user_id);
      },
      [](const SecondFactor::Enrolment& e) {
        auto svg = qr_svg(e.otpauth_uri);
        if (!svg) return error_response({Errc::internal, "could not draw the QR code", {}});
        return json_ok({{"secret", e.secret_base32}, {"otpauth_uri", e.otpauth_uri}, {"qr_svg", *svg}}, 201);
      });
}

void confirm(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  const auto code = f.text("code").value_or("");
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  write_then(
      s, std::move(reply),
      [&s, session, code](db::Connection& conn) {
        return s.second_factor.confirm(conn, session.actor.user_id, code.substr(0, 64));
      },
      [&s, &r, session](const std::vector<std::string>&) {
        return audit_entry(s, session, r, "user.second_factor_on", "user", session.actor.user_id);
      },
      [&s, user = session.actor.user_id](const std::vector<std::string>& codes) {
        s.sessions.second_factor_enrolled(user);
        return json_ok({{"recovery_codes", codes}});
      });
}

// Turning it off: the password and a code, settled like a login (a wrong one counts toward the
// lockout; 429 once locked). Refused while the configuration requires two factors.
void turn_off(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  const auto password = f.text("password").value_or("");
  const auto code = f.text("code").value_or("");
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  if (s.sessions.second_factor_required())
    return reply(error_response({Errc::conflict, "two-step verification is required here", {}}));
  if (password.empty() || password.size() > casework::kMaxPasswordBytes || code.empty())
    return reply(error_response({Errc::invalid_input, "wrong password or code", {{"code", "wrong password or code"}}}));
  s.reads.post(
      [&s, user = session.username, password](db::Connection& conn) -> Result<casework::LoginGuard::Check> {
        return s.logins.check(conn, user, password);
      },
      [&s, reply, session, code, ip = r.remote_ip](Result<casework::LoginGuard::Check> checked) mutable {
        if (!checked) return reply(error_response(checked.error()));
        s.writer.post(
            [&s, check = *checked, session, code, ip](db::Connection& conn) -> Result<casework::LoginGuard::Outcome> {
              if (!SecondFactor::enabled(conn, session.actor.user_id))
                return fail(Errc::conflict, "two-step verification is not on");
              auto d = s.logins.settle(conn, check, session.username, &s.second_factor, code.substr(0, 64));
              const bool ok = d.result == casework::LoginGuard::Result::accepted;
              if (ok) s.second_factor.remove(conn, session.actor.user_id);
              s.audit.append(conn, {s.clock.now_ms(), session.actor.user_id,
                                    ok ? "user.second_factor_off" : "user.second_factor_off_refused", "user",
                                    session.actor.user_id, ok ? "" : d.audit_action, ip});
              return d;
            },
            [reply](Result<casework::LoginGuard::Outcome> outcome) {
              if (!outcome) return reply(error_response(outcome.error()));
              if (outcome->result == casework::LoginGuard::Result::accepted) return reply(HttpResponse{204, "", "", {}});
              if (outcome->retry_after_ms > 0)
                return reply(rate_limited_response("too many failed attempts; try again later", outcome->retry_after_ms));
              reply(error_response({Errc::invalid_input, "wrong password or code", {{"code", "wrong password or code"}}}));
            });
      });
}

}  // namespace

void add_second_factor_routes(Router& router, Services& s) {
  router.add("GET", "/api/v1/session/second-factor", authed(s, Access::own_session, bind<show>(s)));
  router.add("POST", "/api/v1/session/second-factor", authed(s, Access::own_session, bind<begin>(s)),
             {.body_limit = 1024});
  router.add("POST", "/api/v1/session/second-factor/confirm", authed(s, Access::own_session, bind<confirm>(s)),
             {.body_limit = 1024});
  router.add("DELETE", "/api/v1/session/second-factor", authed(s, Access::own_session, bind<turn_off>(s)),
             {.body_limit = 8 * 1024});
}

}  // namespace hl::web
