#include "casework/user_repository.hpp"

#include <algorithm>
#include <map>

#include "casework/office_repository.hpp"
#include "casework/password_history.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kDisplayName = "SELECT display_name FROM users WHERE id = ?1";
constexpr std::string_view kPartnerName = "SELECT name FROM partners WHERE id = ?1";
constexpr std::string_view kUpdate =
    "UPDATE users SET role = ?2, office_id = ?3, partner_id = ?4, disabled = ?5, display_name = ?6,"
    " agent_id = ?7, version = version + 1 WHERE id = ?1";
constexpr std::string_view kColumns =
    "SELECT id, username, display_name, role, office_id, partner_id, password_hash, disabled, failed_logins,"
    " locked_until, version, password_changed_at, must_change_password, agent_id FROM users ";
constexpr std::string_view kAgentTaken = "SELECT 1 FROM users WHERE agent_id = ?1 AND id <> ?2";
constexpr std::string_view kInsert =
    "INSERT INTO users(username, display_name, role, office_id, partner_id, password_hash, created_at,"
    " password_changed_at, must_change_password) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)";

User read(db::Statement& st) {
  User u;
  u.id = st.int64(0);
  u.username = st.text(1);
  u.display_name = st.text(2);
  u.role = parse_role(st.text(3)).value_or(Role::operator_);
  u.office_id = st.opt_int64(4);
  u.partner_id = st.opt_int64(5);
  u.password_hash = st.text(6);
  u.disabled = st.int64(7) != 0;
  u.failed_logins = static_cast<int>(st.int64(8));
  u.locked_until = st.int64(9);
  u.version = st.int64(10);
  u.password_changed_at = st.int64(11);
  u.must_change_password = st.int64(12) != 0;
  u.agent_id = st.opt_text(13).value_or("");
  return u;
}

bool valid_username(const std::string& s) {
  return s.size() >= 2 && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                  c == '_' || c == '-';
         });
}

}  // namespace

Result<User> UserRepository::create(db::Connection& conn, const NewUser& in, TimeMs now) {
  std::map<std::string, std::string> bad;
  if (!valid_username(in.username)) bad["username"] = "2-64 letters, digits, '.', '_' or '-'";
  if (in.display_name.empty() || in.display_name.size() > 100) bad["display_name"] = "required, at most 100 bytes";
  auto role = parse_role(in.role);
  if (!role) bad["role"] = "one of operator, supervisor, partner, sysadmin, secadmin, auditor";
  if (role && (*role == Role::operator_ || *role == Role::supervisor)) {
    if (!in.office_id || !OfficeRepository::get(conn, *in.office_id)) bad["office_id"] = "staff need an existing office";
  }
  if (role && *role == Role::partner) {
    bool ok = false;
    if (in.partner_id) {
      auto st = conn.prepare("SELECT 1 FROM partners WHERE id = ?1");
      st.bind_all(*in.partner_id);
      ok = st.step();
    }
    if (!ok) bad["partner_id"] = "partner users need an existing partner organisation";
  }
  if (!bad.empty()) return fail(Errc::invalid_input, "the user cannot be created", std::move(bad));
  if (by_username(conn, in.username)) return fail(Errc::conflict, "that username is taken", {{"username", "taken"}});
  const bool staff = *role == Role::operator_ || *role == Role::supervisor;
  conn.prepare(kInsert)
      .bind_all(in.username, in.display_name, to_string(*role), staff ? in.office_id : std::nullopt,
                *role == Role::partner ? in.partner_id : std::nullopt, in.password_hash, now,
                in.must_change_password ? 1 : 0)
      .run();
  const auto id = conn.last_insert_rowid();
  PasswordHistory::record(conn, id, in.password_hash, now);
  return *get(conn, id);
}

std::optional<User> UserRepository::get(db::Connection& conn, std::int64_t id) {
  auto st = conn.prepare(std::string(kColumns) + "WHERE id = ?1");
  st.bind_all(id);
  if (!st.step()) return std::nullopt;
  return read(st);
}

