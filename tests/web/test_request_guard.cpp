// The checks the HTTP layer makes before reading a body (issue #16): cross-site state changes (login
// CSRF), JSON endpoints fed another media type, Transfer-Encoding framing that is not chunked
// (request smuggling); and the headers every answer carries (nosniff, no framing).
#include <boost/test/unit_test.hpp>
#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "http_client.hpp"
#include "test_server.hpp"
#include "web/http/request_guard.hpp"
#include "web/http/router.hpp"

using namespace std::chrono_literals;
using hl::test::HttpConnection;
using hl::test::request;
using hl::test::TestServer;
using hl::web::HttpRequest;
using hl::web::is_cross_site;
using hl::web::is_json_media_type;
using hl::web::json_response;
using hl::web::Reply;

namespace {

struct GuardedServer {
  std::atomic<int> writes{0};  // handler runs of the POST routes (on I/O threads)
  TestServer server{[this](hl::web::Router& r) {
    r.add("POST", "/api/v1/json", [this](HttpRequest& req, Reply reply) {
      ++writes;
      reply(json_response(200, R"({"size":)" + std::to_string(req.body.size()) + "}"));
    });
    r.add("POST", "/api/v1/file", [this](HttpRequest& req, Reply reply) {
      ++writes;
      reply(json_response(201, R"({"size":)" + std::to_string(req.body.size()) + "}"));
    }, {.json_body = false});
    r.add("GET", "/api/v1/ping", [](HttpRequest&, Reply reply) { reply(json_response(200, R"({"pong":true})")); });
  }};
  unsigned short port() const { return server.port(); }
  std::string host() const { return "127.0.0.1:" + std::to_string(port()); }
};

std::string code_of(const hl::test::HttpClientResponse& r) {
  return nlohmann::json::parse(r.body).at("error").at("code").get<std::string>();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(request_guard)

BOOST_AUTO_TEST_CASE(origin_is_compared_with_the_host_and_its_default_port) {
  BOOST_TEST(!is_cross_site("", "", "127.0.0.1:8080", ""));  // curl, scripts
  BOOST_TEST(!is_cross_site("http://127.0.0.1:8080", "same-origin", "127.0.0.1:8080", ""));
  BOOST_TEST(!is_cross_site("https://Weiquan.Example", "", "weiquan.example", "https"));
  BOOST_TEST(!is_cross_site("https://weiquan.example:443", "", "weiquan.example", "https"));
  BOOST_TEST(!is_cross_site("https://weiquan.example:8443", "", "weiquan.example:8443", "https"));
  BOOST_TEST(!is_cross_site("http://[::1]:8080", "", "[::1]:8080", ""));
  BOOST_TEST(!is_cross_site("", "none", "127.0.0.1", ""));
  BOOST_TEST(is_cross_site("http://evil.example", "", "127.0.0.1:8080", ""));
  BOOST_TEST(is_cross_site("http://127.0.0.1:9999", "", "127.0.0.1:8080", ""));
  BOOST_TEST(is_cross_site("https://weiquan.example:8443", "", "weiquan.example", "https"));  // $host lost the port
  BOOST_TEST(is_cross_site("http://weiquan.example", "", "weiquan.example", "https"));  // scheme known: must match
  BOOST_TEST(is_cross_site("null", "", "127.0.0.1:8080", ""));
  BOOST_TEST(is_cross_site("http://127.0.0.1:8080/path", "", "127.0.0.1:8080", ""));
  BOOST_TEST(is_cross_site("", "cross-site", "127.0.0.1:8080", ""));
  BOOST_TEST(is_cross_site("", "same-site", "127.0.0.1:8080", ""));  // a sibling subdomain is another origin
  BOOST_TEST(is_cross_site("http://127.0.0.1:8080", "cross-site", "127.0.0.1:8080", ""));
  BOOST_TEST(is_cross_site("http://127.0.0.1:8080", "", "", ""));  // no Host to compare with
}

BOOST_AUTO_TEST_CASE(json_media_type_allows_parameters_and_any_case) {
  BOOST_TEST(is_json_media_type("application/json"));
  BOOST_TEST(is_json_media_type("Application/JSON; charset=utf-8"));
  BOOST_TEST(is_json_media_type(" application/json ;charset=UTF-8"));
  BOOST_TEST(!is_json_media_type("text/plain"));
  BOOST_TEST(!is_json_media_type("text/plain; application/json"));
  BOOST_TEST(!is_json_media_type("application/x-www-form-urlencoded"));
  BOOST_TEST(!is_json_media_type("multipart/form-data; boundary=x"));
  BOOST_TEST(!is_json_media_type("application/jsonp"));
  BOOST_TEST(!is_json_media_type(""));
}

BOOST_FIXTURE_TEST_CASE(a_json_route_refuses_another_media_type_with_415_before_the_handler_runs, GuardedServer) {
  for (const char* type : {"text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", ""}) {
    BOOST_TEST_CONTEXT(type) {
      hl::test::HttpHeaders headers;
      if (*type) headers.emplace_back("Content-Type", type);
      auto r = request(port(), "POST", "/api/v1/json", R"({"username":"a","password":"b"})", headers);
      BOOST_TEST(r.status == 415u);
      BOOST_TEST(code_of(r) == "unsupported_media_type");
    }
  }
  BOOST_TEST(writes == 0);
  auto ok = request(port(), "POST", "/api/v1/json", "{}", {{"Content-Type", "application/json; charset=utf-8"}});
  BOOST_TEST(ok.status == 200u);
  // No body, no type needed (DELETE-like writes); a file route takes any type.
  BOOST_TEST(request(port(), "POST", "/api/v1/json").status == 200u);
  BOOST_TEST(request(port(), "POST", "/api/v1/file", "%PDF-1.4", {{"Content-Type", "application/pdf"}}).status == 201u);
}

BOOST_FIXTURE_TEST_CASE(a_cross_site_write_is_403_and_a_same_origin_one_goes_through, GuardedServer) {
  const hl::test::HttpHeaders json{{"Content-Type", "application/json"}};
  auto with = [&](hl::test::HttpHeaders extra) {
    extra.insert(extra.begin(), json.begin(), json.end());
    return request(port(), "POST", "/api/v1/json", "{}", extra);
  };
  for (const auto& [name, value] : std::initializer_list<std::pair<const char*, const char*>>{
           {"Origin", "http://evil.example"}, {"Origin", "null"}, {"Sec-Fetch-Site", "cross-site"}, {"Sec-Fetch-Site", "same-site"}}) {
    BOOST_TEST_CONTEXT(name << ": " << value) {
      auto r = with({{name, value}});
      BOOST_TEST(r.status == 403u);
      BOOST_TEST(code_of(r) == "forbidden");
    }
  }
  // Also a file route, and before the media type is even looked at.
  auto file = request(port(), "POST", "/api/v1/file", "x", {{"Content-Type", "text/plain"}, {"Origin", "http://evil.example"}});
  BOOST_TEST(file.status == 403u);
  BOOST_TEST(writes == 0);
  // The test client sends "Host: 127.0.0.1"; a browser sends the port too.
  BOOST_TEST(with({{"Host", host()}, {"Origin", "http://" + host()}, {"Sec-Fetch-Site", "same-origin"}}).status == 200u);
  BOOST_TEST(with({{"Host", host()}, {"Origin", "http://127.0.0.1"}}).status == 403u);  // port 80 is not ours
  BOOST_TEST(with({}).status == 200u);
  // Reads are not refused: a cross-site page cannot read the answer anyway (no CORS).
  BOOST_TEST(request(port(), "GET", "/api/v1/ping", {}, {{"Origin", "http://evil.example"}}).status == 200u);
}

BOOST_FIXTURE_TEST_CASE(a_transfer_encoding_that_does_not_end_in_chunked_is_400_and_closes, GuardedServer) {
  // Without the check the body below would be read as a second request (smuggled past a proxy
  // that framed the message by its Transfer-Encoding).
  const std::string smuggled = "GET /api/v1/ping HTTP/1.1\r\nHost: x\r\n\r\n";
  for (const char* te : {"identity", "gzip", "chunked, identity", "chunked, gzip", ""}) {
    BOOST_TEST_CONTEXT("Transfer-Encoding: " << te) {
      HttpConnection c(port());
      c.send_raw("POST /api/v1/file HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nTransfer-Encoding: " +
                 std::string(te) + "\r\n\r\n" + smuggled);
      auto r = c.read_response();
      BOOST_TEST(r.status == 400u);
      BOOST_TEST(code_of(r) == "bad_request");
      BOOST_TEST(r.header("connection") == "close");
      BOOST_TEST(c.closed_by_peer_within(10s));  // and no second answer before the close
    }
  }
  {  // HTTP/1.0 has no Transfer-Encoding at all
    HttpConnection c(port());
    c.send_raw("POST /api/v1/file HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n");
    BOOST_TEST(c.read_response().status == 400u);
  }
  BOOST_TEST(writes == 0);
  // Chunked (also after another coding) still works.
  HttpConnection ok(port());
  ok.send_raw("POST /api/v1/file HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n");
  BOOST_TEST(ok.read_response().status == 201u);
}

BOOST_FIXTURE_TEST_CASE(every_answer_forbids_sniffing_and_framing, GuardedServer) {
  for (auto r : {request(port(), "GET", "/api/v1/ping"), request(port(), "GET", "/api/v1/nothing"),
                 request(port(), "POST", "/api/v1/json", "x", {{"Content-Type", "text/plain"}}),
                 request(port(), "DELETE", "/api/v1/ping")}) {
    BOOST_TEST_CONTEXT("HTTP " << r.status << " " << r.body) {
      BOOST_TEST(r.header("x-content-type-options") == "nosniff");
      BOOST_TEST(r.header("x-frame-options") == "DENY");
      BOOST_TEST(r.header("content-security-policy") == "frame-ancestors 'none'");
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
