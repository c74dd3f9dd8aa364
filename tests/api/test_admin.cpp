// Administration: offices, partners, users and deadline configuration; and that nobody else may
// use these endpoints.
#include <boost/test/unit_test.hpp>
#include <string>

#include "api/case_helpers.hpp"
#include "api/server_process.hpp"

using namespace hl::apitest;

namespace {

struct Admin {
  ServerProcess server;
  Login admin = server.login(kAdmin);

  std::int64_t office_id(const std::string& region_code) const {
    for (const auto& o : require_items(server, admin, "/api/v1/offices"))
      if (o.at("region_code") == region_code) return o.at("id").get<std::int64_t>();
    BOOST_FAIL("no office with region code " << region_code);
    return 0;
  }

  bool has_office(const std::string& region_code) const {
    for (const auto& o : require_items(server, admin, "/api/v1/offices"))
      if (o.at("region_code") == region_code) return true;
    return false;
  }
};

Json new_partner() {
  return {{"name", "永兴县公安局便江派出所"},
          {"type", "police"},
          {"region_codes", {"431023"}},
          {"services", {"police_response", "warning_letter"}},
          {"phone", "0735-5521110"},
          {"active", true}};
}

std::string acceptance_due_date(const Json& c) {
  for (const auto& d : c.at("deadlines"))
    if (d.at("kind") == "acceptance") return d.at("due_at").get<std::string>().substr(0, 10);
  return "<no acceptance deadline>";
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(admin, Admin)

BOOST_AUTO_TEST_CASE(an_administrator_creates_an_office_and_region_codes_stay_unique) {
  const auto city = office_id("431000");
  auto r = server.send(admin, "POST", "/api/v1/offices", {{"name", "资兴市妇联"}, {"region_code", "431081"}, {"parent_id", city}});
  REQUIRE_STATUS(r, 201);
  const Json office = body_json(r);
  BOOST_TEST(office.at("id").is_number_integer());
  BOOST_TEST(office.at("name") == "资兴市妇联");
  BOOST_TEST(office.at("region_code") == "431081");
  BOOST_TEST(office.at("parent_id") == city);
  BOOST_TEST(office_id("431081") == office.at("id").get<std::int64_t>());

  auto duplicate = server.send(admin, "POST", "/api/v1/offices", {{"name", "重复的妇联"}, {"region_code", "431081"}, {"parent_id", city}});
  CHECK_ERROR(duplicate, 422, "validation_failed");
  CHECK_NAMES_FIELD(duplicate, "region_code");
  auto seeded_code = server.send(admin, "POST", "/api/v1/offices", {{"name", "另一个永兴"}, {"region_code", "431023"}, {"parent_id", city}});
  CHECK_ERROR(seeded_code, 422, "validation_failed");
  CHECK_NAMES_FIELD(seeded_code, "region_code");
  auto bad = server.send(admin, "POST", "/api/v1/offices", {{"name", ""}, {"region_code", "43A0"}, {"parent_id", 999999}});
  CHECK_ERROR(bad, 422, "validation_failed");
  for (const char* f : {"name", "region_code", "parent_id"}) CHECK_NAMES_FIELD(bad, f);

  // The city supervisor sees the new office in the subtree.
  bool visible = false;
  for (const auto& o : require_items(server, server.login(kSupervisor), "/api/v1/offices"))
    visible = visible || o.at("region_code") == "431081";
  BOOST_TEST(visible);
}

BOOST_AUTO_TEST_CASE(an_administrator_creates_and_deactivates_a_partner) {
  auto r = server.send(admin, "POST", "/api/v1/partners", new_partner());
  REQUIRE_STATUS(r, 201);
  const Json p = body_json(r);
  const auto id = p.at("id").get<std::int64_t>();
  BOOST_TEST(p.at("type") == "police");
  BOOST_TEST(p.at("active") == true);
  BOOST_TEST(p.at("region_codes") == Json::array({"431023"}));

  const Login op = server.login(kOperator);
  auto listed = [&] {
    for (const auto& item : require_items(server, op, "/api/v1/partners?type=police"))
      if (item.at("id") == id) return true;
    return false;
  };
  BOOST_TEST(listed());

  // Staff can refer to it while it is active.
  const auto case_id = require_open_case(server, op);
  require_transition(server, op, case_id, "accept", notice_data());
  Json data = refer_data(id, true);
  const Json referred = require_transition(server, op, case_id, "refer", data);
  BOOST_TEST(referred.at("status") == "referred");

  auto off = server.send(admin, "PATCH", "/api/v1/partners/" + std::to_string(id), {{"version", p.at("version")}, {"active", false}});
  REQUIRE_STATUS(off, 200);
  BOOST_TEST(body_json(off).at("active") == false);
  BOOST_TEST(!listed());
  auto stale = server.send(admin, "PATCH", "/api/v1/partners/" + std::to_string(id), {{"version", p.at("version")}, {"active", true}});
  CHECK_ERROR(stale, 409, "conflict");
  auto no_version = server.send(admin, "PATCH", "/api/v1/partners/" + std::to_string(id), {{"active", true}});
  CHECK_ERROR(no_version, 422, "validation_failed");
  CHECK_NAMES_FIELD(no_version, "version");

  // An inactive partner cannot receive a new referral.
  const auto other = require_open_case(server, op);
  require_transition(server, op, other, "accept", notice_data());
  auto refused = transition(server, op, other, "refer", require_case(server, op, other).at("version").get<std::int64_t>(), data);
  CHECK_ERROR(refused, 422, "transition_not_allowed");
  CHECK_NAMES_FIELD(refused, "partner_id");

  Json unknown = new_partner();
  unknown["type"] = "spaceship";
  auto bad = server.send(admin, "POST", "/api/v1/partners", unknown);
  CHECK_ERROR(bad, 422, "validation_failed");
  CHECK_NAMES_FIELD(bad, "type");
}

BOOST_AUTO_TEST_CASE(an_administrator_creates_users_who_can_log_in) {
  const auto county = office_id("431023");
  auto r = server.send(admin, "POST", "/api/v1/users",
                       {{"username", "newop"}, {"display_name", "新接线员"}, {"password", "long-enough-pw"}, {"role", "operator"}, {"office_id", county}});
  REQUIRE_STATUS(r, 201);
  const Json u = body_json(r);
  BOOST_TEST(u.at("id").is_number_integer());
  BOOST_TEST(u.at("username") == "newop");
  BOOST_TEST(u.at("role") == "operator");
  BOOST_TEST(u.at("office_id") == county);
  BOOST_TEST(r.body.find("long-enough-pw") == std::string::npos);

  bool listed = false;
  for (const auto& item : require_items(server, admin, "/api/v1/users")) {
    BOOST_TEST(!item.contains("password_hash"));
    if (item.at("username") == "newop") listed = item.at("id") == u.at("id") && item.at("disabled") == false;
  }
  BOOST_TEST(listed);

  const Login newop = server.login("newop", "long-enough-pw");
  BOOST_TEST(newop.user.at("role") == "operator");
  BOOST_TEST(newop.user.at("office_id") == county);
  CHECK_STATUS(server.send(newop, "POST", "/api/v1/intakes", {{"channel", "hotline"}, {"call_type", "silent"}}), 201);

  // A partner user belongs to a partner organisation.
  const auto police_org = server.login(kPolice).user.at("partner_org_id");
  auto partner_user = server.send(admin, "POST", "/api/v1/users",
                                  {{"username", "police2"}, {"display_name", "派出所民警"}, {"password", "another-long-pw"},
                                   {"role", "partner"}, {"partner_id", police_org}});
  REQUIRE_STATUS(partner_user, 201);
  BOOST_TEST(server.login("police2", "another-long-pw").user.at("partner_org_id") == police_org);

  auto short_pw = server.send(admin, "POST", "/api/v1/users",
                              {{"username", "shorty"}, {"display_name", "短密码"}, {"password", "123456789"}, {"role", "operator"}, {"office_id", county}});
  CHECK_ERROR(short_pw, 422, "validation_failed");
  CHECK_NAMES_FIELD(short_pw, "password");
  CHECK_ERROR(server.login_raw("shorty", "123456789"), 401, "unauthenticated");

  auto no_office = server.send(admin, "POST", "/api/v1/users",
                               {{"username", "nooffice"}, {"display_name", "无单位"}, {"password", "long-enough-pw"}, {"role", "operator"}});
  CHECK_ERROR(no_office, 422, "validation_failed");
  CHECK_NAMES_FIELD(no_office, "office_id");
  auto bad_role = server.send(admin, "POST", "/api/v1/users",
                              {{"username", "king"}, {"display_name", "国王"}, {"password", "long-enough-pw"}, {"role", "king"}, {"office_id", county}});
  CHECK_ERROR(bad_role, 422, "validation_failed");
  CHECK_NAMES_FIELD(bad_role, "role");
  auto taken = server.send(admin, "POST", "/api/v1/users",
                           {{"username", "newop"}, {"display_name", "重名"}, {"password", "long-enough-pw"}, {"role", "operator"}, {"office_id", county}});
  CHECK_ERROR(taken, 409, "conflict");
  CHECK_NAMES_FIELD(taken, "username");
  // The first user's password still works.
  BOOST_CHECK_NO_THROW(server.login("newop", "long-enough-pw"));
}

BOOST_AUTO_TEST_CASE(changing_a_users_role_or_office_ends_their_sessions_and_is_validated) {
  std::int64_t op2_id = 0;
  for (const auto& u : require_items(server, admin, "/api/v1/users"))
    if (u.at("username") == "operator2") op2_id = u.at("id").get<std::int64_t>();
  BOOST_REQUIRE(op2_id > 0);
  const std::string path = "/api/v1/users/" + std::to_string(op2_id);
  const auto county = office_id("431023");

  const Login before = server.login(kOperator2);
  auto moved = server.send(admin, "PATCH", path, {{"office_id", county}});
  REQUIRE_STATUS(moved, 200);
  BOOST_TEST(body_json(moved).at("office_id") == county);
  CHECK_ERROR(server.get(before, "/api/v1/session"), 401, "unauthenticated");
  const Login after = server.login(kOperator2);
  BOOST_TEST(after.user.at("office_id") == county);

  auto promoted = server.send(admin, "PATCH", path, {{"role", "supervisor"}});
  REQUIRE_STATUS(promoted, 200);
  CHECK_ERROR(server.get(after, "/api/v1/session"), 401, "unauthenticated");
  BOOST_TEST(server.login(kOperator2).user.at("role") == "supervisor");

  for (const char* role : {"system", "root", ""}) {
    BOOST_TEST_CONTEXT("role '" << role << "'") {
      auto r = server.send(admin, "PATCH", path, {{"role", role}});
      CHECK_ERROR(r, 422, "validation_failed");
      CHECK_NAMES_FIELD(r, "role");
    }
  }
  auto no_office = server.send(admin, "PATCH", path, {{"office_id", 999999}});
  CHECK_ERROR(no_office, 422, "validation_failed");
  CHECK_NAMES_FIELD(no_office, "office_id");
  auto wrong_type = server.send(admin, "PATCH", path, {{"disabled", "yes"}});
  CHECK_ERROR(wrong_type, 400, "bad_request");
  CHECK_NAMES_FIELD(wrong_type, "disabled");
  CHECK_ERROR(server.send(admin, "PATCH", "/api/v1/users/999999", {{"disabled", true}}), 404, "not_found");
  BOOST_TEST(server.login(kOperator2).user.at("role") == "supervisor");  // none of the refused changes applied
}

BOOST_AUTO_TEST_CASE(a_user_made_a_partner_must_belong_to_a_partner_organisation) {
  // Creating a partner user without an organisation is refused; changing a user into one must be too.
  std::int64_t op2_id = 0;
  for (const auto& u : require_items(server, admin, "/api/v1/users"))
    if (u.at("username") == "operator2") op2_id = u.at("id").get<std::int64_t>();
  BOOST_REQUIRE(op2_id > 0);
  auto created = server.send(admin, "POST", "/api/v1/users",
                             {{"username", "orphan"}, {"display_name", "无机构"}, {"password", "long-enough-pw"}, {"role", "partner"}});
  CHECK_ERROR(created, 422, "validation_failed");
  CHECK_NAMES_FIELD(created, "partner_id");

  auto changed = server.send(admin, "PATCH", "/api/v1/users/" + std::to_string(op2_id), {{"role", "partner"}});
  CHECK_ERROR(changed, 422, "validation_failed");
  CHECK_NAMES_FIELD(changed, "partner_id");
  BOOST_TEST(server.login(kOperator2).user.at("role") == "operator");
}

BOOST_AUTO_TEST_CASE(nobody_but_the_administrator_may_use_the_admin_endpoints) {
  const Login op = server.login(kOperator);
  const Login sup = server.login(kSupervisor);
  const Login police = server.login(kPolice);
  const auto county = office_id("431023");
  const Json office = {{"name", "越权妇联"}, {"region_code", "431099"}, {"parent_id", county}};
  const Json user = {{"username", "sneaky"}, {"display_name", "x"}, {"password", "long-enough-pw"}, {"role", "admin"}};
  for (const Login* who : {&op, &sup, &police}) {
    BOOST_TEST_CONTEXT(who->user.at("username")) {
      CHECK_ERROR(server.send(*who, "POST", "/api/v1/offices", office), 403, "forbidden");
      CHECK_ERROR(server.send(*who, "POST", "/api/v1/partners", new_partner()), 403, "forbidden");
      CHECK_ERROR(server.send(*who, "PATCH", "/api/v1/partners/1", {{"version", 1}, {"active", false}}), 403, "forbidden");
      CHECK_ERROR(server.send(*who, "POST", "/api/v1/users", user), 403, "forbidden");
      CHECK_ERROR(server.send(*who, "PATCH", "/api/v1/users/1", {{"role", "admin"}}), 403, "forbidden");
      CHECK_ERROR(server.get(*who, "/api/v1/config/deadlines"), 403, "forbidden");
      CHECK_ERROR(server.send(*who, "PUT", "/api/v1/config/deadlines", {{"acceptance_days", 1}}), 403, "forbidden");
    }
  }
  // Operators and partners may not list users; the supervisor gets only staff of the own subtree.
  CHECK_ERROR(server.get(op, "/api/v1/users"), 403, "forbidden");
  CHECK_ERROR(server.get(police, "/api/v1/users"), 403, "forbidden");
  for (const auto& u : require_items(server, sup, "/api/v1/users")) {
    BOOST_TEST(u.at("role") != "admin");
    BOOST_TEST(u.at("role") != "partner");
  }
  // Nothing was created or changed.
  BOOST_TEST(!has_office("431099"));
  CHECK_ERROR(server.login_raw("sneaky", "long-enough-pw"), 401, "unauthenticated");
  BOOST_CHECK_NO_THROW(server.login(kOperator));  // users/1 is still an operator and enabled
  BOOST_TEST(server.login(kOperator).user.at("role") == "operator");
  CHECK_STATUS(server.get(admin, "/api/v1/config/deadlines"), 200);
  BOOST_TEST(body_json(server.get(admin, "/api/v1/config/deadlines")).at("deadlines").at("acceptance_days") == 15);
}

BOOST_AUTO_TEST_CASE(changing_the_acceptance_deadline_applies_to_new_cases) {
  // Deadlines count from the day a case is received: one day for the whole test, wherever the test
  // clock puts it (HOTLINE_TEST_NOW=…T23:59:50+08:00 would otherwise cross midnight midway).
  server.freeze_clock();
  auto r = server.get(admin, "/api/v1/config/deadlines");
  REQUIRE_STATUS(r, 200);
  const Json initial = body_json(r).at("deadlines");
  BOOST_TEST(initial.at("acceptance_days").is_number_integer());
  const int days = initial.at("acceptance_days").get<int>();

  const Login op = server.login(kOperator);
  const auto before = require_open_case(server, op);
  BOOST_TEST(acceptance_due_date(require_case(server, op, before)) == server.date(days));

  const int changed = days == 3 ? 4 : 3;
  auto put = server.send(admin, "PUT", "/api/v1/config/deadlines", {{"acceptance_days", changed}});
  REQUIRE_STATUS(put, 200);
  BOOST_TEST(body_json(put).at("deadlines").at("acceptance_days") == changed);
  const Json now = body_json(server.get(admin, "/api/v1/config/deadlines")).at("deadlines");
  BOOST_TEST(now.at("acceptance_days") == changed);
  BOOST_TEST(now.at("handling_days") == initial.at("handling_days"));  // untouched keys keep their values

  const auto after = require_open_case(server, op);
  BOOST_TEST(acceptance_due_date(require_case(server, op, after)) == server.date(changed));
  // A case opened earlier keeps its deadline.
  BOOST_TEST(acceptance_due_date(require_case(server, op, before)) == server.date(days));

  auto zero = server.send(admin, "PUT", "/api/v1/config/deadlines", {{"acceptance_days", 0}});
  CHECK_ERROR(zero, 422, "validation_failed");
  CHECK_NAMES_FIELD(zero, "acceptance_days");
  auto text = server.send(admin, "PUT", "/api/v1/config/deadlines", {{"acceptance_days", "soon"}});
  CHECK_ERROR(text, 400, "bad_request");
  CHECK_NAMES_FIELD(text, "acceptance_days");
  BOOST_TEST(body_json(server.get(admin, "/api/v1/config/deadlines")).at("deadlines").at("acceptance_days") == changed);
}

// #15 point 7: the number an office answers, set by an administrator, reaches a partner handling its
// referral (the case's office.phone); refusals.
BOOST_AUTO_TEST_CASE(an_office_phone_is_set_by_the_administrator_and_shown_to_the_partner) {
  const auto county = office_id("431023");
  const std::string path = "/api/v1/offices/" + std::to_string(county);
  auto bad = server.send(admin, "PATCH", path, {{"phone", "call me"}});
  CHECK_ERROR(bad, 422, "validation_failed");
  CHECK_NAMES_FIELD(bad, "phone");
  CHECK_ERROR(server.send(admin, "PATCH", path, {{"phone", 7355}}), 400, "bad_request");
  CHECK_ERROR(server.send(admin, "PATCH", "/api/v1/offices/999999", {{"phone", "12338"}}), 404, "not_found");
  const Login op = server.login(kOperator);
  CHECK_ERROR(server.send(op, "PATCH", path, {{"phone", "12338"}}), 403, "forbidden");
  auto set = server.send(admin, "PATCH", path, {{"phone", "0735-5520000"}});
  REQUIRE_STATUS(set, 200);
  BOOST_TEST(body_json(set).at("phone") == "0735-5520000");
  // A case of that office referred to the police: the police user sees the number with the office.
  const Login police = server.login(kPolice);
  const auto id = require_open_case(server, op);
  require_transition(server, op, id, "accept", notice_data());
  require_transition(server, op, id, "refer", refer_data(require_police_partner(server, op, police), true));
  const Json seen = require_case(server, police, id);
  BOOST_TEST(seen.at("office").at("phone") == "0735-5520000");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(partner_directory_import)

BOOST_AUTO_TEST_CASE(an_admin_imports_a_csv_and_sees_each_rejected_line) {
  ServerProcess server;
  const auto admin = server.login(kAdmin);
  const auto op = server.login(kOperator);
  const std::string csv = "名称,类型,辖区,服务\n桂阳县人民法院,法院,431021,保护令\n,公安,431021,出警处置\n";
  auto r = server.send_text(admin, "POST", "/api/v1/partners/import", csv);
  REQUIRE_STATUS(r, 200);
  const auto body = Json::parse(r.body);
  BOOST_TEST(body.at("imported") == 1);
  BOOST_REQUIRE(body.at("rejected").size() == 1u);
  BOOST_TEST(body.at("rejected")[0].at("line") == 3);
  BOOST_TEST(server.get(op, "/api/v1/partners?type=court").body.find("桂阳县人民法院") != std::string::npos);
  auto again = server.send_text(admin, "POST", "/api/v1/partners/import", csv);
  REQUIRE_STATUS(again, 200);
  BOOST_TEST(Json::parse(again.body).at("imported") == 0);
  BOOST_TEST(Json::parse(again.body).at("updated") == 1);
  // ?active=: administrators list the inactive ones too; a wrong value is 422.
  const auto all = Json::parse(server.get(admin, "/api/v1/partners").body).at("items").size();
  const auto active = Json::parse(server.get(admin, "/api/v1/partners?active=true").body).at("items").size();
  const auto inactive = Json::parse(server.get(admin, "/api/v1/partners?active=false").body).at("items");
  BOOST_TEST(all == active + inactive.size());
  for (const auto& p : inactive) BOOST_TEST(p.at("active") == false);
  BOOST_TEST(server.get(admin, "/api/v1/partners?active=maybe").status == 422u);
  BOOST_TEST(server.send_text(op, "POST", "/api/v1/partners/import", csv).status == 403u);
  BOOST_TEST(server.send_text(admin, "POST", "/api/v1/partners/import", "电话\n110\n").status == 422u);
}

BOOST_AUTO_TEST_SUITE_END()
