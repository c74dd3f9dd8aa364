#include "api/server_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/local_time.hpp"

extern char** environ;

namespace hl::apitest {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// A file descriptor closed on destruction.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    reset(std::exchange(o.fd_, -1));
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

struct Pipe {
  Fd read, write;
};

Pipe make_pipe() {
  int fds[2];
  // Close-on-exec: a pipe end inherited by another child would keep its EOF from ever arriving.
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
  return {Fd(fds[0]), Fd(fds[1])};
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// The test's environment without HOTLINE_* variables, which would override the flags' database,
// key file or listen address.
std::vector<std::string> child_environment() {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e)
    if (std::string_view(*e).substr(0, 8) != "HOTLINE_") env.emplace_back(*e);
  return env;
}

TimeMs system_ms() { return hl::SystemClock().now_ms(); }

TimeMs mtime_ms(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw std::runtime_error("cannot stat " + path);
  return static_cast<TimeMs>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1'000'000;
}

// Writes the clock file `path` (core/file_clock.hpp) whole: a new file renamed into place, so the
// server never reads half of it. Returns the file's modification time, the running clock's anchor.
TimeMs write_clock_file(const std::string& path, TimeMs instant, bool frozen) {
  {
    std::ofstream out(path + ".new", std::ios::binary | std::ios::trunc);
    out << instant << (frozen ? " frozen\n" : "\n");
    if (!out.flush()) throw std::runtime_error("cannot write " + path + ".new");
  }
  std::filesystem::rename(path + ".new", path);
  return mtime_ms(path);
}

// HOTLINE_TEST_NOW as an offset from the system clock, taken once when the test program first asks.
TimeMs suite_clock_offset() {
  static const TimeMs offset = [] {
    const char* start = std::getenv("HOTLINE_TEST_NOW");
    if (start == nullptr || *start == '\0') return TimeMs{0};
    const auto t = hl::parse_iso8601(start);
    if (!t) throw std::runtime_error(std::string("HOTLINE_TEST_NOW is not an ISO 8601 instant: ") + start);
    return *t - system_ms();
  }();
  return offset;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// One seeded demo database for the whole test program, seeded at the suite's "now"; each server copies
// it (not the clock file).
struct SeedTemplate {
  test::TempDir dir;
  std::string output;

  SeedTemplate() {
    write_clock_file(dir.file("seed-clock"), test_now_ms(), false);
    auto r = run_hotline({"seed-demo", "--db", dir.file("t.db"), "--cases", "40", "--clock-file", dir.file("seed-clock")});
    if (r.exit_code != 0)
      throw std::runtime_error("hotline seed-demo failed (exit " + std::to_string(r.exit_code) + "):\n" + r.out + r.err);
    output = r.out;
  }
};

const SeedTemplate& seed_template() {
  static const SeedTemplate t;
  return t;
}

}  // namespace

pid_t spawn_hotline(const std::vector<std::string>& args, int in_fd, int out_fd, int err_fd,
                    const std::vector<std::string>& extra_env) {
  const std::string bin = hotline_bin();
  std::vector<std::string> argv_text{bin};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  auto env_text = child_environment();
  env_text.insert(env_text.end(), extra_env.begin(), extra_env.end());
  std::vector<char*> envp;
  for (auto& e : env_text) envp.push_back(e.data());
  envp.push_back(nullptr);
  const pid_t parent = ::getpid();

  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    // Only async-signal-safe calls from here to exec.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(126);  // the test program is already gone
    if (::dup2(in_fd, 0) < 0 || ::dup2(out_fd, 1) < 0 || ::dup2(err_fd, 2) < 0) ::_exit(126);
    // Default dispositions and an empty mask, whatever the test runner set (it ignores SIGPIPE).
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; ++sig) ::sigaction(sig, &dfl, nullptr);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execve(bin.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
  return pid;
}

std::optional<int> wait_for(pid_t pid, std::chrono::milliseconds limit) {
  const Fd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  if (pidfd.get() < 0) throw std::runtime_error(std::string("pidfd_open: ") + std::strerror(errno));
  const auto deadline = Clock::now() + limit;
  for (;;) {
    int status = 0;
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return decode_status(status);
    if (r < 0 && errno != EINTR) return -1;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return std::nullopt;
    pollfd p{pidfd.get(), POLLIN, 0};
    ::poll(&p, 1, static_cast<int>(left));
  }
}

unsigned short read_listening_port(int fd, std::string& line, std::string& rest) {
  const auto deadline = Clock::now() + 30s;
  while (line.find('\n') == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd p{fd, POLLIN, 0};
    if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0) break;
    char buf[256];
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    line.append(buf, static_cast<std::size_t>(n));
  }
  constexpr std::string_view kPrefix = "listening on http://127.0.0.1:";
  if (!line.starts_with(kPrefix) || line.find('\n') == std::string::npos) return 0;
  rest = line.substr(line.find('\n') + 1);
  return static_cast<unsigned short>(std::stoi(line.substr(kPrefix.size())));
}


