// The call-centre's way in (issue #15 point 9; web/API.md "Telephony"), through the real server: a
// configured system's bearer token (made by `hotline telephony-token`), a ringing call popped to the
// live stream of the operator whose agent id it names and to nobody else, a retry that does not pop
// twice, the end that gives the duration, the intake linked to the call, and the caller's number
// never stored in plaintext.
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>

#include "api/case_helpers.hpp"
#include "api/server_process.hpp"
#include "core/db/connection.hpp"
#include "web/http_client.hpp"

using namespace hl::apitest;
using namespace std::chrono_literals;

namespace {

constexpr const char* kCalls = "/api/v1/telephony/calls";
constexpr const char* kNumber = "13987654321";

std::int64_t scalar(const ServerProcess& server, const std::string& sql) {
  auto conn = hl::db::Connection::open(server.db_path(), {.read_only = true});
  auto st = conn.prepare(sql);
  return st.step() ? st.int64(0) : -1;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The token `hotline telephony-token NAME` prints, and its configuration entry.
struct Token {
  std::string token;
  Json entry;
};

Token make_token(const std::string& name) {
  const auto out = run_hotline({"telephony-token", name});
  BOOST_REQUIRE_EQUAL(out.exit_code, 0);
  Token t;
  const auto at = out.out.find(": ");
  t.token = out.out.substr(at + 2, out.out.find('\n') - at - 2);
  const auto entry_at = out.out.find('{');
  t.entry = Json::parse(out.out.substr(entry_at, out.out.find('\n', entry_at) - entry_at));
  BOOST_REQUIRE_EQUAL(t.token.size(), 64u);
  BOOST_REQUIRE(out.out.find(t.token, at + 2 + t.token.size()) == std::string::npos);  // only the hash is configured
  return t;
}

// A server's configuration with two systems: pbx (any office) and pbx-limited (the given office).
struct Telephony {
  hl::test::TempDir dir;
  Token pbx = make_token("pbx");
  Token limited = make_token("pbx-limited");
  std::string config(std::int64_t limited_office) {
    limited.entry["offices"] = Json::array({limited_office});
    std::ofstream(dir.file("hotline.json")) << Json{{"telephony", Json::array({pbx.entry, limited.entry})}}.dump();
    return dir.file("hotline.json");
  }
};

HttpClientResponse post(const ServerProcess& server, const std::string& token, const std::string& target, const Json& body) {
  return server.request("POST", target, body.dump(),
                        {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}});
}

Json ring(const std::string& call_id, const std::string& agent) {
  return {{"call_id", call_id}, {"caller_number", kNumber}, {"agent_id", agent}, {"seat_id", "S-07"}};
}

struct Stream {
  std::unique_ptr<hl::test::HttpConnection> conn;
};

Stream subscribe(const ServerProcess& server, const Login& who) {
  Stream s{std::make_unique<hl::test::HttpConnection>(server.port())};
  auto r = s.conn->open_stream("/api/v1/events", {{"Cookie", "hl_session=" + who.token}});
  BOOST_REQUIRE_EQUAL(r.status, 200u);
  auto hello = s.conn->next_event(10s);
  BOOST_REQUIRE(hello && hello->find("event: hello") != std::string::npos);
  return s;
}

// The next "call" event, "" when none arrives within `limit` (a broken stream fails the test).
std::string next_call(Stream& s, std::chrono::seconds limit) {
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
    if (e->find("event: call") != std::string::npos) return *e;
  }
}

