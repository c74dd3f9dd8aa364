// The systemd notification protocol (Type=notify; web/app/service_notify.hpp): `hotline serve` sends
// READY=1 to $NOTIFY_SOCKET once it listens, RELOADING=1 then READY=1 around a reload on SIGHUP, and
// STOPPING=1 when SIGTERM starts the drain. The test binds the datagram socket systemd would.
#include <signal.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstring>
#include <fstream>
#include <string>

#include "api/server_process.hpp"
#include "support/temp_dir.hpp"

using namespace hl::apitest;
using namespace std::chrono_literals;

namespace {

// A bound AF_UNIX datagram socket standing in for systemd's notification socket.
class NotifySocket {
 public:
  explicit NotifySocket(std::string path) : path_(std::move(path)) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (fd_ < 0 || path_.size() >= sizeof addr.sun_path) throw std::runtime_error("notify socket");
    std::memcpy(addr.sun_path, path_.c_str(), path_.size() + 1);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
      throw std::runtime_error("bind " + path_ + ": " + std::strerror(errno));
  }
  ~NotifySocket() { ::close(fd_); }
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  std::string env() const { return "NOTIFY_SOCKET=" + path_; }

  // The next datagram within `limit`, or "" when none came.
  std::string next(std::chrono::milliseconds limit = 20s) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(limit.count())) <= 0) return "";
    char buf[4096];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "";
  }

 private:
  std::string path_;
  int fd_ = -1;
};

// True when `message` (newline-separated assignments) holds the line `assignment`.
bool has_line(const std::string& message, const std::string& assignment) {
  return ("\n" + message + "\n").find("\n" + assignment + "\n") != std::string::npos;
}

void write_file(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::trunc) << text; }

}  // namespace

BOOST_AUTO_TEST_SUITE(service_notify)

BOOST_AUTO_TEST_CASE(ready_after_listening_reloading_and_ready_on_sighup_stopping_on_sigterm) {
  hl::test::TempDir dir;
  NotifySocket notify(dir.file("notify"));
  const std::string config = dir.file("hotline.json");
  write_file(config, R"({"session_idle_minutes": 30})");
  ServerProcess server(ServerOptions{.env = {notify.env()}, .config_file = config});

  // The port is bound when READY=1 comes: a request right after it is answered.
  const std::string ready = notify.next();
  BOOST_TEST_INFO(ready);
  BOOST_REQUIRE(has_line(ready, "READY=1"));
  BOOST_CHECK(has_line(ready, "STATUS=serving on 127.0.0.1:" + std::to_string(server.port())));
  CHECK_STATUS(server.request("GET", "/healthz"), 200);
  BOOST_CHECK_EQUAL(notify.next(300ms), "");  // nothing else until something happens

  // A reload with a changed setting: RELOADING=1, then READY=1; the change is named in the log and
  // waits for a restart.
  write_file(config, R"({"session_idle_minutes": 45})");
  server.signal(SIGHUP);
  const std::string reloading = notify.next();
  BOOST_TEST_INFO(reloading);
  BOOST_CHECK(has_line(reloading, "RELOADING=1"));
  BOOST_CHECK(reloading.find("\nMONOTONIC_USEC=") != std::string::npos);
  BOOST_CHECK(has_line(notify.next(), "READY=1"));
  BOOST_CHECK(server.log().find("changed settings take effect at the next restart: session_idle_minutes") != std::string::npos);
  CHECK_STATUS(server.request("GET", "/healthz"), 200);

  // A broken file does not stop a running server: it is reported, and the server stays ready.
  write_file(config, R"({"session_idle_minutes": )");
  server.signal(SIGHUP);
  BOOST_CHECK(has_line(notify.next(), "RELOADING=1"));
  BOOST_CHECK(has_line(notify.next(), "READY=1"));
  BOOST_CHECK(server.log().find("the configuration has problems") != std::string::npos);
  BOOST_CHECK_NO_THROW(server.login(kOperator));

  // SIGTERM: STOPPING=1 as the drain begins, then a clean exit.
  server.signal(SIGTERM);
  const std::string stopping = notify.next();
  BOOST_TEST_INFO(stopping);
  BOOST_CHECK(has_line(stopping, "STOPPING=1"));
  BOOST_CHECK_EQUAL(server.wait_exit(30s).value_or(-1), 0);
}

BOOST_AUTO_TEST_SUITE_END()
