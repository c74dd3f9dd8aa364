// The server against a real socket on 127.0.0.1: routing, limits, malformed input, keep-alive and
// pipelining, replies from other threads, handler failures, slow clients, graceful stop, static
// files. Timing is only ever bounded from above, generously.
#include <array>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "http_client.hpp"
#include "test_server.hpp"
#include "web/http/metrics.hpp"
#include "web/http/router.hpp"
#include "web/http/server.hpp"
#include "web/http/static_assets.hpp"

using namespace std::chrono_literals;
using hl::test::eventually;
using hl::test::HttpConnection;
using hl::test::TestServer;
using hl::test::request;
using hl::web::HttpRequest;
using hl::web::HttpResponse;
using hl::web::json_response;
using hl::web::Reply;

namespace {

// Answers from threads of its own after a delay, like the database writer would. Joins them on
// destruction, before the server goes away.
class LateReplier {
 public:
  void reply_after(std::chrono::milliseconds delay, Reply reply, HttpResponse response) {
    std::lock_guard lock(mutex_);
    threads_.emplace_back([delay, reply = std::move(reply), response = std::move(response)]() mutable {
      std::this_thread::sleep_for(delay);
      reply(std::move(response));
    });
  }

 private:
  std::mutex mutex_;
  std::vector<std::jthread> threads_;
};


constexpr std::array<hl::EmbeddedFile, 2> kStaticFiles = {{
    {"index.html", "<!doctype html><title>app</title>"},
    {"app.js", "console.log(1);"},
}};

// The routes most tests use.
struct Fixture {
  LateReplier late;
  hl::web::StaticAssets assets{kStaticFiles};
  TestServer server{[this](hl::web::Router& r) {
    r.add("GET", "/api/v1/ping", [](HttpRequest&, Reply reply) { reply(json_response(200, R"({"pong":true})")); });
    r.add("GET", "/api/v1/items/{id}", [](HttpRequest& req, Reply reply) {
      nlohmann::json j = {{"id", req.params.at("id")},
                          {"q", req.query.count("q") ? req.query.at("q") : ""},
                          {"agent", req.header("X-Agent")},
                          {"path", req.path},
                          {"ip", req.remote_ip}};
      reply(json_response(200, j.dump()));
    });
    auto size_echo = [](HttpRequest& req, Reply reply) {
      reply(json_response(200, R"({"size":)" + std::to_string(req.body.size()) + "}"));
    };
    // Raw bodies (.json_body = false): these routes test framing, not the JSON media type.
    r.add("POST", "/api/v1/small", size_echo, {.body_limit = 1024, .json_body = false});
    r.add("POST", "/api/v1/large", size_echo, {.body_limit = 64 * 1024, .json_body = false});
    r.add("GET", "/api/v1/slow", [this](HttpRequest&, Reply reply) {
      late.reply_after(300ms, std::move(reply), json_response(200, R"({"slow":true})"));
    });
    r.add("GET", "/api/v1/throw", [](HttpRequest&, Reply) -> void {
      throw std::runtime_error("secret detail from the database");
    });
    r.add("GET", "/api/v1/drop", [](HttpRequest&, Reply) {});
    r.add("GET", "/api/v1/twice", [](HttpRequest&, Reply reply) {
      reply(json_response(200, R"({"first":true})"));
      reply(json_response(201, R"({"second":true})"));
    });
    r.add_fallback([this](HttpRequest& req, Reply reply) { reply(assets.serve(req)); });
  }};

  unsigned short port() const { return server.port(); }
};

nlohmann::json error_of(const hl::test::HttpClientResponse& r) { return nlohmann::json::parse(r.body).at("error"); }

}  // namespace

BOOST_AUTO_TEST_SUITE(http_server)

BOOST_FIXTURE_TEST_CASE(json_route_answers_200_with_api_headers, Fixture) {
  auto r = request(port(), "GET", "/api/v1/ping");
  BOOST_TEST(r.status == 200u);
  BOOST_TEST(r.body == R"({"pong":true})");
  BOOST_TEST(r.header("content-type") == "application/json");
  BOOST_TEST(r.header("cache-control") == "no-store");
  BOOST_TEST(r.header("content-length") == "13");
  BOOST_TEST(!r.has_header("server"));
}

