// Accounts and their approval (三员分立, issue #16): the system administrator asks for accounts, the
// security administrator for roles and grants, and a second person approves each
// (casework/account_changes.hpp). Taking rights away — disabling an account — takes effect at once.
#include "casework/account_changes.hpp"
#include "casework/office_repository.hpp"
#include "casework/password_policy.hpp"
#include "casework/user_repository.hpp"
#include "core/local_time.hpp"
#include "web/api/handler_support.hpp"
#include "web/api/json_body.hpp"
#include "web/api/query_params.hpp"
#include "web/api/routes.hpp"

namespace hl::web {
namespace {

using casework::AccountChange;
using casework::AccountChanges;
using casework::Role;
using nlohmann::json;

json opt(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); }

json user_json(const casework::User& u, bool approval_pending) {
  return {{"id", u.id},
          {"username", u.username},
          {"display_name", u.display_name},
          {"role", casework::to_string(u.role)},
          {"office_id", opt(u.office_id)},
          {"partner_id", opt(u.partner_id)},
          {"disabled", u.disabled},
          {"agent_id", u.agent_id.empty() ? json(nullptr) : json(u.agent_id)},
          {"approval_pending", approval_pending}};
}

json approval_json(const AccountChange& c, const casework::Actor& viewer) {
  json change = json::object();
  if (c.asked.role) change["role"] = *c.asked.role;
  if (c.asked.office_id) change["office_id"] = *c.asked.office_id;
  if (c.asked.partner_id) change["partner_id"] = *c.asked.partner_id;
  if (c.asked.enable) change["disabled"] = false;
  json before = nullptr;
  if (c.before)
    before = {{"role", c.before->role}, {"office_id", opt(c.before->office_id)}, {"partner_id", opt(c.before->partner_id)},
              {"disabled", c.before->disabled}};
  json user = nullptr;
  if (c.user_id)
    user = {{"id", *c.user_id},          {"username", c.username},           {"display_name", c.user_display_name},
            {"role", c.user_role},       {"office_id", opt(c.user_office_id)}, {"office_name", c.office_name}};
  return {{"id", c.id},
          {"kind", casework::to_string(c.kind)},
          {"state", c.state},
          {"user", user},
          {"username", c.username},
          {"change", change},
          {"before", before},
          {"requested_by", {{"id", c.requested_by}, {"display_name", c.requested_by_name}}},
          {"requested_at", format_iso8601(c.requested_at)},
          {"decided_by", c.decided_by ? json{{"id", *c.decided_by}, {"display_name", c.decided_by_name}} : json(nullptr)},
          {"decided_at", c.decided_at ? json(format_iso8601(*c.decided_at)) : json(nullptr)},
          {"reason", c.reason},
          {"can_decide", AccountChanges::may_decide(c, viewer)}};
}

// What the audit log says of a change: "account change #7: user.grant role operator→supervisor".
std::string describe(const AccountChange& c) {
  std::string d = "account change #" + std::to_string(c.id) + ": " + std::string(casework::to_string(c.kind)) + " " + c.username;
  if (c.asked.role) d += " role " + (c.before ? c.before->role + "→" : "") + *c.asked.role;
  if (c.asked.office_id) d += " office " + std::to_string(*c.asked.office_id);
  if (c.asked.partner_id) d += " partner " + std::to_string(*c.asked.partner_id);
  if (c.asked.enable && c.kind == casework::AccountChangeKind::grant) d += " enable";
  if (!c.reason.empty()) d += " reason: " + c.reason;
  return d;
}

audit::AuditEntry change_entry(const Services& s, const Session& session, const HttpRequest& r, const AccountChange& c,
                               std::string_view step) {
  return audit_entry(s, session, r, std::string(casework::to_string(c.kind)) + "." + std::string(step), "user",
                     c.user_id, describe(c));
}

struct UserAndChange {
  casework::User user;
  AccountChange change;
};

HttpResponse accepted(const UserAndChange& u, const casework::Actor& viewer) {
  return json_ok({{"user", user_json(u.user, true)}, {"approval", approval_json(u.change, viewer)}}, 202);
}

void list_users(Services& s, HttpRequest&, Reply reply, const Session& session) {
  if (session.actor.role == Role::operator_)
    return reply(error_response({Errc::forbidden, "your role may not list users", {}}));
  read_then(
      s, std::move(reply),
      [actor = session.actor](db::Connection& conn) -> Result<json> {
        const auto pending = AccountChanges::pending_user_ids(conn);
        json items = json::array();
        for (const auto& u : casework::UserRepository::list(conn)) {
          if (actor.role == Role::supervisor) {
            // Supervisors see the active staff of their subtree, to assign cases.
            if (!u.office_id || u.disabled) continue;
            auto o = casework::OfficeRepository::get(conn, *u.office_id);
            if (!o || !o->path.starts_with(actor.office_path)) continue;
          }
          items.push_back(user_json(u, pending.contains(u.id)));
        }
        return json{{"items", items}};
      },
      [](const json& body) { return json_ok(body); });
}

void create_user(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  casework::NewUser u{f.text("username").value_or(""), f.text("display_name").value_or(""), f.text("role").value_or(""),
                      f.integer("office_id"), f.integer("partner_id"), "",
                      /*must_change_password=*/true};  // the administrator knows it: hers to replace
  const auto password = f.text("password").value_or("");
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  if (auto problem = casework::password_problem(u.username, password); !problem.empty())
    return reply(error_response({Errc::invalid_input, "the password is not allowed", {{"password", problem}}}));
  // Hash on a read worker (slow by design), then write: the writer thread never hashes.
  s.reads.post([&s, password](db::Connection&) -> Result<std::string> { return s.hasher.hash(password); },
               [&s, &r, session, u, reply](Result<std::string> hash) mutable {
                 if (!hash) return reply(error_response(hash.error()));
                 u.password_hash = *hash;
                 write_then(
                     s, std::move(reply),
                     [&s, u, actor = session.actor](db::Connection& conn) -> Result<UserAndChange> {
                       auto change = AccountChanges::request_creation(conn, u, actor, s.clock.now_ms());
                       if (!change) return std::unexpected(change.error());
                       return UserAndChange{*casework::UserRepository::get(conn, *change->user_id), *change};
                     },
                     [&s, &r, session](const UserAndChange& c) { return change_entry(s, session, r, c.change, "requested"); },
                     [actor = session.actor](const UserAndChange& c) { return accepted(c, actor); });
               });
}

// A sysadmin changes an account's details and may disable it; a secadmin asks for grants (role,
// office, partner, re-enabling) and may disable it. Disabling needs nobody's approval.
void patch_user(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  casework::UserChange change{f.text("role"), f.integer("office_id"), f.integer("partner_id"), f.flag("disabled"),
                              f.text("display_name"), f.text("agent_id")};
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  const bool grant = change.role || change.office_id || change.partner_id || change.disabled == false;
  const bool details = change.display_name || change.agent_id;
  const bool disabling = change.disabled == true;
  if (!grant && !details && !disabling)
    return reply(error_response({Errc::invalid_input, "nothing to change", {}}));
  if (grant && (details || disabling))
    return reply(error_response({Errc::invalid_input, "ask for grants apart from other changes", {}}));
  const Role role = session.actor.role;
  if (grant && role != Role::secadmin)
    return reply(error_response({Errc::forbidden, "roles and grants are the security administrator's", {}}));
  if (details && role != Role::sysadmin)
    return reply(error_response({Errc::forbidden, "an account's details are the system administrator's", {}}));
  if (grant) {
    casework::GrantRequest g{change.role, change.office_id, change.partner_id, change.disabled == false};
    return write_then(
        s, std::move(reply),
        [&s, id = *id, g, actor = session.actor](db::Connection& conn) -> Result<UserAndChange> {
          auto c = AccountChanges::request_grant(conn, id, g, actor, s.clock.now_ms());
          if (!c) return std::unexpected(c.error());
          return UserAndChange{*casework::UserRepository::get(conn, id), *c};
        },
        [&s, &r, session](const UserAndChange& c) { return change_entry(s, session, r, c.change, "requested"); },
        [actor = session.actor](const UserAndChange& c) { return accepted(c, actor); });
  }
  write_then(
      s, std::move(reply),
      [&s, id = *id, change](db::Connection& conn) -> Result<std::pair<casework::User, bool>> {
        auto updated = casework::UserRepository::update(conn, id, change);
        if (!updated) return std::unexpected(updated.error());
        // Any change ends the user's sessions, stored ones too: they log in again as she now is.
        s.sessions.revoke_user(conn, id);
        return std::pair{*updated, AccountChanges::pending_user_ids(conn).contains(id)};
      },
      [&s, &r, session](const auto& u) {
        return audit_entry(s, session, r, "user.update", "user", u.first.id, u.first.disabled ? "disabled" : "");
      },
      [&s, id = *id](const auto& u) {
        s.events.close_user(id);
        return json_ok(user_json(u.first, u.second));
      });
}

void reset_second_factor(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  write_then(
      s, std::move(reply),
      [&s, id = *id, actor = session.actor](db::Connection& conn) {
        return AccountChanges::request_second_factor_reset(conn, id, actor, s.clock.now_ms());
      },
      [&s, &r, session](const AccountChange& c) { return change_entry(s, session, r, c, "requested"); },
      [actor = session.actor](const AccountChange& c) { return json_ok({{"approval", approval_json(c, actor)}}, 202); });
}

void list_approvals(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  std::map<std::string, std::string> bad;
  const auto state = query(r, "state").value_or("pending");
  if (state != "pending" && state != "decided") bad["state"] = "pending or decided";
  const auto since = integer_query(r, "since", bad).value_or(0);
  if (!bad.empty()) return reply(error_response({Errc::invalid_input, "invalid query", bad}));
  read_then(
      s, std::move(reply),
      [pending = state == "pending", since, actor = session.actor](db::Connection& conn) -> Result<json> {
        json items = json::array();
        for (const auto& c : AccountChanges::list(conn, pending, since, actor)) items.push_back(approval_json(c, actor));
        return json{{"items", items}};
      },
      [](const json& body) { return json_ok(body); });
}

void decide(Services& s, HttpRequest& r, Reply reply, const Session& session, bool approve) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  std::string reason;
  if (!approve && !r.body.empty()) {
    auto body = parse_object(r.body);
    if (!body) return reply(error_response(body.error()));
    JsonFields f(*body);
    reason = f.text("reason").value_or("");
    if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  }
  write_then(
      s, std::move(reply),
      [&s, id = *id, approve, reason, actor = session.actor](db::Connection& conn) -> Result<AccountChange> {
        auto c = approve ? AccountChanges::approve(conn, id, actor, s.second_factor, s.clock.now_ms())
                         : AccountChanges::reject(conn, id, actor, reason, s.clock.now_ms());
        // A grant or a reset changes what her sessions may do: she logs in again.
        if (c && approve && c->user_id) s.sessions.revoke_user(conn, *c->user_id);
        return c;
      },
      [&s, &r, session, approve](const AccountChange& c) {
        return change_entry(s, session, r, c, approve ? "approved" : "rejected");
      },
      [&s, actor = session.actor](const AccountChange& c) {
        if (c.user_id && c.state == "approved") s.events.close_user(*c.user_id);
        return json_ok(approval_json(c, actor));
      });
}

}  // namespace