TimeMs test_now_ms() { return system_ms() + suite_clock_offset(); }

std::string hotline_bin() {
  const char* bin = std::getenv("HOTLINE_BIN");
  if (bin == nullptr || *bin == '\0')
    throw std::runtime_error("HOTLINE_BIN is not set: run through ctest, or HOTLINE_BIN=build/…/hotline test_api");
  return bin;
}

CommandResult run_hotline(const std::vector<std::string>& args, const std::string& stdin_text,
                          std::chrono::seconds limit) {
  Pipe in = make_pipe(), out = make_pipe(), err = make_pipe();
  const pid_t pid = spawn_hotline(args, in.read.get(), out.write.get(), err.write.get());
  in.read.reset();
  out.write.reset();
  err.write.reset();
  // Small inputs only: they fit in the pipe, so this write cannot block.
  if (!stdin_text.empty()) {
    [[maybe_unused]] auto n = ::write(in.write.get(), stdin_text.data(), stdin_text.size());
  }
  in.write.reset();

  CommandResult result;
  const auto deadline = Clock::now() + limit;
  std::vector<pollfd> fds{{out.read.get(), POLLIN, 0}, {err.read.get(), POLLIN, 0}};
  int open = 2;
  while (open > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
      throw std::runtime_error("hotline did not finish within the time limit; output so far:\n" + result.out + result.err);
    }
    if (::poll(fds.data(), fds.size(), static_cast<int>(left)) < 0 && errno != EINTR)
      throw std::runtime_error("poll failed");
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buf[4096];
      const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        (i == 0 ? result.out : result.err).append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;
        --open;
      }
    }
  }
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  auto status = wait_for(pid, std::max(left, std::chrono::milliseconds(1000)));
  if (!status) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    throw std::runtime_error("hotline closed its output but did not exit");
  }
  result.exit_code = *status;
  return result;
}

// ---- ServerProcess ----

ServerProcess::ServerProcess() : ServerProcess(test_now_ms()) {}

ServerProcess::ServerProcess(TimeMs clock_start) : ServerProcess(ServerOptions{}, clock_start) {}

ServerProcess::ServerProcess(const ServerOptions& options, TimeMs clock_start) : options_(options) {
  const std::string db_dir = options.db_dir.empty() ? dir_.path().string() : options.db_dir;
  db_path_ = (std::filesystem::path(db_dir) / "t.db").string();
  if (options.copy_seed) copy_seeded_database(db_dir);
  offset_ = clock_start - write_clock_file(clock_file(), clock_start, false);
  start();
}

