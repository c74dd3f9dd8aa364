#include "casework/session_repository.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kInsert =
    "INSERT INTO sessions (token_hash, user_id, csrf_sealed, created_at, last_seen, expires_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
constexpr std::string_view kTouch = "UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1 AND last_seen < ?2";
constexpr std::string_view kRemoveUserExcept = "DELETE FROM sessions WHERE user_id = ?1 AND token_hash <> ?2";
constexpr std::string_view kRemove = "DELETE FROM sessions WHERE token_hash = ?1";
constexpr std::string_view kRemoveUser = "DELETE FROM sessions WHERE user_id = ?1";
constexpr std::string_view kRemoveAll = "DELETE FROM sessions";
constexpr std::string_view kPurge = "DELETE FROM sessions WHERE expires_at <= ?1 OR last_seen <= ?2";
constexpr std::string_view kLive =
    "SELECT s.token_hash, s.user_id, s.csrf_sealed, s.created_at, s.last_seen, s.expires_at"
    " FROM sessions s JOIN users u ON u.id = s.user_id"
    " WHERE s.expires_at > ?1 AND s.last_seen > ?2 AND u.disabled = 0 ORDER BY s.created_at";

}  // namespace

void SessionRepository::insert(db::Connection& conn, const SessionRow& row) {
  auto st = conn.prepare(kInsert);
  st.bind_blob(1, row.token_hash).bind(2, row.user_id).bind_blob(3, row.csrf_sealed);
  st.bind(4, row.created_at).bind(5, row.last_seen).bind(6, row.expires_at).run();
}

void SessionRepository::touch(db::Connection& conn, const std::string& token_hash, TimeMs last_seen) {
  conn.prepare(kTouch).bind_blob(1, token_hash).bind(2, last_seen).run();
}

void SessionRepository::remove(db::Connection& conn, const std::string& token_hash) {
  conn.prepare(kRemove).bind_blob(1, token_hash).run();
}

int SessionRepository::remove_user(db::Connection& conn, std::int64_t user_id) {
  conn.prepare(kRemoveUser).bind_all(user_id).run();
  return conn.changes();
}

int SessionRepository::remove_user_except(db::Connection& conn, std::int64_t user_id, const std::string& keep_token_hash) {
  conn.prepare(kRemoveUserExcept).bind(1, user_id).bind_blob(2, keep_token_hash).run();
  return conn.changes();
}

int SessionRepository::remove_all(db::Connection& conn) {
  conn.prepare(kRemoveAll).run();
  return conn.changes();
}

int SessionRepository::purge(db::Connection& conn, TimeMs now, TimeMs idle_ms) {
  conn.prepare(kPurge).bind_all(now, now - idle_ms).run();
  return conn.changes();
}

std::vector<SessionRow> SessionRepository::live(db::Connection& conn, TimeMs now, TimeMs idle_ms) {
  auto st = conn.prepare(kLive);
  st.bind_all(now, now - idle_ms);
  std::vector<SessionRow> rows;
  while (st.step())
    rows.push_back({st.blob(0), st.int64(1), st.blob(2), st.int64(3), st.int64(4), st.int64(5)});
  return rows;
}

}  // namespace hl::casework
