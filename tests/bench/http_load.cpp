// A small closed-loop HTTP load generator on Boost.Beast (one thread, N keep-alive connections),
// for the loopback benchmarks in tests/bench and the checks built on them (http_load.sh,
// tests/crash/server_kill9.sh, tests/security/hostile_http.sh). A request counts as acknowledged
// only when it got an expected status (below).
//
//   http_load login    --port P --user U --password W         prints "COOKIE\tCSRF"
//   http_load healthz  --port P --connections N --seconds S
//   http_load intake   --port P --connections N --seconds S --cookie C --csrf T [--acks FILE]
//   http_load read     --port P --connections N --seconds S --cookie C --path /api/v1/cases/1
//   http_load get      --port P --connections N --seconds S --cookie C
//                      --path-template '/api/v1/cases/{id}' --id-range 1:1000000
// `get` is `read` with a path template: each request replaces {id} by a random id in the range
// (inclusive), so the reads spread over many cases; `read` also accepts the template. `intake`
// tags each posted summary TAG-<connection>-<n> (--tag-prefix, default "load-"); --acks FILE
// receives the acknowledged tags, one a line, once every connection has ended (also when the
// server died under it).
// Prints one JSON line: mode, connections, requests, ok, failed (= http_errors + io_errors), rps
// (expected answers per second), p50_ms, p95_ms, p99_ms, max_ms (over every answered request), and
// statuses: the count of each HTTP status answered, e.g. {"201":5120}.
//
// What counts as a success, and the exit code (load modes):
//   --expect S[,S…]   the statuses that count as ok (default: 201 for intake, 200 otherwise); any
//                     other status answered is unexpected;
//   --min-ok N        at least N expected answers (default 1: a run in which nothing succeeded fails);
//   --allow-io-errors connections that break (connect, write or read fails) are tolerated, e.g. when
//                     the caller kills the server mid-run (tests/crash/server_kill9.sh);
//   --fail-fast       the first unexpected status ends the run (every connection stops sending).
// Exit 0 when no status was unexpected, ok >= N and (unless allowed) no connection broke; exit 1
// otherwise, after printing the JSON line and, on stderr, why. Only expected answers are
// acknowledged (--acks).
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <chrono>
#include <random>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/cli_args.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

namespace {

struct Shared {
  std::string mode, cookie, csrf, path, tag_prefix = "load-";
  std::int64_t id_lo = 1, id_hi = 1;
  SteadyClock::time_point deadline;
  bool fail_fast = false;
  std::vector<double> latencies_ms;
  std::set<unsigned> expected;
  long ok = 0, http_errors = 0, io_errors = 0;
  unsigned first_error_status = 0;
  std::map<unsigned, long> statuses;
  std::vector<std::string> acked;
};

std::string intake_body(const std::string& tag) {
  return R"({"channel":"hotline","call_type":"help_request","complainant":{"name":"压测来电人","phone":"139)" +
         std::to_string(10000000 + std::hash<std::string>{}(tag) % 89999999) +
         R"("},"category":"marriage_family.domestic_violence","summary":")" + tag +
         R"(","narrative":"负载测试：丈夫酒后殴打，来电求助。","resolution":"open_case"})";
}

class Client : public std::enable_shared_from_this<Client> {
 public:
  Client(asio::io_context& io, Shared& shared, tcp::endpoint ep, int index)
      : stream_(io), shared_(shared), ep_(ep), index_(index), rng_(static_cast<unsigned>(index) * 7919u + 17u) {}