std::optional<User> UserRepository::by_username(db::Connection& conn, const std::string& username) {
  auto st = conn.prepare(std::string(kColumns) + "WHERE username = ?1");
  st.bind_all(username);
  if (!st.step()) return std::nullopt;
  return read(st);
}

std::vector<User> UserRepository::list(db::Connection& conn) {
  std::vector<User> out;
  auto st = conn.prepare(std::string(kColumns) + "ORDER BY id");
  while (st.step()) out.push_back(read(st));
  return out;
}

std::optional<Actor> UserRepository::actor_for(db::Connection& conn, std::int64_t user_id) {
  auto u = get(conn, user_id);
  if (!u || u->disabled) return std::nullopt;
  Actor a{u->id, u->role, u->office_id, "", u->partner_id};
  if (u->office_id) {
    if (auto o = OfficeRepository::get(conn, *u->office_id)) a.office_path = o->path;
  }
  return a;
}

Result<User> UserRepository::update(db::Connection& conn, std::int64_t id, const UserChange& change) {
  auto u = get(conn, id);
  if (!u) return fail(Errc::not_found, "no such user");
  std::map<std::string, std::string> bad;
  if (change.role && !parse_role(*change.role)) bad["role"] = "unknown role";
  if (change.office_id && !OfficeRepository::get(conn, *change.office_id)) bad["office_id"] = "no such office";
  if (change.display_name && (change.display_name->empty() || change.display_name->size() > 100))
    bad["display_name"] = "1 to 100 bytes";
  const std::string role = change.role.value_or(std::string(to_string(u->role)));
  const bool staff = role == "operator" || role == "supervisor";
  const auto office_id = change.office_id ? change.office_id : u->office_id;
  if (staff && !office_id) bad["office_id"] = "staff need an office";
  const bool partner_role = role == "partner";
  const auto partner_id = change.partner_id ? change.partner_id : u->partner_id;
  if (partner_role) {
    bool exists = false;
    if (partner_id) {
      auto st = conn.prepare(kPartnerName);
      st.bind_all(*partner_id);
      exists = st.step();
    }
    if (!exists) bad["partner_id"] = "partner users need an existing partner organisation";
  }
  const std::string agent_id = change.agent_id.value_or(u->agent_id);
  if (agent_id.size() > 64 ||
      !std::all_of(agent_id.begin(), agent_id.end(), [](char c) { return c > ' ' && c < 127 && c != '/'; }))
    bad["agent_id"] = "up to 64 printable characters, no spaces or '/'";
  if (!bad.empty()) return fail(Errc::invalid_input, "the user cannot be changed", std::move(bad));
  if (!agent_id.empty()) {
    auto taken = conn.prepare(kAgentTaken);
    taken.bind_all(agent_id, id);
    if (taken.step()) return fail(Errc::conflict, "another user has this agent id", {{"agent_id", "taken"}});
  }
  conn.prepare(kUpdate)
      .bind_all(id, role, staff ? office_id : std::nullopt, partner_role ? partner_id : std::nullopt,
                change.disabled.value_or(u->disabled) ? 1 : 0, change.display_name.value_or(u->display_name),
                agent_id.empty() ? std::nullopt : std::optional<std::string>(agent_id))
      .run();
  return *get(conn, id);
}

std::pair<std::string, std::string> UserRepository::affiliation_names(db::Connection& conn, const Actor& actor) {
  std::string office, partner;
  if (actor.office_id)
    if (auto o = OfficeRepository::get(conn, *actor.office_id)) office = o->name;
  if (actor.partner_id) {
    auto st = conn.prepare(kPartnerName);
    st.bind_all(*actor.partner_id);
    if (st.step()) partner = st.text(0);
  }
  return {office, partner};
}

std::optional<std::string> UserRepository::display_name(db::Connection& conn, std::optional<std::int64_t> user_id) {
  if (!user_id) return std::nullopt;
  auto st = conn.prepare(kDisplayName);
  st.bind_all(*user_id);
  if (!st.step()) return std::nullopt;
  return st.text(0);
}

}  // namespace hl::casework
