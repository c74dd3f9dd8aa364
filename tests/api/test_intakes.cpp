// POST /api/v1/intakes and GET /api/v1/callers/lookup: every kind of contact, repeat callers,
// validation answers.
#include <boost/test/unit_test.hpp>
#include <regex>
#include <set>
#include <thread>
#include <vector>
#include <string>

#include "api/case_helpers.hpp"
#include "api/server_process.hpp"
#include "core/local_time.hpp"

using namespace hl::apitest;

namespace {

struct Desk {
  ServerProcess server;
  Login op = server.login(kOperator);
};

HttpClientResponse post_intake(const Desk& d, const Json& body) { return d.server.send(d.op, "POST", "/api/v1/intakes", body); }

Json answered_consultation(const std::string& phone) {
  return {{"channel", "hotline"},
          {"call_type", "consultation"},
          {"duration_s", 300},
          {"complainant", {{"name", "王桂兰"}, {"phone", phone}, {"gender", "female"}}},
          {"category", "marriage_family.divorce"},
          {"summary", "咨询离婚诉讼程序"},
          {"resolution", "answered"},
          {"answer", "已告知可向人民法院起诉离婚，并介绍法律援助申请条件。"},
          {"consultation_kind", "legal"}};
}

Json lookup(const Desk& d, const Login& who, const std::string& phone) {
  auto r = d.server.get(who, "/api/v1/callers/lookup?phone=" + url_encode(phone));
  REQUIRE_STATUS(r, 200);
  return body_json(r);
}

// Cases in the operator's scope, from the list's per-status counts.
std::int64_t total_cases(const Desk& d) {
  auto r = d.server.get(d.op, "/api/v1/cases?limit=1");
  REQUIRE_STATUS(r, 200);
  std::int64_t n = 0;
  for (const auto& [status, count] : body_json(r).at("counts").items()) n += count.get<std::int64_t>();
  return n;
}

bool lists_case(const Json& prior_cases, std::int64_t id) {
  for (const auto& c : prior_cases)
    if (c.at("id").get<std::int64_t>() == id) return true;
  return false;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(intakes, Desk)

BOOST_AUTO_TEST_CASE(silent_and_hang_up_calls_need_no_personal_data_and_open_no_case) {
  for (const char* type : {"silent", "hang_up", "wrong_number", "abusive"}) {
    BOOST_TEST_CONTEXT("call_type " << type) {
      auto r = post_intake(*this, {{"channel", "hotline"}, {"call_type", type}, {"duration_s", 12}});
      REQUIRE_STATUS(r, 201);
      const Json j = body_json(r);
      BOOST_TEST(j.at("contact_id").is_number_integer());
      BOOST_TEST(j.at("contact_id").get<std::int64_t>() > 0);
      BOOST_TEST(j.at("case").is_null());
      BOOST_TEST(j.at("repeat").at("prior_contacts") == 0);
      BOOST_TEST(j.at("repeat").at("prior_cases").empty());
    }
  }
  // Two contacts are two records.
  auto a = body_json(post_intake(*this, {{"channel", "hotline"}, {"call_type", "silent"}}));
  auto b = body_json(post_intake(*this, {{"channel", "hotline"}, {"call_type", "silent"}}));
  BOOST_TEST(a.at("contact_id") != b.at("contact_id"));
}

BOOST_AUTO_TEST_CASE(an_answered_consultation_records_a_contact_without_a_case) {
  const auto cases_before = total_cases(*this);
  auto r = post_intake(*this, answered_consultation("13912345678"));
  REQUIRE_STATUS(r, 201);
  const Json j = body_json(r);
  BOOST_TEST(j.at("contact_id").is_number_integer());
  BOOST_TEST(j.at("case").is_null());
  BOOST_TEST(total_cases(*this) == cases_before);
  // The contact itself is on record: the number is now a known caller.
  BOOST_TEST(lookup(*this, op, "13912345678").at("prior_contacts") == 1);
}

BOOST_AUTO_TEST_CASE(open_case_registers_a_case_numbered_for_the_county_and_year) {
  // Both cases in this year, whenever the run crosses New Year's midnight.
  server.freeze_clock();
  Json intake = open_case_intake("13800138000");
  intake["complainant"]["safe_contact"] = {{"ok_to_call", false}, {"safe_times", "工作日上午"}, {"note", "只发短信"}};
  auto r = post_intake(*this, intake);
  REQUIRE_STATUS(r, 201);
  const Json j = body_json(r);
  BOOST_REQUIRE(j.at("case").is_object());
  const Json& c = j.at("case");
  const std::string year = server.date().substr(0, 4);
  const std::string case_no = c.at("case_no").get<std::string>();
  BOOST_TEST_INFO("case_no " << case_no);
  BOOST_TEST(std::regex_match(case_no, std::regex("431023-" + year + "-[0-9]{6}")));
  BOOST_TEST(c.at("status") == "registered");

  const Json detail = require_case(server, op, c.at("id").get<std::int64_t>());
  BOOST_TEST(detail.at("case_no") == case_no);
  BOOST_TEST(detail.at("status") == "registered");
  BOOST_TEST(detail.at("category") == "marriage_family.domestic_violence");
  BOOST_TEST(detail.at("channel") == "hotline");
  BOOST_TEST(detail.at("summary") == "丈夫酒后殴打，求助");
  BOOST_TEST(detail.at("office").at("name") == "永兴县妇联");
  bool complainant = false;
  for (const auto& p : detail.at("persons"))
    if (p.at("role") == "complainant") {
      complainant = true;
      BOOST_TEST(p.at("name") == "王桂兰");
      BOOST_TEST(p.at("phone") == "13800138000");  // staff of the office see the number
      // Stored encrypted (issue #16, finding 5), shown to staff as given.
      BOOST_TEST(p.at("safe_contact").at("ok_to_call") == false);
      BOOST_TEST(p.at("safe_contact").at("safe_times") == "工作日上午");
      BOOST_TEST(p.at("safe_contact").at("note") == "只发短信");
    }
  BOOST_TEST(complainant);

  // The next case gets the next number.
  auto second = body_json(post_intake(*this, open_case_intake()));
  const std::string next = second.at("case").at("case_no").get<std::string>();
  BOOST_TEST(next.substr(0, 12) == case_no.substr(0, 12));
  BOOST_TEST(std::stoi(next.substr(12)) == std::stoi(case_no.substr(12)) + 1);
}

BOOST_AUTO_TEST_CASE(case_numbers_start_again_at_1_when_the_year_turns_in_beijing) {
  // A year without demo cases. 00:00 on 1 January in Beijing is still 31 December in UTC.
  // Frozen: on a running clock the login and two intakes had one second before 2032 began.
  server.set_clock(*hl::parse_iso8601("2031-12-31T23:59:59+08:00"), /*frozen=*/true);
  op = server.login(kOperator);  // years later: the earlier session has long expired
  const auto number = [&] {
    auto r = post_intake(*this, open_case_intake());
    REQUIRE_STATUS(r, 201);
    return body_json(r).at("case").at("case_no").get<std::string>();
  };
  BOOST_TEST(number() == "431023-2031-000001");
  BOOST_TEST(number() == "431023-2031-000002");
  server.set_clock(*hl::parse_iso8601("2032-01-01T00:00:00+08:00"), true);
  BOOST_TEST(number() == "431023-2032-000001");
  // Another county counts on its own.
  const Login op2 = server.login(kOperator2);
  auto other = server.send(op2, "POST", "/api/v1/intakes", open_case_intake());
  REQUIRE_STATUS(other, 201);
  BOOST_TEST(body_json(other).at("case").at("case_no") == "431021-2032-000001");
  BOOST_TEST(number() == "431023-2032-000002");
}

BOOST_AUTO_TEST_CASE(a_repeat_caller_is_recognised_however_the_number_is_written) {
  auto first = post_intake(*this, open_case_intake("13907351234"));
  REQUIRE_STATUS(first, 201);
  const Json first_j = body_json(first);
  const auto case_id = first_j.at("case").at("id").get<std::int64_t>();
  BOOST_TEST(first_j.at("repeat").at("prior_contacts") == 0);

  auto second = post_intake(*this, answered_consultation("+86 139-0735-1234"));
  REQUIRE_STATUS(second, 201);
  const Json repeat = body_json(second).at("repeat");
  BOOST_TEST(repeat.at("prior_contacts") == 1);
  BOOST_REQUIRE(lists_case(repeat.at("prior_cases"), case_id));
  const Json& prior = repeat.at("prior_cases").at(0);
  BOOST_TEST(prior.at("case_no") == first_j.at("case").at("case_no"));
  BOOST_TEST(prior.at("status") == "registered");
  BOOST_TEST(prior.at("category") == "marriage_family.domestic_violence");

  auto third = post_intake(*this, answered_consultation("139 0735 1234"));
  REQUIRE_STATUS(third, 201);
  BOOST_TEST(body_json(third).at("repeat").at("prior_contacts") == 2);

  // A different number is not a repeat.
  auto other = post_intake(*this, answered_consultation("13907351235"));
  BOOST_TEST(body_json(other).at("repeat").at("prior_contacts") == 0);
}

BOOST_AUTO_TEST_CASE(caller_lookup_finds_prior_contacts_and_cases_in_scope_only) {
  const auto case_id = require_open_case(server, op, "0735-5201314");
  REQUIRE_STATUS(post_intake(*this, answered_consultation("07355201314")), 201);

  const Json found = lookup(*this, op, "(0735) 520 1314");
  BOOST_TEST(found.at("prior_contacts") == 2);
  BOOST_TEST(lists_case(found.at("prior_cases"), case_id));
  for (const auto& c : found.at("prior_cases")) {
    BOOST_TEST(c.contains("case_no"));
    BOOST_TEST(c.contains("status"));
    BOOST_TEST(c.contains("category"));
  }

  const Json unknown = lookup(*this, op, "13500000001");
  BOOST_TEST(unknown.at("prior_contacts") == 0);
  BOOST_TEST(unknown.at("prior_cases").empty());

  // The supervisor of the city sees the county's callers; the neighbouring county does not.
  const Login sup = server.login(kSupervisor);
  BOOST_TEST(lookup(*this, sup, "07355201314").at("prior_contacts") == 2);
  const Login op2 = server.login(kOperator2);
  const Json other = lookup(*this, op2, "07355201314");
  BOOST_TEST(other.at("prior_contacts") == 0);
  BOOST_TEST(other.at("prior_cases").empty());

  // Partners and administrators have no screen-pop.
  CHECK_ERROR(server.get(server.login(kPolice), "/api/v1/callers/lookup?phone=07355201314"), 403, "forbidden");
  CHECK_ERROR(server.get(server.login(kAdmin), "/api/v1/callers/lookup?phone=07355201314"), 403, "forbidden");
}

BOOST_AUTO_TEST_CASE(validation_errors_are_422_naming_each_field) {
  auto r = post_intake(*this, {{"channel", "hotline"},
                               {"call_type", "help_request"},
                               {"complainant", {{"name", "李丽娟"}, {"phone", "138001380"}}},
                               {"resolution", "open_case"}});
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "complainant.phone");
  CHECK_NAMES_FIELD(r, "category");
  CHECK_NAMES_FIELD(r, "summary");

  auto bad_enums = post_intake(*this, {{"channel", "fax"},
                                       {"summary", "x"},
                                       {"resolution", "maybe"},
                                       {"urgency", "whenever"},
                                       {"complainant", {{"gender", "f"}, {"age", 200}}}});
  CHECK_ERROR(bad_enums, 422, "validation_failed");
  for (const char* f : {"channel", "resolution", "urgency", "complainant.gender", "complainant.age"})
    CHECK_NAMES_FIELD(bad_enums, f);

  auto no_call_type = post_intake(*this, {{"channel", "hotline"}});
  CHECK_ERROR(no_call_type, 422, "validation_failed");
  CHECK_NAMES_FIELD(no_call_type, "call_type");

  auto answered_without_answer = answered_consultation("13912345678");
  answered_without_answer.erase("answer");
  auto r2 = post_intake(*this, answered_without_answer);
  CHECK_ERROR(r2, 422, "validation_failed");
  CHECK_NAMES_FIELD(r2, "answer");

  auto future = answered_consultation("13912345678");
  future["received_at"] = "2099-01-01T09:00:00+08:00";
  auto r3 = post_intake(*this, future);
  CHECK_ERROR(r3, 422, "validation_failed");
  CHECK_NAMES_FIELD(r3, "received_at");
  auto no_offset = answered_consultation("13912345678");
  no_offset["received_at"] = "yesterday";
  auto r4 = post_intake(*this, no_offset);
  BOOST_CHECK_MESSAGE(r4.status == 400 || r4.status == 422, describe(r4));
  BOOST_TEST(is_error_envelope(r4));
  CHECK_NAMES_FIELD(r4, "received_at");
  auto bad_id = answered_consultation("13912345678");
  bad_id["complainant"]["id_number"] = "431023198503120021";  // wrong check character
  auto r5 = post_intake(*this, bad_id);
  CHECK_ERROR(r5, 422, "validation_failed");
  CHECK_NAMES_FIELD(r5, "complainant.id_number");

  // None of the refused intakes left a contact behind.
  BOOST_TEST(lookup(*this, op, "13912345678").at("prior_contacts") == 0);
}

BOOST_AUTO_TEST_CASE(an_unknown_category_is_422_and_records_nothing) {
  auto body = open_case_intake("13700001111");
  body["category"] = "marriage_family.no_such_thing";
  auto r = post_intake(*this, body);
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "category");

