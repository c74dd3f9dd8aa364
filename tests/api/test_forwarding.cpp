// Forward (转送) and delegate (交办) over HTTP: the receiving office works the case under its own
// clocks, from the day it arrives; the sending office reads it (read_only, no events to apply, writes
// answered 404) and sees its progress; the history travels with it; forward targets come from
// GET /offices?scope=all. A 交办 keeps the sender's case open until it accepts the receiver's report.
#include <boost/test/unit_test.hpp>
#include <algorithm>
#include <string>

#include "api/case_helpers.hpp"
#include "api/server_process.hpp"

using namespace hl::apitest;

namespace {

struct Offices {
  ServerProcess server;
  Login op = server.login(kOperator);    // 永兴县
  Login op2 = server.login(kOperator2);  // 桂阳县, a sibling county: 转送
  Login sup = server.login(kSupervisor); // 郴州市, above both
};

bool lists_office(const Json& items, std::int64_t id) {
  for (const auto& o : items)
    if (o.at("id") == id) return true;
  return false;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(forwarding, Offices)

BOOST_AUTO_TEST_CASE(forward_targets_are_every_active_office_only_on_request) {
  const auto sibling = op2.user.at("office_id").get<std::int64_t>();
  BOOST_TEST(!lists_office(require_items(server, op, "/api/v1/offices"), sibling));
  BOOST_TEST(lists_office(require_items(server, op, "/api/v1/offices?scope=all"), sibling));
  CHECK_ERROR(server.get(op, "/api/v1/offices?scope=everything"), 422, "validation_failed");
}

BOOST_AUTO_TEST_CASE(the_sending_office_follows_a_forwarded_case_read_only) {
  const auto sibling = op2.user.at("office_id").get<std::int64_t>();
  const auto id = require_open_case(server, op, "13800138000");
  require_transition(server, op, id, "accept", notice_data());
  const auto v = require_case(server, op, id).at("version").get<std::int64_t>();

  auto no_reason = transition(server, op, id, "forward", v, notice_data({{"target_office_id", sibling}}));
  CHECK_ERROR(no_reason, 422, "transition_not_allowed");
  CHECK_NAMES_FIELD(no_reason, "reason");
  auto untold = transition(server, op, id, "forward", v, {{"target_office_id", sibling}, {"reason", "r"}});
  CHECK_ERROR(untold, 422, "transition_not_allowed");
  CHECK_NAMES_FIELD(untold, "notice_method");
  CHECK_ERROR(transition(server, op, id, "transfer", v, notice_data({{"target_office_id", sibling}, {"reason", "r"}})),
              422, "validation_failed");  // the first version's single event is gone

  const Json original = require_case(server, op, id);
  server.advance_clock(3 * 86'400'000LL);  // it arrives three days after it was received here
  server.freeze_clock();                     // one day for the arrival, "today" and days_left
  op = server.login(kOperator);             // (the sessions' 12 hours are over)
  op2 = server.login(kOperator2);
  const Json moved = require_transition(server, op, id, "forward",
                                        notice_data({{"target_office_id", sibling}, {"reason", "当事人现居桂阳县"}}));
  BOOST_TEST(moved.at("status") == "forwarded");
  const auto new_id = moved.at("transferred_to_case_id").get<std::int64_t>();
  BOOST_TEST(moved.at("transferred_to").at("id") == new_id);
  BOOST_TEST(moved.at("transferred_to").at("office").at("id") == sibling);
  BOOST_TEST(moved.at("transferred_to").at("status") == "registered");

  // The sender opens the new case: read-only, nothing to apply, writes refused as not found.
  const Json seen = require_case(server, op, new_id);
  BOOST_TEST(seen.at("read_only") == true);
  BOOST_TEST(seen.at("available_events").empty());
  BOOST_TEST(seen.at("transferred_from").at("id") == id);
  const auto nv = seen.at("version").get<std::int64_t>();
  CHECK_ERROR(transition(server, op, new_id, "accept", nv, notice_data()), 404, "not_found");
  CHECK_ERROR(server.send(op, "PATCH", case_path(new_id), Json{{"version", nv}, {"summary", "改"}}), 404, "not_found");
  CHECK_ERROR(server.send(op, "POST", case_path(new_id, "/notes"), Json{{"text", "便签"}}), 404, "not_found");

  // The receiving office works it; the sender sees the feedback.
  const Json received = require_case(server, op2, new_id);
  BOOST_TEST(received.at("read_only") == false);
  // Its 15 days start on the day it arrived; the first receipt is kept for reference.
  BOOST_TEST(received.at("received_at").get<std::string>().substr(0, 10) == server.date());
  BOOST_TEST(received.at("first_received_at") == original.at("received_at"));
  BOOST_TEST(received.at("deadlines")[0].at("kind") == "acceptance");
  BOOST_TEST(received.at("deadlines")[0].at("days_left") == 15);
  BOOST_TEST(received.at("received").at("mode") == "forward");
  BOOST_TEST(!received.at("available_events").empty());
  require_transition(server, op2, new_id, "accept", notice_data());
  BOOST_TEST(require_case(server, op, new_id).at("status") == "in_progress");
  BOOST_TEST(require_case(server, op, id).at("transferred_to").at("status") == "in_progress");

  // The history moved with it: the original's accept and transfer are on the new case's timeline.
  const Json timeline = require_items(server, op2, case_path(new_id, "/timeline"));
  bool inherited_accept = false, inherited_transfer = false;
  for (const auto& t : timeline) {
    if (!t.contains("from_case")) continue;
    BOOST_TEST(t.at("from_case").at("id") == id);
    if (t.at("kind") == "event" && t.at("event") == "accept") inherited_accept = true;
    if (t.at("kind") == "event" && t.at("event") == "forward") {
      inherited_transfer = true;
      BOOST_TEST(t.at("data").at("reason") == "当事人现居桂阳县");
    }
  }
  BOOST_TEST(inherited_accept);
  BOOST_TEST(inherited_transfer);
  // The receiver reads the original (read-only); a partner and other logins still see nothing.
  BOOST_TEST(require_case(server, op2, id).at("read_only") == true);
  const Login police = server.login(kPolice);
  CHECK_ERROR(server.get(police, case_path(new_id)), 404, "not_found");
}

BOOST_AUTO_TEST_CASE(a_delegated_case_waits_for_the_report_which_is_returned_once_then_accepted) {
  const auto county = op.user.at("office_id").get<std::int64_t>();
  const auto id = require_open_case(server, sup, "13800138001");  // at the city
  const auto v = require_case(server, sup, id).at("version").get<std::int64_t>();
  auto no_due = transition(server, sup, id, "delegate", v, notice_data({{"target_office_id", county}, {"reason", "交县办理"}}));
  CHECK_ERROR(no_due, 422, "transition_not_allowed");
  CHECK_NAMES_FIELD(no_due, "report_due_days");
  const Json sent = require_transition(server, sup, id, "delegate",
                                       notice_data({{"target_office_id", county}, {"reason", "交永兴县妇联办理并报结果"},
                                                    {"report_due_days", 20}}));
  BOOST_TEST(sent.at("status") == "delegated");
  BOOST_TEST(sent.at("deadlines")[0].at("kind") == "report");
  BOOST_TEST(sent.at("deadlines")[0].at("days_left") == 20);
  BOOST_TEST(sent.at("sent").at("report_state") == "awaited");
  BOOST_TEST(sent.at("available_events") == Json::array());  // nothing to accept yet
  const auto theirs = sent.at("transferred_to_case_id").get<std::int64_t>();

  // The county handles it and reports; the report needs a closed, replied case.
  require_transition(server, op, theirs, "accept", notice_data());
  CHECK_ERROR(transition(server, op, theirs, "submit_report", require_case(server, op, theirs).at("version").get<std::int64_t>()),
              422, "transition_not_allowed");
  auto close_theirs = [&] {
    require_reply(server, op, theirs);
    require_transition(server, op, theirs, "request_closure", {{"outcome", "resolved"}, {"summary", "已调解"}, {"losses_avoided_fen", 0}});
    require_transition(server, sup, theirs, "approve_closure");
  };
  close_theirs();
  const Json closed = require_case(server, op, theirs);
  const auto events = closed.at("available_events");
  BOOST_TEST((std::find(events.begin(), events.end(), "submit_report") != events.end()));
  // A report from the wrong office is refused: another county cannot report on this case, and a
  // case of its own that no 交办 asked a report from has none to send.
  CHECK_ERROR(transition(server, op2, theirs, "submit_report", closed.at("version").get<std::int64_t>()), 404, "not_found");
  const auto own = require_open_case(server, op2);
  require_transition(server, op2, own, "accept", notice_data());
  require_reply(server, op2, own);
  require_transition(server, op2, own, "request_closure", {{"outcome", "resolved"}, {"summary", "已答复"}, {"losses_avoided_fen", 0}});
  require_transition(server, sup, own, "approve_closure");
  auto not_owed = transition(server, op2, own, "submit_report", require_case(server, op2, own).at("version").get<std::int64_t>());
  CHECK_ERROR(not_owed, 422, "transition_not_allowed");
  CHECK_ERROR(transition(server, sup, id, "report_received", require_case(server, sup, id).at("version").get<std::int64_t>()),
              422, "validation_failed");  // the engine's own step

  require_transition(server, op, theirs, "submit_report");
  Json mine = require_case(server, sup, id);
  BOOST_TEST(mine.at("sent").at("report_state") == "reported");
  BOOST_TEST(mine.at("deadlines") == Json::array());
  BOOST_TEST(mine.at("available_events") == Json::array({"accept_report", "return_report"}));
  CHECK_ERROR(transition(server, op, theirs, "submit_report", require_case(server, op, theirs).at("version").get<std::int64_t>()),
              422, "transition_not_allowed");  // sent once

  // Returned once (退回重办): the county's case is back in handling with the reason and a new date.
  auto no_reason = transition(server, sup, id, "return_report", mine.at("version").get<std::int64_t>(), {{"report_due_days", 10}});
  CHECK_ERROR(no_reason, 422, "transition_not_allowed");
  CHECK_NAMES_FIELD(no_reason, "reason");
  mine = require_transition(server, sup, id, "return_report", {{"reason", "缺少调解笔录"}, {"report_due_days", 10}});
  BOOST_TEST(mine.at("status") == "delegated");
  BOOST_TEST(mine.at("sent").at("returns") == 1);
  BOOST_TEST(mine.at("deadlines")[0].at("days_left") == 10);
  const Json back = require_case(server, op, theirs);
  BOOST_TEST(back.at("status") == "in_progress");
  BOOST_TEST(back.at("reply").is_null());
  BOOST_TEST(back.at("received").at("last_return_reason") == "缺少调解笔录");
  BOOST_TEST(back.at("deadlines")[0].at("days_left") == 10);

  close_theirs();
  require_transition(server, op, theirs, "submit_report");
  mine = require_transition(server, sup, id, "accept_report");
  BOOST_TEST(mine.at("status") == "closed");
  BOOST_TEST(mine.at("reply").at("from_case_id") == theirs);
  BOOST_TEST(mine.at("sent").at("report_state") == "accepted");
}

BOOST_AUTO_TEST_CASE(intake_per_day_counts_todays_contacts_by_channel) {
  server.freeze_clock();  // "today" is the same day before and after the intake
  const Json before = body_json(server.get(sup, "/api/v1/dashboard/intake-daily?days=7"));
  BOOST_REQUIRE(before.at("days").size() == 7u);
  BOOST_TEST(before.at("days").back() == server.date());
  BOOST_TEST(before.at("days").front() == server.date(-6));
  const auto today_before = before.at("total").back().get<std::int64_t>();
  require_open_case(server, op);
  const Json after = body_json(server.get(sup, "/api/v1/dashboard/intake-daily?days=7"));
  BOOST_TEST(after.at("total").back().get<std::int64_t>() == today_before + 1);
  std::int64_t hotline_today = -1;
  for (const auto& s : after.at("series"))
    if (s.at("channel") == "hotline") hotline_today = s.at("counts").back().get<std::int64_t>();
  BOOST_TEST(hotline_today >= 1);
  CHECK_ERROR(server.get(sup, "/api/v1/dashboard/intake-daily?days=0"), 422, "validation_failed");
  CHECK_ERROR(server.get(sup, "/api/v1/dashboard/intake-daily?days=x"), 422, "validation_failed");
  CHECK_STATUS(server.get(op, "/api/v1/dashboard/intake-daily"), 403);
}

BOOST_AUTO_TEST_CASE(intake_can_ask_for_repeat_victimisation_before_the_case_exists) {
  const std::string phone = "13912345678";
  const Json none = body_json(server.get(op, "/api/v1/dv/repeat-check?phone=" + phone));
  BOOST_TEST(none.at("repeat") == false);
  const auto first = require_open_case(server, op, phone);
  const Json found = body_json(server.get(op, "/api/v1/dv/repeat-check?phone=" + phone));
  BOOST_TEST(found.at("repeat") == true);
  BOOST_REQUIRE(found.at("previous_cases").size() == 1u);
  BOOST_TEST(found.at("previous_cases")[0].at("id") == first);
  // Another county's operator does not learn about it.
  BOOST_TEST(body_json(server.get(op2, "/api/v1/dv/repeat-check?phone=" + phone)).at("repeat") == false);
  CHECK_ERROR(server.get(op, "/api/v1/dv/repeat-check"), 422, "validation_failed");
  CHECK_ERROR(server.get(op, "/api/v1/dv/repeat-check?phone=abc"), 422, "validation_failed");
  CHECK_STATUS(server.get(server.login(kPolice), "/api/v1/dv/repeat-check?phone=" + phone), 404);
}

BOOST_AUTO_TEST_SUITE_END()
