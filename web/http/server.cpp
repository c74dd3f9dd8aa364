#include "web/http/server.hpp"

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "web/http/connection_registry.hpp"
#include "web/http/http_session.hpp"
#include "web/http/listener.hpp"
#include "web/http/reply_gate.hpp"
#include "web/http/session_context.hpp"

namespace hl::web {

namespace net = boost::asio;

namespace {

// After drain_timeout the remaining connections are force-closed; this bounds how long their
// closing may take before run() returns regardless.
constexpr std::chrono::seconds kForceCloseGrace{1};

}  // namespace

struct Server::Impl {
  Impl(ServerOptions opts, Router& router, Metrics& metrics)
      : options(std::move(opts)),
        io(static_cast<int>(std::max(1u, options.threads))),
        control(net::make_strand(io)),
        drain_timer(control),
        work(net::make_work_guard(io)),
        registry([this] { net::post(control, [this] { finish(); }); }),
        context{options, router, metrics, registry, gate, open_streams} {}

  ~Impl() {
    gate->close();  // a Reply arriving from now on is dropped, never posted to a dead io_context
    io.stop();
  }

  // The steps below run on `control`, which serialises them.
  void begin_shutdown() {
    if (listener) listener->close();
    auto open = registry.close();
    if (open.empty()) return finish();
    for (auto& session : open) session->shutdown();
    drain_timer.expires_after(options.drain_timeout);
    drain_timer.async_wait([this](boost::system::error_code ec) {
      if (!ec) force_close();
    });
  }

  void force_close() {
    auto open = registry.snapshot();
    std::cerr << "shutdown: drain timeout, closing " + std::to_string(open.size()) + " connection(s)\n";
    for (auto& session : open) session->force_close();
    drain_timer.expires_after(kForceCloseGrace);
    drain_timer.async_wait([this](boost::system::error_code ec) {
      if (!ec) finish();
    });
  }

  void finish() {
    if (finished) return;
    finished = true;
    drain_timer.cancel();
    work.reset();
    io.stop();
  }

  void run_loop() {
    for (;;) {
      try {
        io.run();
        return;
      } catch (const std::exception& e) {
        std::cerr << std::string("uncaught exception in an I/O thread: ") + e.what() + "\n";
      } catch (...) {
        std::cerr << "uncaught non-exception in an I/O thread\n";
      }
    }
  }

  ServerOptions options;
  net::io_context io;  // declared first: destroyed last, after everything that uses it
  net::strand<net::io_context::executor_type> control;
  net::steady_timer drain_timer;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::shared_ptr<ReplyGate> gate = std::make_shared<ReplyGate>();
  std::atomic<std::size_t> open_streams{0};
  ConnectionRegistry registry;
  SessionContext context;
  std::shared_ptr<Listener> listener;
  std::atomic<unsigned short> port{0};
  std::atomic<bool> stop_requested{false};
  bool finished = false;
};

Server::Server(ServerOptions options, Router& router, Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), router, metrics)) {}

Server::~Server() = default;

void Server::start() {
  boost::system::error_code ec;
  auto address = net::ip::make_address(impl_->options.address, ec);
  if (ec)
    throw std::runtime_error("cannot listen on '" + impl_->options.address + "': " + ec.message());
  impl_->listener = std::make_shared<Listener>(
      impl_->io, net::ip::tcp::endpoint(address, impl_->options.port), impl_->context);
  impl_->port = impl_->listener->port();
  impl_->listener->start();
}

unsigned short Server::port() const { return impl_->port; }

void Server::run() {
  std::vector<std::jthread> extra;
  for (unsigned i = 1; i < impl_->options.threads; ++i)
    extra.emplace_back([this] {
      pthread_setname_np(pthread_self(), "hl-io");
      impl_->run_loop();
    });
  impl_->run_loop();
}

void Server::stop() {
  if (impl_->stop_requested.exchange(true)) return;
  net::post(impl_->control, [impl = impl_.get()] { impl->begin_shutdown(); });
}

std::size_t Server::connection_count() const { return impl_->registry.size(); }

std::size_t Server::stream_count() const { return impl_->open_streams.load(); }

}  // namespace hl::web