  body["category"] = "marriage_family";  // a first-level code cannot be a case's category
  auto first_level = post_intake(*this, body);
  CHECK_ERROR(first_level, 422, "validation_failed");
  CHECK_NAMES_FIELD(first_level, "category");

  BOOST_TEST(lookup(*this, op, "13700001111").at("prior_contacts") == 0);
}

BOOST_AUTO_TEST_CASE(a_follow_up_contact_joins_the_existing_case) {
  const auto id = require_open_case(server, op, "13600002222");
  auto follow_up = answered_consultation("13600002222");
  follow_up["case_id"] = id;
  auto r = post_intake(*this, follow_up);
  REQUIRE_STATUS(r, 201);
  BOOST_TEST(body_json(r).at("case").is_null());

  int contacts = 0;
  for (const auto& item : require_items(server, op, case_path(id, "/timeline")))
    if (item.at("kind") == "contact") ++contacts;
  BOOST_TEST(contacts == 2);

  // A follow-up about a case of another county is refused as if the case did not exist.
  const Login op2 = server.login(kOperator2);
  auto foreign = server.send(op2, "POST", "/api/v1/intakes", follow_up);
  CHECK_ERROR(foreign, 404, "not_found");
}

BOOST_AUTO_TEST_CASE(concurrent_intakes_get_distinct_consecutive_case_numbers) {
  constexpr int kThreads = 8;
  std::vector<HttpClientResponse> answers(kThreads);
  {
    std::vector<std::jthread> threads;
    for (int i = 0; i < kThreads; ++i)
      threads.emplace_back([&, i] {
        try {
          answers[static_cast<std::size_t>(i)] = post_intake(*this, open_case_intake("1390000000" + std::to_string(i)));
        } catch (const std::exception& e) {
          answers[static_cast<std::size_t>(i)].body = e.what();
        }
      });
  }
  std::set<int> numbers;
  for (const auto& r : answers) {
    CHECK_STATUS(r, 201);
    if (r.status == 201) numbers.insert(std::stoi(body_json(r).at("case").at("case_no").get<std::string>().substr(12)));
  }
  BOOST_TEST(numbers.size() == static_cast<std::size_t>(kThreads));
  if (!numbers.empty()) BOOST_TEST(*numbers.rbegin() - *numbers.begin() == kThreads - 1);
}

BOOST_AUTO_TEST_SUITE_END()