void add_account_routes(Router& router, Services& s) {
  router.add("GET", "/api/v1/users", authed(s, Access::staff_or_account_admin, bind<list_users>(s)));
  router.add("POST", "/api/v1/users", authed(s, Access::sysadmin, bind<create_user>(s)));
  router.add("PATCH", "/api/v1/users/{id}", authed(s, Access::account_admin, bind<patch_user>(s)));
  router.add("POST", "/api/v1/users/{id}/second-factor-reset", authed(s, Access::account_admin, bind<reset_second_factor>(s)),
             {.body_limit = 1024});
  router.add("GET", "/api/v1/approvals", authed(s, Access::account_oversight, bind<list_approvals>(s)));
  router.add("POST", "/api/v1/approvals/{id}/approve", authed(s, Access::account_admin,
                                                             [&s](HttpRequest& r, Reply reply, const Session& session) {
                                                               decide(s, r, std::move(reply), session, true);
                                                             }),
             {.body_limit = 1024});
  router.add("POST", "/api/v1/approvals/{id}/reject", authed(s, Access::account_admin,
                                                            [&s](HttpRequest& r, Reply reply, const Session& session) {
                                                              decide(s, r, std::move(reply), session, false);
                                                            }),
             {.body_limit = 4096});
}

}  // namespace hl::web
