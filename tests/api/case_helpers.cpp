#include "api/case_helpers.hpp"

#include <boost/test/unit_test.hpp>

#include "core/local_time.hpp"

namespace hl::apitest {

Json open_case_intake(const std::string& phone, const std::string& summary, const std::string& category,
                      const std::string& narrative) {
  Json complainant = {{"name", "王桂兰"}, {"gender", "female"}, {"age", 34}};
  if (!phone.empty()) complainant["phone"] = phone;
  return {{"channel", "hotline"},
          {"call_type", "help_request"},
          {"duration_s", 420},
          {"persons", 1},
          {"complainant", complainant},
          {"respondent", {{"name", "赵建国"}, {"relationship", "丈夫"}}},
          {"category", category},
          {"summary", summary},
          {"narrative", narrative},
          {"urgency", "normal"},
          {"resolution", "open_case"}};
}

std::int64_t require_open_case(const ServerProcess& server, const Login& who, const std::string& phone,
                               const std::string& summary, const std::string& narrative) {
  auto r = server.send(who, "POST", "/api/v1/intakes",
                       open_case_intake(phone, summary, "marriage_family.domestic_violence", narrative));
  REQUIRE_STATUS(r, 201);
  const Json j = body_json(r);
  BOOST_REQUIRE_MESSAGE(j.contains("case") && j["case"].is_object(), "no case opened: " << describe(r));
  return j["case"]["id"].get<std::int64_t>();
}

std::string case_path(std::int64_t id, const std::string& tail) {
  return "/api/v1/cases/" + std::to_string(id) + tail;
}

Json require_case(const ServerProcess& server, const Login& who, std::int64_t id) {
  auto r = server.get(who, case_path(id));
  REQUIRE_STATUS(r, 200);
  return body_json(r);
}

HttpClientResponse transition(const ServerProcess& server, const Login& who, std::int64_t id, const std::string& event,
                              std::int64_t version, const Json& data, const std::string& note) {
  Json body = {{"event", event}, {"version", version}, {"data", data}};
  if (!note.empty()) body["note"] = note;
  return server.send(who, "POST", case_path(id, "/transitions"), body);
}

Json require_transition(const ServerProcess& server, const Login& who, std::int64_t id, const std::string& event,
                        const Json& data) {
  const Json before = require_case(server, who, id);
  auto r = transition(server, who, id, event, before.at("version").get<std::int64_t>(), data);
  BOOST_REQUIRE_MESSAGE(r.status == 200, event << " on case " << id << " as " << who.user.value("username", "?")
                                               << ": " << describe(r));
  return body_json(r);
}

Json notice_data(Json extra) {
  extra["notice_method"] = "phone";
  extra["notice_on_the_spot"] = true;
  return extra;
}

Json require_reply(const ServerProcess& server, const Login& who, std::int64_t id) {
  return require_transition(server, who, id, "reply",
                            {{"replied_at", format_iso8601(server.now_ms())}, {"method", "phone"}, {"opinion", "support"},
                             {"basis", "依据《反家庭暴力法》协调处理"}});
}

Json refer_data(std::int64_t partner_id, bool consent, const std::string& override_reason) {
  Json d = {{"partner_id", partner_id}, {"service", "police_response"}, {"consent_given", consent},
            {"reason", "需要派出所出警并出具告诫书"}};
  if (!override_reason.empty()) d["override_reason"] = override_reason;
  return d;
}

std::int64_t require_police_partner(const ServerProcess& server, const Login& staff, const Login& police_user) {
  const auto partner_id = police_user.user.at("partner_org_id").get<std::int64_t>();
  const Json items = require_items(server, staff, "/api/v1/partners?type=police");
  bool listed = false;
  for (const auto& p : items) {
    BOOST_CHECK_EQUAL(p.at("type").get<std::string>(), "police");
    if (p.at("id").get<std::int64_t>() == partner_id) listed = p.at("active").get<bool>();
  }
  BOOST_REQUIRE_MESSAGE(listed, "the police user's organisation " << partner_id
                                                                  << " is not an active police partner in " << items.dump());
  return partner_id;
}

Json require_items(const ServerProcess& server, const Login& who, const std::string& target) {
  auto r = server.get(who, target);
  REQUIRE_STATUS(r, 200);
  const Json j = body_json(r);
  BOOST_REQUIRE_MESSAGE(j.contains("items") && j["items"].is_array(), "no items array: " << describe(r));
  return j["items"];
}

}  // namespace hl::apitest
