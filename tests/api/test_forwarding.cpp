// Assign down / forward (交办 / 转送) over HTTP: the receiving office works the case; the sending
// office reads it (read_only, no events to apply, writes answered 404) and sees its progress; the
// history travels with it; forward targets come from GET /offices?scope=all.
#include <boost/test/unit_test.hpp>
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
  require_transition(server, op, id, "accept");
  const auto v = require_case(server, op, id).at("version").get<std::int64_t>();

  auto no_reason = transition(server, op, id, "transfer", v, {{"target_office_id", sibling}});
  CHECK_ERROR(no_reason, 422, "transition_not_allowed");
  CHECK_NAMES_FIELD(no_reason, "reason");
  auto wrong_mode = transition(server, op, id, "transfer", v, {{"target_office_id", sibling}, {"reason", "r"}, {"mode", "assign_down"}});
  CHECK_ERROR(wrong_mode, 422, "transition_not_allowed");
  CHECK_NAMES_FIELD(wrong_mode, "mode");

  const Json moved = require_transition(server, op, id, "transfer",
                                        {{"target_office_id", sibling}, {"mode", "forward"}, {"reason", "当事人现居桂阳县"}});
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
  CHECK_ERROR(transition(server, op, new_id, "accept", nv), 404, "not_found");
  CHECK_ERROR(server.send(op, "PATCH", case_path(new_id), Json{{"version", nv}, {"summary", "改"}}), 404, "not_found");
  CHECK_ERROR(server.send(op, "POST", case_path(new_id, "/notes"), Json{{"text", "便签"}}), 404, "not_found");

  // The receiving office works it; the sender sees the feedback.
  const Json received = require_case(server, op2, new_id);
  BOOST_TEST(received.at("read_only") == false);
  BOOST_TEST(!received.at("available_events").empty());
  require_transition(server, op2, new_id, "accept");
  BOOST_TEST(require_case(server, op, new_id).at("status") == "in_progress");
  BOOST_TEST(require_case(server, op, id).at("transferred_to").at("status") == "in_progress");

  // The history moved with it: the original's accept and transfer are on the new case's timeline.
  const Json timeline = require_items(server, op2, case_path(new_id, "/timeline"));
  bool inherited_accept = false, inherited_transfer = false;
  for (const auto& t : timeline) {
    if (!t.contains("from_case")) continue;
    BOOST_TEST(t.at("from_case").at("id") == id);
    if (t.at("kind") == "event" && t.at("event") == "accept") inherited_accept = true;
    if (t.at("kind") == "event" && t.at("event") == "transfer") {
      inherited_transfer = true;
      BOOST_TEST(t.at("data").at("reason") == "当事人现居桂阳县");
      BOOST_TEST(t.at("data").at("mode") == "forward");
    }
  }
  BOOST_TEST(inherited_accept);
  BOOST_TEST(inherited_transfer);
  // The receiver reads the original (read-only); a partner and other logins still see nothing.
  BOOST_TEST(require_case(server, op2, id).at("read_only") == true);
  const Login police = server.login(kPolice);
  CHECK_ERROR(server.get(police, case_path(new_id)), 404, "not_found");
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
