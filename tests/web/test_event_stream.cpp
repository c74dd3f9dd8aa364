// Server-Sent Events: the EventStream queue on its own, then streams on a real server on
// 127.0.0.1 — headers and framing, rejection, disconnects, stop, heartbeat, slow clients, and
// ordinary requests alongside. Timing is only ever bounded from above, generously.
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "http_client.hpp"
#include "test_server.hpp"
#include "web/http/event_stream.hpp"
#include "web/http/metrics.hpp"
#include "web/http/router.hpp"
#include "web/http/server.hpp"

using namespace std::chrono_literals;
using hl::test::eventually;
using hl::test::HttpConnection;
using hl::test::TestServer;
using hl::test::request;
using hl::web::EventStream;
using hl::web::HttpRequest;
using hl::web::HttpResponse;
using hl::web::json_response;
using hl::web::Reply;
using hl::web::StreamStart;

namespace {

// The streams handlers accepted, in order, and how many have finished (on_close).
class Streams {
 public:
  void add(std::shared_ptr<EventStream> stream) {
    stream->on_close([this] {
      std::lock_guard lock(mutex_);
      ++closed_;
      changed_.notify_all();
    });
    std::lock_guard lock(mutex_);
    streams_.push_back(std::move(stream));
    changed_.notify_all();
  }
  // The n-th stream (1-based), once accepted; fails the test after 10 s.
  std::shared_ptr<EventStream> wait_for(std::size_t n) {
    std::unique_lock lock(mutex_);
    BOOST_REQUIRE(changed_.wait_for(lock, 10s, [&] { return streams_.size() >= n; }));
    return streams_[n - 1];
  }
  bool wait_closed(int n, std::chrono::seconds limit = 10s) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, limit, [&] { return closed_ >= n; });
  }
  int closed() {
    std::lock_guard lock(mutex_);
    return closed_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::shared_ptr<EventStream>> streams_;
  int closed_ = 0;
};

// Threads of the test's own (a database worker, a publisher); joined on destruction.
class Threads {
 public:
  template <class F>
  void spawn(F f) {
    std::lock_guard lock(mutex_);
    threads_.emplace_back(std::move(f));
  }

 private:
  std::mutex mutex_;
  std::vector<std::jthread> threads_;
};



struct Fixture {
  explicit Fixture(hl::web::ServerOptions options = {})
      : server([this](hl::web::Router& r) { routes(r); }, options) {}

  void routes(hl::web::Router& r) {
    r.add("GET", "/api/v1/ping", [](HttpRequest&, Reply reply) { reply(json_response(200, R"({"pong":true})")); });
    r.add_stream("/api/v1/events", [this](HttpRequest&, StreamStart start) { streams.add(start.accept()); });
    r.add_stream("/api/v1/events/denied", [](HttpRequest&, StreamStart start) {
      start.reject(hl::web::error_response(hl::Error{hl::Errc::unauthenticated, "log in first", {}}));
    });
    r.add_stream("/api/v1/events/dropped", [](HttpRequest&, StreamStart) {});
    // Decides on another thread, and sends before the header can have been written.
    r.add_stream("/api/v1/events/late", [this](HttpRequest& req, StreamStart start) {
      std::string who = req.query.count("who") ? req.query.at("who") : "";
      threads.spawn([this, start, who] {
        auto stream = start.accept();
        stream->send("hello", who);
        streams.add(std::move(stream));
      });
    });
  }

  unsigned short port() const { return server.port(); }

  Streams streams;   // outlives the server: on_close callbacks may run while it stops
  Threads threads;
  TestServer server;
};

hl::web::ServerOptions heartbeat_every_second() {
  hl::web::ServerOptions options;
  options.stream_heartbeat = 1s;
  return options;
}

struct HeartbeatFixture : Fixture {
  HeartbeatFixture() : Fixture(heartbeat_every_second()) {}
};

hl::web::ServerOptions short_request_timeout() {
  hl::web::ServerOptions options;
  options.request_timeout = 1s;
  options.stream_heartbeat = 0ms;  // off: nothing at all crosses the connection while it waits
  return options;
}

struct ShortTimeoutFixture : Fixture {
  ShortTimeoutFixture() : Fixture(short_request_timeout()) {}
};

hl::web::ServerOptions small_queue() {
  hl::web::ServerOptions options;
  options.stream_queue_bytes = 256 * 1024;
  return options;
}

