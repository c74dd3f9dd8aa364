#pragma once
// The real `hotline` binary ($HOTLINE_BIN) as a child process, for HTTP integration tests.
//
// ServerProcess creates a temporary directory, fills DIR/t.db with `hotline seed-demo --cases 40`
// (run once per test program into a template directory, then copied, so every server starts from
// the same fresh demo data), runs `hotline serve --db DIR/t.db --listen 127.0.0.1:0 --clock-file
// DIR/clock` and reads the port from its first stdout line. The destructor sends SIGTERM, waits
// (bounded) and reports a server that did not exit with status 0 as a test error, so a crash during
// any test is noticed.
//
// Time: every server, and the seeding, run on the test clock (core/file_clock.hpp; the binary must be
// a test build, HOTLINE_TEST_CLOCK). It follows the system clock unless HOTLINE_TEST_NOW gives the
// instant at which the test program starts (e.g. 2026-12-31T23:59:50+08:00: the run then crosses
// midnight and New Year in Beijing ten seconds in); from there it runs in real time. A test may set,
// advance or freeze its server's clock; now_ms() is that server's "now", to the millisecond.
//
// Not thread-safe: one test thread drives each instance.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "support/temp_dir.hpp"
#include "web/http_client.hpp"

namespace hl::apitest {

using Json = nlohmann::json;
using hl::TimeMs;
using test::HttpClientResponse;
using test::HttpHeaders;

// $HOTLINE_BIN; throws when it is not set.
std::string hotline_bin();

struct CommandResult {
  int exit_code = -1;  // 128 + signal number when killed by a signal
  std::string out, err;
};

// Starts `$HOTLINE_BIN args…` with the given descriptors as its stdin, stdout and stderr, without the
// test's HOTLINE_* variables (they would override the flags). The child gets SIGTERM when the test
// program dies (even by SIGKILL from a ctest timeout), so no server outlives the tests.
// `extra_env` ("NAME=value", HOTLINE_* ones too) is added after that filtering: e.g. LD_PRELOAD and the
// fault shim's variables of tests/faults.
pid_t spawn_hotline(const std::vector<std::string>& args, int in_fd, int out_fd, int err_fd,
                    const std::vector<std::string>& extra_env = {});
// Waits up to `limit` for `pid` to exit: its status (128 + signal number when killed), or nullopt
// while it still runs.
std::optional<int> wait_for(pid_t pid, std::chrono::milliseconds limit);
// Reads a server's first stdout line, "listening on http://127.0.0.1:PORT" (printed once the socket
// is bound), for up to 30 s: the port, or 0 when it did not come. `line` gets what was read, `rest`
// what followed the line.
unsigned short read_listening_port(int fd, std::string& line, std::string& rest);

// Runs `$HOTLINE_BIN args…` to completion with `stdin_text` on its standard input (then EOF).
// Throws when it runs longer than `limit` (the child is killed first).
CommandResult run_hotline(const std::vector<std::string>& args, const std::string& stdin_text = {},
                          std::chrono::seconds limit = std::chrono::seconds(120));

// A logged-in user: the hl_session cookie value, the CSRF token and the login answer's "user".
struct Login {
  std::string token;
  std::string csrf;
  Json user;
  std::int64_t id() const { return user.at("id").get<std::int64_t>(); }
};

struct Credentials {
  const char* username;
  const char* password;
};

// The demo logins `hotline seed-demo` prints.
inline constexpr Credentials kOperator{"operator", "yongxing-demo-2026"};      // 永兴县妇联 (431023)
inline constexpr Credentials kOperator2{"operator2", "guiyang-demo-2026"};   // 桂阳县妇联 (431021)
inline constexpr Credentials kSupervisor{"supervisor", "chenzhou-demo-2026"};  // 郴州市妇联 (431000)
inline constexpr Credentials kPolice{"police", "chengguan-demo-2026"};            // partner: 城关派出所
inline constexpr Credentials kCourt{"court", "fayuan-demo-2026"};               // partner: 永兴县人民法院
// The three administrators (三员分立): accounts, offices and partners; roles, grants and approvals; the audit log.
inline constexpr Credentials kAdmin{"admin", "guanli-demo-2026"};         // sysadmin
inline constexpr Credentials kSecAdmin{"secadmin", "anquan-demo-2026"};   // secadmin
inline constexpr Credentials kAuditor{"auditor", "shenji-demo-2026"};     // auditor

// The bearer token every ServerProcess's server takes for /metrics (HOTLINE_METRICS_TOKEN).
inline constexpr std::string_view kMetricsToken = "test-metrics-token-0123456789abcdef0123456789";

// The suite's "now": the system clock moved to HOTLINE_TEST_NOW when that is set (see above).
TimeMs test_now_ms();

// Copies the seeded demo database (t.db and its key file, made once per test program) into `dir`.
void copy_seeded_database(const std::string& dir);

// Where and how a ServerProcess runs, for tests that need the database somewhere particular (a small
// tmpfs, a directory watched by a fault shim) or a server restarted on an earlier server's database.
struct ServerOptions {
  std::string db_dir{};           // the database is DB_DIR/t.db; empty: the server's own temporary directory
  bool copy_seed = true;          // false: DB_DIR already holds t.db and t.db.keys (e.g. from an earlier server)
  std::vector<std::string> env{}; // extra "NAME=value" for the server's environment
  std::string config_file{};      // passed as --config FILE when not empty
};

class ServerProcess {
 public:
  // Seeds (copies the seeded template) and starts serving with its clock at test_now_ms(), or at
  // `clock_start`, running; throws when the server does not come up.
  ServerProcess();
  explicit ServerProcess(TimeMs clock_start);
  explicit ServerProcess(const ServerOptions& options, TimeMs clock_start = test_now_ms());
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  unsigned short port() const { return port_; }
  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0; }
  const std::string& db_path() const { return db_path_; }
  std::string file(const std::string& name) const { return dir_.file(name); }
  // What `hotline seed-demo` printed when the template was made.
  static const std::string& seed_output();
  // Everything the server wrote to stderr so far.
  std::string log() const;

