// The case list's one search box (GET /api/v1/cases?q=, issue #15): a phone number however typed, an
// ID number, a case number or its tail, or words — within the same scope as every other list: another
// office's case is never found, a partner finds only the cases of its live referrals. And the
// screen-pop's history (GET /api/v1/callers/lookup): the earlier contacts themselves and the name.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "api/case_helpers.hpp"
#include "api/server_process.hpp"
#include "web/http_client.hpp"

using namespace hl::apitest;

namespace {

using Ids = std::vector<std::int64_t>;

struct Search {
  ServerProcess server;
  Login op = server.login(kOperator);
  Login op2 = server.login(kOperator2);
  Login sup = server.login(kSupervisor);

  Ids found(const Login& who, const std::string& q) const {
    Ids out;
    for (const auto& c : require_items(server, who, "/api/v1/cases?limit=200&q=" + url_encode(q)))
      out.push_back(c.at("id").get<std::int64_t>());
    return out;
  }

  // A case opened with this complainant phone and ID number (empty: none).
  Json open(const Login& who, const std::string& phone, const std::string& id_number = "",
            const std::string& summary = "丈夫酒后殴打，求助") const {
    Json body = open_case_intake(phone, summary);
    if (!id_number.empty()) body["complainant"]["id_number"] = id_number;
    auto r = server.send(who, "POST", "/api/v1/intakes", body);
    REQUIRE_STATUS(r, 201);
    return body_json(r).at("case");
  }
};

std::int64_t id_of(const Json& c) { return c.at("id").get<std::int64_t>(); }

}  // namespace

BOOST_FIXTURE_TEST_SUITE(case_search, Search)

BOOST_AUTO_TEST_CASE(one_box_finds_a_case_by_phone_id_number_case_number_and_text) {
  const Json mine = open(op, "13677770001", "43102319900101003X", "检索测试专用摘要甲");
  const Json landline = open(op, "0735-5223344");
  const Json theirs = open(op2, "13677770001", "43102319900101003X");
  const std::string no = mine.at("case_no");  // 431023-YYYY-NNNNNN
  BOOST_REQUIRE_EQUAL(no.size(), 18u);

  for (const char* phone : {"13677770001", "136 7777 0001", "+86 136-7777-0001", "(+86)13677770001"})
    BOOST_TEST(found(op, phone) == Ids{id_of(mine)}, phone);
  BOOST_TEST(found(op, "0735 522 3344") == Ids{id_of(landline)});
  BOOST_TEST(found(op, "43102319900101003x") == Ids{id_of(mine)});
  BOOST_TEST(found(op, no) == Ids{id_of(mine)});
  BOOST_TEST(found(op, no.substr(7)) == Ids{id_of(mine)});   // 2026-000242
  // 000242: the serial alone, in any year (the demo data may hold an earlier year's case with it).
  const Ids by_serial = found(op, no.substr(12));
  BOOST_TEST(std::count(by_serial.begin(), by_serial.end(), id_of(mine)) == 1);
  for (auto id : by_serial) BOOST_TEST(require_case(server, op, id).at("case_no").get<std::string>().ends_with(no.substr(11)));
  BOOST_TEST(found(op, "测试专用摘要甲") == Ids{id_of(mine)});
  BOOST_TEST(found(op, "13677770009").empty());

  // Another county's operator never finds it, by any of its numbers; her own case, yes.
  BOOST_TEST(found(op2, "13677770001") == Ids{id_of(theirs)});
  BOOST_TEST(found(op2, "43102319900101003X") == Ids{id_of(theirs)});
  BOOST_TEST(found(op2, no).empty());
  BOOST_TEST(found(op2, "测试专用摘要甲").empty());
  // The city supervisor sees both counties.
  BOOST_TEST(found(sup, "13677770001") == (Ids{id_of(theirs), id_of(mine)}));

  // A number search answers with exact counts, and the list stays one page of summaries.
  auto r = server.get(op, "/api/v1/cases?q=" + url_encode("136 7777 0001"));
  REQUIRE_STATUS(r, 200);
  const Json page = body_json(r);
  BOOST_TEST(page.at("counts_exact") == true);
  BOOST_TEST(page.at("counts") == (Json{{"registered", 1}}));
}