  void start() {
    stream_.async_connect(ep_, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->fail_and_stop();
      self->send();
    });
  }

 private:
  void send() {
    if (SteadyClock::now() >= shared_.deadline) return;
    req_ = {};
    req_.version(11);
    req_.set(http::field::host, "127.0.0.1");
    req_.keep_alive(true);
    tag_.clear();
    if (shared_.mode == "healthz") {
      req_.method(http::verb::get);
      req_.target("/healthz");
    } else if (shared_.mode == "read" || shared_.mode == "get") {
      req_.method(http::verb::get);
      req_.target(target());
      req_.set(http::field::cookie, shared_.cookie);
    } else {
      tag_ = shared_.tag_prefix + std::to_string(index_) + "-" + std::to_string(sent_++);
      req_.method(http::verb::post);
      req_.target("/api/v1/intakes");
      req_.set(http::field::cookie, shared_.cookie);
      req_.set("X-CSRF-Token", shared_.csrf);
      req_.set(http::field::content_type, "application/json");
      req_.body() = intake_body(tag_);
    }
    req_.prepare_payload();
    started_ = SteadyClock::now();
    http::async_write(stream_, req_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->fail_and_stop();
      self->res_ = {};
      http::async_read(self->stream_, self->buffer_, self->res_, [self](beast::error_code ec2, std::size_t) {
        if (ec2) return self->fail_and_stop();
        const double ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - self->started_).count();
        self->shared_.latencies_ms.push_back(ms);
        ++self->shared_.statuses[self->res_.result_int()];
        if (self->shared_.expected.contains(self->res_.result_int())) {
          ++self->shared_.ok;
          if (!self->tag_.empty()) self->shared_.acked.push_back(self->tag_);
        } else {
          if (self->shared_.http_errors++ == 0) {
            self->shared_.first_error_status = self->res_.result_int();
            std::fprintf(stderr, "http_load: first unexpected answer: %u %.200s\n", self->res_.result_int(),
                         self->res_.body().c_str());
          }
          if (self->shared_.fail_fast) self->shared_.deadline = SteadyClock::now();
        }
        self->send();
      });
    });
  }

  void fail_and_stop() {
    if (shared_.io_errors++ == 0) std::fprintf(stderr, "http_load: first broken connection (client %d)\n", index_);
  }

  // The request target: the path, its "{id}" replaced by a random id in the range when present.
  std::string target() {
    const auto at = shared_.path.find("{id}");
    if (at == std::string::npos) return shared_.path;
    const auto id = std::uniform_int_distribution<std::int64_t>(shared_.id_lo, shared_.id_hi)(rng_);
    std::string t = shared_.path;
    t.replace(at, 4, std::to_string(id));
    return t;
  }

  beast::tcp_stream stream_;
  Shared& shared_;
  tcp::endpoint ep_;
  int index_;
  std::mt19937_64 rng_;
  long sent_ = 0;
  std::string tag_;
  SteadyClock::time_point started_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> req_;
  http::response<http::string_body> res_;
};

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  const auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<long>(k), v.end());
  return v[k];
}

