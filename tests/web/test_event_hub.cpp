// EventHub without a server: event ids count each stream's own deliveries, and a stream whose
// session ended is closed instead of written.
#include <boost/test/unit_test.hpp>
#include <memory>

#include "web/app/event_hub.hpp"

using namespace hl;
using namespace hl::web;

namespace {

casework::Actor staff(const char* path, std::int64_t user = 1) {
  return casework::Actor{user, casework::Role::operator_, 1, path, std::nullopt};
}
Change change_in(const char* path, std::int64_t case_id) { return Change{"case.update", case_id, 0, path, {}, "2026-11-23T09:30:00+08:00"}; }

}  // namespace

BOOST_AUTO_TEST_SUITE(event_hub)

BOOST_AUTO_TEST_CASE(ids_count_each_streams_own_events_from_one) {
  EventHub hub;
  auto here = std::make_shared<EventStream>();
  auto there = std::make_shared<EventStream>();
  hub.subscribe(staff("/1/2/"), here, [] { return true; });
  hub.subscribe(staff("/1/3/"), there, [] { return true; });
  for (int i = 0; i < 3; ++i) hub.publish(change_in("/1/2/", 10 + i));
  hub.publish(change_in("/1/3/", 20));
  const auto seen = there->take().bytes;
  BOOST_TEST(seen.find("id: 1\n") != std::string::npos, seen);
  BOOST_TEST(seen.find("id: 4") == std::string::npos, seen);
  BOOST_TEST(here->take().bytes.find("id: 3\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_stream_whose_session_ended_is_closed_and_not_written) {
  EventHub hub;
  auto stream = std::make_shared<EventStream>();
  bool live = true;
  hub.subscribe(staff("/1/2/"), stream, [&live] { return live; });
  hub.publish(change_in("/1/2/", 1));
  BOOST_TEST(stream->take().bytes.find("\"case_id\":1") != std::string::npos);
  live = false;
  hub.publish(change_in("/1/2/", 2));
  const auto taken = stream->take();
  BOOST_TEST(taken.bytes.empty(), taken.bytes);
  BOOST_TEST(stream->closed());
}

// A call rings at one operator's desk (telephony): her streams only, numbered with her other events,
// and never a stream whose session ended.
BOOST_AUTO_TEST_CASE(a_message_for_one_user_reaches_only_her_live_streams) {
  EventHub hub;
  auto desk = std::make_shared<EventStream>();
  auto second_tab = std::make_shared<EventStream>();
  auto expired = std::make_shared<EventStream>();
  auto colleague = std::make_shared<EventStream>();
  hub.subscribe(staff("/1/2/", 7), desk, [] { return true; });
  hub.subscribe(staff("/1/2/", 7), second_tab, [] { return true; });
  hub.subscribe(staff("/1/2/", 7), expired, [] { return false; });
  hub.subscribe(staff("/1/2/", 8), colleague, [] { return true; });
  hub.publish(change_in("/1/2/", 1));
  BOOST_TEST(hub.deliver_to_user(7, "call", R"({"kind":"call.ringing"})") == 2u);
  const auto seen = desk->take().bytes;
  BOOST_TEST(seen.find(EventStream::format("call", R"({"kind":"call.ringing"})", "2")) != std::string::npos, seen);
  BOOST_TEST(second_tab->take().bytes.find("call.ringing") != std::string::npos);
  BOOST_TEST(expired->closed());
  BOOST_TEST(colleague->take().bytes.find("call.ringing") == std::string::npos);
  BOOST_TEST(hub.deliver_to_user(99, "call", "{}") == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
