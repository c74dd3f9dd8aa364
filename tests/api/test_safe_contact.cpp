// Issue #15 point 1: a victim's safe-contact rules (may we call back, when, what to say) travel with her
// phone number. Whoever is shown the number in full — staff, a partner whose referral has consent — is
// shown the rules beside it; a partner without consent gets the number masked and no rules at all.
#include <boost/test/unit_test.hpp>
#include <string>

#include "api/case_helpers.hpp"
#include "api/server_process.hpp"
#include "web/http_client.hpp"

using namespace hl::apitest;

namespace {

constexpr const char* kTimes = "工作日上午9-11点";
constexpr const char* kNote = "自称快递,不提妇联";

struct SafeContactFixture {
  ServerProcess server;
  Login op = server.login(kOperator);
  Login sup = server.login(kSupervisor);
  Login police = server.login(kPolice);

  // A case recorded with 可以回拨 = 不可以 and the rules, accepted and referred to the police partner.
  std::int64_t referred_case(bool consent) const {
    Json intake = open_case_intake("13800138000");
    intake["complainant"]["safe_contact"] = {{"ok_to_call", false}, {"safe_times", kTimes}, {"note", kNote}};
    auto r = server.send(op, "POST", "/api/v1/intakes", intake);
    REQUIRE_STATUS(r, 201);
    const auto id = body_json(r).at("case").at("id").get<std::int64_t>();
    require_transition(server, op, id, "accept", notice_data());
    const auto partner = require_police_partner(server, op, police);
    require_transition(server, op, id, "refer",
                       consent ? refer_data(partner, true) : refer_data(partner, false, "当事人处于危险中，无法当面征得同意"));
    return id;
  }
};

const Json& complainant(const Json& c) {
  for (const auto& p : c.at("persons"))
    if (p.at("role") == "complainant") return p;
  BOOST_FAIL("no complainant in " << c.dump());
  return c;  // not reached
}

void check_rules_beside_the_number(const Json& c) {
  const Json& p = complainant(c);
  BOOST_TEST(p.at("phone") == "13800138000");
  BOOST_REQUIRE_MESSAGE(p.contains("safe_contact"), "no safe_contact beside the full number: " << p.dump());
  BOOST_TEST(p.at("safe_contact").at("ok_to_call") == false);
  BOOST_TEST(p.at("safe_contact").at("safe_times") == kTimes);
  BOOST_TEST(p.at("safe_contact").at("note") == kNote);
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(safe_contact_travels_with_the_number, SafeContactFixture)

BOOST_AUTO_TEST_CASE(a_partner_with_consent_sees_the_rules_beside_the_full_number) {
  const auto id = referred_case(true);
  const Json seen = require_case(server, police, id);
  check_rules_beside_the_number(seen);
  // Still the partner view: the office's own fields stay out.
  BOOST_TEST(!complainant(seen).contains("region_code"));
  BOOST_TEST(!complainant(seen).contains("has_id_number"));
  BOOST_TEST(!seen.contains("risk_level"));
}

BOOST_AUTO_TEST_CASE(a_partner_without_consent_sees_neither_the_number_nor_the_rules) {
  const auto id = referred_case(false);
  auto r = server.get(police, case_path(id));
  REQUIRE_STATUS(r, 200);
  const Json seen = body_json(r);
  const Json& p = complainant(seen);
  BOOST_TEST(p.at("phone") == "138****8000");
  BOOST_TEST(!p.contains("safe_contact"));
  for (const char* secret : {"13800138000", kTimes, kNote}) {
    BOOST_TEST_INFO(secret);
    BOOST_TEST(r.body.find(secret) == std::string::npos);
  }
  BOOST_TEST(r.body.find("ok_to_call") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(staff_see_the_rules_as_before) {
  for (bool consent : {true, false}) {
    const auto id = referred_case(consent);
    check_rules_beside_the_number(require_case(server, op, id));
    check_rules_beside_the_number(require_case(server, sup, id));
  }
}

BOOST_AUTO_TEST_SUITE_END()
