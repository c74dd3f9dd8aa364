#include "casework/call_log.hpp"

#include <algorithm>
#include <map>

#include "casework/person_numbers.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kFind =
    "SELECT id, call_ref, user_id, caller_enc, rang_at, ended_at, duration_s FROM calls WHERE system = ?1 AND call_ref = ?2";
constexpr std::string_view kInsert =
    "INSERT INTO calls(system, call_ref, agent_id, seat_id, user_id, caller_enc, caller_hash, rang_at, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
// The operator an agent id names: enabled staff, with the path of her office (allowed offices).
constexpr std::string_view kAgent =
    "SELECT u.id, o.path FROM users u JOIN offices o ON o.id = u.office_id"
    " WHERE u.agent_id = ?1 AND u.disabled = 0 AND u.role IN ('operator','supervisor')";
constexpr std::string_view kOfficePath = "SELECT path FROM offices WHERE id = ?1";
constexpr std::string_view kEnd = "UPDATE calls SET ended_at = ?2, duration_s = ?3 WHERE id = ?1";
constexpr std::string_view kLinkable = "SELECT 1 FROM calls WHERE id = ?1 AND user_id = ?2 AND contact_id IS NULL";
constexpr std::string_view kLink =
    "UPDATE calls SET contact_id = ?3 WHERE id = ?1 AND user_id = ?2 AND contact_id IS NULL";

// An identifier from the call-centre: 1 to 100 printable ASCII characters (no spaces), so it can
// sit in a URL path and an audit line as it is.
bool valid_ref(const std::string& s, std::size_t max) {
  return !s.empty() && s.size() <= max && std::all_of(s.begin(), s.end(), [](char c) { return c > ' ' && c < 127 && c != '/'; });
}

std::optional<CallRecord> find(db::Connection& conn, const PersonIdentity& identity, const std::string& system,
                               const std::string& call_ref) {
  auto st = conn.prepare(kFind);
  st.bind_all(system, call_ref);
  if (!st.step()) return std::nullopt;
  CallRecord c;
  c.id = st.int64(0);
  c.call_ref = st.text(1);
  c.user_id = st.opt_int64(2);
  if (!st.is_null(3)) c.caller_number = identity.reveal_phone(st.blob(3)).value_or("");
  c.rang_at = st.int64(4);
  c.ended_at = st.opt_int64(5);
  c.duration_s = st.opt_int64(6);
  return c;
}

// The operator for `agent_id`, when her office is one of `allowed` (or below one); empty allowed: any.
std::optional<std::int64_t> operator_for(db::Connection& conn, const std::string& agent_id,
                                         const std::vector<std::int64_t>& allowed) {
  if (agent_id.empty()) return std::nullopt;
  auto st = conn.prepare(kAgent);
  st.bind_all(agent_id);
  if (!st.step()) return std::nullopt;
  const auto user = st.int64(0);
  const auto path = st.text(1);
  if (allowed.empty()) return user;
  for (const auto office : allowed) {
    auto o = conn.prepare(kOfficePath);
    o.bind_all(office);
    if (o.step() && path.starts_with(o.text(0))) return user;
  }
  return std::nullopt;
}

}  // namespace

Result<CallRecord> CallLog::ring(db::Connection& conn, const PersonIdentity& identity, const RingingCall& call, TimeMs now) {
  std::map<std::string, std::string> bad;
  if (!valid_ref(call.call_ref, 100)) bad["call_id"] = "1 to 100 printable characters, no spaces or '/'";
  const auto digits = normalize_person_phone(call.caller_number);
  if (!digits) bad["caller_number"] = "not a phone number";
  if (call.agent_id.empty() && call.seat_id.empty()) bad["agent_id"] = "agent_id or seat_id is required";
  if (!call.agent_id.empty() && !valid_ref(call.agent_id, 64)) bad["agent_id"] = "1 to 64 printable characters";
  if (!call.seat_id.empty() && !valid_ref(call.seat_id, 64)) bad["seat_id"] = "1 to 64 printable characters";
  if (!bad.empty()) return fail(Errc::invalid_input, "the call cannot be recorded", std::move(bad));
  if (auto existing = find(conn, identity, call.system, call.call_ref)) {
    existing->repeated = true;
    return *existing;
  }
  const auto user = operator_for(conn, call.agent_id, call.allowed_offices);
  const auto number = identity.protect_phone(*digits);
  auto st = conn.prepare(kInsert);
  st.bind_all(call.system, call.call_ref, call.agent_id, call.seat_id, user);
  st.bind_blob(6, number.ciphertext);
  st.bind_blob(7, number.fingerprint);
  st.bind(8, call.rang_at.value_or(now));
  st.bind(9, now);
  st.run();
  return *find(conn, identity, call.system, call.call_ref);
}

Result<CallRecord> CallLog::end(db::Connection& conn, const PersonIdentity& identity, const std::string& system,
                                const std::string& call_ref, std::optional<TimeMs> ended_at,
                                std::optional<std::int64_t> duration_s, TimeMs now) {
  auto call = find(conn, identity, system, call_ref);
  if (!call) return fail(Errc::not_found, "no such call");
  if (call->ended_at) {
    call->repeated = true;
    return *call;
  }
  const TimeMs end = ended_at.value_or(now);
  std::map<std::string, std::string> bad;
  if (duration_s && (*duration_s < 0 || *duration_s > 24 * 3600)) bad["duration_seconds"] = "0 to 86400";
  if (!duration_s && end < call->rang_at) bad["ended_at"] = "before the call rang";
  if (!bad.empty()) return fail(Errc::invalid_input, "the call cannot be ended", std::move(bad));
  const std::int64_t seconds = duration_s.value_or((end - call->rang_at) / 1000);
  conn.prepare(kEnd).bind_all(call->id, end, seconds).run();
  call->ended_at = end;
  call->duration_s = seconds;
  return *call;
}

bool CallLog::can_link(db::Connection& conn, std::int64_t call_id, std::int64_t user_id) {
  auto st = conn.prepare(kLinkable);
  st.bind_all(call_id, user_id);
  return st.step();
}

Status CallLog::link_contact(db::Connection& conn, std::int64_t call_id, std::int64_t user_id, std::int64_t contact_id) {
  conn.prepare(kLink).bind_all(call_id, user_id, contact_id).run();
  if (conn.changes() != 1)
    return fail(Errc::invalid_input, "the call cannot be linked",
                {{"call_id", "not a call rung at your desk, or already recorded"}});
  return {};
}

}  // namespace hl::casework
