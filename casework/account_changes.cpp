#include "casework/account_changes.hpp"

#include <array>

#include "casework/office_repository.hpp"
#include "core/db/savepoint.hpp"

namespace hl::casework {
namespace {

// Who asks for which change, and who may decide it (三员分立). A kind/requester pair not listed may
// not be asked for at all.
struct Rule {
  AccountChangeKind kind;
  Role requester;
  std::array<std::optional<Role>, 2> deciders;
};
constexpr Rule kRules[] = {
    // Accounts are the system administrator's; whether someone may have one is the security's.
    {AccountChangeKind::create, Role::sysadmin, {Role::secadmin, std::nullopt}},
    // Roles and grants are the security administrator's; a second one, or a system administrator, checks.
    {AccountChangeKind::grant, Role::secadmin, {Role::sysadmin, Role::secadmin}},
    // A lost second factor: either administrator may ask, the other duty (or a second of hers) decides.
    {AccountChangeKind::second_factor_reset, Role::sysadmin, {Role::secadmin, std::nullopt}},
    {AccountChangeKind::second_factor_reset, Role::secadmin, {Role::sysadmin, Role::secadmin}},
};

constexpr std::array<std::string_view, 3> kKinds = {"user.create", "user.grant", "user.second_factor_reset"};

const Rule* rule_for(AccountChangeKind kind, Role requester) {
  for (const auto& r : kRules)
    if (r.kind == kind && r.requester == requester) return &r;
  return nullptr;
}

constexpr std::string_view kSelect =
    "SELECT c.id, c.kind, c.user_id, c.username, c.role, c.office_id, c.partner_id, c.enable, c.before_role,"
    " c.before_office, c.before_partner, c.before_disabled, c.requested_by, c.requested_role, c.requested_at,"
    " c.state, c.decided_by, c.decided_at, c.reason, u.display_name, u.role, u.office_id, o.name, o.path,"
    " rq.display_name, dc.display_name"
    " FROM account_changes c LEFT JOIN users u ON u.id = c.user_id LEFT JOIN offices o ON o.id = u.office_id"
    " JOIN users rq ON rq.id = c.requested_by LEFT JOIN users dc ON dc.id = c.decided_by ";
constexpr std::string_view kInsert =
    "INSERT INTO account_changes(kind, user_id, username, role, office_id, partner_id, enable, before_role,"
    " before_office, before_partner, before_disabled, requested_by, requested_role, requested_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
constexpr std::string_view kPendingFor = "SELECT 1 FROM account_changes WHERE user_id = ?1 AND state = 'pending'";
constexpr std::string_view kDecide =
    "UPDATE account_changes SET state = ?2, decided_by = ?3, decided_at = ?4, reason = ?5"
    " WHERE id = ?1 AND state = 'pending'";
constexpr std::string_view kEnable = "UPDATE users SET disabled = 0, version = version + 1 WHERE id = ?1";
// A rejected creation leaves no account behind: its only rows are its password history.
constexpr std::string_view kForgetHistory = "DELETE FROM password_history WHERE user_id = ?1";
constexpr std::string_view kForgetUser = "DELETE FROM users WHERE id = ?1";
constexpr std::string_view kHasSecondFactor = "SELECT 1 FROM user_totp WHERE user_id = ?1";
constexpr std::string_view kPendingUsers = "SELECT user_id FROM account_changes WHERE state = 'pending' AND user_id IS NOT NULL";

AccountChange read(db::Statement& st) {
  AccountChange c;
  c.id = st.int64(0);
  const auto kind = st.text(1);
  for (std::size_t i = 0; i < kKinds.size(); ++i)
    if (kKinds[i] == kind) c.kind = static_cast<AccountChangeKind>(i);
  c.user_id = st.opt_int64(2);
  c.username = st.text(3);
  c.asked = {st.opt_text(4), st.opt_int64(5), st.opt_int64(6), st.opt_int64(7).value_or(0) == 1};
  if (auto role = st.opt_text(8)) c.before = AccountChange::Before{*role, st.opt_int64(9), st.opt_int64(10), st.int64(11) != 0};
  c.requested_by = st.int64(12);
  c.requested_role = parse_role(st.text(13)).value_or(Role::sysadmin);
  c.requested_at = st.int64(14);
  c.state = st.text(15);
  c.decided_by = st.opt_int64(16);
  c.decided_at = st.opt_int64(17);
  c.reason = st.text(18);
  c.user_display_name = st.opt_text(19).value_or("");
  c.user_role = st.opt_text(20).value_or("");
  c.user_office_id = st.opt_int64(21);
  c.office_name = st.opt_text(22).value_or("");
  c.office_path = st.opt_text(23).value_or("");
  c.requested_by_name = st.text(24);
  c.decided_by_name = st.opt_text(25).value_or("");
  return c;
}

bool has_pending(db::Connection& conn, std::int64_t user_id) {
  auto st = conn.prepare(kPendingFor);
  st.bind_all(user_id);
  return st.step();
}

Result<AccountChange> insert(db::Connection& conn, AccountChangeKind kind, const User& u, const GrantRequest& asked,
                             bool with_before, const Actor& requester, TimeMs now) {
  if (has_pending(conn, u.id))
    return fail(Errc::conflict, "another change to this account is awaiting approval", {{"user_id", "pending"}});
  const std::optional<std::string> before_role =
      with_before ? std::optional<std::string>(std::string(to_string(u.role))) : std::nullopt;
  conn.prepare(kInsert)
      .bind_all(to_string(kind), u.id, u.username, asked.role, asked.office_id, asked.partner_id,
                asked.enable ? std::optional<int>(1) : std::nullopt, before_role,
                with_before ? u.office_id : std::nullopt, with_before ? u.partner_id : std::nullopt,
                with_before ? std::optional<int>(u.disabled ? 1 : 0) : std::nullopt, requester.user_id,
                to_string(requester.role), now)
      .run();
  return *AccountChanges::get(conn, conn.last_insert_rowid());
}

UserChange disabling() {
  UserChange c;
  c.disabled = true;
  return c;
}

UserChange as_user_change(const GrantRequest& g) {
  UserChange c;
  c.role = g.role;
  c.office_id = g.office_id;
  c.partner_id = g.partner_id;
  if (g.enable) c.disabled = false;
  return c;
}

Result<AccountChange> decide(db::Connection& conn, std::int64_t id, const Actor& decider, bool approved,
                             const std::string& reason, TimeMs now) {
  auto c = AccountChanges::get(conn, id);
  if (!c) return fail(Errc::not_found, "no such account change");
  if (c->state != "pending") return fail(Errc::conflict, "this change was already " + c->state);
  if (c->requested_by == decider.user_id)
    return fail(Errc::forbidden, "you asked for this change: another person must decide");
  if (c->user_id == decider.user_id) return fail(Errc::forbidden, "a change to your own account is another person's to decide");
  if (!AccountChanges::may_decide(*c, decider)) return fail(Errc::forbidden, "your role may not decide this change");
  if (reason.size() > 1000) return fail(Errc::invalid_input, "the reason is too long", {{"reason", "at most 1000 bytes"}});
  conn.prepare(kDecide).bind_all(id, approved ? "approved" : "rejected", decider.user_id, now, reason).run();
  return *AccountChanges::get(conn, id);
}

// A supervisor sees changes to her subtree's accounts (where the account is, was or is to be), and
// to accounts bound to no office — partner users and administrators — whose rights reach her cases
// too.
bool concerns(db::Connection& conn, const AccountChange& c, const std::string& subtree) {
  const std::optional<std::int64_t> offices[] = {c.user_office_id, c.asked.office_id,
                                                 c.before ? c.before->office_id : std::nullopt};
  bool any = false;
  for (const auto& id : offices) {
    if (!id) continue;
    any = true;
    if (auto o = OfficeRepository::get(conn, *id); o && o->path.starts_with(subtree)) return true;
  }
  return !any;
}

}  // namespace

std::string_view to_string(AccountChangeKind k) { return kKinds[static_cast<std::size_t>(k)]; }

bool AccountChanges::may_request(AccountChangeKind kind, Role requester) { return rule_for(kind, requester) != nullptr; }

bool AccountChanges::may_decide(const AccountChange& c, const Actor& actor) {
  if (c.state != "pending" || c.requested_by == actor.user_id || c.user_id == actor.user_id) return false;
  const Rule* rule = rule_for(c.kind, c.requested_role);
  if (!rule) return false;
  for (const auto& role : rule->deciders)
    if (role == actor.role) return true;
  return false;
}

Result<AccountChange> AccountChanges::request_creation(db::Connection& conn, const NewUser& in, const Actor& requester,
                                                       TimeMs now) {
  if (!may_request(AccountChangeKind::create, requester.role))
    return fail(Errc::forbidden, "accounts are created by a system administrator");
  db::Savepoint sp(conn);
  auto created = UserRepository::create(conn, in, now);
  if (!created) return std::unexpected(created.error());
  auto disabled = UserRepository::update(conn, created->id, disabling());
  if (!disabled) return std::unexpected(disabled.error());
  auto change = insert(conn, AccountChangeKind::create, *disabled,
                       {std::string(to_string(disabled->role)), disabled->office_id, disabled->partner_id, true},
                       /*with_before=*/false, requester, now);
  if (change) sp.release();
  return change;
}

Result<AccountChange> AccountChanges::request_grant(db::Connection& conn, std::int64_t user_id, const GrantRequest& g,
                                                    const Actor& requester, TimeMs now) {
  if (!may_request(AccountChangeKind::grant, requester.role))
    return fail(Errc::forbidden, "roles and grants are the security administrator's");
  if (user_id == requester.user_id) return fail(Errc::forbidden, "you may not change your own grants");
  auto u = UserRepository::get(conn, user_id);
  if (!u) return fail(Errc::not_found, "no such user");
  const bool changes = (g.role && *g.role != to_string(u->role)) || (g.office_id && g.office_id != u->office_id) ||
                       (g.partner_id && g.partner_id != u->partner_id) || (g.enable && u->disabled);
  if (!changes) return fail(Errc::invalid_input, "nothing to change", {{"role", "the account has these grants already"}});
  {
    // Would it apply? The repository's own checks, on a change that is rolled back at once.
    db::Savepoint trial(conn);
    auto applied = UserRepository::update(conn, user_id, as_user_change(g));
    trial.rollback();
    if (!applied) return std::unexpected(applied.error());
  }
  return insert(conn, AccountChangeKind::grant, *u, g, /*with_before=*/true, requester, now);
}

Result<AccountChange> AccountChanges::request_second_factor_reset(db::Connection& conn, std::int64_t user_id,
                                                                  const Actor& requester, TimeMs now) {
  if (!may_request(AccountChangeKind::second_factor_reset, requester.role))
    return fail(Errc::forbidden, "your role may not ask for this");
  if (user_id == requester.user_id)
    return fail(Errc::forbidden, "use your recovery codes, or ask another administrator to reset yours");
  auto u = UserRepository::get(conn, user_id);
  if (!u) return fail(Errc::not_found, "no such user");
  auto has = conn.prepare(kHasSecondFactor);
  has.bind_all(user_id);
  if (!has.step()) return fail(Errc::invalid_input, "this user has no two-step verification", {{"user_id", "none to reset"}});
  return insert(conn, AccountChangeKind::second_factor_reset, *u, {}, /*with_before=*/true, requester, now);
}

Result<AccountChange> AccountChanges::approve(db::Connection& conn, std::int64_t id, const Actor& decider,
                                              const SecondFactor& second_factor, TimeMs now) {
  db::Savepoint sp(conn);
  auto c = decide(conn, id, decider, true, "", now);
  if (!c) return c;
  if (!c->user_id) return fail(Errc::conflict, "the account is gone");
  switch (c->kind) {
    case AccountChangeKind::create: conn.prepare(kEnable).bind_all(*c->user_id).run(); break;
    case AccountChangeKind::grant:
      if (auto applied = UserRepository::update(conn, *c->user_id, as_user_change(c->asked)); !applied)
        return std::unexpected(applied.error());
      break;
    case AccountChangeKind::second_factor_reset: second_factor.remove(conn, *c->user_id); break;
  }
  sp.release();
  return *get(conn, id);
}

Result<AccountChange> AccountChanges::reject(db::Connection& conn, std::int64_t id, const Actor& decider,
                                             const std::string& reason, TimeMs now) {
  db::Savepoint sp(conn);
  auto c = decide(conn, id, decider, false, reason, now);
  if (!c) return c;
  if (c->kind == AccountChangeKind::create && c->user_id) {
    // ON DELETE SET NULL keeps this record, with the username, after the account is gone.
    conn.prepare(kForgetHistory).bind_all(*c->user_id).run();
    conn.prepare(kForgetUser).bind_all(*c->user_id).run();
  }
  sp.release();
  return *get(conn, id);
}

std::optional<AccountChange> AccountChanges::get(db::Connection& conn, std::int64_t id) {
  auto st = conn.prepare(std::string(kSelect) + "WHERE c.id = ?1");
  st.bind_all(id);
  if (!st.step()) return std::nullopt;
  return read(st);
}

std::vector<AccountChange> AccountChanges::list(db::Connection& conn, bool pending, TimeMs since, const Actor& viewer) {
  auto st = conn.prepare(std::string(kSelect) +
                         (pending ? "WHERE c.state = 'pending' ORDER BY c.id"
                                  : "WHERE c.state <> 'pending' AND c.decided_at >= ?1 ORDER BY c.decided_at DESC, c.id DESC"
                                    " LIMIT 200"));
  if (!pending) st.bind_all(since);
  std::vector<AccountChange> out;
  while (st.step()) {
    auto c = read(st);
    // A supervisor: her subtree's accounts, and those bound to no office — partner users and
    // administrators — whose rights reach her cases too. A rejected creation (no account) is
    // known by the office it asked for.
    if (viewer.role == Role::supervisor && !concerns(conn, c, viewer.office_path)) continue;
    out.push_back(std::move(c));
  }
  return out;
}

std::set<std::int64_t> AccountChanges::pending_user_ids(db::Connection& conn) {
  std::set<std::int64_t> out;
  auto st = conn.prepare(kPendingUsers);
  while (st.step()) out.insert(st.int64(0));
  return out;
}

}  // namespace hl::casework