// Gives operator (A1001) and operator2 (A2002) their agent ids; before they log in, since a change
// to an account ends its sessions.
void set_agents(const ServerProcess& server) {
  const auto admin = server.login(kAdmin);
  const auto op = scalar(server, "SELECT id FROM users WHERE username = 'operator'");
  const auto op2 = scalar(server, "SELECT id FROM users WHERE username = 'operator2'");
  CHECK_STATUS(server.send(admin, "PATCH", "/api/v1/users/" + std::to_string(op), {{"agent_id", "A1001"}}), 200);
  auto r = server.send(admin, "PATCH", "/api/v1/users/" + std::to_string(op2), {{"agent_id", "A2002"}});
  CHECK_STATUS(r, 200);
  BOOST_TEST(body_json(r).at("agent_id") == "A2002");
  // One agent is one person.
  CHECK_ERROR(server.send(admin, "PATCH", "/api/v1/users/" + std::to_string(op2), {{"agent_id", "A1001"}}), 409, "conflict");
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(telephony, Telephony)

BOOST_AUTO_TEST_CASE(only_a_configured_token_may_report_calls) {
  ServerProcess server(ServerOptions{.config_file = config(1)});
  const auto body = ring("c-1", "A1001").dump();
  CHECK_ERROR(server.request("POST", kCalls, body, {{"Content-Type", "application/json"}}), 401, "unauthenticated");
  CHECK_ERROR(post(server, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", kCalls, ring("c-1", "A1001")),
              401, "unauthenticated");
  CHECK_ERROR(post(server, pbx.entry.at("token_sha256").get<std::string>(), kCalls, ring("c-1", "A1001")), 401,
              "unauthenticated");  // the configured hash is not the token
  // A user's session is no way in either, CSRF header and all.
  const auto op = server.login(kOperator);
  CHECK_ERROR(server.send(op, "POST", kCalls, ring("c-1", "A1001")), 401, "unauthenticated");
  CHECK_ERROR(post(server, "nope", std::string(kCalls) + "/c-1/end", Json::object()), 401, "unauthenticated");
  BOOST_TEST(scalar(server, "SELECT count(*) FROM calls") == 0);
}

BOOST_AUTO_TEST_CASE(a_bad_report_is_answered_with_the_fields) {
  ServerProcess server(ServerOptions{.config_file = config(1)});
  auto r = post(server, pbx.token, kCalls, {{"caller_number", "12"}, {"agent_id", "A1001"}});
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "call_id");
  CHECK_NAMES_FIELD(r, "caller_number");
  r = post(server, pbx.token, kCalls, {{"call_id", "c-2"}, {"caller_number", kNumber}});
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "agent_id");
  CHECK_ERROR(post(server, pbx.token, kCalls, {{"call_id", 7}, {"caller_number", kNumber}, {"agent_id", "A1001"}}), 400,
              "bad_request");
  CHECK_ERROR(post(server, pbx.token, std::string(kCalls) + "/unknown/end", Json::object()), 404, "not_found");
  BOOST_TEST(scalar(server, "SELECT count(*) FROM calls") == 0);
}

BOOST_AUTO_TEST_CASE(a_ringing_call_pops_at_its_operator_only_once_and_its_end_gives_the_duration) {
  ServerProcess server(ServerOptions{.config_file = config(1)});
  set_agents(server);
  const auto op = server.login(kOperator);
  const auto op2 = server.login(kOperator2);
  auto mine = subscribe(server, op);
  auto other = subscribe(server, op2);

  auto r = post(server, pbx.token, kCalls, ring("c-100", "A1001"));
  CHECK_STATUS(r, 201);
  const Json rang = body_json(r);
  BOOST_TEST(rang.at("delivered") == 1);
  BOOST_TEST(rang.at("operator_found") == true);
  const auto call = rang.at("id").get<std::int64_t>();
  const auto e = next_call(mine, 10s);
  BOOST_TEST(e.find("\"kind\":\"call.ringing\"") != std::string::npos, e);
  BOOST_TEST(e.find(kNumber) != std::string::npos, e);
  BOOST_TEST(e.find("\"id\":" + std::to_string(call)) != std::string::npos, e);

  // A retry is the same call: answered, recorded once, not popped again.
  r = post(server, pbx.token, kCalls, ring("c-100", "A1001"));
  CHECK_STATUS(r, 200);
  BOOST_TEST(body_json(r).at("repeated") == true);
  BOOST_TEST(body_json(r).at("delivered") == 0);
  BOOST_TEST(scalar(server, "SELECT count(*) FROM calls") == 1);

  // operator2's call reaches her; operator's never did (it would have come first).
  CHECK_STATUS(post(server, pbx.token, kCalls, ring("c-200", "A2002")), 201);
  const auto theirs = next_call(other, 10s);
  BOOST_TEST(theirs.find("\"call_id\":\"c-200\"") != std::string::npos, theirs);

  r = post(server, pbx.token, std::string(kCalls) + "/c-100/end", {{"duration_seconds", 95}});
  CHECK_STATUS(r, 200);
  BOOST_TEST(body_json(r).at("duration_seconds") == 95);
  const auto ended = next_call(mine, 10s);  // the next call event: the end, not a second ring
  BOOST_TEST(ended.find("\"kind\":\"call.ended\"") != std::string::npos, ended);
  BOOST_TEST(ended.find("\"duration_s\":95") != std::string::npos, ended);
  r = post(server, pbx.token, std::string(kCalls) + "/c-100/end", {{"duration_seconds", 5}});
  CHECK_STATUS(r, 200);
  BOOST_TEST(body_json(r).at("duration_seconds") == 95);
  BOOST_TEST(body_json(r).at("repeated") == true);

  // Without a duration, the end's time minus the ring's.
  Json timed = ring("c-300", "A1001");
  timed["rang_at"] = "2026-03-01T10:00:00+08:00";
  CHECK_STATUS(post(server, pbx.token, kCalls, timed), 201);
  r = post(server, pbx.token, std::string(kCalls) + "/c-300/end", {{"ended_at", "2026-03-01T10:02:05+08:00"}});
  CHECK_STATUS(r, 200);
  BOOST_TEST(body_json(r).at("duration_seconds") == 125);

  // Audited, without the number.
  BOOST_TEST(scalar(server, "SELECT count(*) FROM audit_log WHERE action = 'call.ring'") == 3);
  BOOST_TEST(scalar(server, "SELECT count(*) FROM audit_log WHERE action = 'call.end'") == 2);
  BOOST_TEST(scalar(server, "SELECT count(*) FROM audit_log WHERE detail LIKE '%987654321%'") == 0);
}

