#pragma once
// One client connection; internal to the server (this header includes Beast).
//
// Per request: read the header under a deadline, refuse a Transfer-Encoding not ending in chunked
// (400, close: smuggling), find the route, refuse a cross-site write (403) or a JSON route's body of
// another type (415; request_guard.hpp), check the declared body size against the route's limit (413
// before reading it), read the body under the same deadline, call the handler. Responses are written in request order; up to max_pipelined requests may be read
// ahead of their responses, but only when the client has already sent the bytes (see maybe_read).
//
// An event stream (Router::add_stream) is the last request a connection reads: once its handler
// accepts, and the responses owed for earlier requests are written, the session writes the 200
// header and then, chunk by chunk, what the EventStream has queued, until the stream is closed,
// the client goes away (a read is kept pending only to notice that), a write fails or times out,
// the queue overflows, or the server stops; then the connection closes and the stream finishes.
//
// Shared between threads: all members are touched only on the connection's strand. shutdown(),
// force_close(), the Reply or StreamStart given to handlers and the EventStream may be used from
// any thread; they post to the strand.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "web/http/event_stream.hpp"
#include "web/http/request.hpp"
#include "web/http/response.hpp"
#include "web/http/router.hpp"
#include "web/http/session_context.hpp"

namespace hl::web {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket&& socket, SessionContext& context);
  // Finishes a stream the session still holds if close() never ran (the server was destroyed).
  ~HttpSession();

  // Registers with the server (or closes at once if it is draining) and starts reading.
  void start();
  // Graceful: an idle connection closes now; one with requests in flight closes once they are
  // answered, and those answers carry Connection: close.
  void shutdown();
  void force_close();

  // Strand side of a Reply: records the response for request `id` and writes what is due.
  void deliver(std::uint64_t id, HttpResponse response);
  // Strand side of StreamStart::accept(): request `id` is answered by `stream`.
  void deliver_stream(std::uint64_t id, std::shared_ptr<EventStream> stream);
  // Strand side of an EventStream's wake: it has something new to take.
  void on_stream_wake();
  boost::asio::any_io_executor executor() { return stream_.get_executor(); }

 private:
  using Clock = std::chrono::steady_clock;
  using BeastResponse = boost::beast::http::response<boost::beast::http::string_body>;

  // A request read and not yet fully answered; queue_ keeps them in request order.
  struct Pending {
    std::uint64_t id = 0;
    unsigned version = 11;
    bool head = false;
    bool keep_alive = false;
    bool no_store = true;  // API answers and the server's own errors must not be cached
    std::string route;     // metrics label
    Clock::time_point started;
    std::shared_ptr<HttpRequest> request;    // kept alive until answered: handlers may refer to it
    std::unique_ptr<BeastResponse> response;  // set once answered
    std::shared_ptr<EventStream> stream;      // set instead when a stream route accepted
  };

  void do_read();
  void on_header(boost::beast::error_code ec, std::size_t bytes);
  void read_body();
  void on_body(boost::beast::error_code ec, std::size_t bytes);
  void on_read_error(boost::beast::error_code ec);
  void dispatch();
  // Queues a response the session makes itself (errors, 404, 405) for the current request.
  void answer_now(HttpResponse response, bool keep_alive);
  std::unique_ptr<BeastResponse> to_beast(HttpResponse response, const Pending& pending, bool last);
  void maybe_read();
  void maybe_write();
  void on_write(boost::beast::error_code ec, std::size_t bytes);
  void linger_close();
  void discard_input();
  void close();
  // Event streams. write_stream() needs the stream at the front of queue_ and no write under way.
  void write_stream();
  void on_stream_write(boost::beast::error_code ec, std::size_t bytes);
  void append_stream_body(std::string_view bytes);
  void watch_stream_input();
  void arm_heartbeat();
  void end_streams();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  SessionContext& context_;
  std::string remote_ip_;
  bool from_trusted_proxy_ = false;  // the peer is in ServerOptions::trusted_proxies

  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  Clock::time_point deadline_;               // of the request being read
  Pending current_;                          // the request being read
  std::shared_ptr<HttpRequest> request_;     // its HttpRequest
  Router::Match match_;                      // its route
  std::unique_ptr<boost::beast::http::response<boost::beast::http::empty_body>> continue_;

  std::deque<Pending> queue_;
  std::uint64_t next_id_ = 0;
  bool reading_ = false;        // a request (header or body) is being read
  bool reading_body_ = false;
  bool writing_ = false;
  bool no_more_reads_ = false;  // the client closed, asked to close, or sent something broken
  bool stopping_ = false;       // the server is draining
  bool closed_ = false;

  // The event stream at the front of queue_, once its header is written.
  bool streaming_ = false;
  unsigned stream_version_ = 11;  // 11: chunked; 10: the body ends when the connection closes
  bool stream_ending_ = false;    // the last write of the stream is under way
  bool ping_due_ = false;         // the heartbeat timer fired; a comment goes with the next write
  std::string stream_out_;        // the bytes of the write under way
  boost::asio::steady_timer heartbeat_;
};

}  // namespace hl::web
