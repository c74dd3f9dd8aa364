// The rest of the workflow over HTTP: answer, decline and accept with their notice (告知), mediation,
// the reply (答复) closing needs, extension of the handling deadline, forward to another office, reopen.
#include <boost/test/unit_test.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

#include "api/case_helpers.hpp"
#include "api/server_process.hpp"

using namespace hl::apitest;

namespace {

struct Desk {
  ServerProcess server;
  Login op = server.login(kOperator);
  Login sup = server.login(kSupervisor);
};

std::string deadline_date(const Json& c, const std::string& kind) {
  for (const auto& d : c.at("deadlines"))
    if (d.at("kind") == kind) return d.at("due_at").get<std::string>().substr(0, 10);
  return "<no " + kind + " deadline>";
}

// The full due_at of the deadline `kind`, "" when there is none.
std::string deadline_at(const Json& c, const std::string& kind) {
  for (const auto& d : c.at("deadlines"))
    if (d.at("kind") == kind) return d.at("due_at").get<std::string>();
  return "";
}

Json deadline_of(const Json& c, const std::string& kind) {
  for (const auto& d : c.at("deadlines"))
    if (d.at("kind") == kind) return d;
  return Json::object();
}

// "YYYY-MM-DD" + days, as "YYYY-MM-DD" (calendar arithmetic, independent of the server's code).
std::string add_days(const std::string& date, int days) {
  const std::chrono::year_month_day ymd{std::chrono::year(std::stoi(date.substr(0, 4))),
                                        std::chrono::month(static_cast<unsigned>(std::stoi(date.substr(5, 2)))),
                                        std::chrono::day(static_cast<unsigned>(std::stoi(date.substr(8, 2))))};
  const std::chrono::year_month_day later{std::chrono::sys_days(ymd) + std::chrono::days(days)};
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(later.year()), static_cast<unsigned>(later.month()),
                static_cast<unsigned>(later.day()));
  return out;
}