struct SmallQueueFixture : Fixture {
  SmallQueueFixture() : Fixture(small_queue()) {}
};

nlohmann::json error_of(const hl::test::HttpClientResponse& r) { return nlohmann::json::parse(r.body).at("error"); }

}  // namespace

BOOST_AUTO_TEST_SUITE(event_stream)

// --- The queue on its own ---

BOOST_AUTO_TEST_CASE(messages_are_framed_with_one_data_line_per_line) {
  BOOST_TEST(EventStream::format("case.updated", R"({"id":7})", "41") ==
             "event: case.updated\nid: 41\ndata: {\"id\":7}\n\n");
  BOOST_TEST(EventStream::format("", "plain") == "data: plain\n\n");
  BOOST_TEST(EventStream::format("m", "a\nb\r\nc\rd") == "event: m\ndata: a\ndata: b\ndata: c\ndata: d\n\n");
  BOOST_TEST(EventStream::format("m", "ends\n") == "event: m\ndata: ends\ndata: \n\n");
  BOOST_TEST(EventStream::format("m", "") == "event: m\ndata: \n\n");
  // CR, LF and NUL cannot smuggle fields through the event name or the id.
  BOOST_TEST(EventStream::format("bad\r\ndata: injected", "x", std::string_view("1\n2\0", 4)) ==
             "event: baddata: injected\nid: 12\ndata: x\n\n");
}

BOOST_AUTO_TEST_CASE(a_stream_queues_until_closed_and_on_close_runs_once) {
  int wakes = 0;
  EventStream stream({}, [&] { ++wakes; });
  BOOST_TEST(stream.send("a", "1"));
  BOOST_TEST(stream.send("b", "2", "9"));
  BOOST_TEST(wakes == 1);  // once until the next take()
  auto taken = stream.take();
  BOOST_TEST(taken.bytes == "event: a\ndata: 1\n\nevent: b\nid: 9\ndata: 2\n\n");
  BOOST_TEST((taken.state == EventStream::State::open));
  BOOST_TEST(stream.send("c", "3"));
  BOOST_TEST(wakes == 2);
  BOOST_TEST(stream.send("c2", "3"));
  BOOST_TEST(wakes == 2);

  int closes = 0;
  stream.on_close([&] { ++closes; });
  stream.close();
  BOOST_TEST(wakes == 3);  // close() always wakes, even with a wake not yet taken
  BOOST_TEST(stream.closed());
  BOOST_TEST(!stream.send("d", "4"));
  BOOST_TEST(closes == 0);  // runs when the connection has finished the stream, not inside close()
  taken = stream.take();
  BOOST_TEST(taken.bytes == "event: c\ndata: 3\n\nevent: c2\ndata: 3\n\n");  // queued before close()
  BOOST_TEST((taken.state == EventStream::State::closing));
  stream.finish();
  stream.finish();
  BOOST_TEST(closes == 1);
  // Registered too late: runs at once.
  bool late = false;
  stream.on_close([&] { late = true; });
  BOOST_TEST(late);
}

BOOST_AUTO_TEST_CASE(overflowing_either_bound_drops_the_stream) {
  EventStream by_count({.max_messages = 3, .max_bytes = 1 << 20});
  for (int i = 0; i < 3; ++i) BOOST_TEST(by_count.send("e", "x"));
  BOOST_TEST(!by_count.send("e", "x"));
  BOOST_TEST(by_count.closed());
  BOOST_TEST((by_count.state() == EventStream::State::overflowed));
  BOOST_TEST(by_count.take().bytes.empty());  // the queue was dropped

  EventStream by_size({.max_messages = 1000, .max_bytes = 1000});
  const std::string data(300, 'y');
  for (int i = 0; i < 3; ++i) BOOST_TEST(by_size.send("e", data));
  BOOST_TEST(!by_size.send("e", data));
  BOOST_TEST(!by_size.send("e", "small"));  // stays closed
}

