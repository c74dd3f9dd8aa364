// Issue #13 over HTTP: the consultation kind (#14), repeat contacts (重复访) linked instead of opened,
// group visits (集体访), level-skipping contacts (越级访) and the screen-pop's repeat candidates.
#include <boost/test/unit_test.hpp>

#include <string>

#include "api/case_helpers.hpp"
#include "api/server_process.hpp"
#include "core/local_time.hpp"

using namespace hl::apitest;

namespace {

constexpr hl::TimeMs kDay = 86'400'000;

Json consultation(const std::string& phone, const std::string& kind = "legal") {
  return {{"channel", "hotline"},
          {"call_type", "consultation"},
          {"complainant", {{"name", "刘秀英"}, {"phone", phone}}},
          {"summary", "咨询彩礼返还"},
          {"resolution", "answered"},
          {"answer", "已告知彩礼返还的法定情形"},
          {"consultation_kind", kind}};
}

HttpClientResponse post(const ServerProcess& s, const Login& who, const Json& body) {
  return s.send(who, "POST", "/api/v1/intakes", body);
}

std::int64_t total_cases(const ServerProcess& s, const Login& who) {
  auto r = s.get(who, "/api/v1/cases?limit=1");
  REQUIRE_STATUS(r, 200);
  std::int64_t n = 0;
  for (const auto& [status, count] : body_json(r).at("counts").items()) n += count.get<std::int64_t>();
  return n;
}

std::int64_t office_id(const ServerProcess& s, const Login& who, const std::string& name) {
  auto r = s.get(who, "/api/v1/offices?scope=own");
  REQUIRE_STATUS(r, 200);
  const Json offices = body_json(r);  // kept: a range-for over a temporary's member would dangle
  for (const auto& o : offices.at("items"))
    if (o.at("name") == name) return o.at("id").get<std::int64_t>();
  BOOST_FAIL("no office " << name);
  return 0;
}

Json timeline_contact(const ServerProcess& s, const Login& who, std::int64_t case_id, std::int64_t contact_id) {
  auto r = s.get(who, case_path(case_id, "/timeline"));
  REQUIRE_STATUS(r, 200);
  const Json timeline = body_json(r);
  for (const auto& t : timeline.at("items"))
    if (t.at("kind") == "contact" && t.at("id").get<std::int64_t>() == contact_id) return t;
  return nullptr;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(intake_repeat)

BOOST_AUTO_TEST_CASE(consultation_kind_is_required_when_answered_and_refused_otherwise) {
  ServerProcess server;
  const Login op = server.login(kOperator);
  Json missing = consultation("13911112222");
  missing.erase("consultation_kind");
  auto r = post(server, op, missing);
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "consultation_kind");
  CHECK_ERROR(post(server, op, consultation("13911112222", "medical")), 422, "validation_failed");
  Json on_a_case = open_case_intake("13911112222");
  on_a_case["consultation_kind"] = "legal";
  r = post(server, op, on_a_case);
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "consultation_kind");
  Json wrong_type = consultation("13911112222");
  wrong_type["consultation_kind"] = 3;
  CHECK_ERROR(post(server, op, wrong_type), 400, "bad_request");
  for (const char* kind : {"legal", "marriage_family", "psychological", "other"})
    REQUIRE_STATUS(post(server, op, consultation("13911112222", kind)), 201);
}

BOOST_AUTO_TEST_CASE(a_repeat_is_linked_to_its_case_and_opens_none) {
  ServerProcess server;
  const Login op = server.login(kOperator);
  const auto case_id = require_open_case(server, op, "13922223333");
  const auto before = total_cases(server, op);
  Json again = open_case_intake("13922223333", "再次来访，询问处理进展");
  again["channel"] = "walk_in";
  again.erase("call_type");
  again["repeat_of_case_id"] = case_id;
  auto r = post(server, op, again);
  REQUIRE_STATUS(r, 201);
  const Json j = body_json(r);
  BOOST_TEST(j.at("case").is_null());
  BOOST_TEST(j.at("linked_case_id") == case_id);
  BOOST_TEST(j.at("group_visit") == false);
  BOOST_TEST(total_cases(server, op) == before);
  const Json item = timeline_contact(server, op, case_id, j.at("contact_id").get<std::int64_t>());
  BOOST_REQUIRE(item.is_object());
  BOOST_TEST(item.at("repeat") == true);
  BOOST_TEST(item.at("channel") == "walk_in");
  BOOST_TEST(item.at("summary") == "再次来访，询问处理进展");
  BOOST_TEST(require_case(server, op, case_id).at("repeat_contacts") == 1);

  // Refusals: both a follow-up and a repeat; a repeat that is a new matter; a case out of scope.
  Json both = again;
  both["case_id"] = case_id;
  both["resolution"] = "answered";
  both["answer"] = "已告知";
  both["consultation_kind"] = "legal";
  r = post(server, op, both);
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "repeat_of_case_id");
  Json new_matter = again;
  new_matter["new_matter"] = true;
  r = post(server, op, new_matter);
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "new_matter");
  const Login other = server.login(kOperator2);
  r = post(server, other, again);
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "repeat_of_case_id");
  // The operator may still decide it is a new matter: a case opens.
  Json fresh = open_case_intake("13922223333");
  fresh["new_matter"] = true;
  r = post(server, op, fresh);
  REQUIRE_STATUS(r, 201);
  BOOST_TEST(body_json(r).at("case").is_object());
}