  // ---- the server's clock ----
  std::string clock_file() const { return dir_.file("clock"); }
  // The server's "now" (exactly: both sides compute it from the clock file).
  TimeMs now_ms() const;
  // The Shanghai date of now_ms(), plus `days`, as YYYY-MM-DD.
  std::string date(int days_from_today = 0) const;
  // Sets the server's clock to `instant`, running on from there or frozen, and returns once the
  // server says the change is in force (within 10 s, else throws): the next request sees it.
  void set_clock(TimeMs instant, bool frozen = false);
  // Moves the clock `ms` forward (running or frozen, as it is).
  void advance_clock(TimeMs ms);
  // Stops the clock at now_ms(), e.g. so that two requests see the same day.
  void freeze_clock();

  // Sends `sig` to the server.
  void signal(int sig) const;
  // Sends SIGTERM and waits up to `limit` for the exit; returns the exit status (128 + signal when
  // killed by one; -1 when it had to be killed with SIGKILL after `limit`). Idempotent: later calls
  // return the first result.
  int stop(std::chrono::seconds limit = std::chrono::seconds(30));
  // Waits up to `limit` without signalling; nullopt when the server is still running.
  std::optional<int> wait_exit(std::chrono::milliseconds limit);

  // ---- HTTP, each call on a fresh connection to 127.0.0.1:port ----
  HttpClientResponse request(std::string_view method, std::string_view target, std::string body = {},
                             const HttpHeaders& headers = {}) const;
  // `code`: the two-step verification code, sent when not empty.
  HttpClientResponse login_raw(std::string_view username, std::string_view password, std::string_view code = {}) const;
  // Logs in; throws std::runtime_error (with the answer) unless it gets 200 and a cookie.
  Login login(const Credentials& who) const;
  Login login(std::string_view username, std::string_view password, std::string_view code = {}) const;
  HttpClientResponse get(const Login& who, std::string_view target) const;
  // JSON body, the session cookie and (unless csrf = false) the X-CSRF-Token header.
  HttpClientResponse send(const Login& who, std::string_view method, std::string_view target, const Json& body,
                          bool csrf = true) const;
  // As send, with a body sent as it is.
  HttpClientResponse send_text(const Login& who, std::string_view method, std::string_view target,
                               std::string body, bool csrf = true) const;
  HttpClientResponse del(const Login& who, std::string_view target) const;
  // GET /metrics with the bearer token (kMetricsToken).
  HttpClientResponse metrics() const;