int login(unsigned short port, const std::string& user, const std::string& password) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  http::request<http::string_body> req{http::verb::post, "/api/v1/session", 11};
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::content_type, "application/json");
  req.body() = R"({"username":")" + user + R"(","password":")" + password + R"("})";
  req.prepare_payload();
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res);
  if (res.result_int() != 200) {
    std::fprintf(stderr, "login failed: %u %s\n", res.result_int(), res.body().c_str());
    return 1;
  }
  std::string cookie(res[http::field::set_cookie]);
  cookie = cookie.substr(0, cookie.find(';'));
  const auto& body = res.body();
  const auto key = body.find("\"csrf_token\":\"");
  if (cookie.empty() || key == std::string::npos) {
    std::fprintf(stderr, "login answered 200 without a session cookie or csrf_token: %s\n", body.c_str());
    return 1;
  }
  const std::string csrf = body.substr(key + 14, 64);
  std::printf("%s\t%s\n", cookie.c_str(), csrf.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto args = hl::parse_cli(argc, argv, {"allow-io-errors", "fail-fast"});
  if (!args || args->words.empty() || !args->get("port")) {
    std::fputs("usage: see the comment at the top of tests/bench/http_load.cpp\n", stderr);
    return 2;
  }
  const auto port = static_cast<unsigned short>(std::stoi(*args->get("port")));
  Shared shared;
  shared.mode = args->words[0];
  if (shared.mode == "login") return login(port, args->get("user").value_or(""), args->get("password").value_or(""));
  const int connections = std::stoi(args->get("connections").value_or("16"));
  const double seconds = std::stod(args->get("seconds").value_or("5"));
  shared.cookie = args->get("cookie").value_or("");
  shared.csrf = args->get("csrf").value_or("");
  shared.path = args->get("path-template").value_or(args->get("path").value_or("/api/v1/cases/1"));
  shared.tag_prefix = args->get("tag-prefix").value_or("load-");
  if (auto range = args->get("id-range")) {
    const auto colon = range->find(':');
    if (colon == std::string::npos) {
      std::fputs("--id-range wants FIRST:LAST\n", stderr);
      return 2;
    }
    shared.id_lo = std::stoll(range->substr(0, colon));
    shared.id_hi = std::stoll(range->substr(colon + 1));
    if (shared.id_hi < shared.id_lo) std::swap(shared.id_lo, shared.id_hi);
  }
  if (shared.mode != "healthz" && shared.mode != "intake" && shared.mode != "read" && shared.mode != "get") {
    std::fprintf(stderr, "unknown mode %s\n", shared.mode.c_str());
    return 2;
  }
  const std::string expect = args->get("expect").value_or(shared.mode == "intake" ? "201" : "200");
  for (std::string_view list = expect; !list.empty();) {
    const auto comma = list.find(',');
    const std::string one(list.substr(0, comma));
    const int status = std::atoi(one.c_str());
    if (status < 100 || status > 599) {
      std::fprintf(stderr, "--expect wants HTTP statuses separated by commas, not \"%s\"\n", one.c_str());
      return 2;
    }
    shared.expected.insert(static_cast<unsigned>(status));
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
  }
  const long min_ok = std::stol(args->get("min-ok").value_or("1"));
  const bool allow_io_errors = args->has("allow-io-errors");
  shared.fail_fast = args->has("fail-fast");
  asio::io_context io;
  const tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), port);
  const auto start = SteadyClock::now();
  shared.deadline = start + std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(seconds));
  for (int i = 0; i < connections; ++i) std::make_shared<Client>(io, shared, ep, i)->start();
  io.run();
  const double elapsed = std::chrono::duration<double>(SteadyClock::now() - start).count();
  if (auto file = args->get("acks")) {
    std::ofstream out(*file);
    for (const auto& t : shared.acked) out << t << '\n';
  }
  const long failed = shared.http_errors + shared.io_errors;
  const long requests = shared.ok + failed;
  auto& lat = shared.latencies_ms;
  const double max_ms = lat.empty() ? 0 : *std::max_element(lat.begin(), lat.end());
  const double p50 = percentile(lat, 0.50), p95 = percentile(lat, 0.95), p99 = percentile(lat, 0.99);
  std::string statuses;
  for (const auto& [status, count] : shared.statuses)
    statuses += (statuses.empty() ? "" : ",") + ("\"" + std::to_string(status) + "\":" + std::to_string(count));
  std::printf("{\"mode\":\"%s\",\"connections\":%d,\"seconds\":%.2f,\"requests\":%ld,\"ok\":%ld,\"failed\":%ld,"
              "\"http_errors\":%ld,\"io_errors\":%ld,\"first_error_status\":%u,\"rps\":%.1f,"
              "\"p50_ms\":%.2f,\"p95_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f,\"statuses\":{%s}}\n",
              shared.mode.c_str(), connections, elapsed, requests, shared.ok, failed, shared.http_errors, shared.io_errors,
              shared.first_error_status, elapsed > 0 ? static_cast<double>(shared.ok) / elapsed : 0.0, p50, p95, p99,
              max_ms, statuses.c_str());
  std::fflush(stdout);
  int rc = 0;
  if (shared.http_errors > 0) {
    std::fprintf(stderr, "http_load %s: FAIL: %ld answers with an unexpected status (statuses {%s})\n",
                 shared.mode.c_str(), shared.http_errors, statuses.c_str());
    rc = 1;
  }
  if (shared.ok < min_ok) {
    std::fprintf(stderr, "http_load %s: FAIL: %ld expected answers, fewer than the %ld required\n", shared.mode.c_str(),
                 shared.ok, min_ok);
    rc = 1;
  }
  if (shared.io_errors > 0 && !allow_io_errors) {
    std::fprintf(stderr, "http_load %s: FAIL: %ld connections broke\n", shared.mode.c_str(), shared.io_errors);
    rc = 1;
  }
  return rc;
}