BOOST_AUTO_TEST_CASE(a_partner_finds_only_the_cases_of_its_live_referrals) {
  const Login police = server.login(kPolice);
  const auto partner = require_police_partner(server, op, police);
  const Json referred = open(op, "13677770002");
  const Json kept = open(op, "13677770002");
  const std::string referred_no = referred.at("case_no"), kept_no = kept.at("case_no");
  BOOST_TEST(found(police, "13677770002").empty());

  require_transition(server, op, id_of(referred), "accept", notice_data());
  require_transition(server, op, id_of(referred), "refer", refer_data(partner, true));
  BOOST_TEST(found(police, "13677770002") == Ids{id_of(referred)});
  BOOST_TEST(found(police, referred_no) == Ids{id_of(referred)});
  BOOST_TEST(found(police, kept_no).empty());
  const Ids by_serial = found(police, kept_no.substr(12));
  BOOST_TEST(std::count(by_serial.begin(), by_serial.end(), id_of(kept)) == 0);

  // Once the office withdraws the referral the partner finds nothing any more.
  const Json ref = require_items(server, op, "/api/v1/referrals?case_id=" + std::to_string(id_of(referred))).at(0);
  auto w = server.send(op, "POST", "/api/v1/referrals/" + std::to_string(ref.at("id").get<std::int64_t>()) + "/respond",
                       {{"action", "withdraw"}, {"version", ref.at("version")}, {"note", "当事人已搬离"}});
  REQUIRE_STATUS(w, 200);
  BOOST_TEST(found(police, "13677770002").empty());
  BOOST_TEST(found(police, referred_no).empty());
}

BOOST_AUTO_TEST_CASE(the_screen_pop_lists_earlier_contacts_with_outcomes_and_the_callers_name) {
  const Json first = open(op, "13677770003", "", "丈夫酒后殴打，求助");
  // A consultation answered on the spot, later, from the same number.
  Json consult = open_case_intake("13677770003", "咨询离婚财产分割");
  consult["call_type"] = "consultation";
  consult["resolution"] = "answered";
  consult["answer"] = "告知可向法院起诉离婚";
  consult["consultation_kind"] = "legal";
  consult.erase("category");
  auto r = server.send(op, "POST", "/api/v1/intakes", consult);
  REQUIRE_STATUS(r, 201);
  // The other county's call from the same number stays out of this county's screen-pop.
  open(op2, "13677770003", "", "另一县的来电");

  auto look = server.get(op, "/api/v1/callers/lookup?phone=" + url_encode("136-7777-0003"));
  REQUIRE_STATUS(look, 200);
  const Json j = body_json(look);
  BOOST_TEST(j.at("prior_contacts") == 2);
  BOOST_TEST(j.at("caller_name") == "王桂兰");
  const Json& contacts = j.at("contacts");
  BOOST_REQUIRE_EQUAL(contacts.size(), 2u);
  BOOST_TEST(contacts[0].at("summary") == "咨询离婚财产分割");
  BOOST_TEST(contacts[0].at("resolution") == "answered");
  BOOST_TEST(contacts[0].at("answer") == "告知可向法院起诉离婚");
  BOOST_TEST(contacts[0].at("case").is_null());
  BOOST_TEST(contacts[1].at("summary") == "丈夫酒后殴打，求助");
  BOOST_TEST(contacts[1].at("resolution") == "open_case");
  BOOST_TEST(contacts[1].at("case").at("id") == id_of(first));
  BOOST_TEST(contacts[1].at("case").at("case_no") == first.at("case_no"));
  BOOST_TEST(contacts[1].at("case").at("status") == "registered");
  BOOST_TEST(contacts[1].at("case").at("outcome").is_null());
  BOOST_TEST(contacts[1].at("channel") == "hotline");
  BOOST_TEST(contacts[1].at("received_at").is_string());

  // The other county sees only its own call.
  auto other = server.get(op2, "/api/v1/callers/lookup?phone=13677770003");
  REQUIRE_STATUS(other, 200);
  BOOST_TEST(body_json(other).at("contacts").size() == 1u);
  BOOST_TEST(body_json(other).at("contacts")[0].at("summary") == "另一县的来电");
  // A number never heard: no history, no name.
  auto none = server.get(op, "/api/v1/callers/lookup?phone=13677770099");
  REQUIRE_STATUS(none, 200);
  BOOST_TEST(body_json(none).at("contacts").empty());
  BOOST_TEST(body_json(none).at("caller_name") == "");
}

BOOST_AUTO_TEST_SUITE_END()
