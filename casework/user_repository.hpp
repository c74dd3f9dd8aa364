#pragma once
// Accounts. Password hashes are produced by core/crypto; this layer only stores them.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "casework/actor.hpp"
#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

struct User {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
  Role role = Role::operator_;
  std::optional<std::int64_t> office_id;
  std::optional<std::int64_t> partner_id;
  std::string password_hash;
  bool disabled = false;
  int failed_logins = 0;
  TimeMs locked_until = 0;
  std::int64_t version = 1;
  TimeMs password_changed_at = 0;
  bool must_change_password = false;  // set by an administrator, not yet changed by her
  std::string agent_id;  // her 工号 in the call-centre ("" for none): calls ring at her desk (CallLog)
};

struct NewUser {
  std::string username;
  std::string display_name;
  std::string role;  // wire name; validated
  std::optional<std::int64_t> office_id;
  std::optional<std::int64_t> partner_id;
  std::string password_hash;
  bool must_change_password = false;  // an administrator chose it (POST /api/v1/users)
};

// A change to an account; absent fields stay as they are.
struct UserChange {
  std::optional<std::string> role;  // wire name; validated
  std::optional<std::int64_t> office_id, partner_id;
  std::optional<bool> disabled;
  std::optional<std::string> display_name;
  std::optional<std::string> agent_id;  // "" clears it
};

class UserRepository {
 public:
  // invalid_input names the field (bad username, unknown role, missing office for staff, missing
  // partner for partner users, unknown office/partner); conflict when the username is taken.
  static Result<User> create(db::Connection& conn, const NewUser& user, TimeMs now);
  static std::optional<User> get(db::Connection& conn, std::int64_t id);
  // Applies the change. Staff keep (or get) an office and lose any partner; partner users need an
  // existing partner organisation and lose any office. not_found for an unknown id; invalid_input
  // naming the field (unknown role or office, a display name not 1 to 100 bytes, a missing office or
  // partner for the role, an agent_id not 1 to 64 printable characters); conflict when another
  // user has the agent_id.
  static Result<User> update(db::Connection& conn, std::int64_t id, const UserChange& change);
  static std::optional<User> by_username(db::Connection& conn, const std::string& username);
  static std::vector<User> list(db::Connection& conn);
  // The Actor a user acts as (with the office subtree path); nullopt when disabled or unknown.
  static std::optional<Actor> actor_for(db::Connection& conn, std::int64_t user_id);
  // The names of the actor's office and partner organisation ("" for none): who the user is
  // working for, as the session shows it.
  static std::pair<std::string, std::string> affiliation_names(db::Connection& conn, const Actor& actor);
  // A user's display name; nullopt for the system or an unknown id.
  static std::optional<std::string> display_name(db::Connection& conn, std::optional<std::int64_t> user_id);
};

}  // namespace hl::casework
