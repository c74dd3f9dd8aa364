#pragma once
// The HTTP/1.1 server: an acceptor and one session per connection, on one io_context run by N
// threads, each connection on its own strand (Beast's advanced-server design). Requests go to the
// Router; responses are counted in Metrics. Beast stays out of this header (pimpl): including it is
// cheap.
//
// Shared between threads: stop() and port() may be called from any thread, e.g. main's signal
// handler while run() blocks elsewhere. start() and run() are called once each, by the owner.
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace hl::web {

class Metrics;
class Router;

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;  // 0 picks a free port; see Server::port()
  unsigned threads = 2;
  std::size_t header_limit = 16 * 1024;  // bigger request headers get 431
  // Deadline for reading one whole request (header and body) and, separately, for writing one
  // response; a client slower than this (slowloris) is disconnected. Also the keep-alive idle time.
  std::chrono::seconds request_timeout{30};
  // stop() lets in-flight requests finish for this long, then closes what is left.
  std::chrono::seconds drain_timeout{10};
  // Requests a client may pipeline on one connection ahead of their responses.
  std::size_t max_pipelined = 16;
  // Event streams (Router::add_stream): a comment line (": ping") is written to an idle stream this
  // often, so that proxies keep the connection and a vanished client shows up as a write error;
  // zero turns it off. request_timeout does not apply to a stream's reading (it reads nothing),
  // only to each of its writes: a client that stops reading is cut off after request_timeout.
  std::chrono::milliseconds stream_heartbeat{15000};
  // Per-stream queue bounds (EventStream::Limits): past them the stream is dropped.
  std::size_t stream_queue_messages = 1000;
  std::size_t stream_queue_bytes = 1 << 20;
  // Peers whose X-Forwarded-For is believed (a reverse proxy on this machine): a request from one of
  // them gets the header's last entry, the address the proxy saw, as its remote_ip.
  std::vector<std::string> trusted_proxies;
};

class Server {
 public:
  // router and metrics must outlive the Server.
  Server(ServerOptions options, Router& router, Metrics& metrics);
  // Call stop() and wait for run() to return before destroying a running server.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. Throws std::runtime_error naming the address and the reason when it cannot
  // (bad address, port in use, no permission).
  void start();
  // The bound port (the real one when ServerOptions::port was 0); 0 before start().
  unsigned short port() const;
  // Serves on options.threads threads (the caller's included) until stop() has drained; returns
  // then. An exception escaping a completion handler is logged and the thread keeps serving.
  void run();
  // Graceful and idempotent: stops accepting, closes idle connections, lets in-flight requests be
  // answered (with Connection: close) for up to drain_timeout, closes the rest; then run() returns.
  // Open event streams are not waited for: each is ended at once (its on_close callbacks run).
  void stop();
  // Open connections, for a gauge.
  std::size_t connection_count() const;
  // Open event streams (their 200 written, not yet ended), for a gauge.
  std::size_t stream_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hl::web
