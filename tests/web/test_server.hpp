#pragma once
// A real hl::web::Server for the web tests: 127.0.0.1, port 0, run() on a background thread,
// stopped and joined on destruction. It always runs more I/O threads than the machine has cores, so
// that the concurrency the tests exercise is real interleaving, not one thread taking turns.
#include <algorithm>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <thread>

#include "web/http/metrics.hpp"
#include "web/http/router.hpp"
#include "web/http/server.hpp"

namespace hl::test {

// 2 × cores + 1.
inline unsigned more_threads_than_cores() { return 2 * std::max(1u, std::thread::hardware_concurrency()) + 1; }

class TestServer {
 public:
  explicit TestServer(const std::function<void(web::Router&)>& routes, web::ServerOptions options = {}) {
    routes(router_);
    options.address = "127.0.0.1";
    options.port = 0;
    options.threads = std::max(options.threads, more_threads_than_cores());
    server_ = std::make_unique<web::Server>(options, router_, metrics_);
    server_->start();
    runner_ = std::async(std::launch::async, [this] { server_->run(); });
  }
  ~TestServer() {
    server_->stop();
    runner_.wait();
  }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  unsigned short port() const { return server_->port(); }
  web::Server& server() { return *server_; }
  web::Metrics& metrics() { return metrics_; }
  // True when run() has returned within `limit` after stop().
  bool stop_and_wait(std::chrono::seconds limit) {
    server_->stop();
    return runner_.wait_for(limit) == std::future_status::ready;
  }

 private:
  web::Router router_;
  web::Metrics metrics_;
  std::unique_ptr<web::Server> server_;
  std::future<void> runner_;
};

// Waits until `condition` holds, up to `limit`, looking every 10 ms.
template <class F>
bool eventually(F condition, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace hl::test
