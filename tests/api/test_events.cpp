// GET /api/v1/events: the live stream carries each committed change to exactly the users whose
// scope includes it, and never to others.
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "api/case_helpers.hpp"
#include "api/server_process.hpp"
#include "web/http_client.hpp"

using namespace hl::apitest;
using namespace std::chrono_literals;

namespace {

struct Subscription {
  std::unique_ptr<hl::test::HttpConnection> conn;
  int status = 0;
};

Subscription subscribe(const ServerProcess& server, const Login& who) {
  Subscription s;
  s.conn = std::make_unique<hl::test::HttpConnection>(server.port());
  auto r = s.conn->open_stream("/api/v1/events", {{"Cookie", "hl_session=" + who.token}});
  s.status = static_cast<int>(r.status);
  if (s.status == 200) {
    auto hello = s.conn->next_event(10s);
    BOOST_REQUIRE(hello && hello->find("event: hello") != std::string::npos);
  }
  return s;
}

// The next "change" event, skipping heartbeats; "" when none arrives within `limit`. A stream that
// ends or breaks fails the test: "nothing arrived" must never be a stream that cannot deliver.
std::string next_change(Subscription& s, std::chrono::seconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  for (;;) {
    const auto left = std::chrono::ceil<std::chrono::seconds>(until - std::chrono::steady_clock::now());
    if (left <= std::chrono::seconds::zero()) return "";
    std::optional<std::string> e;
    try {
      e = s.conn->next_event(left);
    } catch (const std::runtime_error& error) {
      if (std::string_view(error.what()).find("timed out") != std::string_view::npos) return "";
      BOOST_FAIL("the event stream broke: " << error.what());
    }
    BOOST_REQUIRE_MESSAGE(e.has_value(), "the event stream ended");
    if (e->find("event: change") != std::string::npos) return *e;
  }
}

std::string case_id_field(std::int64_t id) { return "\"case_id\":" + std::to_string(id); }

}  // namespace

BOOST_AUTO_TEST_SUITE(events)

BOOST_AUTO_TEST_CASE(a_new_case_reaches_its_office_and_the_city_but_not_the_neighbouring_county) {
  ServerProcess server;
  const auto op = server.login(kOperator);
  const auto sup = server.login(kSupervisor);
  const auto op2 = server.login(kOperator2);
  auto mine = subscribe(server, op);
  auto city = subscribe(server, sup);
  auto neighbour = subscribe(server, op2);
  BOOST_REQUIRE(mine.status == 200 && city.status == 200 && neighbour.status == 200);

  const auto id = require_open_case(server, op);
  for (auto* s : {&mine, &city}) {
    const auto e = next_change(*s, 10s);
    BOOST_TEST(e.find("\"kind\":\"case.create\"") != std::string::npos, e);
    BOOST_TEST(e.find("\"case_id\":" + std::to_string(id)) != std::string::npos, e);
    BOOST_TEST(e.find("丈夫") == std::string::npos);  // ids and kinds only, never content
  }
  // A change the neighbour may see proves its stream works; the earlier one must not precede it.
  require_open_case(server, op2);
  const auto seen = next_change(neighbour, 10s);
  BOOST_TEST(seen.find("\"case_id\":" + std::to_string(id) + "}") == std::string::npos, seen);
  BOOST_TEST(seen.find("case.create") != std::string::npos, seen);
}

BOOST_AUTO_TEST_CASE(a_partner_hears_of_a_referral_to_its_organisation_only) {
  ServerProcess server;
  const auto op = server.login(kOperator);
  const auto police = server.login(kPolice);
  const auto court = server.login(kCourt);
  auto police_stream = subscribe(server, police);
  auto court_stream = subscribe(server, court);
  BOOST_REQUIRE(police_stream.status == 200 && court_stream.status == 200);
  const auto id = require_open_case(server, op);
  require_transition(server, op, id, "accept", notice_data());
  const auto partner = require_police_partner(server, op, police);
  require_transition(server, op, id, "refer", refer_data(partner, true));
  const auto e = next_change(police_stream, 10s);
  BOOST_TEST(e.find("case.transition") != std::string::npos, e);
  BOOST_TEST(e.find(case_id_field(id)) != std::string::npos, e);

  // The marker: a later referral to the court's own organisation. The court's stream must deliver
  // it (so the stream works), and it must be the first change the court hears of — the police
  // referral committed before it, so had the court been told of that, it would have come first.
  const auto marker = require_open_case(server, op);
  require_transition(server, op, marker, "accept", notice_data());
  Json to_court = refer_data(court.user.at("partner_org_id").get<std::int64_t>(), true);
  to_court["service"] = "protection_order";
  require_transition(server, op, marker, "refer", to_court);
  const auto first = next_change(court_stream, 10s);
  BOOST_TEST(first.find(case_id_field(marker)) != std::string::npos, "the court's first change: " << first);
  BOOST_TEST(first.find(case_id_field(id) + ",") == std::string::npos, first);
  BOOST_TEST(first.find(case_id_field(id) + "}") == std::string::npos, first);
}

