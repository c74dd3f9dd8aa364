#pragma once
// Account changes that take effect only when a second person approves them (三员分立, issue #16):
// a new account, a change of grants (role, office, partner organisation, re-enabling), and the removal
// of a user's two-step verification after she lost both her phone and her recovery codes.
//
// Who may ask and who may decide is data (kRules in account_changes.cpp): the system administrator
// asks for accounts, the security administrator decides them; the security administrator asks for
// grants, a system administrator or another security administrator decides them. Never the person who
// asked, never the account's own holder. Taking rights away (disabling an account) needs nobody's
// approval and is not here: UserRepository::update does it at once.
//
// approve() applies the change in the same transaction as the decision; the caller ends the user's
// sessions (a grant or a reset changes what her sessions may do).
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "casework/actor.hpp"
#include "casework/second_factor.hpp"
#include "casework/user_repository.hpp"
#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

enum class AccountChangeKind { create, grant, second_factor_reset };
std::string_view to_string(AccountChangeKind k);  // user.create, user.grant, user.second_factor_reset

// What a grant change asks for; absent fields stay as they are.
struct GrantRequest {
  std::optional<std::string> role;  // wire name; validated
  std::optional<std::int64_t> office_id, partner_id;
  bool enable = false;  // re-enable a disabled account
};

struct AccountChange {
  std::int64_t id = 0;
  AccountChangeKind kind = AccountChangeKind::create;
  std::optional<std::int64_t> user_id;  // null once a rejected creation removed the account
  std::string username;
  GrantRequest asked;  // for a creation: the new account's role, office, partner
  struct Before {
    std::string role;
    std::optional<std::int64_t> office_id, partner_id;
    bool disabled = false;
  };
  std::optional<Before> before;  // the account when asked; none for a creation
  std::int64_t requested_by = 0;
  Role requested_role = Role::sysadmin;
  TimeMs requested_at = 0;
  std::string state;  // pending, approved, rejected
  std::optional<std::int64_t> decided_by;
  std::optional<TimeMs> decided_at;
  std::string reason;
  // For showing it: the account and the people, as they are now.
  std::string user_display_name, user_role, office_name, office_path;
  std::optional<std::int64_t> user_office_id;
  std::string requested_by_name, decided_by_name;
};

class AccountChanges {
 public:
  // Whether `actor` may ask for a change of this kind at all (403 otherwise).
  static bool may_request(AccountChangeKind kind, Role requester);
  // Whether `actor` may approve or reject `c`: her role decides this kind of request, she did not ask
  // for it, it is not her own account, and it is still pending.
  static bool may_decide(const AccountChange& c, const Actor& actor);

  // Creates the account disabled and asks for its approval. invalid_input / conflict as
  // UserRepository::create.
  static Result<AccountChange> request_creation(db::Connection& conn, const NewUser& user, const Actor& requester,
                                                TimeMs now);
  // invalid_input naming the field when the change could not be applied (checked by applying it in a
  // savepoint that is rolled back) or changes nothing; forbidden for her own account; not_found;
  // conflict while another change to the account is pending.
  static Result<AccountChange> request_grant(db::Connection& conn, std::int64_t user_id, const GrantRequest& grant,
                                             const Actor& requester, TimeMs now);
  // invalid_input when the user has no two-step verification to remove.
  static Result<AccountChange> request_second_factor_reset(db::Connection& conn, std::int64_t user_id,
                                                           const Actor& requester, TimeMs now);

  // forbidden (not hers to decide, with the reason), not_found, conflict when already decided; the
  // grant's own validation errors when it can no longer be applied (then nothing changes).
  static Result<AccountChange> approve(db::Connection& conn, std::int64_t id, const Actor& decider,
                                       const SecondFactor& second_factor, TimeMs now);
  static Result<AccountChange> reject(db::Connection& conn, std::int64_t id, const Actor& decider,
                                      const std::string& reason, TimeMs now);

  static std::optional<AccountChange> get(db::Connection& conn, std::int64_t id);
  // Pending ones (oldest first) or decided ones since `since` (newest first, at most 200). Account
  // administrators see all; a supervisor those about accounts of her subtree and accounts without an
  // office (partner organisations' users, administrators), which may read or grant anything.
  static std::vector<AccountChange> list(db::Connection& conn, bool pending, TimeMs since, const Actor& viewer);
  // The accounts with a change awaiting approval.
  static std::set<std::int64_t> pending_user_ids(db::Connection& conn);
};

}  // namespace hl::casework
