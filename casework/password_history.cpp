#include "casework/password_history.hpp"

#include <algorithm>

#include "casework/password_policy.hpp"

namespace hl::casework {
namespace {

// Ties on set_at (two changes in one millisecond, or the migration's rows) go to the later row.
constexpr std::string_view kHashes =
    "SELECT password_hash FROM password_history WHERE user_id = ?1 ORDER BY set_at DESC, id DESC LIMIT ?2";
constexpr std::string_view kInsert = "INSERT INTO password_history(user_id, password_hash, set_at) VALUES (?1, ?2, ?3)";
constexpr std::string_view kPurge =
    "DELETE FROM password_history WHERE user_id = ?1 AND id NOT IN"
    " (SELECT id FROM password_history WHERE user_id = ?1 ORDER BY set_at DESC, id DESC LIMIT ?2)";
constexpr std::string_view kSetOwn =
    "UPDATE users SET password_hash = ?3, password_changed_at = ?4, must_change_password = 0, version = version + 1"
    " WHERE id = ?1 AND password_hash = ?2";

}  // namespace

std::vector<std::string> PasswordHistory::hashes(db::Connection& conn, std::int64_t user_id) {
  std::vector<std::string> out;
  auto st = conn.prepare(kHashes);
  st.bind_all(user_id, static_cast<std::int64_t>(kPasswordHistory));
  while (st.step()) out.push_back(st.text(0));
  return out;
}

bool PasswordHistory::reused(db::Connection& conn, crypto::PasswordHasher& hasher, std::int64_t user_id,
                             const std::string& current_hash, std::string_view password) {
  auto all = hashes(conn, user_id);
  if (std::find(all.begin(), all.end(), current_hash) == all.end()) all.push_back(current_hash);
  for (const auto& hash : all)
    if (hasher.verify(hash, password)) return true;
  return false;
}

void PasswordHistory::record(db::Connection& conn, std::int64_t user_id, const std::string& hash, TimeMs now) {
  conn.prepare(kInsert).bind_all(user_id, hash, now).run();
  conn.prepare(kPurge).bind_all(user_id, static_cast<std::int64_t>(kPasswordHistory)).run();
}

Result<bool> PasswordHistory::set_own(db::Connection& conn, std::int64_t user_id, const std::string& expected_hash,
                                      const std::string& new_hash, TimeMs now) {
  conn.prepare(kSetOwn).bind_all(user_id, expected_hash, new_hash, now).run();
  if (conn.changes() != 1) return fail(Errc::conflict, "the password was changed meanwhile; try again");
  record(conn, user_id, new_hash, now);
  return true;
}

}  // namespace hl::casework
