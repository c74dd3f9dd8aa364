#include "casework/unknown_user_throttle.hpp"

#include <optional>

namespace hl::casework {
namespace {

constexpr std::string_view kGet = "SELECT failures, locked_until, last_seen FROM login_throttle WHERE name_hash = ?1";
constexpr std::string_view kUpsert =
    "INSERT INTO login_throttle (name_hash, failures, locked_until, last_seen) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (name_hash) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until,"
    " last_seen = excluded.last_seen";
constexpr std::string_view kForget = "DELETE FROM login_throttle WHERE last_seen < ?1 AND locked_until <= ?2";
// Of the names not locked at ?2, keeps the ?1 + 1 most recently tried (more when times tie): the
// subquery is the last_seen of the (?1 + 1)-th; it is NULL, and nothing goes, while there are fewer.
// A locked name is never dropped early: that would unlock it, which a real account's lock is not.
constexpr std::string_view kKeepNewest =
    "DELETE FROM login_throttle WHERE locked_until <= ?2 AND last_seen < "
    "(SELECT last_seen FROM login_throttle WHERE locked_until <= ?2 ORDER BY last_seen DESC LIMIT 1 OFFSET ?1)";

struct Entry {
  int failures = 0;
  TimeMs locked_until = 0;
  TimeMs last_seen = 0;
};

std::optional<Entry> read(db::Connection& conn, const std::string& key) {
  auto st = conn.prepare(kGet);
  st.bind_blob(1, key);
  if (!st.step()) return std::nullopt;
  return Entry{static_cast<int>(st.int64(0)), st.int64(1), st.int64(2)};
}

}  // namespace

std::string UnknownUserThrottle::key(const std::string& username) const {
  std::string folded = username;
  for (char& c : folded)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  // The prefix keeps these fingerprints apart from the "phone:" and "id:" ones made with the same key
  // (casework/person_identity.cpp).
  return name_hash_.digest("login_throttle:" + folded);
}

TimeMs UnknownUserThrottle::locked_until(db::Connection& conn, const std::string& username, TimeMs now) const {
  auto e = read(conn, key(username));
  return e && e->locked_until > now ? e->locked_until : 0;
}

TimeMs UnknownUserThrottle::record_failure(db::Connection& conn, const std::string& username, TimeMs now,
                                           int free_failures, TimeMs (*lockout)(int)) const {
  const std::string k = key(username);
  auto found = read(conn, k);
  if (!found) make_room(conn, now);
  Entry e = found.value_or(Entry{});
  if (found && now - e.last_seen > kForgetAfterMs && e.locked_until <= now) e = Entry{};
  e.failures += 1;
  e.last_seen = now;
  e.locked_until = e.failures >= free_failures ? now + lockout(e.failures) : 0;
  auto st = conn.prepare(kUpsert);
  st.bind_blob(1, k).bind(2, e.failures).bind(3, e.locked_until).bind(4, e.last_seen).run();
  return e.locked_until;
}

void UnknownUserThrottle::make_room(db::Connection& conn, TimeMs now) const {
  conn.prepare(kForget).bind_all(now - kForgetAfterMs, now).run();
  conn.prepare(kKeepNewest).bind_all(static_cast<std::int64_t>(kMaxEntries) - 2, now).run();
}

}  // namespace hl::casework
