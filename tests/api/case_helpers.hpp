#pragma once
// Intake bodies and case operations the API suites share. Helpers named require_… fail the test
// (BOOST_REQUIRE) when the server does not answer as the happy path says.
#include <cstdint>
#include <string>

#include "api/server_process.hpp"

namespace hl::apitest {

// A hotline help request that opens a case; `phone` empty for none.
Json open_case_intake(const std::string& phone = "", const std::string& summary = "丈夫酒后殴打，求助",
                      const std::string& category = "marriage_family.domestic_violence",
                      const std::string& narrative = "来电人称丈夫酒后殴打她，要求妇联帮助。");

// POST /api/v1/intakes with resolution open_case; returns the new case's id.
std::int64_t require_open_case(const ServerProcess& server, const Login& who, const std::string& phone = "",
                               const std::string& summary = "丈夫酒后殴打，求助",
                               const std::string& narrative = "来电人称丈夫酒后殴打她，要求妇联帮助。");

// GET /api/v1/cases/{id}, required to be 200.
Json require_case(const ServerProcess& server, const Login& who, std::int64_t id);

std::string case_path(std::int64_t id, const std::string& tail = "");

// POST /api/v1/cases/{id}/transitions.
HttpClientResponse transition(const ServerProcess& server, const Login& who, std::int64_t id, const std::string& event,
                              std::int64_t version, const Json& data = Json::object(), const std::string& note = "");

// Reads the case's version, applies `event` and requires 200; returns the case it answers with.
Json require_transition(const ServerProcess& server, const Login& who, std::int64_t id, const std::string& event,
                        const Json& data = Json::object());

// The notice (告知) a decision or routing carries: `extra` plus told by phone on the spot.
Json notice_data(Json extra = Json::object());

// Records the reply (答复) closing needs: today, by phone, supported; returns the case.
Json require_reply(const ServerProcess& server, const Login& who, std::int64_t id);

// Refer data for `partner_id` with consent given, or refused with an override reason.
Json refer_data(std::int64_t partner_id, bool consent, const std::string& override_reason = "");

// The demo police partner (the police user's organisation), checked to be listed as an active
// police partner by GET /api/v1/partners?type=police.
std::int64_t require_police_partner(const ServerProcess& server, const Login& staff, const Login& police_user);

// GET a list path and return "items", requiring 200.
Json require_items(const ServerProcess& server, const Login& who, const std::string& target);

}  // namespace hl::apitest
