// Accounts under 三员分立 (issue #16 finding 4): the system administrator asks for an account and it
// works only once a security administrator approves it; grants (role, office, partner, re-enabling)
// are asked for by the security administrator and approved by another person; nobody decides her
// own request or a change to her own account; disabling takes effect at once; a lost second factor
// is removed only with a second approver; the supervisor sees the changes about her offices; the
// auditor reads every step in the audit log.
#include <boost/test/unit_test.hpp>
#include <string>

#include "api/case_helpers.hpp"
#include "api/server_process.hpp"
#include "casework/second_factor.hpp"

using namespace hl::apitest;

namespace {

struct Accounts {
  ServerProcess server;
  Login sys = server.login(kAdmin);
  Login sec = server.login(kSecAdmin);

  std::int64_t office_id(const std::string& region_code) const {
    for (const auto& o : require_items(server, sys, "/api/v1/offices"))
      if (o.at("region_code") == region_code) return o.at("id").get<std::int64_t>();
    BOOST_FAIL("no office with region code " << region_code);
    return 0;
  }

  Json user_named(const std::string& username) const {
    for (const auto& u : require_items(server, sys, "/api/v1/users"))
      if (u.at("username") == username) return u;
    return nullptr;
  }

  std::int64_t user_id(const std::string& username) const {
    const Json u = user_named(username);
    BOOST_REQUIRE_MESSAGE(!u.is_null(), "no user " << username);
    return u.at("id").get<std::int64_t>();
  }

  HttpClientResponse decide(const Login& who, std::int64_t approval, const char* verdict, const Json& body = Json::object()) const {
    return server.send(who, "POST", "/api/v1/approvals/" + std::to_string(approval) + "/" + verdict, body);
  }

  // The pending approvals as `who` sees them.
  Json pending(const Login& who) const { return require_items(server, who, "/api/v1/approvals?state=pending"); }

