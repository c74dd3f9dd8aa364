// Account changes and their second approver (casework/account_changes.hpp, 三员分立): the rules of who
// asks and who decides, a creation that is an account only once approved and none once rejected, a
// grant checked when asked and applied only on approval, and schema 033 turning admins into system
// administrators.
#include <boost/test/unit_test.hpp>

#include "casework/account_changes.hpp"
#include "casework/fixture.hpp"
#include "support/error_of.hpp"
#include "core/crypto/field_cipher.hpp"
#include "core/crypto/keyed_hash.hpp"

using namespace hl;
using casework::AccountChange;
using casework::AccountChangeKind;
using casework::AccountChanges;
using casework::Role;

namespace {

struct AccountFixture : hl::test::CaseworkFixture {
  crypto::FieldCipher cipher{std::array<unsigned char, 32>{9, 8, 7}};
  crypto::KeyedHash code_hash{std::array<unsigned char, 32>{4, 5, 6}};
  casework::SecondFactor second{clock, cipher, code_hash};
  casework::Actor sys = admin;
  casework::Actor sec = user("sec", "secadmin", std::nullopt, std::nullopt);
  casework::Actor sec2 = user("sec2", "secadmin", std::nullopt, std::nullopt);
  casework::Actor auditor = user("aud", "auditor", std::nullopt, std::nullopt);

  casework::NewUser new_operator(const char* name) const { return {name, name, "operator", county.id, std::nullopt, "hash"}; }