BOOST_FIXTURE_TEST_CASE(params_query_and_headers_reach_the_handler_decoded, Fixture) {
  auto r = request(port(), "GET", "/api/v1/items/%E5%AE%B6?q=a+b%26c&q=last", {}, {{"X-Agent", "pbx"}});
  BOOST_TEST(r.status == 200u);
  auto j = nlohmann::json::parse(r.body);
  BOOST_TEST(j["id"] == "家");
  BOOST_TEST(j["q"] == "last");
  BOOST_TEST(j["agent"] == "pbx");
  BOOST_TEST(j["path"] == "/api/v1/items/家");
  BOOST_TEST(j["ip"] == "127.0.0.1");
  auto first = nlohmann::json::parse(request(port(), "GET", "/api/v1/items/1?q=a+b%26c").body);
  BOOST_TEST(first["q"] == "a b&c");
}

BOOST_FIXTURE_TEST_CASE(unknown_api_route_is_a_404_envelope, Fixture) {
  auto r = request(port(), "GET", "/api/v1/nothing-here");
  BOOST_TEST(r.status == 404u);
  BOOST_TEST(error_of(r)["code"] == "not_found");
  BOOST_TEST(r.header("cache-control") == "no-store");
  auto post = request(port(), "POST", "/nowhere", "x");
  BOOST_TEST(post.status == 404u);
}

BOOST_FIXTURE_TEST_CASE(wrong_method_is_405_with_allow, Fixture) {
  auto r = request(port(), "DELETE", "/api/v1/ping");
  BOOST_TEST(r.status == 405u);
  BOOST_TEST(r.header("allow") == "GET, HEAD");
  BOOST_TEST(error_of(r)["code"] == "method_not_allowed");
}

BOOST_FIXTURE_TEST_CASE(head_gets_the_get_headers_without_a_body, Fixture) {
  HttpConnection c(port());
  auto r = c.request("HEAD", "/api/v1/ping");
  BOOST_TEST(r.status == 200u);
  BOOST_TEST(r.header("content-length") == "13");
  BOOST_TEST(r.body.empty());
  BOOST_TEST(c.request("GET", "/api/v1/ping").body == R"({"pong":true})");  // framing intact
}

BOOST_FIXTURE_TEST_CASE(body_over_the_route_limit_is_413_while_a_larger_limit_accepts_it, Fixture) {
  const std::string body(4096, 'x');
  auto refused = request(port(), "POST", "/api/v1/small", body);
  BOOST_TEST(refused.status == 413u);
  BOOST_TEST(error_of(refused)["code"] == "payload_too_large");
  BOOST_TEST(refused.header("connection") == "close");

  auto accepted = request(port(), "POST", "/api/v1/large", body);
  BOOST_TEST(accepted.status == 200u);
  BOOST_TEST(accepted.body == R"({"size":4096})");

  // A much bigger upload is refused from its Content-Length, and the answer still arrives.
  auto huge = request(port(), "POST", "/api/v1/large", std::string(2 << 20, 'y'));
  BOOST_TEST(huge.status == 413u);
}

BOOST_FIXTURE_TEST_CASE(chunked_body_over_the_limit_is_413, Fixture) {
  HttpConnection c(port());
  std::string chunk(800, 'z');
  c.send_raw("POST /api/v1/small HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
             "320\r\n" + chunk + "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n");
  auto r = c.read_response();
  BOOST_TEST(r.status == 413u);
  BOOST_TEST(error_of(r)["code"] == "payload_too_large");

  HttpConnection ok(port());
  ok.send_raw("POST /api/v1/small HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
              "320\r\n" + chunk + "\r\n0\r\n\r\n");
  BOOST_TEST(ok.read_response().body == R"({"size":800})");
}