BOOST_AUTO_TEST_CASE(a_stream_route_matches_get_only_and_a_handler_can_be_tested_without_a_server) {
  hl::web::Router router;
  int accepted = 0;
  router.add_stream("/api/v1/events", [&](HttpRequest& req, StreamStart start) {
    if (req.header("X-User").empty())
      return start.reject(hl::web::error_response(hl::Error{hl::Errc::unauthenticated, "log in", {}}));
    ++accepted;
    start.accept()->send("welcome", req.header("X-User"));
  });
  BOOST_CHECK_THROW(router.add("GET", "/api/v1/events", [](HttpRequest&, Reply) {}), std::invalid_argument);
  BOOST_CHECK_THROW(router.add_stream("/api/v1/x", {}), std::invalid_argument);

  auto match = router.match("GET", "/api/v1/events");
  BOOST_TEST((match.outcome == hl::web::Router::Match::Outcome::found));
  BOOST_TEST(match.handler == nullptr);
  BOOST_REQUIRE(match.stream_handler != nullptr);
  auto head = router.match("HEAD", "/api/v1/events");
  BOOST_TEST((head.outcome == hl::web::Router::Match::Outcome::method_not_allowed));
  BOOST_TEST(head.allow == "GET");

  // A Target of the test's own captures the answer.
  struct Capture : StreamStart::Target {
    std::optional<HttpResponse> rejected;
    std::shared_ptr<EventStream> stream;
    void reject(HttpResponse r) override { rejected = std::move(r); }
    std::shared_ptr<EventStream> accept() override { return stream = std::make_shared<EventStream>(); }
  };
  auto anonymous = std::make_shared<Capture>();
  HttpRequest request;
  (*match.stream_handler)(request, StreamStart(anonymous));
  BOOST_TEST(anonymous->rejected.has_value());
  BOOST_TEST(anonymous->rejected->status == 401u);

  auto known = std::make_shared<Capture>();
  request.headers["x-user"] = "op1";
  (*match.stream_handler)(request, StreamStart(known));
  BOOST_REQUIRE(known->stream);
  BOOST_TEST(known->stream->take().bytes == "event: welcome\ndata: op1\n\n");
  BOOST_TEST(accepted == 1);
}

// --- On a server ---

