// Who sees which case: office subtrees for staff, referrals for partners, nothing for
// administrators. Out-of-scope and nonexistent cases answer the same 404.
#include <boost/test/unit_test.hpp>
#include <set>
#include <string>
#include <vector>

#include "api/case_helpers.hpp"
#include "api/server_process.hpp"
#include "core/local_time.hpp"
#include "web/http_client.hpp"

using namespace hl::apitest;

namespace {

struct Offices {
  ServerProcess server;
  Login op = server.login(kOperator);
  Login op2 = server.login(kOperator2);
  Login sup = server.login(kSupervisor);
};

std::set<std::int64_t> listed_ids(const ServerProcess& server, const Login& who) {
  std::set<std::int64_t> out;
  for (const auto& c : require_items(server, who, "/api/v1/cases?limit=200")) out.insert(c.at("id").get<std::int64_t>());
  return out;
}

// Every way to reach one case, each expected to be refused as not found.
void check_all_routes_404(const ServerProcess& server, const Login& who, const std::string& id_text, std::int64_t version) {
  const std::string base = "/api/v1/cases/" + id_text;
  BOOST_TEST_CONTEXT(who.user.at("username").get<std::string>() << " on " << base) {
    CHECK_ERROR(server.get(who, base), 404, "not_found");
    CHECK_ERROR(server.get(who, base + "/timeline"), 404, "not_found");
    CHECK_ERROR(server.send(who, "PATCH", base, {{"version", version}, {"summary", "越权修改"}}), 404, "not_found");
    CHECK_ERROR(server.send(who, "POST", base + "/transitions", {{"event", "accept"}, {"version", version}}), 404, "not_found");
    CHECK_ERROR(server.send(who, "POST", base + "/notes", {{"text", "越权备注"}}), 404, "not_found");
  }
}

// The list's per-status counts add up to exactly the cases the caller may list: counts leak nothing.
void check_counts_match_listing(const ServerProcess& server, const Login& who) {
  auto r = server.get(who, "/api/v1/cases?limit=200");
  REQUIRE_STATUS(r, 200);
  const Json j = body_json(r);
  BOOST_REQUIRE(j.at("next_cursor").is_null());  // the demo data fits in one page
  std::int64_t total = 0;
  for (const auto& [status, n] : j.at("counts").items()) total += n.get<std::int64_t>();
  BOOST_TEST_CONTEXT(who.user.at("username")) { BOOST_TEST(total == static_cast<std::int64_t>(j.at("items").size())); }
}

std::string phone_of(const Json& c, const std::string& role) {
  for (const auto& p : c.at("persons"))
    if (p.at("role") == role) return p.at("phone").is_string() ? p.at("phone").get<std::string>() : std::string("<null>");
  return "<no " + role + ">";
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(scope, Offices)

BOOST_AUTO_TEST_CASE(another_countys_operator_gets_404_everywhere_and_changes_nothing) {
  const auto id = require_open_case(server, op, "13800138000");
  const Json before = require_case(server, op, id);
  check_all_routes_404(server, op2, std::to_string(id), before.at("version").get<std::int64_t>());
  BOOST_TEST(!listed_ids(server, op2).contains(id));
  // The same answer as for a case that does not exist.
  auto foreign = server.get(op2, case_path(id));
  auto missing = server.get(op2, case_path(99999999));
  BOOST_TEST(foreign.body == missing.body);

  const Json after = require_case(server, op, id);
  BOOST_TEST(after.at("version") == before.at("version"));
  BOOST_TEST(after.at("summary") == before.at("summary"));
  BOOST_TEST(after.at("status") == "registered");
  for (const auto& item : require_items(server, op, case_path(id, "/timeline"))) BOOST_TEST(item.at("kind") != "note");

  // And the other way round: the operator's list holds only the own county's cases.
  const auto own_office = op.user.at("office_id");
  for (const auto& c : require_items(server, op, "/api/v1/cases?limit=200")) BOOST_TEST(c.at("office_id") == own_office);
  const auto op2_cases = require_items(server, op2, "/api/v1/cases?limit=200");
  BOOST_REQUIRE(!op2_cases.empty());  // the demo data has cases in 桂阳县
  const auto their_case = op2_cases.at(0).at("id").get<std::int64_t>();
  check_all_routes_404(server, op, std::to_string(their_case), op2_cases.at(0).at("version").get<std::int64_t>());
  check_counts_match_listing(server, op);
  check_counts_match_listing(server, op2);
  check_counts_match_listing(server, sup);
}

BOOST_AUTO_TEST_CASE(the_city_supervisor_sees_both_counties) {
  const auto id = require_open_case(server, op);
  const Json c = require_case(server, sup, id);
  BOOST_TEST(c.at("id") == id);
  CHECK_STATUS(server.get(sup, case_path(id, "/timeline")), 200);
  const auto all = listed_ids(server, sup);
  BOOST_TEST(all.contains(id));
  for (auto other : listed_ids(server, op2)) BOOST_TEST(all.contains(other));
  for (auto own : listed_ids(server, op)) BOOST_TEST(all.contains(own));
  // The supervisor can work the case too.
  CHECK_STATUS(server.send(sup, "POST", case_path(id, "/notes"), {{"text", "请尽快受理"}}), 201);
}

BOOST_AUTO_TEST_CASE(a_police_partner_sees_a_case_only_once_it_is_referred_and_phones_masked_without_consent) {
  const Login police = server.login(kPolice);
  const Login court = server.login(kCourt);
  const auto partner = require_police_partner(server, op, police);
  const auto id = require_open_case(server, op, "13800138000");
  require_transition(server, op, id, "accept", notice_data());

  // Before the referral: not found, not listed.
  CHECK_ERROR(server.get(police, case_path(id)), 404, "not_found");
  CHECK_ERROR(server.get(police, case_path(id, "/timeline")), 404, "not_found");
  BOOST_TEST(!listed_ids(server, police).contains(id));

  // Referred without the person's consent (override): the police see the case, the number masked.
  require_transition(server, op, id, "refer", refer_data(partner, false, "当事人处于危险中，无法当面征得同意"));
  auto r = server.get(police, case_path(id));
  REQUIRE_STATUS(r, 200);
  const Json seen = body_json(r);
  BOOST_TEST(seen.at("status") == "referred");
  BOOST_TEST(phone_of(seen, "complainant") == "138****8000");
  BOOST_TEST(r.body.find("13800138000") == std::string::npos);
  // The partner view leaves out the office's own closure fields.
  BOOST_TEST(!seen.contains("decline_reason"));
  BOOST_TEST(!seen.contains("losses_avoided_fen"));
  BOOST_TEST(listed_ids(server, police).contains(id));
  check_counts_match_listing(server, police);
  check_counts_match_listing(server, court);
  auto timeline = server.get(police, case_path(id, "/timeline"));
  CHECK_STATUS(timeline, 200);
  BOOST_TEST(timeline.body.find("13800138000") == std::string::npos);

  // The partner's timeline leaves out the office's contacts and staff notes, and other partners' referrals.
  CHECK_STATUS(server.send(op, "POST", case_path(id, "/notes"), {{"text", "内部备注：当事人不愿公开住址"}}), 201);
  for (const auto& item : require_items(server, police, case_path(id, "/timeline"))) {
    BOOST_TEST(item.at("kind") != "contact");
    if (item.at("kind") == "note") BOOST_TEST(item.at("text") != "内部备注：当事人不愿公开住址");
    if (item.at("kind") == "referral") BOOST_TEST(item.at("partner_id") == std::to_string(partner));
  }
  // A partner may report progress as a note, which the office then sees.
  auto report = server.send(police, "POST", case_path(id, "/notes"), {{"text", "已出警，向施暴人出具告诫书"}});
  CHECK_STATUS(report, 201);
  bool office_sees_it = false;
  for (const auto& item : require_items(server, op, case_path(id, "/timeline")))
    office_sees_it = office_sees_it || (item.at("kind") == "note" && item.at("text") == "已出警，向施暴人出具告诫书");
  BOOST_TEST(office_sees_it);

  // Another partner organisation (the court) still gets 404.
  CHECK_ERROR(server.get(court, case_path(id)), 404, "not_found");
  CHECK_ERROR(server.get(court, case_path(id, "/timeline")), 404, "not_found");
  BOOST_TEST(!listed_ids(server, court).contains(id));
  CHECK_ERROR(server.send(court, "POST", case_path(id, "/notes"), {{"text", "越权备注"}}), 404, "not_found");

  // Partners do not edit cases or run the office's workflow.
  const auto v = seen.at("version").get<std::int64_t>();
  auto patch = server.send(police, "PATCH", case_path(id), {{"version", v}, {"summary", "partner edit"}});
  BOOST_CHECK_MESSAGE(patch.status == 403 || patch.status == 404, describe(patch));
  auto step = transition(server, police, id, "accept", v, notice_data());
  BOOST_CHECK_MESSAGE(step.status == 403 || step.status == 404, describe(step));
  BOOST_TEST(require_case(server, op, id).at("version") == v);
  // Nor do they look callers up.
  CHECK_ERROR(server.get(police, "/api/v1/callers/lookup?phone=13800138000"), 403, "forbidden");
}

BOOST_AUTO_TEST_CASE(with_consent_the_partner_sees_the_full_number) {
  const Login police = server.login(kPolice);
  const auto partner = require_police_partner(server, op, police);
  const auto id = require_open_case(server, op, "13800138000");
  require_transition(server, op, id, "accept", notice_data());
  require_transition(server, op, id, "refer", refer_data(partner, true));
  BOOST_TEST(phone_of(require_case(server, police, id), "complainant") == "13800138000");
  // Staff always see it.
  BOOST_TEST(phone_of(require_case(server, op, id), "complainant") == "13800138000");
  BOOST_TEST(phone_of(require_case(server, sup, id), "complainant") == "13800138000");
}

BOOST_AUTO_TEST_CASE(an_administrator_sees_no_case_content) {
  const Login admin = server.login(kAdmin);
  const auto id = require_open_case(server, op, "13800138000");
  CHECK_ERROR(server.get(admin, "/api/v1/cases"), 403, "forbidden");
  // A single case answers as if it did not exist, like any case outside one's scope.
  auto one = server.get(admin, case_path(id));
  CHECK_ERROR(one, 404, "not_found");
  BOOST_TEST(one.body.find("13800138000") == std::string::npos);
  BOOST_TEST(one.body.find("酒后") == std::string::npos);
  auto timeline = server.get(admin, case_path(id, "/timeline"));
  BOOST_CHECK_MESSAGE(timeline.status == 403 || timeline.status == 404, describe(timeline));
  BOOST_TEST(timeline.body.find("酒后") == std::string::npos);
  auto patch = server.send(admin, "PATCH", case_path(id), {{"version", 1}, {"summary", "admin edit"}});
  BOOST_CHECK_MESSAGE(patch.status == 403 || patch.status == 404, describe(patch));
  CHECK_ERROR(server.get(admin, "/api/v1/callers/lookup?phone=13800138000"), 403, "forbidden");
  CHECK_ERROR(server.send(admin, "POST", "/api/v1/intakes", {{"channel", "hotline"}, {"call_type", "silent"}}), 403,
              "forbidden");
}

BOOST_AUTO_TEST_CASE(ids_that_do_not_exist_or_are_not_numbers_are_404) {
  for (const char* id : {"99999999", "0", "-1", "abc", "1.5", "1e3", "0x10", "99999999999999999999999", "%20"}) {
    check_all_routes_404(server, op, id, 1);
  }
  // The same for every role that may read cases.
  CHECK_ERROR(server.get(sup, case_path(99999999)), 404, "not_found");
  CHECK_ERROR(server.get(server.login(kPolice), case_path(99999999)), 404, "not_found");
}


// Every route addressing an object by its own id (not the case's) answers another office's object
// byte for byte like a missing one: "no such case" for one and "no such X" for the other told
// another office's staff which ids exist.
BOOST_AUTO_TEST_CASE(another_offices_objects_answer_exactly_like_missing_ones) {
  const auto id = require_open_case(server, op, "13800138000");
  require_transition(server, op, id, "accept", notice_data());
  const auto now = hl::format_iso8601(server.now_ms() / 1000 * 1000);
  std::int64_t shelter = 0;
  for (const auto& p : require_items(server, op, "/api/v1/partners?type=civil_affairs"))
    if (p.at("active").get<bool>()) shelter = p.at("id").get<std::int64_t>();
  auto stay = server.send(op, "POST", case_path(id, "/shelter-stays"), {{"partner_id", shelter}, {"from", now}});
  REQUIRE_STATUS(stay, 201);
  auto session = server.send(op, "POST", case_path(id, "/mediations"),
                             {{"mediator", "王调解员"}, {"scheduled_at", now}, {"place", "调解室"}});
  REQUIRE_STATUS(session, 201);
  auto attachment = hl::test::request(server.port(), "POST", case_path(id, "/attachments"), "验伤记录",
                                      {{"Cookie", "hl_session=" + op.token}, {"X-CSRF-Token", op.csrf},
                                       {"Content-Type", "text/plain"}, {"X-Filename", "note.txt"}});
  REQUIRE_STATUS(attachment, 201);
  const auto id_of = [](const HttpClientResponse& r) { return std::to_string(body_json(r).at("id").get<std::int64_t>()); };

  struct Probe {
    const char* method;
    std::string path;  // {id}: the object's id
    Json body;
    std::string id;
  };
  const std::vector<Probe> probes = {
      {"POST", "/api/v1/shelter-stays/{id}/end", {{"to", now}}, id_of(stay)},
      {"POST", "/api/v1/mediations/{id}/result", {{"result", "failed"}, {"version", 1}}, id_of(session)},
      {"GET", "/api/v1/attachments/{id}", nullptr, id_of(attachment)},
  };
  for (const auto& p : probes) {
    auto at = [&](const std::string& object) {
      std::string path = p.path;
      path.replace(path.find("{id}"), 4, object);
      return std::string(p.method) == "GET" ? server.get(op2, path) : server.send(op2, p.method, path, p.body);
    };
    const auto foreign = at(p.id);
    const auto missing = at("99999999");
    BOOST_TEST_CONTEXT(p.path) {
      CHECK_ERROR(foreign, 404, "not_found");
      BOOST_TEST(foreign.body == missing.body);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