BOOST_FIXTURE_TEST_CASE(expect_100_continue_is_answered_before_the_body_is_sent, Fixture) {
  HttpConnection c(port());
  c.send_raw("POST /api/v1/small HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  BOOST_TEST(c.read_response().status == 100u);
  c.send_raw("hello");
  BOOST_TEST(c.read_response().body == R"({"size":5})");
  // Over the limit: refused at once, without a 100.
  HttpConnection big(port());
  big.send_raw("POST /api/v1/small HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n");
  BOOST_TEST(big.read_response().status == 413u);
}

BOOST_FIXTURE_TEST_CASE(header_over_16_kib_is_rejected, Fixture) {
  auto r = request(port(), "GET", "/api/v1/ping", {}, {{"X-Padding", std::string(17 * 1024, 'a')}});
  BOOST_TEST((r.status == 431u || r.status == 400u));
  BOOST_TEST(error_of(r)["code"] == "bad_request");
  // Just under the limit is fine.
  BOOST_TEST(request(port(), "GET", "/api/v1/ping", {}, {{"X-Padding", std::string(15 * 1024, 'a')}}).status == 200u);
}

BOOST_FIXTURE_TEST_CASE(garbage_is_a_400_envelope_and_the_server_carries_on, Fixture) {
  const std::string inputs[] = {
      std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 garbage\r\n\r\n", 23),
      "GET /api/v1/ping HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
      "GET /api/v1/ping HTTP/9.9\r\n\r\n",
      "GET /api/v1/%zz HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /api/v1/ping%00x HTTP/1.1\r\nHost: x\r\n\r\n",
      "NOT A REQUEST\r\n\r\n",
  };
  for (const auto& input : inputs) {
    HttpConnection c(port());
    c.send_raw(input);
    auto r = c.read_response();
    BOOST_TEST(r.status == 400u, input);
    BOOST_TEST(error_of(r)["code"] == "bad_request");
    BOOST_TEST(c.closed_by_peer_within(10s));
  }
  BOOST_TEST(request(port(), "GET", "/api/v1/ping").status == 200u);
}

BOOST_FIXTURE_TEST_CASE(keep_alive_serves_several_requests_on_one_connection, Fixture) {
  HttpConnection c(port());
  for (int i = 0; i < 5; ++i) {
    auto r = c.request("GET", "/api/v1/items/" + std::to_string(i));
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(nlohmann::json::parse(r.body)["id"] == std::to_string(i));
    BOOST_TEST(r.header("connection") != "close");
  }
  BOOST_TEST(c.request("GET", "/api/v1/nothing").status == 404u);  // a 404 keeps the connection
  BOOST_TEST(c.request("GET", "/api/v1/ping").status == 200u);
}

BOOST_FIXTURE_TEST_CASE(pipelined_requests_are_answered_in_order, Fixture) {
  HttpConnection c(port());
  c.send_raw("GET /api/v1/slow HTTP/1.1\r\nHost: x\r\n\r\n"
             "GET /api/v1/items/2 HTTP/1.1\r\nHost: x\r\n\r\n"
             "GET /api/v1/ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  BOOST_TEST(c.read_response().body == R"({"slow":true})");
  BOOST_TEST(nlohmann::json::parse(c.read_response().body)["id"] == "2");
  auto last = c.read_response();
  BOOST_TEST(last.body == R"({"pong":true})");
  BOOST_TEST(last.header("connection") == "close");
  BOOST_TEST(c.closed_by_peer_within(10s));
}

BOOST_FIXTURE_TEST_CASE(a_reply_from_another_thread_after_a_delay_arrives, Fixture) {
  HttpConnection c(port());
  auto r = c.request("GET", "/api/v1/slow");
  BOOST_TEST(r.status == 200u);
  BOOST_TEST(r.body == R"({"slow":true})");
  BOOST_TEST(c.request("GET", "/api/v1/ping").status == 200u);
}

BOOST_FIXTURE_TEST_CASE(a_throwing_handler_is_a_500_without_details_and_the_next_request_works, Fixture) {
  HttpConnection c(port());
  auto r = c.request("GET", "/api/v1/throw");
  BOOST_TEST(r.status == 500u);
  BOOST_TEST(error_of(r)["code"] == "internal");
  BOOST_TEST(r.body.find("secret") == std::string::npos);
  BOOST_TEST(c.request("GET", "/api/v1/ping").status == 200u);
}

BOOST_FIXTURE_TEST_CASE(a_dropped_reply_is_a_500_and_a_second_call_is_ignored, Fixture) {
  HttpConnection c(port());
  BOOST_TEST(c.request("GET", "/api/v1/drop").status == 500u);
  auto twice = c.request("GET", "/api/v1/twice");
  BOOST_TEST(twice.status == 200u);
  BOOST_TEST(twice.body == R"({"first":true})");
  BOOST_TEST(c.request("GET", "/api/v1/ping").status == 200u);
}

BOOST_FIXTURE_TEST_CASE(static_files_come_with_type_etag_csp_and_spa_fallback, Fixture) {
  auto js = request(port(), "GET", "/app.js");
  BOOST_TEST(js.status == 200u);
  BOOST_TEST(js.header("content-type") == "text/javascript; charset=utf-8");
  BOOST_TEST(js.body == "console.log(1);");
  BOOST_TEST(js.header("content-security-policy").find("default-src 'self'") == 0u);
  BOOST_TEST(js.header("x-content-type-options") == "nosniff");
  BOOST_TEST(js.header("cache-control") == "no-cache");
  const auto etag = js.header("etag");
  BOOST_TEST(!etag.empty());

  auto again = request(port(), "GET", "/app.js", {}, {{"If-None-Match", etag}});
  BOOST_TEST(again.status == 304u);
  BOOST_TEST(again.body.empty());
  BOOST_TEST(again.header("etag") == etag);

  auto spa = request(port(), "GET", "/cases/123");
  BOOST_TEST(spa.status == 200u);
  BOOST_TEST(spa.header("content-type") == "text/html; charset=utf-8");
  BOOST_TEST(spa.body == "<!doctype html><title>app</title>");
  BOOST_TEST(request(port(), "GET", "/").body == spa.body);
  BOOST_TEST(request(port(), "GET", "/missing.css").status == 404u);
}

BOOST_FIXTURE_TEST_CASE(responses_are_counted_by_route_pattern, Fixture) {
  request(port(), "GET", "/api/v1/items/5");
  request(port(), "POST", "/api/v1/nothing");  // GETs would go to the static fallback, "/*"
  auto text = server.metrics().render();
  BOOST_TEST(text.find(R"(hotline_http_requests_total{route="/api/v1/items/{id}",status="200"} 1)") !=
             std::string::npos);
  BOOST_TEST(text.find(R"(hotline_http_requests_total{route="unmatched",status="404"} 1)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_client_sending_half_a_header_is_disconnected) {
  hl::web::ServerOptions options;
  options.request_timeout = 1s;
  TestServer server([](hl::web::Router& r) {
    r.add("GET", "/api/v1/ping", [](HttpRequest&, Reply reply) { reply(json_response(200, "{}")); });
  }, options);
  HttpConnection slow(server.port());
  slow.send_raw("GET /api/v1/ping HTTP/1.1\r\nHost: x\r\nX-Slow: ");
  BOOST_TEST(slow.closed_by_peer_within(10s));
  // An idle keep-alive connection is closed the same way; a prompt client is unaffected.
  HttpConnection idle(server.port());
  BOOST_TEST(idle.request("GET", "/api/v1/ping").status == 200u);
  BOOST_TEST(idle.closed_by_peer_within(10s));
}

BOOST_AUTO_TEST_CASE(stop_lets_an_in_flight_request_finish_and_run_returns) {
  LateReplier late;
  std::promise<void> entered;
  TestServer server([&](hl::web::Router& r) {
    r.add("GET", "/api/v1/slow", [&](HttpRequest&, Reply reply) {
      entered.set_value();
      late.reply_after(500ms, std::move(reply), json_response(200, R"({"done":true})"));
    });
  });
  HttpConnection idle(server.port());  // no request: closed at once by stop()
  auto response = std::async(std::launch::async, [port = server.port()] { return request(port, "GET", "/api/v1/slow"); });
  BOOST_REQUIRE(entered.get_future().wait_for(10s) == std::future_status::ready);
  BOOST_TEST(server.stop_and_wait(10s));
  auto r = response.get();
  BOOST_TEST(r.status == 200u);
  BOOST_TEST(r.body == R"({"done":true})");
  BOOST_TEST(r.header("connection") == "close");
  BOOST_TEST(idle.closed_by_peer_within(10s));
}

BOOST_AUTO_TEST_CASE(stop_without_connections_returns_and_is_idempotent) {
  TestServer server([](hl::web::Router&) {});
  BOOST_TEST(server.stop_and_wait(10s));
  server.server().stop();
}

BOOST_AUTO_TEST_CASE(drain_timeout_closes_a_request_that_never_finishes) {
  hl::web::ServerOptions options;
  options.drain_timeout = 1s;
  std::promise<void> entered;
  Reply kept;  // never called while the server runs
  TestServer server([&](hl::web::Router& r) {
    r.add("GET", "/api/v1/stuck", [&](HttpRequest&, Reply reply) {
      kept = std::move(reply);
      entered.set_value();
    });
  }, options);
  HttpConnection c(server.port());
  c.send_raw("GET /api/v1/stuck HTTP/1.1\r\nHost: x\r\n\r\n");
  BOOST_REQUIRE(entered.get_future().wait_for(10s) == std::future_status::ready);
  BOOST_TEST(server.stop_and_wait(10s));
  BOOST_TEST(c.closed_by_peer_within(10s));
  kept(json_response(200, "{}"));  // too late: dropped, and harmless
}

BOOST_AUTO_TEST_CASE(binding_a_port_in_use_throws_a_clear_error) {
  TestServer first([](hl::web::Router&) {});
  hl::web::Router router;
  hl::web::Metrics metrics;
  hl::web::ServerOptions options;
  options.port = first.port();
  hl::web::Server second(options, router, metrics);
  try {
    second.start();
    BOOST_FAIL("start() should have thrown");
  } catch (const std::runtime_error& e) {
    BOOST_TEST(std::string(e.what()).find("127.0.0.1:" + std::to_string(first.port())) != std::string::npos);
  }
  hl::web::ServerOptions bad;
  bad.address = "not an address";
  hl::web::Server third(bad, router, metrics);
  BOOST_CHECK_THROW(third.start(), std::runtime_error);
}

BOOST_AUTO_TEST_SUITE_END()