  casework::User account(std::int64_t id) {
    auto u = casework::UserRepository::get(conn, id);
    BOOST_REQUIRE(u.has_value());
    return *u;
  }
};

AccountChange pending_change(AccountChangeKind kind, Role requested_role, std::int64_t requested_by, std::int64_t user_id) {
  AccountChange c;
  c.kind = kind;
  c.requested_role = requested_role;
  c.requested_by = requested_by;
  c.user_id = user_id;
  c.state = "pending";
  return c;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(account_changes, AccountFixture)

BOOST_AUTO_TEST_CASE(who_may_ask_and_who_may_decide) {
  using K = AccountChangeKind;
  BOOST_TEST((AccountChanges::may_request(K::create, Role::sysadmin)));
  for (Role r : {Role::secadmin, Role::auditor, Role::supervisor, Role::operator_, Role::partner})
    BOOST_TEST(!AccountChanges::may_request(K::create, r));
  BOOST_TEST((AccountChanges::may_request(K::grant, Role::secadmin)));
  for (Role r : {Role::sysadmin, Role::auditor, Role::supervisor}) BOOST_TEST(!AccountChanges::may_request(K::grant, r));
  BOOST_TEST((AccountChanges::may_request(K::second_factor_reset, Role::sysadmin)));
  BOOST_TEST((AccountChanges::may_request(K::second_factor_reset, Role::secadmin)));
  BOOST_TEST((!AccountChanges::may_request(K::second_factor_reset, Role::auditor)));

  // A creation: a security administrator decides, nobody else.
  const auto create = pending_change(K::create, Role::sysadmin, sys.user_id, op.user_id);
  BOOST_TEST(AccountChanges::may_decide(create, sec));
  for (const auto* who : {&sys, &auditor, &sup, &city_sup, &op}) BOOST_TEST(!AccountChanges::may_decide(create, *who));
  // A grant: a system administrator or another security administrator; never the one who asked or
  // the account's holder.
  const auto grant = pending_change(K::grant, Role::secadmin, sec.user_id, op.user_id);
  BOOST_TEST(AccountChanges::may_decide(grant, sys));
  BOOST_TEST(AccountChanges::may_decide(grant, sec2));
  BOOST_TEST(!AccountChanges::may_decide(grant, sec));
  BOOST_TEST(!AccountChanges::may_decide(grant, auditor));
  const auto about_sys = pending_change(K::grant, Role::secadmin, sec.user_id, sys.user_id);
  BOOST_TEST(!AccountChanges::may_decide(about_sys, sys));
  BOOST_TEST(AccountChanges::may_decide(about_sys, sec2));
  // Decided: nobody.
  auto decided = grant;
  decided.state = "approved";
  BOOST_TEST(!AccountChanges::may_decide(decided, sys));
}

BOOST_AUTO_TEST_CASE(a_creation_is_an_account_only_once_approved) {
  auto asked = AccountChanges::request_creation(conn, new_operator("newop"), sys, clock.now_ms());
  BOOST_REQUIRE(asked.has_value());
  BOOST_TEST(asked->state == "pending");
  BOOST_REQUIRE(asked->user_id.has_value());
  const auto id = *asked->user_id;
  BOOST_TEST(account(id).disabled);
  BOOST_TEST(!casework::UserRepository::actor_for(conn, id).has_value());  // cannot act
  BOOST_TEST(AccountChanges::pending_user_ids(conn).contains(id));

  BOOST_TEST((test::error_of(AccountChanges::approve(conn, asked->id, sys, second, clock.now_ms())).code == Errc::forbidden));
  BOOST_TEST(account(id).disabled);
  auto approved = AccountChanges::approve(conn, asked->id, sec, second, clock.now_ms());
  BOOST_REQUIRE(approved.has_value());
  BOOST_TEST(approved->state == "approved");
  BOOST_TEST((approved->decided_by == sec.user_id));
  BOOST_TEST(!account(id).disabled);
  BOOST_TEST(casework::UserRepository::actor_for(conn, id).has_value());
  BOOST_TEST((test::error_of(AccountChanges::approve(conn, asked->id, sec2, second, clock.now_ms())).code == Errc::conflict));
}

BOOST_AUTO_TEST_CASE(a_rejected_creation_leaves_no_account_but_its_record) {
  auto asked = AccountChanges::request_creation(conn, new_operator("maybe"), sys, clock.now_ms());
  BOOST_REQUIRE(asked.has_value());
  auto rejected = AccountChanges::reject(conn, asked->id, sec, "不需要", clock.now_ms());
  BOOST_REQUIRE(rejected.has_value());
  BOOST_TEST(rejected->state == "rejected");
  BOOST_TEST(!rejected->user_id.has_value());
  BOOST_TEST(rejected->username == "maybe");
  BOOST_TEST(rejected->reason == "不需要");
  BOOST_TEST(!casework::UserRepository::by_username(conn, "maybe").has_value());
  BOOST_TEST(AccountChanges::request_creation(conn, new_operator("maybe"), sys, clock.now_ms()).has_value());
}

BOOST_AUTO_TEST_CASE(a_grant_is_checked_when_asked_and_applied_only_when_approved) {
  // Invalid: refused at once, and the trial leaves the account as it was.
  casework::GrantRequest to_partner{std::string("partner"), std::nullopt, std::nullopt, false};
  BOOST_TEST((test::error_of(AccountChanges::request_grant(conn, op.user_id, to_partner, sec, clock.now_ms())).code == Errc::invalid_input));
  BOOST_TEST((account(op.user_id).role == Role::operator_));
  // Not hers to ask, not for her own account.
  casework::GrantRequest raise{std::string("supervisor"), std::nullopt, std::nullopt, false};
  BOOST_TEST((test::error_of(AccountChanges::request_grant(conn, op.user_id, raise, sys, clock.now_ms())).code == Errc::forbidden));
  BOOST_TEST((test::error_of(AccountChanges::request_grant(conn, sec.user_id, raise, sec, clock.now_ms())).code == Errc::forbidden));

  auto asked = AccountChanges::request_grant(conn, op.user_id, raise, sec, clock.now_ms());
  BOOST_REQUIRE(asked.has_value());
  BOOST_REQUIRE(asked->before.has_value());
  BOOST_TEST(asked->before->role == "operator");
  BOOST_TEST((account(op.user_id).role == Role::operator_));
  BOOST_TEST((test::error_of(AccountChanges::request_grant(conn, op.user_id, raise, sec2, clock.now_ms())).code == Errc::conflict));
  BOOST_TEST((test::error_of(AccountChanges::approve(conn, asked->id, op, second, clock.now_ms())).code == Errc::forbidden));
  BOOST_REQUIRE(AccountChanges::approve(conn, asked->id, sys, second, clock.now_ms()).has_value());
  BOOST_TEST((account(op.user_id).role == Role::supervisor));
}

BOOST_AUTO_TEST_CASE(a_supervisor_sees_the_changes_about_her_subtree_and_accounts_without_an_office) {
  auto here = AccountChanges::request_creation(conn, new_operator("yx"), sys, clock.now_ms());
  auto there = AccountChanges::request_creation(conn, {"gy", "gy", "operator", other_county.id, std::nullopt, "h"}, sys, clock.now_ms());
  auto admin_account = AccountChanges::request_creation(conn, {"sec3", "sec3", "secadmin", std::nullopt, std::nullopt, "h"}, sys,
                                                        clock.now_ms());
  BOOST_REQUIRE((here && there && admin_account));
  auto ids = [](const std::vector<AccountChange>& v) {
    std::set<std::int64_t> out;
    for (const auto& c : v) out.insert(c.id);
    return out;
  };
  const auto county_view = ids(AccountChanges::list(conn, true, 0, sup));
  BOOST_TEST(county_view.contains(here->id));
  BOOST_TEST(!county_view.contains(there->id));
  BOOST_TEST(county_view.contains(admin_account->id));
  const auto city_view = ids(AccountChanges::list(conn, true, 0, city_sup));
  BOOST_TEST((city_view.contains(here->id) && city_view.contains(there->id)));
  BOOST_TEST(ids(AccountChanges::list(conn, true, 0, sec)).size() == 3u);
}

BOOST_AUTO_TEST_SUITE_END()

// Schema 033 on a database written before it: every admin becomes a system administrator, and the
// new roles are accepted by the users table.
struct BeforeSchema033 : hl::test::CaseworkFixture {
  BeforeSchema033() : CaseworkFixture(33) {}
};

BOOST_FIXTURE_TEST_CASE(schema_033_makes_every_admin_a_system_administrator, BeforeSchema033) {
  BOOST_REQUIRE(casework::migrate_database(conn).has_value());
  auto st = conn.prepare("SELECT role FROM users WHERE username = 'admin'");
  BOOST_REQUIRE(st.step());
  BOOST_TEST(st.text(0) == "sysadmin");
  auto none = conn.prepare("SELECT count(*) FROM users WHERE role = 'admin'");
  BOOST_REQUIRE(none.step());
  BOOST_TEST(none.int64(0) == 0);
  BOOST_TEST(casework::UserRepository::create(conn, {"aud", "aud", "auditor", std::nullopt, std::nullopt, "h"}, clock.now_ms())
                 .has_value());
  // The old name is refused by the table itself now.
  BOOST_CHECK_THROW(conn.exec("INSERT INTO users(username, display_name, role, password_hash, created_at)"
                              " VALUES ('old', 'old', 'admin', 'h', 0)"),
                    std::exception);
}