BOOST_AUTO_TEST_CASE(no_login_no_stream_and_admins_get_none) {
  ServerProcess server;
  hl::test::HttpConnection anonymous(server.port());
  BOOST_TEST(anonymous.open_stream("/api/v1/events").status == 401u);
  const auto admin = server.login(kAdmin);
  BOOST_TEST(subscribe(server, admin).status == 403);
}

BOOST_AUTO_TEST_CASE(logout_ends_the_stream) {
  ServerProcess server;
  const auto op = server.login(kOperator);
  auto s = subscribe(server, op);
  BOOST_REQUIRE(s.status == 200);
  REQUIRE_STATUS(server.del(op, "/api/v1/session"), 204);
  // Ended = the server finishes the stream (last chunk, close or reset) within 10 s. Silence until
  // the deadline is a stream still open — the heartbeat (15 s) may simply not have come yet — and
  // fails the test; heartbeats or events before the end are skipped.
  const auto until = std::chrono::steady_clock::now() + 10s;
  bool ended = false;
  while (!ended) {
    const auto left = std::chrono::ceil<std::chrono::seconds>(until - std::chrono::steady_clock::now());
    BOOST_REQUIRE_MESSAGE(left > std::chrono::seconds::zero(), "the stream is still open 10 s after logout");
    try {
      ended = !s.conn->next_event(left).has_value();
    } catch (const std::runtime_error& error) {
      BOOST_FAIL("no end of the stream after logout: " << error.what());
    }
  }
  BOOST_TEST(ended);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(events_sessions)

namespace {

// Ended = the server finishes the stream within 10 s without delivering another change first.
void expect_end_without_change(Subscription& s) {
  const auto until = std::chrono::steady_clock::now() + 10s;
  for (;;) {
    const auto left = std::chrono::ceil<std::chrono::seconds>(until - std::chrono::steady_clock::now());
    BOOST_REQUIRE_MESSAGE(left > std::chrono::seconds::zero(), "the stream is still open 10 s after its session ended");
    std::optional<std::string> e;
    try {
      e = s.conn->next_event(left);
    } catch (const std::runtime_error& error) {
      BOOST_FAIL("no end of the stream: " << error.what());
    }
    if (!e) return;
    BOOST_REQUIRE_MESSAGE(e->find("event: change") == std::string::npos, "a change reached an expired session: " << *e);
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(an_expired_sessions_stream_ends_at_the_next_change_instead_of_delivering_it) {
  ServerProcess server;
  const auto op = server.login(kOperator);
  auto s = subscribe(server, op);
  BOOST_REQUIRE(s.status == 200);
  // The idle timeout (30 min) passes with the desk left open: the stream is no request of hers.
  server.advance_clock(31 * 60'000);
  CHECK_ERROR(server.get(op, "/api/v1/session"), 401, "unauthenticated");
  // A change in her scope, made in a new session of hers: the old stream must not carry it.
  const auto op_again = server.login(kOperator);
  require_open_case(server, op_again);
  expect_end_without_change(s);
}

BOOST_AUTO_TEST_CASE(a_disabled_users_stream_ends) {
  ServerProcess server;
  const auto op = server.login(kOperator);
  const auto admin = server.login(kAdmin);
  auto s = subscribe(server, op);
  BOOST_REQUIRE(s.status == 200);
  REQUIRE_STATUS(server.send(admin, "PATCH", "/api/v1/users/" + std::to_string(op.user.at("id").get<std::int64_t>()),
                             {{"disabled", true}}),
                 200);
  expect_end_without_change(s);
}

BOOST_AUTO_TEST_CASE(event_ids_count_each_streams_own_events_not_other_offices_activity) {
  ServerProcess server;
  const auto op = server.login(kOperator);
  const auto op2 = server.login(kOperator2);
  auto neighbour = subscribe(server, op2);
  BOOST_REQUIRE(neighbour.status == 200);
  // Three changes in 永兴县 that 桂阳县 does not see, then one of its own.
  for (int i = 0; i < 3; ++i) require_open_case(server, op);
  require_open_case(server, op2);
  const auto first = next_change(neighbour, 10s);
  BOOST_TEST(first.find("\nid: 1\n") != std::string::npos, first);
  require_open_case(server, op2);
  const auto second = next_change(neighbour, 10s);
  BOOST_TEST(second.find("\nid: 2\n") != std::string::npos, second);
}

BOOST_AUTO_TEST_SUITE_END()
