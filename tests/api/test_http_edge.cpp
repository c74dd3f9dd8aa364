// The server's edge as issue #16's penetration test probed it, against the real binary: login CSRF
// (a cross-site text/plain form), cross-site writes, the origin check behind a trusted proxy, the
// headers every answer carries, and who may read /metrics. (Raw framing, Transfer-Encoding
// smuggling, is in tests/web/test_request_guard.cpp and tests/security/hostile_http.py.)
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <string>

#include "api/case_helpers.hpp"
#include "api/server_process.hpp"
#include "web/http_client.hpp"

using namespace hl::apitest;

namespace {

const std::string kLoginBody = Json{{"username", kOperator.username}, {"password", kOperator.password}}.dump();

HttpClientResponse login_with(const ServerProcess& server, HttpHeaders headers) {
  return server.request("POST", "/api/v1/session", kLoginBody, headers);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(http_edge)

BOOST_AUTO_TEST_CASE(a_cross_site_text_plain_login_form_gets_no_session) {
  ServerProcess server;
  // What <form enctype="text/plain" method="post"> on another site sends: no preflight, no CORS.
  auto form = login_with(server, {{"Content-Type", "text/plain"}, {"Origin", "http://evil.example"},
                                  {"Sec-Fetch-Site", "cross-site"}});
  CHECK_ERROR(form, 403, "forbidden");
  BOOST_TEST(!form.has_header("set-cookie"));
  // Either check alone refuses it: an old browser sends no Sec-Fetch-Site, a privacy one no Origin.
  auto plain = login_with(server, {{"Content-Type", "text/plain;charset=UTF-8"}});
  CHECK_ERROR(plain, 415, "unsupported_media_type");
  BOOST_TEST(!plain.has_header("set-cookie"));
  for (const auto& [name, value] : {std::pair{"Origin", "http://evil.example"}, std::pair{"Origin", "null"},
                                    std::pair{"Sec-Fetch-Site", "cross-site"}}) {
    BOOST_TEST_CONTEXT(name << ": " << value) {
      auto r = login_with(server, {{"Content-Type", "application/json"}, {name, value}});
      CHECK_ERROR(r, 403, "forbidden");
      BOOST_TEST(!r.has_header("set-cookie"));
    }
  }
  // The desk (same origin) and scripts (no Origin) log in as before.
  const std::string self = "127.0.0.1:" + std::to_string(server.port());
  CHECK_STATUS(login_with(server, {{"Content-Type", "application/json; charset=utf-8"}, {"Host", self},
                                   {"Origin", "http://" + self}, {"Sec-Fetch-Site", "same-origin"}}),
               200);
  CHECK_STATUS(login_with(server, {{"Content-Type", "application/json"}}), 200);
}

BOOST_AUTO_TEST_CASE(a_cross_site_write_with_a_stolen_csrf_token_changes_nothing) {
  ServerProcess server;
  const auto op = server.login(kOperator);
  const auto id = require_open_case(server, op);
  const HttpHeaders session{{"Cookie", "hl_session=" + op.token}, {"X-CSRF-Token", op.csrf}};
  auto with = [&](HttpHeaders extra) {
    extra.insert(extra.begin(), session.begin(), session.end());
    return server.request("POST", case_path(id, "/notes"), Json{{"text", "跨站写入"}}.dump(), extra);
  };
  CHECK_ERROR(with({{"Content-Type", "application/json"}, {"Origin", "https://evil.example"}}), 403, "forbidden");
  CHECK_ERROR(with({{"Content-Type", "text/plain"}}), 415, "unsupported_media_type");
  BOOST_TEST(server.get(op, case_path(id, "/timeline")).body.find("跨站写入") == std::string::npos);
  CHECK_STATUS(with({{"Content-Type", "application/json"}}), 201);
  // Logout is a state change too.
  CHECK_ERROR(server.request("DELETE", "/api/v1/session", {}, {session[0], session[1], {"Origin", "https://evil.example"}}),
              403, "forbidden");
  CHECK_STATUS(server.get(op, "/api/v1/session"), 200);
}

BOOST_AUTO_TEST_CASE(behind_a_trusted_proxy_the_public_origin_is_ours) {
  hl::test::TempDir dir;
  const std::string config = dir.file("hotline.json");
  std::ofstream(config) << R"({"trusted_proxies": ["127.0.0.1"]})";
  ServerProcess server(ServerOptions{.config_file = config});
  // What the shipped nginx passes on: Host $http_host (the public host and port as the browser
  // typed them) and X-Forwarded-Proto https.
  auto via_proxy = [&](const std::string& host, const std::string& origin) {
    return login_with(server, {{"Content-Type", "application/json"}, {"Host", host}, {"X-Forwarded-Proto", "https"},
                               {"X-Forwarded-For", "192.0.2.7"}, {"Origin", origin}});
  };
  CHECK_STATUS(via_proxy("weiquan.example", "https://weiquan.example"), 200);
  CHECK_STATUS(via_proxy("weiquan.example:8443", "https://weiquan.example:8443"), 200);
  CHECK_ERROR(via_proxy("weiquan.example", "http://weiquan.example"), 403, "forbidden");  // the scheme counts
  CHECK_ERROR(via_proxy("weiquan.example", "https://evil.example"), 403, "forbidden");
  // Not from a trusted proxy, X-Forwarded-Proto proves nothing (and is not needed).
  ServerProcess direct;
  const std::string self = "127.0.0.1:" + std::to_string(direct.port());
  CHECK_STATUS(login_with(direct, {{"Content-Type", "application/json"}, {"Host", self}, {"Origin", "http://" + self},
                                   {"X-Forwarded-Proto", "https"}}),
               200);
}

BOOST_AUTO_TEST_CASE(every_answer_says_nosniff_and_may_not_be_framed) {
  ServerProcess server;
  const auto op = server.login(kOperator);
  for (const auto& [what, r] :
       {std::pair{"login", server.login_raw(kOperator.username, kOperator.password)},
        std::pair{"API JSON", server.get(op, "/api/v1/categories")},
        std::pair{"401", server.request("GET", "/api/v1/cases")},
        std::pair{"404", server.get(op, "/api/v1/nothing-here")},
        std::pair{"healthz", server.request("GET", "/healthz")}, std::pair{"metrics", server.metrics()},
        std::pair{"desk page", server.request("GET", "/")}}) {
    BOOST_TEST_CONTEXT(what << ": HTTP " << r.status) {
      BOOST_TEST(r.header("x-content-type-options") == "nosniff");
      BOOST_TEST(r.header("x-frame-options") == "DENY");
      BOOST_TEST(r.header("content-security-policy").find("frame-ancestors 'none'") != std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_CASE(metrics_need_a_supervisor_or_administrator_or_the_bearer_token) {
  ServerProcess server;
  auto anonymous = server.request("GET", "/metrics");
  CHECK_ERROR(anonymous, 401, "unauthenticated");
  BOOST_TEST(anonymous.header("www-authenticate").starts_with("Bearer"));
  BOOST_TEST(anonymous.body.find("hotline_") == std::string::npos);
  CHECK_ERROR(server.get(server.login(kOperator), "/metrics"), 403, "forbidden");
  CHECK_ERROR(server.get(server.login(kPolice), "/metrics"), 403, "forbidden");
  for (const auto& who : {kSupervisor, kAdmin}) {
    auto r = server.get(server.login(who), "/metrics");
    REQUIRE_STATUS(r, 200);
    BOOST_TEST(r.body.find("hotline_open_cases") != std::string::npos);
  }
  auto token = server.metrics();
  REQUIRE_STATUS(token, 200);
  BOOST_TEST(token.body.find("hotline_http_requests_total") != std::string::npos);
  std::string wrong(kMetricsToken);
  wrong.back() = wrong.back() == 'x' ? 'y' : 'x';
  for (const std::string& auth : {"Bearer " + wrong, "Bearer " + std::string(kMetricsToken) + "x", std::string("Bearer "),
                                  "Basic " + std::string(kMetricsToken)})
    BOOST_TEST_CONTEXT(auth) { CHECK_ERROR(server.request("GET", "/metrics", {}, {{"Authorization", auth}}), 401, "unauthenticated"); }
}

BOOST_AUTO_TEST_SUITE_END()