BOOST_FIXTURE_TEST_CASE(a_client_gets_the_headers_and_events_from_another_thread_in_order, Fixture) {
  HttpConnection c(port());
  auto r = c.open_stream("/api/v1/events");
  BOOST_TEST(r.status == 200u);
  BOOST_TEST(r.header("content-type") == "text/event-stream");
  BOOST_TEST(r.header("cache-control") == "no-store");
  BOOST_TEST(r.header("x-accel-buffering") == "no");
  BOOST_TEST(r.header("transfer-encoding") == "chunked");
  BOOST_TEST(!r.has_header("content-length"));

  auto stream = streams.wait_for(1);
  BOOST_TEST(eventually([&] { return server.server().stream_count() == 1; }));
  bool all_sent = false;  // Boost.Test assertions stay on the test's thread
  std::thread producer([stream, &all_sent] {
    all_sent = stream->send("case.created", R"({"id":1})", "1") &&
               stream->send("case.updated", "line one\nline two", "2") && stream->send("", "third");
  });
  producer.join();
  BOOST_TEST(all_sent);
  BOOST_TEST(c.next_event().value_or("") == "event: case.created\nid: 1\ndata: {\"id\":1}\n\n");
  BOOST_TEST(c.next_event().value_or("") == "event: case.updated\nid: 2\ndata: line one\ndata: line two\n\n");
  BOOST_TEST(c.next_event().value_or("") == "data: third\n\n");

  auto metrics = server.metrics().render();
  BOOST_TEST(metrics.find("\nhotline_http_event_streams 1\n") != std::string::npos);
  BOOST_TEST(metrics.find("\nhotline_http_event_streams_opened_total 1\n") != std::string::npos);
  BOOST_TEST(metrics.find(R"(hotline_http_requests_total{route="/api/v1/events",status="200"} 1)") !=
             std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(an_accept_from_another_thread_delivers_what_was_sent_before_the_header, Fixture) {
  HttpConnection c(port());
  BOOST_TEST(c.open_stream("/api/v1/events/late?who=desk").status == 200u);
  BOOST_TEST(c.next_event().value_or("") == "event: hello\ndata: desk\n\n");
}

BOOST_FIXTURE_TEST_CASE(close_from_the_server_flushes_the_queue_then_ends_the_stream, Fixture) {
  HttpConnection c(port());
  BOOST_TEST(c.open_stream("/api/v1/events").status == 200u);
  auto stream = streams.wait_for(1);
  BOOST_TEST(stream->send("a", "1"));
  BOOST_TEST(stream->send("b", "2"));
  stream->close();
  BOOST_TEST(!stream->send("c", "3"));
  BOOST_TEST(c.next_event().value_or("") == "event: a\ndata: 1\n\n");
  BOOST_TEST(c.next_event().value_or("") == "event: b\ndata: 2\n\n");
  BOOST_TEST(!c.next_event().has_value());
  BOOST_TEST(streams.wait_closed(1));
  BOOST_TEST(eventually([&] { return server.server().stream_count() == 0; }));
}

BOOST_FIXTURE_TEST_CASE(a_rejected_stream_gets_the_error_envelope, Fixture) {
  HttpConnection c(port());
  auto r = c.open_stream("/api/v1/events/denied");
  BOOST_TEST(r.status == 401u);
  BOOST_TEST(r.header("content-type") == "application/json");
  BOOST_TEST(error_of(r)["code"] == "unauthenticated");
  BOOST_TEST(r.header("connection") == "close");
  BOOST_TEST(c.closed_by_peer_within(10s));

  // A handler that drops its StreamStart unanswered is a 500, as with a Reply.
  auto dropped = request(port(), "GET", "/api/v1/events/dropped");
  BOOST_TEST(dropped.status == 500u);
  BOOST_TEST(error_of(dropped)["code"] == "internal");

  // Streams are GET only.
  auto post = request(port(), "POST", "/api/v1/events", "{}");
  BOOST_TEST(post.status == 405u);
  BOOST_TEST(post.header("allow") == "GET");
  BOOST_TEST(request(port(), "HEAD", "/api/v1/events").status == 405u);
  BOOST_TEST(server.server().stream_count() == 0u);
}

BOOST_FIXTURE_TEST_CASE(a_client_disconnecting_runs_on_close_and_send_then_fails, Fixture) {
  {
    HttpConnection c(port());
    BOOST_TEST(c.open_stream("/api/v1/events").status == 200u);
    BOOST_TEST(streams.wait_for(1)->send("a", "1"));
    BOOST_TEST(c.next_event().has_value());
  }  // the client goes away without a word
  auto stream = streams.wait_for(1);
  BOOST_TEST(streams.wait_closed(1));  // noticed through the pending read, not a heartbeat 15 s on
  BOOST_TEST(stream->closed());
  BOOST_TEST(!stream->send("b", "2"));
  BOOST_TEST(eventually([&] { return server.server().stream_count() == 0; }));
  BOOST_TEST(eventually([&] { return server.server().connection_count() == 0; }));
}

BOOST_FIXTURE_TEST_CASE(stop_with_two_open_streams_returns_promptly_and_finishes_both, Fixture) {
  HttpConnection first(port());
  HttpConnection second(port());
  BOOST_TEST(first.open_stream("/api/v1/events").status == 200u);
  BOOST_TEST(second.open_stream("/api/v1/events").status == 200u);
  auto a = streams.wait_for(1);
  auto b = streams.wait_for(2);
  BOOST_TEST(eventually([&] { return server.server().stream_count() == 2; }));

  auto started = std::chrono::steady_clock::now();
  BOOST_TEST(server.stop_and_wait(5s));  // drain_timeout is 10 s: streams are not waited for
  BOOST_TEST((std::chrono::steady_clock::now() - started < 5s));
  BOOST_TEST(streams.closed() == 2);
  BOOST_TEST(!a->send("x", "y"));
  BOOST_TEST(!b->send("x", "y"));
  BOOST_TEST(!first.next_event().has_value());
  BOOST_TEST(!second.next_event().has_value());
}

BOOST_FIXTURE_TEST_CASE(an_idle_stream_gets_a_heartbeat_comment, HeartbeatFixture) {
  HttpConnection c(port());
  BOOST_TEST(c.open_stream("/api/v1/events").status == 200u);
  BOOST_TEST(c.next_event(10s).value_or("") == ": ping\n\n");
  BOOST_TEST(c.next_event(10s).value_or("") == ": ping\n\n");
  // Events still arrive between heartbeats.
  BOOST_TEST(streams.wait_for(1)->send("a", "1"));
  std::optional<std::string> next;
  do next = c.next_event(10s);
  while (next == ": ping\n\n");
  BOOST_TEST(next.value_or("") == "event: a\ndata: 1\n\n");
}

BOOST_FIXTURE_TEST_CASE(the_request_timeout_does_not_end_an_idle_stream, ShortTimeoutFixture) {
  HttpConnection c(port());
  BOOST_TEST(c.open_stream("/api/v1/events").status == 200u);
  auto stream = streams.wait_for(1);
  // An ordinary connection opened after the stream and left silent is cut off by the request
  // timeout; once it has been, the stream, silent for longer, must still be open.
  HttpConnection idle(port());
  BOOST_TEST_REQUIRE(idle.closed_by_peer_within(10s));
  BOOST_TEST(stream->send("later", "still here"));
  BOOST_TEST(c.next_event().value_or("") == "event: later\ndata: still here\n\n");
  BOOST_TEST(streams.closed() == 0);
}

BOOST_FIXTURE_TEST_CASE(a_client_that_does_not_read_is_dropped_with_bounded_memory, SmallQueueFixture) {
  HttpConnection c(port());
  c.send_raw("GET /api/v1/events HTTP/1.1\r\nHost: x\r\n\r\n");  // and then never reads
  auto stream = streams.wait_for(1);
  const std::string data(64 * 1024, 'z');
  int sent = 0;
  bool refused = false;
  // At most 4000 x 64 KiB = 250 MiB would be offered; kernel buffers take a few MiB, the queue
  // 256 KiB, and then send() must refuse.
  // After each message the test waits until the connection has taken the queue, so that it is the
  // client not reading (the socket full), not the burst, that fills the queue. Once a message is no
  // longer taken the socket is full: from then on the queue can only grow.
  bool socket_full = false;
  for (int i = 0; i < 4000 && !refused; ++i) {
    if (stream->send("bulk", data)) ++sent;
    else refused = true;
    if (!socket_full && !refused) socket_full = !eventually([&] { return stream->queued_bytes() == 0; }, 500ms);
  }
  BOOST_TEST(refused);
  BOOST_TEST_MESSAGE("a client not reading was dropped after " << sent << " messages of 64 KiB");
  BOOST_TEST(sent > 4);  // more than the queue alone holds: the socket took some
  BOOST_TEST(sent < 4000);
  BOOST_TEST(stream->closed());
  BOOST_TEST(streams.wait_closed(1));
  BOOST_TEST(c.closed_by_peer_within(10s));
  BOOST_TEST(eventually([&] { return server.server().stream_count() == 0; }));
  BOOST_TEST(server.metrics().render().find("\nhotline_http_event_streams_dropped_total 1\n") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(ordinary_requests_keep_working_while_streams_are_open, Fixture) {
  const std::size_t n = hl::test::more_threads_than_cores() + 1;  // more streams than I/O threads
  std::vector<std::unique_ptr<HttpConnection>> listeners;
  for (std::size_t i = 0; i < n; ++i) {
    listeners.push_back(std::make_unique<HttpConnection>(port()));
    BOOST_TEST(listeners.back()->open_stream("/api/v1/events").status == 200u);
  }
  for (std::size_t i = 1; i <= n; ++i) streams.wait_for(i);
  HttpConnection keep_alive(port());
  for (int i = 0; i < 5; ++i) {
    BOOST_TEST(request(port(), "GET", "/api/v1/ping").status == 200u);
    BOOST_TEST(keep_alive.request("GET", "/api/v1/ping").body == R"({"pong":true})");
  }
  for (std::size_t i = 1; i <= n; ++i) BOOST_TEST(streams.wait_for(i)->send("n", std::to_string(i)));
  for (std::size_t i = 0; i < n; ++i)
    BOOST_TEST(listeners[i]->next_event().value_or("") == "event: n\ndata: " + std::to_string(i + 1) + "\n\n");
  BOOST_TEST(server.server().stream_count() == n);
}

BOOST_FIXTURE_TEST_CASE(an_http_1_0_client_gets_a_body_that_ends_with_the_connection, Fixture) {
  HttpConnection c(port());
  c.send_raw("GET /api/v1/events HTTP/1.0\r\n\r\n");
  auto stream = streams.wait_for(1);
  BOOST_TEST(stream->send("a", "1"));
  BOOST_TEST(eventually([&] { return stream->queued_bytes() == 0; }));  // written: close() has nothing left to write
  stream->close();
  auto r = c.read_response();
  BOOST_TEST(r.status == 200u);
  BOOST_TEST(r.header("content-type") == "text/event-stream");
  BOOST_TEST(!r.has_header("transfer-encoding"));
  BOOST_TEST(r.body == "event: a\ndata: 1\n\n");
}

BOOST_AUTO_TEST_SUITE_END()
