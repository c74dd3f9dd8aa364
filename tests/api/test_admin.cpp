// Administration by the system administrator: offices, partners and deadline configuration; and
// that nobody else may use these endpoints. Accounts and their approval: test_accounts.cpp.
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

BOOST_AUTO_TEST_CASE(nobody_but_the_administrator_may_use_the_admin_endpoints) {
  const Login op = server.login(kOperator);
  const Login sup = server.login(kSupervisor);
  const Login police = server.login(kPolice);
  const auto county = office_id("431023");
  const Json office = {{"name", "越权妇联"}, {"region_code", "431099"}, {"parent_id", county}};
  const Json user = {{"username", "sneaky"}, {"display_name", "x"}, {"password", "long-enough-pw"}, {"role", "sysadmin"}};
  // The security administrator and the auditor have none of the system administrator's duties.
  const Login sec = server.login(kSecAdmin);
  const Login auditor = server.login(kAuditor);
  for (const Login* who : {&op, &sup, &police, &sec, &auditor}) {
    BOOST_TEST_CONTEXT(who->user.at("username")) {
      CHECK_ERROR(server.send(*who, "POST", "/api/v1/offices", office), 403, "forbidden");
      CHECK_ERROR(server.send(*who, "POST", "/api/v1/partners", new_partner()), 403, "forbidden");
      CHECK_ERROR(server.send(*who, "PATCH", "/api/v1/partners/1", {{"version", 1}, {"active", false}}), 403, "forbidden");
      CHECK_ERROR(server.send(*who, "POST", "/api/v1/users", user), 403, "forbidden");
      CHECK_ERROR(server.send(*who, "PATCH", "/api/v1/users/1", {{"display_name", "改名"}}), 403, "forbidden");
      CHECK_ERROR(server.get(*who, "/api/v1/config/deadlines"), 403, "forbidden");
      CHECK_ERROR(server.send(*who, "PUT", "/api/v1/config/deadlines", {{"acceptance_days", 1}}), 403, "forbidden");
    }
  }
  // Operators and partners may not list users; the supervisor gets only staff of the own subtree.
  CHECK_ERROR(server.get(op, "/api/v1/users"), 403, "forbidden");
  CHECK_ERROR(server.get(police, "/api/v1/users"), 403, "forbidden");
  for (const auto& u : require_items(server, sup, "/api/v1/users")) {
    BOOST_TEST((u.at("role") == "operator" || u.at("role") == "supervisor"));
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