 private:
  void start();

  test::TempDir dir_;
  std::string db_path_;
  ServerOptions options_;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string stdout_rest_;  // read from stdout after the "listening on" line, not yet consumed
  TimeMs offset_ = 0;        // the running clock: now = system time + offset_
  std::optional<TimeMs> frozen_at_;
  unsigned short port_ = 0;
  std::optional<int> exit_status_;
};

// ---- answers ----

// The body parsed as JSON; throws std::runtime_error naming the status and body when it is not JSON.
Json body_json(const HttpClientResponse& r);
// error.code of an error envelope, or "" when the body is not one.
std::string error_code(const HttpClientResponse& r);
// True when the error envelope's "fields" has `field` as a key.
bool names_field(const HttpClientResponse& r, const std::string& field);
// True when the body is exactly {"error":{"code":string,"message":string,"fields"?:object}}.
bool is_error_envelope(const HttpClientResponse& r);
// "HTTP 422: {…}" (body cut at 600 bytes), for failure messages.
std::string describe(const HttpClientResponse& r);
// Percent-encodes everything but unreserved characters (so UTF-8 text becomes %E5%AE%B6…).
std::string url_encode(std::string_view text);

// ---- accounts, which take a second person's approval ----

// POST /api/v1/users as the system administrator (kAdmin), approved by the security administrator
// (kSecAdmin): 201 with the account as GET /api/v1/users lists it, or the first answer that failed.
HttpClientResponse create_account(const ServerProcess& server, const Json& body);
// PATCH /api/v1/users/{id} with a grant change (role, office_id, partner_id, disabled:false) as the
// security administrator, approved by the system administrator: 200 with the account, or the first
// answer that failed.
HttpClientResponse change_grants(const ServerProcess& server, std::int64_t user_id, const Json& body);

// The Shanghai date (the server's local time) of `t`, plus `days`, as YYYY-MM-DD.
std::string shanghai_date_of(TimeMs t, int days_after = 0);
// The Shanghai date of test_now_ms(), plus `days`. Near midnight a server's own date() may already
// differ: compare with the server's clock where it matters.
std::string shanghai_date(int days_from_today = 0);

}  // namespace hl::apitest

// Status checks that print the answer's body when they fail. Each evaluates `resp` once (it is
// often the request itself).
#define CHECK_STATUS(resp, code)                                                                    \
  do {                                                                                              \
    const ::hl::apitest::HttpClientResponse& hl_r_ = (resp);                                        \
    BOOST_CHECK_MESSAGE(hl_r_.status == static_cast<unsigned>(code),                                \
                        "expected HTTP " << (code) << ", got " << ::hl::apitest::describe(hl_r_));  \
  } while (0)
#define REQUIRE_STATUS(resp, code)                                                                  \
  do {                                                                                              \
    const ::hl::apitest::HttpClientResponse& hl_r_ = (resp);                                        \
    BOOST_REQUIRE_MESSAGE(hl_r_.status == static_cast<unsigned>(code),                              \
                          "expected HTTP " << (code) << ", got " << ::hl::apitest::describe(hl_r_)); \
  } while (0)
// Status, error.code and the shape of the error envelope.
#define CHECK_ERROR(resp, code, error)                                                              \
  do {                                                                                              \
    const ::hl::apitest::HttpClientResponse& hl_e_ = (resp);                                        \
    BOOST_CHECK_MESSAGE(hl_e_.status == static_cast<unsigned>(code) &&                              \
                            ::hl::apitest::error_code(hl_e_) == (error),                            \
                        "expected HTTP " << (code) << " " << (error) << ", got "                    \
                                         << ::hl::apitest::describe(hl_e_));                        \
    BOOST_CHECK_MESSAGE(::hl::apitest::is_error_envelope(hl_e_),                                    \
                        "not the error envelope: " << ::hl::apitest::describe(hl_e_));              \
  } while (0)
#define CHECK_NAMES_FIELD(resp, field)                                                              \
  do {                                                                                              \
    const ::hl::apitest::HttpClientResponse& hl_f_ = (resp);                                        \
    BOOST_CHECK_MESSAGE(::hl::apitest::names_field(hl_f_, field),                                   \
                        "error.fields should name " << (field) << ": " << ::hl::apitest::describe(hl_f_)); \
  } while (0)
