// Hostile and broken requests: malformed JSON, wrong JSON types, oversize bodies, unknown values.
// Each gets the documented status and error envelope, and the server goes on serving.
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "api/case_helpers.hpp"
#include "api/server_process.hpp"

using namespace hl::apitest;

namespace {

struct Desk {
  ServerProcess server;
  Login op = server.login(kOperator);
  std::int64_t case_id = require_open_case(server, op);

  // The server still answers normal requests, and the case is as it was.
  void check_still_serving(const Json& expected_case) const {
    CHECK_STATUS(server.request("GET", "/healthz"), 200);
    CHECK_STATUS(server.get(op, "/api/v1/session"), 200);
    auto r = server.get(op, case_path(case_id));
    CHECK_STATUS(r, 200);
    if (r.status == 200) BOOST_TEST(body_json(r) == expected_case);
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(bad_input, Desk)

BOOST_AUTO_TEST_CASE(malformed_json_is_400_bad_request_on_every_write_route) {
  const Json before = require_case(server, op, case_id);
  const std::vector<std::pair<std::string, std::string>> routes = {
      {"POST", "/api/v1/intakes"},         {"PATCH", case_path(case_id)},           {"POST", case_path(case_id, "/transitions")},
      {"POST", case_path(case_id, "/notes")}, {"POST", "/api/v1/session"}};
  for (const auto& [method, path] : routes) {
    for (const std::string body : {"{bad json", "{\"version\": 1,}", "", "nul", "{\"a\":\"\xff\xfe\"}", "{} {}"}) {
      BOOST_TEST_CONTEXT(method << " " << path << " with " << body) {
        CHECK_ERROR(server.send_text(op, method, path, body), 400, "bad_request");
      }
    }
  }
  check_still_serving(before);
}

BOOST_AUTO_TEST_CASE(a_body_that_is_not_an_object_is_400) {
  const Json before = require_case(server, op, case_id);
  for (const std::string body : {"[1,2,3]", "[]", "\"text\"", "42", "true", "null"}) {
    BOOST_TEST_CONTEXT(body) {
      CHECK_ERROR(server.send_text(op, "POST", "/api/v1/intakes", body), 400, "bad_request");
      CHECK_ERROR(server.send_text(op, "PATCH", case_path(case_id), body), 400, "bad_request");
      CHECK_ERROR(server.send_text(op, "POST", case_path(case_id, "/transitions"), body), 400, "bad_request");
    }
  }
  check_still_serving(before);
}

BOOST_AUTO_TEST_CASE(wrong_json_types_are_400_naming_the_fields) {
  const Json before = require_case(server, op, case_id);
  auto version = server.send(op, "PATCH", case_path(case_id), {{"version", "abc"}, {"summary", "x"}});
  CHECK_ERROR(version, 400, "bad_request");
  CHECK_NAMES_FIELD(version, "version");
  auto summary = server.send(op, "PATCH", case_path(case_id), {{"version", before.at("version")}, {"summary", 5}});
  CHECK_ERROR(summary, 400, "bad_request");
  CHECK_NAMES_FIELD(summary, "summary");
  auto fractional = server.send(op, "PATCH", case_path(case_id), {{"version", 1.5}});
  CHECK_ERROR(fractional, 400, "bad_request");
  CHECK_NAMES_FIELD(fractional, "version");

  auto persons = server.send(op, "POST", "/api/v1/intakes", {{"channel", "hotline"}, {"call_type", "silent"}, {"persons", "x"}});
  CHECK_ERROR(persons, 400, "bad_request");
  CHECK_NAMES_FIELD(persons, "persons");
  auto complainant = server.send(op, "POST", "/api/v1/intakes", {{"channel", "hotline"}, {"call_type", "silent"}, {"complainant", 5}});
  CHECK_ERROR(complainant, 400, "bad_request");
  CHECK_NAMES_FIELD(complainant, "complainant");
  // Several at once, nested ones by their path.
  Json several = open_case_intake("13800138000");
  several["duration_s"] = "long";
  several["complainant"]["age"] = "thirty";
  several["complainant"]["safe_contact"] = {{"ok_to_call", "yes"}};
  several["channel"] = Json::array({"hotline"});
  auto many = server.send(op, "POST", "/api/v1/intakes", several);
  CHECK_ERROR(many, 400, "bad_request");
  for (const char* f : {"duration_s", "complainant.age", "complainant.safe_contact.ok_to_call", "channel"})
    CHECK_NAMES_FIELD(many, f);
  // A whole number out of range is named by its full path too.
  auto age = server.send(op, "POST", "/api/v1/intakes",
                         {{"channel", "hotline"}, {"call_type", "silent"}, {"complainant", {{"age", 99999999999LL}}}});
  BOOST_CHECK_MESSAGE(age.status == 400 || age.status == 422, describe(age));
  CHECK_NAMES_FIELD(age, "complainant.age");
  // A number too large for any integer field.
  auto huge = server.send_text(op, "POST", "/api/v1/intakes",
                               R"({"channel":"hotline","call_type":"silent","duration_s":1e400})");
  BOOST_CHECK_MESSAGE(huge.status == 400 && error_code(huge) == "bad_request", describe(huge));

  auto event = server.send(op, "POST", case_path(case_id, "/transitions"), {{"event", 7}, {"version", before.at("version")}});
  CHECK_ERROR(event, 400, "bad_request");
  CHECK_NAMES_FIELD(event, "event");
  auto data = server.send(op, "POST", case_path(case_id, "/transitions"),
                          {{"event", "accept"}, {"version", before.at("version")}, {"data", Json::array({1})}});
  CHECK_ERROR(data, 400, "bad_request");
  CHECK_NAMES_FIELD(data, "data");
  auto note = server.send(op, "POST", case_path(case_id, "/notes"), {{"text", Json::object()}});
  CHECK_ERROR(note, 400, "bad_request");
  CHECK_NAMES_FIELD(note, "text");
  check_still_serving(before);
}

BOOST_AUTO_TEST_CASE(a_body_over_1_mib_is_413_and_the_server_keeps_serving) {
  const Json before = require_case(server, op, case_id);
  Json big = open_case_intake("13800138000");
  big["narrative"] = std::string(1024 * 1024 + 100, 'a');
  auto r = server.send(op, "POST", "/api/v1/intakes", big);
  CHECK_ERROR(r, 413, "payload_too_large");
  auto patch = server.send(op, "PATCH", case_path(case_id), {{"version", before.at("version")}, {"narrative", std::string(2 << 20, 'b')}});
  CHECK_ERROR(patch, 413, "payload_too_large");
  // A body just under the limit is read and judged on its content (422: the narrative is too long).
  big["narrative"] = std::string(1000 * 1000, 'a');
  auto under = server.send(op, "POST", "/api/v1/intakes", big);
  CHECK_ERROR(under, 422, "validation_failed");
  CHECK_NAMES_FIELD(under, "narrative");
  // The login route is smaller still.
  auto login = server.request("POST", "/api/v1/session",
                              Json{{"username", "operator"}, {"password", std::string(64 * 1024, 'p')}}.dump(),
                              {{"Content-Type", "application/json"}});
  CHECK_ERROR(login, 413, "payload_too_large");
  check_still_serving(before);
}

BOOST_AUTO_TEST_CASE(deeply_nested_json_does_not_crash_the_server) {
  const Json before = require_case(server, op, case_id);
  const std::string deep = std::string(300000, '[') + std::string(300000, ']');
  auto r = server.send_text(op, "POST", "/api/v1/intakes", deep);
  CHECK_ERROR(r, 400, "bad_request");
  const std::string deep_object = "{\"channel\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  auto r2 = server.send_text(op, "POST", "/api/v1/intakes", deep_object);
  CHECK_ERROR(r2, 400, "bad_request");
  check_still_serving(before);
}

BOOST_AUTO_TEST_CASE(unknown_events_and_enum_values_are_422) {
  const Json before = require_case(server, op, case_id);
  const auto v = before.at("version");
  for (const char* name : {"explode", "register", "referral_done", ""}) {
    BOOST_TEST_CONTEXT("event '" << name << "'") {
      auto r = server.send(op, "POST", case_path(case_id, "/transitions"), {{"event", name}, {"version", v}});
      CHECK_ERROR(r, 422, "validation_failed");
      CHECK_NAMES_FIELD(r, "event");
    }
  }
  auto no_version = server.send(op, "POST", case_path(case_id, "/transitions"), {{"event", "accept"}});
  CHECK_ERROR(no_version, 422, "validation_failed");
  CHECK_NAMES_FIELD(no_version, "version");
  auto urgency = server.send(op, "PATCH", case_path(case_id), {{"version", v}, {"urgency", "whenever"}});
  CHECK_ERROR(urgency, 422, "validation_failed");
  CHECK_NAMES_FIELD(urgency, "urgency");
  auto partners = server.get(op, "/api/v1/partners?type=spaceship");
  CHECK_ERROR(partners, 422, "validation_failed");
  CHECK_NAMES_FIELD(partners, "type");
  check_still_serving(before);
}

BOOST_AUTO_TEST_CASE(text_with_control_characters_or_too_long_is_422_naming_the_field) {
  const Json before = require_case(server, op, case_id);
  Json body = open_case_intake("13800138000");
  body["complainant"]["name"] = std::string("王\x01丽");
  body["summary"] = std::string(600, 'x');
  auto r = server.send(op, "POST", "/api/v1/intakes", body);
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "complainant.name");
  CHECK_NAMES_FIELD(r, "summary");

  check_still_serving(before);
}

BOOST_AUTO_TEST_CASE(editing_a_summary_applies_the_intake_rules_for_that_field) {
  const Json before = require_case(server, op, case_id);
  auto version = [&] { return require_case(server, op, case_id).at("version"); };
  auto too_long = server.send(op, "PATCH", case_path(case_id), {{"version", version()}, {"summary", std::string(600, 'x')}});
  CHECK_ERROR(too_long, 422, "validation_failed");
  CHECK_NAMES_FIELD(too_long, "summary");
  auto empty = server.send(op, "PATCH", case_path(case_id), {{"version", version()}, {"summary", "   "}});
  CHECK_ERROR(empty, 422, "validation_failed");
  CHECK_NAMES_FIELD(empty, "summary");
  // A one-line field: the intake refuses control characters in it, so must an edit.
  auto control = server.send(op, "PATCH", case_path(case_id), {{"version", version()}, {"summary", std::string("丈夫\x01殴打")}});
  CHECK_ERROR(control, 422, "validation_failed");
  CHECK_NAMES_FIELD(control, "summary");
  BOOST_TEST(require_case(server, op, case_id).at("summary") == before.at("summary"));
}

BOOST_AUTO_TEST_CASE(notes_refuse_control_characters_other_than_line_breaks) {
  // As for the intake's multi-line fields (narrative, answer): line breaks and tabs yes, NUL or BEL no.
  CHECK_STATUS(server.send(op, "POST", case_path(case_id, "/notes"), {{"text", "第一行\n\t第二行"}}), 201);
  auto note = server.send(op, "POST", case_path(case_id, "/notes"), {{"text", std::string("第一行") + '\0' + "\x07"}});
  CHECK_ERROR(note, 422, "validation_failed");
  CHECK_NAMES_FIELD(note, "text");
  int notes = 0;
  for (const auto& item : require_items(server, op, case_path(case_id, "/timeline"))) notes += item.at("kind") == "note";
  BOOST_TEST(notes == 1);
}

BOOST_AUTO_TEST_CASE(oversize_headers_are_refused_and_the_server_keeps_serving) {
  const Json before = require_case(server, op, case_id);
  auto r = server.request("GET", "/api/v1/session", {},
                          {{"Cookie", "hl_session=" + op.token}, {"X-Padding", std::string(20 * 1024, 'p')}});
  BOOST_CHECK_MESSAGE(r.status == 431 || r.status == 400, describe(r));
  BOOST_TEST(r.body.find(op.csrf) == std::string::npos);
  auto target = server.get(op, "/api/v1/cases?q=" + std::string(20 * 1024, 'q'));
  BOOST_CHECK_MESSAGE(target.status == 431 || target.status == 414 || target.status == 400, describe(target));
  check_still_serving(before);
}

BOOST_AUTO_TEST_CASE(unknown_routes_and_methods_answer_with_the_envelope) {
  const Json before = require_case(server, op, case_id);
  auto missing = server.get(op, "/api/v1/no-such-thing");
  CHECK_ERROR(missing, 404, "not_found");
  auto method = server.send(op, "PUT", "/api/v1/intakes", Json::object());
  BOOST_TEST(method.status == 405u);
  BOOST_TEST(!method.header("allow").empty());
  check_still_serving(before);
}

BOOST_AUTO_TEST_SUITE_END()