  Json asked_for_account(const Json& body) const {
    auto r = server.send(sys, "POST", "/api/v1/users", body);
    REQUIRE_STATUS(r, 202);
    return body_json(r);
  }
};

Json operator_account(const char* username, std::int64_t office) {
  return {{"username", username}, {"display_name", "新接线员"}, {"password", "long-enough-pw-2026"}, {"role", "operator"},
          {"office_id", office}};
}

// The approval with this id in a list, or null.
Json find(const Json& items, std::int64_t id) {
  for (const auto& a : items)
    if (a.at("id") == id) return a;
  return nullptr;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(accounts, Accounts)

BOOST_AUTO_TEST_CASE(a_new_account_works_only_once_a_security_administrator_approves_it) {
  const auto county = office_id("431023");
  const Json asked = asked_for_account(operator_account("newop", county));
  BOOST_TEST(asked.at("user").at("disabled") == true);
  BOOST_TEST(asked.at("user").at("approval_pending") == true);
  BOOST_TEST(asked.dump().find("long-enough-pw") == std::string::npos);
  const Json approval = asked.at("approval");
  BOOST_TEST(approval.at("kind") == "user.create");
  BOOST_TEST(approval.at("state") == "pending");
  BOOST_TEST(approval.at("change").at("role") == "operator");
  BOOST_TEST(approval.at("requested_by").at("id") == sys.id());
  BOOST_TEST(approval.at("can_decide") == false);  // hers: another person decides
  const auto id = approval.at("id").get<std::int64_t>();

  // Not yet an account anyone can use.
  CHECK_ERROR(server.login_raw("newop", "long-enough-pw-2026"), 401, "unauthenticated");
  BOOST_TEST(user_named("newop").at("approval_pending") == true);

  // The one who asked cannot approve it; nor can a supervisor or an operator.
  auto own = decide(sys, id, "approve");
  CHECK_ERROR(own, 403, "forbidden");
  BOOST_TEST(body_json(own).at("error").at("message") == "you asked for this change: another person must decide");
  CHECK_ERROR(decide(server.login(kSupervisor), id, "approve"), 403, "forbidden");
  CHECK_ERROR(decide(server.login(kOperator), id, "approve"), 403, "forbidden");
  CHECK_ERROR(server.login_raw("newop", "long-enough-pw-2026"), 401, "unauthenticated");

  // The security administrator sees it as hers to decide, and approves.
  BOOST_TEST(find(pending(sec), id).at("can_decide") == true);
  BOOST_TEST(find(pending(sys), id).at("can_decide") == false);
  auto approved = decide(sec, id, "approve");
  REQUIRE_STATUS(approved, 200);
  BOOST_TEST(body_json(approved).at("state") == "approved");
  BOOST_TEST(body_json(approved).at("decided_by").at("id") == sec.id());
  CHECK_ERROR(decide(sec, id, "approve"), 409, "conflict");
  CHECK_ERROR(decide(sec, id, "reject"), 409, "conflict");

  const Json now = user_named("newop");
  BOOST_TEST(now.at("disabled") == false);
  BOOST_TEST(now.at("approval_pending") == false);
  const Login newop = server.login("newop", "long-enough-pw-2026");
  BOOST_TEST(newop.user.at("role") == "operator");
  BOOST_TEST(find(pending(sec), id).is_null());
}

BOOST_AUTO_TEST_CASE(a_rejected_account_is_removed_and_its_name_free_again) {
  const auto county = office_id("431023");
  const auto id = asked_for_account(operator_account("maybe", county)).at("approval").at("id").get<std::int64_t>();
  // A second request for the same name while the first waits: the name is taken.
  auto twice = server.send(sys, "POST", "/api/v1/users", operator_account("maybe", county));
  CHECK_ERROR(twice, 409, "conflict");
  CHECK_NAMES_FIELD(twice, "username");

  auto rejected = decide(sec, id, "reject", {{"reason", "本县已有接线员账户"}});
  REQUIRE_STATUS(rejected, 200);
  const Json r = body_json(rejected);
  BOOST_TEST(r.at("state") == "rejected");
  BOOST_TEST(r.at("user").is_null());
  BOOST_TEST(r.at("username") == "maybe");
  BOOST_TEST(r.at("reason") == "本县已有接线员账户");
  BOOST_TEST(user_named("maybe").is_null());
  CHECK_ERROR(server.login_raw("maybe", "long-enough-pw-2026"), 401, "unauthenticated");
  // The record stays among the decided ones, and the name can be asked for again.
  BOOST_TEST(!find(require_items(server, sec, "/api/v1/approvals?state=decided"), id).is_null());
  asked_for_account(operator_account("maybe", county));
}

BOOST_AUTO_TEST_CASE(an_account_request_is_validated_before_anyone_is_asked) {
  const auto county = office_id("431023");
  auto short_pw = server.send(sys, "POST", "/api/v1/users",
                              {{"username", "shorty"}, {"display_name", "短密码"}, {"password", "123456789"}, {"role", "operator"}, {"office_id", county}});
  CHECK_ERROR(short_pw, 422, "validation_failed");
  CHECK_NAMES_FIELD(short_pw, "password");
  auto no_office = server.send(sys, "POST", "/api/v1/users",
                               {{"username", "nooffice"}, {"display_name", "无单位"}, {"password", "long-enough-pw"}, {"role", "operator"}});
  CHECK_ERROR(no_office, 422, "validation_failed");
  CHECK_NAMES_FIELD(no_office, "office_id");
  for (const char* role : {"king", "admin", "system"}) {
    BOOST_TEST_CONTEXT(role) {
      auto bad_role = server.send(sys, "POST", "/api/v1/users",
                                  {{"username", "king"}, {"display_name", "国王"}, {"password", "long-enough-pw"}, {"role", role}, {"office_id", county}});
      CHECK_ERROR(bad_role, 422, "validation_failed");
      CHECK_NAMES_FIELD(bad_role, "role");
    }
  }
  auto orphan = server.send(sys, "POST", "/api/v1/users",
                            {{"username", "orphan"}, {"display_name", "无机构"}, {"password", "long-enough-pw"}, {"role", "partner"}});
  CHECK_ERROR(orphan, 422, "validation_failed");
  CHECK_NAMES_FIELD(orphan, "partner_id");
  auto taken = server.send(sys, "POST", "/api/v1/users", operator_account("operator2", county));
  CHECK_ERROR(taken, 409, "conflict");
  CHECK_NAMES_FIELD(taken, "username");
  // Only the system administrator asks for accounts.
  CHECK_ERROR(server.send(sec, "POST", "/api/v1/users", operator_account("bysec", county)), 403, "forbidden");
  BOOST_TEST(pending(sec).empty());  // nothing was asked for
}

BOOST_AUTO_TEST_CASE(a_role_raise_waits_for_a_second_person_and_then_ends_her_sessions) {
  const auto op2 = user_id("operator2");
  const std::string path = "/api/v1/users/" + std::to_string(op2);
  const Login before = server.login(kOperator2);

  // Grants are not the system administrator's.
  CHECK_ERROR(server.send(sys, "PATCH", path, {{"role", "supervisor"}}), 403, "forbidden");
  CHECK_ERROR(server.send(sys, "PATCH", path, {{"office_id", office_id("431023")}}), 403, "forbidden");

  auto asked = server.send(sec, "PATCH", path, {{"role", "supervisor"}});
  REQUIRE_STATUS(asked, 202);
  const Json a = body_json(asked).at("approval");
  BOOST_TEST(a.at("kind") == "user.grant");
  BOOST_TEST(a.at("before").at("role") == "operator");
  BOOST_TEST(a.at("change").at("role") == "supervisor");
  BOOST_TEST(body_json(asked).at("user").at("role") == "operator");  // nothing changed yet
  const auto id = a.at("id").get<std::int64_t>();
  CHECK_STATUS(server.get(before, "/api/v1/session"), 200);
  BOOST_TEST(server.login(kOperator2).user.at("role") == "operator");
  // One open request per account.
  CHECK_ERROR(server.send(sec, "PATCH", path, {{"office_id", office_id("431023")}}), 409, "conflict");

  CHECK_ERROR(decide(sec, id, "approve"), 403, "forbidden");
  CHECK_ERROR(decide(before, id, "approve"), 403, "forbidden");
  REQUIRE_STATUS(decide(sys, id, "approve"), 200);
  CHECK_ERROR(server.get(before, "/api/v1/session"), 401, "unauthenticated");
  BOOST_TEST(server.login(kOperator2).user.at("role") == "supervisor");
}

BOOST_AUTO_TEST_CASE(nobody_raises_herself_and_a_grant_is_checked_when_asked_for) {
  const auto op2 = user_id("operator2");
  const std::string path = "/api/v1/users/" + std::to_string(op2);
  // Her own account: not even asked for.
  CHECK_ERROR(server.send(sec, "PATCH", "/api/v1/users/" + std::to_string(sec.id()), {{"role", "supervisor"}, {"office_id", office_id("431000")}}),
              403, "forbidden");
  for (const char* role : {"system", "root", "", "admin"}) {
    BOOST_TEST_CONTEXT("role '" << role << "'") {
      auto r = server.send(sec, "PATCH", path, {{"role", role}});
      CHECK_ERROR(r, 422, "validation_failed");
      CHECK_NAMES_FIELD(r, "role");
    }
  }
  auto no_office = server.send(sec, "PATCH", path, {{"office_id", 999999}});
  CHECK_ERROR(no_office, 422, "validation_failed");
  CHECK_NAMES_FIELD(no_office, "office_id");
  auto no_partner = server.send(sec, "PATCH", path, {{"role", "partner"}});
  CHECK_ERROR(no_partner, 422, "validation_failed");
  CHECK_NAMES_FIELD(no_partner, "partner_id");
  CHECK_ERROR(server.send(sec, "PATCH", path, {{"role", "operator"}}), 422, "validation_failed");  // nothing to change
  auto wrong_type = server.send(sec, "PATCH", path, {{"disabled", "yes"}});
  CHECK_ERROR(wrong_type, 400, "bad_request");
  CHECK_NAMES_FIELD(wrong_type, "disabled");
  CHECK_ERROR(server.send(sec, "PATCH", "/api/v1/users/999999", {{"role", "supervisor"}}), 404, "not_found");
  // A grant and another change at once, or a detail from the security administrator: refused.
  CHECK_ERROR(server.send(sec, "PATCH", path, {{"role", "supervisor"}, {"display_name", "改名"}}), 422, "validation_failed");
  CHECK_ERROR(server.send(sec, "PATCH", path, {{"display_name", "改名"}}), 403, "forbidden");
  BOOST_TEST(pending(sec).empty());
  BOOST_TEST(server.login(kOperator2).user.at("role") == "operator");
}

BOOST_AUTO_TEST_CASE(disabling_takes_effect_at_once_and_enabling_again_needs_approval) {
  const auto op2 = user_id("operator2");
  const std::string path = "/api/v1/users/" + std::to_string(op2);
  const Login before = server.login(kOperator2);
  auto disabled = server.send(sys, "PATCH", path, {{"disabled", true}});
  REQUIRE_STATUS(disabled, 200);
  BOOST_TEST(body_json(disabled).at("disabled") == true);
  CHECK_ERROR(server.get(before, "/api/v1/session"), 401, "unauthenticated");
  CHECK_ERROR(server.login_raw(kOperator2.username, kOperator2.password), 401, "unauthenticated");

  CHECK_ERROR(server.send(sys, "PATCH", path, {{"disabled", false}}), 403, "forbidden");
  auto asked = server.send(sec, "PATCH", path, {{"disabled", false}});
  REQUIRE_STATUS(asked, 202);
  CHECK_ERROR(server.login_raw(kOperator2.username, kOperator2.password), 401, "unauthenticated");
  REQUIRE_STATUS(decide(sys, body_json(asked).at("approval").at("id").get<std::int64_t>(), "approve"), 200);
  BOOST_CHECK_NO_THROW(server.login(kOperator2));
  // The security administrator may disable at once too.
  REQUIRE_STATUS(server.send(sec, "PATCH", path, {{"disabled", true}}), 200);
  CHECK_ERROR(server.login_raw(kOperator2.username, kOperator2.password), 401, "unauthenticated");
}

BOOST_AUTO_TEST_CASE(a_lost_second_factor_is_removed_only_with_a_second_approver) {
  using hl::casework::SecondFactor;
  const Login op = server.login(kOperator);
  const std::string reset = "/api/v1/users/" + std::to_string(op.id()) + "/second-factor-reset";
  // Nothing to reset yet.
  CHECK_ERROR(server.send(sys, "POST", reset, Json::object()), 422, "validation_failed");
  auto begun = server.send(op, "POST", "/api/v1/session/second-factor", Json::object());
  REQUIRE_STATUS(begun, 201);
  const std::string secret = body_json(begun).at("secret");
  REQUIRE_STATUS(server.send(op, "POST", "/api/v1/session/second-factor/confirm",
                             {{"code", *SecondFactor::code_at(secret, server.now_ms())}}),
                 200);
  CHECK_ERROR(server.login_raw(kOperator.username, kOperator.password), 401, "second_factor_required");

  CHECK_ERROR(server.send(sys, "POST", "/api/v1/users/" + std::to_string(sys.id()) + "/second-factor-reset", Json::object()), 403,
              "forbidden");
  auto asked = server.send(sys, "POST", reset, Json::object());
  REQUIRE_STATUS(asked, 202);
  const auto id = body_json(asked).at("approval").at("id").get<std::int64_t>();
  BOOST_TEST(body_json(asked).at("approval").at("kind") == "user.second_factor_reset");
  CHECK_ERROR(decide(sys, id, "approve"), 403, "forbidden");
  CHECK_ERROR(server.login_raw(kOperator.username, kOperator.password), 401, "second_factor_required");
  REQUIRE_STATUS(decide(sec, id, "approve"), 200);
  CHECK_ERROR(server.get(op, "/api/v1/session"), 401, "unauthenticated");  // her sessions ended
  const Login again = server.login(kOperator);  // password alone: she enrols anew
  BOOST_TEST(body_json(server.get(again, "/api/v1/session/second-factor")).at("enabled") == false);
}

BOOST_AUTO_TEST_CASE(the_supervisor_sees_the_changes_about_her_offices_and_decides_none) {
  const auto county = office_id("431023");     // 永兴县, below her city
  const auto province = office_id("430000");   // above her
  const auto here = asked_for_account(operator_account("yx_new", county)).at("approval").at("id").get<std::int64_t>();
  const auto there = asked_for_account(
                         {{"username", "hn_new"}, {"display_name", "省妇联"}, {"password", "long-enough-pw-2026"}, {"role", "supervisor"},
                          {"office_id", province}})
                         .at("approval").at("id").get<std::int64_t>();
  const auto admin_account = asked_for_account({{"username", "sec2"}, {"display_name", "第二安全管理员"},
                                                {"password", "long-enough-pw-2026"}, {"role", "secadmin"}})
                                 .at("approval").at("id").get<std::int64_t>();
  REQUIRE_STATUS(decide(sec, here, "approve"), 200);
  REQUIRE_STATUS(decide(sec, there, "approve"), 200);

  const Login sup = server.login(kSupervisor);
  const Json decided = require_items(server, sup, "/api/v1/approvals?state=decided");
  const Json seen = find(decided, here);
  BOOST_REQUIRE(!seen.is_null());
  BOOST_TEST(seen.at("decided_by").at("display_name") == "安全管理员");
  BOOST_TEST(seen.at("user").at("office_name") == "永兴县妇联");
  BOOST_TEST(find(decided, there).is_null());  // the province's account is not her business
  const Json waiting = pending(sup);
  BOOST_TEST(!find(waiting, admin_account).is_null());  // an administrator's account reaches every office
  BOOST_TEST(find(waiting, admin_account).at("can_decide") == false);
  CHECK_ERROR(decide(sup, admin_account, "approve"), 403, "forbidden");
  CHECK_ERROR(server.get(server.login(kOperator), "/api/v1/approvals"), 403, "forbidden");
  auto bad = server.get(sup, "/api/v1/approvals?state=maybe");
  CHECK_ERROR(bad, 422, "validation_failed");
  CHECK_NAMES_FIELD(bad, "state");
}

BOOST_AUTO_TEST_CASE(the_auditor_reads_every_step_in_the_audit_log_and_nothing_else) {
  const auto county = office_id("431023");
  const auto id = asked_for_account(operator_account("audited", county)).at("approval").at("id").get<std::int64_t>();
  REQUIRE_STATUS(decide(sec, id, "approve"), 200);

  const Login auditor = server.login(kAuditor);
  auto r = server.get(auditor, "/api/v1/audit?action=user.create");
  REQUIRE_STATUS(r, 200);
  const Json rows = body_json(r).at("items");
  BOOST_REQUIRE(rows.size() >= 2u);
  // Newest first: the approval, then the request, each naming who and which account.
  BOOST_TEST(rows[0].at("action") == "user.create.approved");
  BOOST_TEST(rows[0].at("actor").at("username") == "secadmin");
  BOOST_TEST(rows[1].at("action") == "user.create.requested");
  BOOST_TEST(rows[1].at("actor").at("username") == "admin");
  BOOST_TEST(rows[0].at("object_id") == rows[1].at("object_id"));
  BOOST_TEST(rows[0].at("detail").get<std::string>().find("audited") != std::string::npos);

  // Paging back by id, and the filters checked.
  auto first = server.get(auditor, "/api/v1/audit?limit=1");
  REQUIRE_STATUS(first, 200);
  const Json page = body_json(first);
  BOOST_REQUIRE(page.at("items").size() == 1u);
  BOOST_REQUIRE(page.at("next_before_id").is_number_integer());
  auto next = server.get(auditor, "/api/v1/audit?limit=1&before_id=" + std::to_string(page.at("next_before_id").get<std::int64_t>()));
  BOOST_TEST(body_json(next).at("items").at(0).at("id").get<std::int64_t>() < page.at("items").at(0).at("id").get<std::int64_t>());
  auto bad = server.get(auditor, "/api/v1/audit?from=yesterday&limit=500");
  CHECK_ERROR(bad, 422, "validation_failed");
  CHECK_NAMES_FIELD(bad, "from");
  CHECK_NAMES_FIELD(bad, "limit");
  // Reading the log is itself on the log.
  const Json reads = require_items(server, auditor, "/api/v1/audit?action=audit.read");
  BOOST_TEST(!reads.empty());

  auto verified = server.get(auditor, "/api/v1/audit/verify");
  REQUIRE_STATUS(verified, 200);
  BOOST_TEST(body_json(verified).at("ok") == true);
  BOOST_TEST(body_json(verified).at("rows_checked").get<std::int64_t>() > 0);

  // Nothing else: no accounts, no approvals, no cases, no offices.
  CHECK_ERROR(server.get(auditor, "/api/v1/users"), 403, "forbidden");
  CHECK_ERROR(server.get(auditor, "/api/v1/approvals"), 403, "forbidden");
  CHECK_ERROR(server.get(auditor, "/api/v1/cases"), 403, "forbidden");
  CHECK_ERROR(server.get(auditor, "/api/v1/offices"), 403, "forbidden");
  CHECK_ERROR(server.get(sys, "/api/v1/audit"), 403, "forbidden");
  CHECK_ERROR(server.get(sec, "/api/v1/audit"), 403, "forbidden");
}

BOOST_AUTO_TEST_SUITE_END()