BOOST_AUTO_TEST_CASE(screen_pop_candidates_exclude_a_case_closed_thirteen_months_ago) {
  // The old case is opened and declined 13 months before "now".
  const hl::TimeMs now = test_now_ms();
  ServerProcess server(now - 400 * kDay);
  Login op = server.login(kOperator);
  const auto old_case = require_open_case(server, op, "13933334444");
  require_transition(server, op, old_case, "decline", notice_data({{"reason", "不属于受理范围"}, {"referred_to", "人民法院"}}));
  server.set_clock(now - 60 * kDay);
  op = server.login(kOperator);
  const auto recent_case = require_open_case(server, op, "13933334444");
  require_transition(server, op, recent_case, "decline", notice_data({{"reason", "不属于受理范围"}, {"referred_to", "人民法院"}}));
  server.set_clock(now);
  op = server.login(kOperator);
  const auto open_case = require_open_case(server, op, "13933334444");

  auto r = server.get(op, "/api/v1/callers/lookup?phone=13933334444");
  REQUIRE_STATUS(r, 200);
  int seen = 0;
  const Json pop = body_json(r);
  for (const auto& c : pop.at("prior_cases")) {
    const auto id = c.at("id").get<std::int64_t>();
    BOOST_TEST_CONTEXT("case " << id) {
      if (id == old_case) {
        ++seen;
        BOOST_TEST(c.at("repeat_candidate") == false);
        BOOST_TEST(c.at("repeat_reason").is_null());
        BOOST_TEST(c.at("closed_at").is_string());
      } else if (id == recent_case) {
        ++seen;
        BOOST_TEST(c.at("repeat_candidate") == true);
        BOOST_TEST(c.at("repeat_reason") == "closed_within_12_months");
      } else if (id == open_case) {
        ++seen;
        BOOST_TEST(c.at("repeat_candidate") == true);
        BOOST_TEST(c.at("repeat_reason") == "open");
      }
    }
  }
  BOOST_TEST(seen == 3);

  // A repeat of the old case is refused (409, the field named); of the recent one accepted.
  Json again = consultation("13933334444");
  again["repeat_of_case_id"] = old_case;
  r = post(server, op, again);
  CHECK_ERROR(r, 409, "conflict");
  CHECK_NAMES_FIELD(r, "repeat_of_case_id");
  again["repeat_of_case_id"] = recent_case;
  r = post(server, op, again);
  REQUIRE_STATUS(r, 201);
  BOOST_TEST(body_json(r).at("linked_case_id") == recent_case);
}

BOOST_AUTO_TEST_CASE(a_walk_in_of_six_is_flagged_as_a_group_visit_wherever_shown) {
  ServerProcess server;
  const Login op = server.login(kOperator);
  Json visit = open_case_intake("13944445555", "六名村民集体来访反映土地承包权益");
  visit["channel"] = "walk_in";
  visit.erase("call_type");
  visit["persons"] = 6;
  auto r = post(server, op, visit);
  REQUIRE_STATUS(r, 201);
  const Json j = body_json(r);
  BOOST_TEST(j.at("group_visit") == true);
  const auto case_id = j.at("case").at("id").get<std::int64_t>();
  BOOST_TEST(require_case(server, op, case_id).at("group_visit") == true);
  BOOST_TEST(timeline_contact(server, op, case_id, j.at("contact_id").get<std::int64_t>()).at("group_visit") == true);
  auto pop = server.get(op, "/api/v1/callers/lookup?phone=13944445555");
  REQUIRE_STATUS(pop, 200);
  BOOST_TEST(body_json(pop).at("contacts")[0].at("group_visit") == true);
  BOOST_TEST(body_json(pop).at("contacts")[0].at("persons") == 6);
  // Four persons is no group visit.
  visit["persons"] = 4;
  const Json small = body_json(post(server, op, visit));
  BOOST_TEST(small.at("group_visit") == false);
  BOOST_TEST(require_case(server, op, small.at("case").at("id").get<std::int64_t>()).at("group_visit") == false);
}

BOOST_AUTO_TEST_CASE(level_skipping_names_an_office_below_and_the_case_offers_it) {
  ServerProcess server;
  const Login city = server.login(kSupervisor);
  const auto county = office_id(server, city, "永兴县妇联");
  const auto own = office_id(server, city, "郴州市妇联");
  Json call = open_case_intake("13955556666", "越过县妇联直接向市妇联反映");
  call["level_skipping"] = true;
  auto r = post(server, city, call);
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "jurisdiction_office_id");
  call["jurisdiction_office_id"] = own;
  r = post(server, city, call);
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "jurisdiction_office_id");
  Json no_flag = call;
  no_flag.erase("level_skipping");
  no_flag["jurisdiction_office_id"] = county;
  r = post(server, city, no_flag);
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "jurisdiction_office_id");
  // A county operator has no office below hers.
  const Login op = server.login(kOperator);
  call["jurisdiction_office_id"] = county;
  r = post(server, op, call);
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "jurisdiction_office_id");

  r = post(server, city, call);
  REQUIRE_STATUS(r, 201);
  const auto case_id = body_json(r).at("case").at("id").get<std::int64_t>();
  const Json c = require_case(server, city, case_id);
  BOOST_TEST(c.at("level_skipping") == true);
  BOOST_TEST(c.at("jurisdiction_office").at("id") == county);
  BOOST_TEST(c.at("jurisdiction_office").at("name") == "永兴县妇联");
  BOOST_TEST(c.at("group_visit") == false);
  BOOST_TEST(c.at("repeat_contacts") == 0);
}

BOOST_AUTO_TEST_SUITE_END()