void copy_seeded_database(const std::string& dir) {
  const auto& seeded = seed_template();
  for (const auto& entry : std::filesystem::directory_iterator(seeded.dir.path()))
    if (entry.path().filename() != "seed-clock")
      std::filesystem::copy_file(entry.path(), std::filesystem::path(dir) / entry.path().filename());
  const auto keys = std::filesystem::path(dir) / "t.db.keys";
  if (std::filesystem::exists(keys))
    std::filesystem::permissions(keys, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

const std::string& ServerProcess::seed_output() { return seed_template().output; }

void ServerProcess::start() {
  Fd null_in(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  Fd log_fd(::open(dir_.file("server.log").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
  if (null_in.get() < 0 || log_fd.get() < 0) throw std::runtime_error("cannot open /dev/null or the server log");
  Pipe out = make_pipe();
  std::vector<std::string> args{"serve", "--db", db_path_, "--listen", "127.0.0.1:0", "--clock-file", clock_file()};
  if (!options_.config_file.empty()) args.insert(args.end(), {"--config", options_.config_file});
  // Every test server takes kMetricsToken for /metrics (metrics()); options_.env, added later, may override it.
  std::vector<std::string> env{"HOTLINE_METRICS_TOKEN=" + std::string(kMetricsToken)};
  env.insert(env.end(), options_.env.begin(), options_.env.end());
  pid_ = spawn_hotline(args, null_in.get(), out.write.get(), log_fd.get(), env);
  out.write.reset();
  stdout_fd_ = out.read.release();

  std::string line;
  port_ = read_listening_port(stdout_fd_, line, stdout_rest_);
  if (port_ != 0) return;
  const int status = stop(5s);
  throw std::runtime_error("the server did not start (exit " + std::to_string(status) + "); stdout: " + line +
                           "\nstderr:\n" + log());
}

std::string ServerProcess::log() const { return read_file(dir_.file("server.log")); }

TimeMs ServerProcess::now_ms() const { return frozen_at_ ? *frozen_at_ : system_ms() + offset_; }

std::string ServerProcess::date(int days_from_today) const { return shanghai_date_of(now_ms(), days_from_today); }

void ServerProcess::set_clock(TimeMs instant, bool frozen) {
  if (!running()) throw std::runtime_error("set_clock: the server is not running");
  const TimeMs written = write_clock_file(clock_file(), instant, frozen);
  const std::string ack = frozen ? "test clock set: frozen at=" + std::to_string(instant) + " "
                                 : "test clock set: running offset=" + std::to_string(instant - written) + " ";
  // The server prints `ack` once the new time is in force (web/app/app.cpp); lines of earlier
  // changes are passed over.
  const auto deadline = Clock::now() + 10s;
  for (;;) {
    for (auto nl = stdout_rest_.find('\n'); nl != std::string::npos; nl = stdout_rest_.find('\n')) {
      const std::string line = stdout_rest_.substr(0, nl + 1);
      stdout_rest_.erase(0, nl + 1);
      if (line.starts_with(ack)) {
        if (frozen) frozen_at_ = instant;
        else frozen_at_.reset(), offset_ = instant - written;
        return;
      }
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd p{stdout_fd_, POLLIN, 0};
    if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0) break;
    char buf[512];
    const ssize_t n = ::read(stdout_fd_, buf, sizeof buf);
    if (n <= 0) break;
    stdout_rest_.append(buf, static_cast<std::size_t>(n));
  }
  throw std::runtime_error("the server did not acknowledge the clock change \"" + ack + "\" within 10 s; its log:\n" + log());
}

void ServerProcess::advance_clock(TimeMs ms) { set_clock(now_ms() + ms, frozen_at_.has_value()); }

void ServerProcess::freeze_clock() { set_clock(now_ms(), true); }

ServerProcess::~ServerProcess() {
  if (exit_status_ || pid_ <= 0) return;
  const int status = stop();
  if (status != 0)
    BOOST_ERROR("the server on port " << port_ << " did not stop cleanly on SIGTERM (exit status " << status
                                      << "); its log:\n"
                                      << log());
}

void ServerProcess::signal(int sig) const {
  if (pid_ > 0 && !exit_status_) ::kill(pid_, sig);
}

std::optional<int> ServerProcess::wait_exit(std::chrono::milliseconds limit) {
  if (exit_status_) return exit_status_;
  if (pid_ <= 0) return std::nullopt;
  auto status = wait_for(pid_, limit);
  if (status) {
    exit_status_ = status;
    if (stdout_fd_ >= 0) ::close(stdout_fd_), stdout_fd_ = -1;
  }
  return status;
}

int ServerProcess::stop(std::chrono::seconds limit) {
  if (exit_status_) return *exit_status_;
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  if (auto status = wait_exit(limit)) return *status;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  exit_status_ = -1;
  if (stdout_fd_ >= 0) ::close(stdout_fd_), stdout_fd_ = -1;
  return -1;
}

HttpClientResponse ServerProcess::request(std::string_view method, std::string_view target, std::string body,
                                          const HttpHeaders& headers) const {
  return test::request(port_, method, target, std::move(body), headers);
}

HttpClientResponse ServerProcess::login_raw(std::string_view username, std::string_view password,
                                            std::string_view code) const {
  Json body = {{"username", username}, {"password", password}};
  if (!code.empty()) body["code"] = code;
  return request("POST", "/api/v1/session", body.dump(), {{"Content-Type", "application/json"}});
}

Login ServerProcess::login(const Credentials& who) const { return login(who.username, who.password); }

Login ServerProcess::login(std::string_view username, std::string_view password, std::string_view code) const {
  auto r = login_raw(username, password, code);
  if (r.status != 200) throw std::runtime_error("login as " + std::string(username) + " failed: " + describe(r));
  const std::string cookie = r.header("set-cookie");
  const auto at = cookie.find("hl_session=");
  if (at == std::string::npos) throw std::runtime_error("login answer has no hl_session cookie: " + cookie);
  const auto start = at + std::string_view("hl_session=").size();
  Login l;
  l.token = cookie.substr(start, cookie.find(';', start) - start);
  const Json j = body_json(r);
  l.csrf = j.at("csrf_token").get<std::string>();
  l.user = j.at("user");
  return l;
}

HttpClientResponse ServerProcess::get(const Login& who, std::string_view target) const {
  return request("GET", target, {}, {{"Cookie", "hl_session=" + who.token}});
}

HttpClientResponse ServerProcess::send(const Login& who, std::string_view method, std::string_view target,
                                       const Json& body, bool csrf) const {
  return send_text(who, method, target, body.dump(), csrf);
}

HttpClientResponse ServerProcess::send_text(const Login& who, std::string_view method, std::string_view target,
                                            std::string body, bool csrf) const {
  HttpHeaders headers{{"Cookie", "hl_session=" + who.token}, {"Content-Type", "application/json"}};
  if (csrf) headers.emplace_back("X-CSRF-Token", who.csrf);
  return request(method, target, std::move(body), headers);
}

HttpClientResponse ServerProcess::metrics() const {
  return request("GET", "/metrics", {}, {{"Authorization", "Bearer " + std::string(kMetricsToken)}});
}

HttpClientResponse ServerProcess::del(const Login& who, std::string_view target) const {
  return request("DELETE", target, {}, {{"Cookie", "hl_session=" + who.token}, {"X-CSRF-Token", who.csrf}});
}

// ---- answers ----

Json body_json(const HttpClientResponse& r) {
  auto j = Json::parse(r.body, nullptr, false);
  if (j.is_discarded()) throw std::runtime_error("the answer is not JSON: " + describe(r));
  return j;
}

std::string error_code(const HttpClientResponse& r) {
  auto j = Json::parse(r.body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("error") || !j["error"].is_object()) return {};
  const auto& e = j["error"];
  return e.contains("code") && e["code"].is_string() ? e["code"].get<std::string>() : std::string();
}

bool names_field(const HttpClientResponse& r, const std::string& field) {
  auto j = Json::parse(r.body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return false;
  const auto e = j.value("error", Json::object());
  return e.is_object() && e.contains("fields") && e["fields"].is_object() && e["fields"].contains(field);
}

bool is_error_envelope(const HttpClientResponse& r) {
  auto j = Json::parse(r.body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.size() != 1 || !j.contains("error")) return false;
  const auto& e = j["error"];
  if (!e.is_object() || !e.contains("code") || !e["code"].is_string() || !e.contains("message") ||
      !e["message"].is_string() || e["message"].get<std::string>().empty())
    return false;
  for (const auto& [k, v] : e.items()) {
    if (k == "code" || k == "message") continue;
    if (k != "fields" || !v.is_object()) return false;
  }
  return r.header("content-type").starts_with("application/json");
}

std::string describe(const HttpClientResponse& r) {
  std::string body = r.body.size() > 600 ? r.body.substr(0, 600) + "…" : r.body;
  return "HTTP " + std::to_string(r.status) + ": " + body;
}

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

namespace {

// Approves an answered request (202 {"user"?, "approval"}) as `decider`; then the account as listed.
HttpClientResponse approve_and_show(const ServerProcess& server, const HttpClientResponse& asked, const Credentials& decider,
                                    unsigned status) {
  if (asked.status != 202) return asked;
  const Json answer = body_json(asked);
  const auto approval = answer.at("approval").at("id").get<std::int64_t>();
  const auto user_id = answer.at("approval").at("user").at("id").get<std::int64_t>();
  const Login who = server.login(decider);
  auto decided = server.send(who, "POST", "/api/v1/approvals/" + std::to_string(approval) + "/approve", Json::object());
  if (decided.status != 200) return decided;
  auto listed = server.get(server.login(kAdmin), "/api/v1/users");
  if (listed.status != 200) return listed;
  const Json users = body_json(listed);
  for (const auto& u : users.at("items"))
    if (u.at("id") == user_id) return HttpClientResponse{status, {{"content-type", "application/json"}}, u.dump()};
  return listed;
}

}  // namespace

HttpClientResponse create_account(const ServerProcess& server, const Json& body) {
  return approve_and_show(server, server.send(server.login(kAdmin), "POST", "/api/v1/users", body), kSecAdmin, 201);
}

HttpClientResponse change_grants(const ServerProcess& server, std::int64_t user_id, const Json& body) {
  return approve_and_show(server, server.send(server.login(kSecAdmin), "PATCH", "/api/v1/users/" + std::to_string(user_id), body),
                          kAdmin, 200);
}

std::string shanghai_date_of(TimeMs t, int days_after) { return hl::format_date(hl::add_days(hl::local_date(t), days_after)); }

std::string shanghai_date(int days_from_today) { return shanghai_date_of(test_now_ms(), days_from_today); }

}  // namespace hl::apitest