BOOST_AUTO_TEST_CASE(a_call_without_its_operator_is_recorded_but_popped_nowhere) {
  // pbx-limited may reach operator2's office only: the seeded database is read first for its id.
  hl::test::TempDir db_dir;
  copy_seeded_database(db_dir.path().string());
  std::int64_t office2 = 0;
  {
    auto conn = hl::db::Connection::open(db_dir.file("t.db"), {.read_only = true});
    auto st = conn.prepare("SELECT office_id FROM users WHERE username = 'operator2'");
    BOOST_REQUIRE(st.step());
    office2 = st.int64(0);
  }
  ServerProcess server(ServerOptions{.db_dir = db_dir.path().string(), .copy_seed = false, .config_file = config(office2)});
  set_agents(server);
  const auto op = server.login(kOperator);
  auto mine = subscribe(server, op);

  for (const auto& [token, agent] : {std::pair{limited.token, "A1001"}, std::pair{pbx.token, "A9999"}}) {
    auto r = post(server, token, kCalls, ring(std::string("c-") + agent, agent));
    CHECK_STATUS(r, 202);
    BOOST_TEST(body_json(r).at("delivered") == 0);
    BOOST_TEST(body_json(r).at("operator_found") == false);
  }
  // Her stream works: the next call event it gets is one of hers (the two above would have come first).
  CHECK_STATUS(post(server, pbx.token, kCalls, ring("c-mine", "A1001")), 201);
  const auto popped = next_call(mine, 10s);
  BOOST_TEST(popped.find("\"call_id\":\"c-mine\"") != std::string::npos, popped);
  BOOST_TEST(scalar(server, "SELECT count(*) FROM calls WHERE user_id IS NULL") == 2);
  // The same agent through the system that may reach her office pops.
  CHECK_STATUS(post(server, limited.token, kCalls, ring("c-op2", "A2002")), 202);  // operator2 has no desk open
  BOOST_TEST(scalar(server, "SELECT count(*) FROM calls WHERE call_ref = 'c-op2' AND user_id IS NOT NULL") == 1);
}

BOOST_AUTO_TEST_CASE(the_intake_records_the_call_and_the_number_is_never_stored_in_plaintext) {
  ServerProcess server(ServerOptions{.config_file = config(1)});
  set_agents(server);
  const auto op = server.login(kOperator);
  const auto op2 = server.login(kOperator2);
  auto r = post(server, pbx.token, kCalls, ring("c-500", "A1001"));
  REQUIRE_STATUS(r, 202);  // no desk open: recorded all the same
  const auto call = body_json(r).at("id").get<std::int64_t>();
  CHECK_STATUS(post(server, pbx.token, std::string(kCalls) + "/c-500/end", {{"duration_seconds", 61}}), 200);

  Json intake = open_case_intake(kNumber);
  intake["call_id"] = call;
  // Only the operator it rang for may record it.
  r = server.send(op2, "POST", "/api/v1/intakes", intake);
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "call_id");
  r = server.send(op, "POST", "/api/v1/intakes", intake);
  REQUIRE_STATUS(r, 201);
  const auto contact = body_json(r).at("contact_id").get<std::int64_t>();
  BOOST_TEST(scalar(server, "SELECT contact_id FROM calls WHERE id = " + std::to_string(call)) == contact);
  // Once.
  r = server.send(op, "POST", "/api/v1/intakes", intake);
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "call_id");

  BOOST_TEST(scalar(server, "SELECT count(*) FROM calls WHERE caller_enc IS NOT NULL AND caller_hash IS NOT NULL") == 1);
  // The caller's number matches the person's fingerprint (repeat-caller matching works on calls too).
  BOOST_TEST(scalar(server, "SELECT count(*) FROM calls c JOIN persons p ON p.phone_hash = c.caller_hash") >= 1);
  server.stop();
  for (const char* suffix : {"", "-wal"}) {
    const auto bytes = slurp(server.db_path() + suffix);
    BOOST_TEST(bytes.find(kNumber) == std::string::npos, "the number in plaintext in t.db" << suffix);
  }
}

BOOST_AUTO_TEST_SUITE_END()