std::int64_t version_of(const ServerProcess& server, const Login& who, std::int64_t id) {
  return require_case(server, who, id).at("version").get<std::int64_t>();
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(workflow, Desk)

BOOST_AUTO_TEST_CASE(answer_and_decline_close_a_registered_case_with_their_reasons) {
  const auto answered = require_open_case(server, op);
  auto missing = transition(server, op, answered, "answer", version_of(server, op, answered));
  CHECK_ERROR(missing, 422, "transition_not_allowed");
  CHECK_NAMES_FIELD(missing, "answer");
  const Json a = require_transition(server, op, answered, "answer", {{"answer", "已告知申请人身安全保护令的流程"}});
  BOOST_TEST(a.at("status") == "closed");
  BOOST_TEST(a.at("outcome") == "answered");
  BOOST_TEST(a.at("closure_summary") == "已告知申请人身安全保护令的流程");

  const auto declined = require_open_case(server, op);
  auto half = transition(server, op, declined, "decline", version_of(server, op, declined), notice_data({{"reason", "不属于受理范围"}}));
  CHECK_ERROR(half, 422, "transition_not_allowed");
  CHECK_NAMES_FIELD(half, "referred_to");
  auto untold = transition(server, op, declined, "decline", version_of(server, op, declined),
                           {{"reason", "不属于受理范围"}, {"referred_to", "人民法院诉讼服务中心"}});
  CHECK_ERROR(untold, 422, "transition_not_allowed");
  CHECK_NAMES_FIELD(untold, "notice_method");
  const Json d = require_transition(server, op, declined, "decline",
                                    notice_data({{"reason", "不属于受理范围"}, {"referred_to", "人民法院诉讼服务中心"}}));
  BOOST_TEST(d.at("notices").size() == 1u);
  BOOST_TEST(d.at("notices")[0].at("decision") == "decline");
  BOOST_TEST(d.at("notices")[0].at("on_the_spot") == true);
  BOOST_TEST(d.at("status") == "closed");
  BOOST_TEST(d.at("decline_reason").get<std::string>().find("人民法院诉讼服务中心") != std::string::npos);
  BOOST_TEST(d.at("available_events") == Json::array());  // nothing more for an operator
}

BOOST_AUTO_TEST_CASE(mediation_starts_and_ends_with_its_outcome_on_the_timeline) {
  const auto id = require_open_case(server, op);
  require_transition(server, op, id, "accept", notice_data());
  auto no_time = transition(server, op, id, "start_mediation", version_of(server, op, id), {{"mediator", "王调解员"}, {"scheduled_at", "明天上午"}});
  CHECK_ERROR(no_time, 422, "transition_not_allowed");
  CHECK_NAMES_FIELD(no_time, "scheduled_at");
  const Json m = require_transition(server, op, id, "start_mediation",
                                    {{"mediator", "王调解员"}, {"scheduled_at", "2026-12-01T09:30:00+08:00"}, {"place", "县妇联调解室"}});
  BOOST_TEST(m.at("status") == "mediation");
  auto bad_outcome = transition(server, op, id, "end_mediation", m.at("version").get<std::int64_t>(), {{"outcome", "maybe"}});
  CHECK_ERROR(bad_outcome, 422, "transition_not_allowed");
  CHECK_NAMES_FIELD(bad_outcome, "outcome");
  const Json ended = require_transition(server, op, id, "end_mediation", {{"outcome", "agreement"}, {"agreement_summary", "双方同意按月探视"}});
  BOOST_TEST(ended.at("status") == "in_progress");

  bool mediation_shown = false;
  for (const auto& item : require_items(server, op, case_path(id, "/timeline")))
    if (item.at("kind") == "mediation") {
      mediation_shown = true;
      BOOST_TEST(item.at("mediator") == "王调解员");
      BOOST_TEST(item.at("result") == "agreement");
      BOOST_TEST(item.at("scheduled_at") == "2026-12-01T09:30:00+08:00");
    }
  BOOST_TEST(mediation_shown);
}

BOOST_AUTO_TEST_CASE(only_a_supervisor_extends_the_handling_deadline_once_and_within_the_limit) {
  const auto id = require_open_case(server, op);
  const Json accepted = require_transition(server, op, id, "accept", notice_data());
  const std::string due = deadline_date(accepted, "handling");
  auto v = accepted.at("version").get<std::int64_t>();
  const Json ext = {{"days", 10}, {"reason", "需等待司法鉴定结果"}, {"notice_method", "written"},
                    {"notice_at", server.date()}, {"notice_document_no", "永妇延〔2026〕2号"}};
  CHECK_ERROR(transition(server, op, id, "extend_handling", v, ext), 422, "transition_not_allowed");
  for (const char* missing : {"reason", "notice_method", "notice_at", "notice_document_no"}) {
    Json d = ext;
    d.erase(missing);
    auto r = transition(server, sup, id, "extend_handling", v, d);
    CHECK_ERROR(r, 422, "transition_not_allowed");
    CHECK_NAMES_FIELD(r, missing);
  }
  for (int days : {31, 45}) {
    Json d = ext;
    d["days"] = days;
    auto too_long = transition(server, sup, id, "extend_handling", v, d);
    CHECK_ERROR(too_long, 422, "transition_not_allowed");
    CHECK_NAMES_FIELD(too_long, "days");
  }
  Json nan = ext;
  nan["days"] = "ten";
  auto not_a_number = transition(server, sup, id, "extend_handling", v, nan);
  CHECK_ERROR(not_a_number, 422, "transition_not_allowed");
  CHECK_NAMES_FIELD(not_a_number, "days");
  BOOST_TEST(deadline_date(require_case(server, op, id), "handling") == due);

  const Json extended = require_transition(server, sup, id, "extend_handling", ext);
  BOOST_TEST(extended.at("status") == "in_progress");
  BOOST_TEST(extended.at("extension_days") == 10);
  BOOST_TEST(extended.at("extension").at("reason") == "需等待司法鉴定结果");
  BOOST_TEST(extended.at("extension").at("approved_by").at("id") == sup.user.at("id"));
  BOOST_TEST(extended.at("notices").back().at("kind") == "extension");
  BOOST_TEST(extended.at("notices").back().at("document_no") == "永妇延〔2026〕2号");
  // +10 days: the same end-of-day time, ten Shanghai calendar days later.
  const std::string before_at = deadline_at(accepted, "handling");
  const std::string after_at = deadline_at(extended, "handling");
  BOOST_REQUIRE(before_at.size() > 10);
  BOOST_TEST(deadline_date(extended, "handling") == add_days(due, 10));
  BOOST_TEST(after_at.substr(10) == before_at.substr(10));  // same time of day and offset
  v = extended.at("version").get<std::int64_t>();
  Json second = ext;
  second["days"] = 5;
  auto again = transition(server, sup, id, "extend_handling", v, second);
  CHECK_ERROR(again, 422, "transition_not_allowed");
  BOOST_TEST(body_json(again).at("error").at("message").get<std::string>().find("once") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_forward_ends_the_case_and_opens_it_at_the_receiving_office) {
  const Login op2 = server.login(kOperator2);
  const auto target_office = op2.user.at("office_id").get<std::int64_t>();
  const auto id = require_open_case(server, op, "13800138000");
  const auto v = version_of(server, op, id);
  auto own = transition(server, op, id, "forward", v, notice_data({{"target_office_id", op.user.at("office_id")}, {"reason", "转当地办理"}}));
  CHECK_ERROR(own, 422, "transition_not_allowed");
  CHECK_NAMES_FIELD(own, "target_office_id");
  auto nowhere = transition(server, op, id, "forward", v, notice_data({{"target_office_id", 987654}, {"reason", "转当地办理"}}));
  CHECK_ERROR(nowhere, 422, "transition_not_allowed");
  CHECK_NAMES_FIELD(nowhere, "target_office_id");
  BOOST_TEST(require_case(server, op, id).at("status") == "registered");

  const Json moved = require_transition(server, op, id, "forward", notice_data({{"target_office_id", target_office}, {"reason", "转当地办理"}}));
  BOOST_TEST(moved.at("status") == "forwarded");
  BOOST_TEST(moved.at("outcome") == "forwarded");
  BOOST_TEST(moved.at("closed_at").is_string());
  BOOST_TEST(moved.at("sent").at("mode") == "forward");
  BOOST_REQUIRE(moved.at("transferred_to_case_id").is_number_integer());
  const auto new_id = moved.at("transferred_to_case_id").get<std::int64_t>();

  const Json received = require_case(server, op2, new_id);
  BOOST_TEST(received.at("status") == "registered");
  BOOST_TEST(received.at("channel") == "transfer_in");
  BOOST_TEST(received.at("office_id") == target_office);
  BOOST_TEST(received.at("transferred_from_case_id") == id);
  BOOST_TEST(received.at("summary") == moved.at("summary"));
  BOOST_TEST(received.at("case_no").get<std::string>().starts_with("431021-"));
  // Each office reads the other side (read-only, see test_forwarding.cpp); the city works both.
  BOOST_TEST(require_case(server, op, new_id).at("read_only") == true);
  BOOST_TEST(require_case(server, op2, id).at("read_only") == true);
  BOOST_TEST(require_case(server, sup, new_id).at("read_only") == false);
}

BOOST_AUTO_TEST_CASE(a_transferred_case_carries_the_persons_to_the_receiving_office) {
  // The receiving office has to be able to call the person back.
  const Login op2 = server.login(kOperator2);
  const auto id = require_open_case(server, op, "13800138000");
  const Json moved = require_transition(server, op, id, "forward", notice_data({{"target_office_id", op2.user.at("office_id")}, {"reason", "转当地办理"}}));
  const Json received = require_case(server, op2, moved.at("transferred_to_case_id").get<std::int64_t>());
  bool complainant = false;
  for (const auto& p : received.at("persons"))
    if (p.at("role") == "complainant") complainant = p.at("name") == "王桂兰" && p.at("phone") == "13800138000";
  BOOST_CHECK_MESSAGE(complainant, "the transferred case has no complainant with name and phone: persons = "
                                       << received.at("persons").dump());
}

BOOST_AUTO_TEST_CASE(a_rejected_closure_goes_back_to_work_and_a_reopened_case_gets_a_new_deadline) {
  const auto id = require_open_case(server, op);
  require_transition(server, op, id, "accept", notice_data());
  require_reply(server, op, id);
  require_transition(server, op, id, "request_closure", {{"outcome", "resolved"}, {"summary", "已解决"}, {"losses_avoided_fen", 0}});
  auto no_reason = transition(server, sup, id, "reject_closure", version_of(server, sup, id));
  CHECK_ERROR(no_reason, 422, "transition_not_allowed");
  CHECK_NAMES_FIELD(no_reason, "reason");
  const Json rejected = require_transition(server, sup, id, "reject_closure", {{"reason", "缺少回访记录"}});
  BOOST_TEST(rejected.at("status") == "in_progress");
  require_transition(server, op, id, "request_closure", {{"outcome", "resolved"}, {"summary", "已回访"}, {"losses_avoided_fen", 0}});
  const Json closed = require_transition(server, sup, id, "approve_closure");
  BOOST_TEST(closed.at("status") == "closed");
  const Json reopened = require_transition(server, sup, id, "reopen", {{"reason", "当事人再次来电求助"}});
  BOOST_TEST(reopened.at("status") == "in_progress");
  BOOST_TEST(reopened.at("closed_at").is_null());
  BOOST_TEST(deadline_date(reopened, "handling") >= shanghai_date(1));
  BOOST_TEST(reopened.at("reply").is_null());  // reopened: a new reply is owed
  auto negative = transition(server, op, id, "request_closure", reopened.at("version").get<std::int64_t>(),
                             {{"outcome", "resolved"}, {"summary", "x"}, {"losses_avoided_fen", -5}});
  CHECK_ERROR(negative, 422, "transition_not_allowed");
  CHECK_NAMES_FIELD(negative, "losses_avoided_fen");
}

BOOST_AUTO_TEST_CASE(closing_needs_a_reply_which_meets_the_handling_limit) {
  const auto id = require_open_case(server, op);
  auto untold = transition(server, op, id, "accept", version_of(server, op, id));
  CHECK_ERROR(untold, 422, "transition_not_allowed");
  CHECK_NAMES_FIELD(untold, "notice_method");
  auto undated = transition(server, op, id, "accept", version_of(server, op, id), {{"notice_method", "in_person"}});
  CHECK_ERROR(undated, 422, "transition_not_allowed");
  CHECK_NAMES_FIELD(undated, "notice_at");
  auto unnumbered = transition(server, op, id, "accept", version_of(server, op, id),
                               {{"notice_method", "written"}, {"notice_at", server.date()}});
  CHECK_ERROR(unnumbered, 422, "transition_not_allowed");
  CHECK_NAMES_FIELD(unnumbered, "notice_document_no");
  const Json accepted = require_transition(server, op, id, "accept",
                                           {{"notice_method", "written"}, {"notice_at", server.date()},
                                            {"notice_document_no", "永妇告〔2026〕9号"}});
  const Json& notice = accepted.at("notices").at(0);
  BOOST_TEST(notice.at("method") == "written");
  BOOST_TEST(notice.at("on_time") == true);
  BOOST_TEST(notice.at("due_at").is_string());
  BOOST_TEST(deadline_of(accepted, "handling").at("days_left") == 60);
  BOOST_TEST(accepted.at("reply").is_null());
  const auto events = accepted.at("available_events");
  BOOST_TEST((std::find(events.begin(), events.end(), "request_closure") == events.end()));

  auto closing = transition(server, op, id, "request_closure", accepted.at("version").get<std::int64_t>(),
                            {{"outcome", "resolved"}, {"summary", "已解决"}, {"losses_avoided_fen", 0}});
  CHECK_ERROR(closing, 422, "transition_not_allowed");
  CHECK_NAMES_FIELD(closing, "reply");
  auto no_basis = transition(server, op, id, "reply", accepted.at("version").get<std::int64_t>(),
                             {{"replied_at", server.date()}, {"method", "phone"}, {"opinion", "explain"}});
  CHECK_ERROR(no_basis, 422, "transition_not_allowed");
  CHECK_NAMES_FIELD(no_basis, "basis");

  const Json replied = require_transition(server, op, id, "reply",
                                          {{"replied_at", server.date()}, {"method", "written"}, {"opinion", "explain"},
                                           {"basis", "《妇女权益保障法》第六十五条"}, {"document_no", "永妇复〔2026〕4号"}});
  BOOST_TEST(replied.at("status") == "in_progress");
  BOOST_TEST(replied.at("reply").at("opinion") == "explain");
  BOOST_TEST(replied.at("reply").at("on_time") == true);
  BOOST_TEST(replied.at("due_at").is_null());  // the reply met the handling limit: nothing runs
  BOOST_TEST(replied.at("deadlines") == Json::array());
  const Json pending = require_transition(server, op, id, "request_closure",
                                          {{"outcome", "resolved"}, {"summary", "已答复"}, {"losses_avoided_fen", 0}});
  BOOST_TEST(pending.at("status") == "pending_closure");
  BOOST_TEST(require_transition(server, sup, id, "approve_closure").at("status") == "closed");
}

BOOST_AUTO_TEST_SUITE_END()
