// The call-centre's way in (issue #15 point 9; web/API.md "Telephony"): a configured system reports
// a call ringing at an agent and its end, authenticated by its own bearer token (config telephony:
// only the token's SHA-256 is configured), never by a user session or cookie. The operator the
// agent id names gets a `call` event on her live stream (and only she): her desk opens the intake.
//
// The event carries the caller's number: it goes to one user, the one whose phone shows that number
// at that moment, and her desk needs it to open the intake and the caller lookup (which is audited
// as every lookup is). Every other change event stays ids-only.
#include "casework/call_log.hpp"
#include "core/crypto/random.hpp"
#include "core/crypto/sha256.hpp"
#include "core/local_time.hpp"
#include "web/api/handler_support.hpp"
#include "web/api/json_body.hpp"
#include "web/api/routes.hpp"

namespace hl::web {
namespace {

using nlohmann::json;

// The configured system whose token the request bears, or nullptr. Every system's hash is compared
// (constant time, digests of equal length), so the answer's timing says nothing about which.
const TelephonySystem* caller_system(const Services& s, const HttpRequest& r) {
  const std::string auth = r.header("authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (auth.size() <= kBearer.size() || auth.compare(0, kBearer.size(), kBearer) != 0) return nullptr;
  const std::string digest = crypto::sha256_hex(std::string_view(auth).substr(kBearer.size()));
  const TelephonySystem* found = nullptr;
  for (const auto& t : s.telephony)
    if (crypto::constant_time_equal(digest, t.token_sha256)) found = &t;
  return found;
}

using SystemHandler = std::function<void(HttpRequest&, Reply, const TelephonySystem&)>;

Handler system_authed(Services& s, SystemHandler handler) {
  return [&s, handler = std::move(handler)](HttpRequest& r, Reply reply) {
    const auto* system = caller_system(s, r);
    if (!system) return reply(error_response({Errc::unauthenticated, "send a configured telephony bearer token", {}}));
    handler(r, std::move(reply), *system);
  };
}

audit::AuditEntry call_audit(const Services& s, const HttpRequest& r, std::string action, const casework::CallRecord& c,
                             std::string detail) {
  audit::AuditEntry e;
  e.at = s.clock.now_ms();
  e.action = std::move(action);
  e.object_type = "call";
  e.object_id = c.id;
  e.detail = std::move(detail);
  e.ip = r.remote_ip;
  return e;
}

// Runs `work` on the writer with its audit entry (unless the report was a repeat) and replies
// `answer(call)` after the commit.
template <class Work, class Describe, class Answer>
void write_call(Services& s, HttpRequest& r, Reply reply, Work work, Describe describe, Answer answer) {
  s.writer.post(
      [&s, &r, work = std::move(work), describe = std::move(describe)](db::Connection& conn) -> Result<casework::CallRecord> {
        auto call = work(conn);
        if (call && !call->repeated) s.audit.append(conn, describe(*call));
        return call;
      },
      [reply = std::move(reply), answer = std::move(answer)](Result<casework::CallRecord> call) {
        reply(call ? answer(*call) : error_response(call.error()));
      });
}

json call_event(const char* kind, const casework::CallRecord& c) {
  json call = {{"id", c.id}, {"call_id", c.call_ref}, {"rang_at", format_iso8601(c.rang_at)}};
  if (!c.caller_number.empty()) call["caller_number"] = c.caller_number;
  if (c.ended_at) call["ended_at"] = format_iso8601(*c.ended_at);
  if (c.duration_s) call["duration_s"] = *c.duration_s;
  return {{"kind", kind}, {"call", call}};
}

// The operator's live streams get the event once: not for a repeated report, not without an operator.
std::size_t pop(Services& s, const char* kind, const casework::CallRecord& c) {
  if (c.repeated || !c.user_id) return 0;
  return s.events.deliver_to_user(*c.user_id, "call", call_event(kind, c).dump());
}

void post_call(Services& s, HttpRequest& r, Reply reply, const TelephonySystem& system) {
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  casework::RingingCall call{system.name,
                             f.text("call_id").value_or(""),
                             f.text("caller_number").value_or(""),
                             f.text("agent_id").value_or(""),
                             f.text("seat_id").value_or(""),
                             f.time("rang_at"),
                             system.offices};
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  write_call(
      s, r, std::move(reply),
      [&s, call](db::Connection& conn) { return casework::CallLog::ring(conn, s.identity, call, s.clock.now_ms()); },
      [&s, &r, call](const casework::CallRecord& c) {
        return call_audit(s, r, "call.ring", c,
                          "system " + call.system + " call " + call.call_ref + " agent " + call.agent_id + " seat " +
                              call.seat_id + (c.user_id ? " user " + std::to_string(*c.user_id) : " no operator"));
      },
      [&s](const casework::CallRecord& c) {
        const auto delivered = pop(s, "call.ringing", c);
        return json_ok({{"id", c.id}, {"call_id", c.call_ref}, {"operator_found", c.user_id.has_value()},
                        {"delivered", delivered}, {"repeated", c.repeated}},
                       c.repeated ? 200 : delivered > 0 ? 201 : 202);
      });
}

void end_call(Services& s, HttpRequest& r, Reply reply, const TelephonySystem& system) {
  auto body = parse_object(r.body.empty() ? std::string("{}") : r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  const auto ended_at = f.time("ended_at");
  const auto duration = f.integer("duration_seconds");
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  write_call(
      s, r, std::move(reply),
      [&s, &r, &system, ended_at, duration](db::Connection& conn) {
        return casework::CallLog::end(conn, s.identity, system.name, r.params.at("call_id"), ended_at, duration,
                                      s.clock.now_ms());
      },
      [&s, &r, &system](const casework::CallRecord& c) {
        return call_audit(s, r, "call.end", c,
                          "system " + system.name + " call " + c.call_ref + " " + std::to_string(c.duration_s.value_or(0)) + " s");
      },
      [&s](const casework::CallRecord& c) {
        const auto delivered = pop(s, "call.ended", c);
        return json_ok({{"id", c.id}, {"call_id", c.call_ref}, {"duration_seconds", c.duration_s.value_or(0)},
                        {"ended_at", c.ended_at ? json(format_iso8601(*c.ended_at)) : json(nullptr)},
                        {"delivered", delivered}, {"repeated", c.repeated}});
      });
}

}  // namespace

void add_telephony_routes(Router& router, Services& s) {
  router.add("POST", "/api/v1/telephony/calls",
             system_authed(s, [&s](HttpRequest& r, Reply reply, const TelephonySystem& t) { post_call(s, r, std::move(reply), t); }),
             {.body_limit = 16 * 1024});
  router.add("POST", "/api/v1/telephony/calls/{call_id}/end",
             system_authed(s, [&s](HttpRequest& r, Reply reply, const TelephonySystem& t) { end_call(s, r, std::move(reply), t); }),
             {.body_limit = 16 * 1024});
}

}  // namespace hl::web
