// Behind the shipped nginx (packaging/nginx) every request comes from 127.0.0.1; the audit log must
// still record the client. With `trusted_proxies` the server takes the last X-Forwarded-For entry
// (the address the proxy saw) from those peers only; entries a client wrote itself, unparsable
// values and headers from untrusted peers are ignored. tests/deploy/tls.sh checks the same through
// nginx.
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <string>

#include "api/server_process.hpp"
#include "core/db/connection.hpp"
#include "core/db/statement.hpp"
#include "support/temp_dir.hpp"

using namespace hl::apitest;

namespace {

// Logs in as the operator with `forwarded` as X-Forwarded-For (none when empty) and returns the
// address the audit log recorded for that login.
std::string login_ip(const ServerProcess& server, const std::string& forwarded) {
  HttpHeaders headers{{"Content-Type", "application/json"}};
  if (!forwarded.empty()) headers.emplace_back("X-Forwarded-For", forwarded);
  const Json body = {{"username", kOperator.username}, {"password", kOperator.password}};
  auto r = server.request("POST", "/api/v1/session", body.dump(), headers);
  BOOST_REQUIRE_MESSAGE(r.status == 200, describe(r));
  auto conn = hl::db::Connection::open(server.db_path(), {.read_only = true});
  auto st = conn.prepare("SELECT ip FROM audit_log WHERE action = 'session.login' ORDER BY id DESC LIMIT 1");
  BOOST_REQUIRE(st.step());
  return st.text(0);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(forwarded_for)

BOOST_AUTO_TEST_CASE(from_a_trusted_proxy_the_last_entry_is_the_client) {
  hl::test::TempDir dir;
  std::ofstream(dir.file("hotline.json")) << R"({"trusted_proxies": ["127.0.0.1", "::1"]})";
  ServerProcess server(ServerOptions{.config_file = dir.file("hotline.json")});
  BOOST_CHECK_EQUAL(login_ip(server, "203.0.113.9"), "203.0.113.9");
  // The client claimed 198.51.100.7; the proxy appended what it saw.
  BOOST_CHECK_EQUAL(login_ip(server, "198.51.100.7, 203.0.113.10"), "203.0.113.10");
  BOOST_CHECK_EQUAL(login_ip(server, "198.51.100.7,2001:db8::1"), "2001:db8::1");
  // Not an address: the peer is recorded.
  BOOST_CHECK_EQUAL(login_ip(server, "203.0.113.9, unknown"), "127.0.0.1");
  BOOST_CHECK_EQUAL(login_ip(server, ""), "127.0.0.1");
}

BOOST_AUTO_TEST_CASE(without_trusted_proxies_the_header_is_ignored) {
  ServerProcess server;
  BOOST_CHECK_EQUAL(login_ip(server, "203.0.113.9"), "127.0.0.1");
}

BOOST_AUTO_TEST_CASE(a_bad_trusted_proxies_setting_is_refused_at_start) {
  hl::test::TempDir dir;
  std::ofstream(dir.file("hotline.json")) << R"({"trusted_proxies": ["localhost"]})";
  auto r = run_hotline({"serve", "--config", dir.file("hotline.json"), "--db", dir.file("t.db"), "--listen", "127.0.0.1:0"});
  BOOST_CHECK_EQUAL(r.exit_code, 2);
  BOOST_CHECK(r.err.find("trusted_proxies") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
