#pragma once
// Server-Sent Events (text/event-stream): a stream of messages from the server to one client, for
// GET routes registered with Router::add_stream. No Beast here: handlers and their tests compile
// without it.
//
// EventStream is the queue between producers (any thread: the database writer, a subscriber hub)
// and the connection, whose strand takes what is queued and writes it. It knows nothing about
// sockets: the connection is told through `wake`, and reports its end through finish().
//
// Shared between threads: one mutex guards the queue, the state and the on_close callbacks; it is
// never held while calling out (wake, callbacks), so a producer may call send() or close() while
// holding a lock of its own that an on_close callback also takes.
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "web/http/response.hpp"

namespace hl::web {

// A producer that outruns its client (it does not read, or reads too slowly) fills the stream's
// queue; the message that would exceed either bound is refused and the stream is dropped instead of
// growing memory. Sizes count the formatted bytes.
struct EventStreamLimits {
  std::size_t max_messages = 1000;
  std::size_t max_bytes = 1 << 20;
};

class EventStream {
 public:
  using Limits = EventStreamLimits;

  enum class State {
    open,        // send() queues
    closing,     // close() was called: what is queued is still written, then the stream ends
    overflowed,  // the queue limit was hit: the queue is dropped and the connection cut
    finished,    // over: the connection is gone (or never was); on_close callbacks have run
  };

  // What the connection takes in one go: the formatted bytes queued so far and the state seen
  // with them.
  struct Taken {
    std::string bytes;
    State state = State::open;
  };

  // `wake` is called, never under the lock and on the producer's thread, when there is something
  // new to take(): for queued messages at most once between two take() calls; for close() and for
  // an overflow always (once each). The server passes one that posts to the connection's strand; a
  // test may pass none.
  explicit EventStream(Limits limits = {}, std::function<void()> wake = {});
  ~EventStream();
  EventStream(const EventStream&) = delete;
  EventStream& operator=(const EventStream&) = delete;

  // Queues one message:
  //   event: <event>     (left out when event is empty: the client sees a "message" event)
  //   id: <id>           (only when given; the browser sends it back as Last-Event-ID)
  //   data: <line>       (one per line of data; "\r\n", "\r" and "\n" all end a line)
  //   <blank line>
  // CR, LF and NUL are removed from event and id (they would end the field early). Note that a
  // browser does not dispatch an event whose data is empty. Returns false, queuing nothing, once
  // the stream is closed for any reason, including this very message overflowing the queue.
  bool send(std::string_view event, std::string_view data, std::optional<std::string_view> id = {});

  // Ends the stream: send() returns false from now on; messages already queued are still written,
  // then the response ends and the connection closes. Idempotent. The client's EventSource will
  // reconnect (after its retry delay) unless the page closes it.
  void close();

  // True once close() was called, the queue overflowed, or the stream finished (the client went
  // away, the server stopped).
  bool closed() const;

  // Registers a callback that runs exactly once when the stream finishes: the client disconnected,
  // the server stopped, the queue overflowed, or close() was called and the queue was written out.
  // Use it to unsubscribe. It runs on the connection's I/O thread (or the thread destroying the
  // Server), never inside send() or close(); so keep it short and non-blocking. Registered on a
  // stream that has already finished, it runs at once on the calling thread. An exception it throws
  // is logged and swallowed.
  void on_close(std::function<void()> callback);

  // --- The connection's side (the server; a test may play it) ---

  State state() const;
  // Formatted bytes queued and not yet taken by the connection (0 once it has taken everything):
  // for metrics and for tests that wait until the connection has caught up.
  std::size_t queued_bytes() const;
  // Removes and returns what is queued.
  Taken take();
  // The stream is over: marks it finished, drops the queue and runs the on_close callbacks on this
  // thread (outside the lock). Idempotent; the server calls it when the connection ends.
  void finish();

  // The SSE framing of one message, as send() queues it.
  static std::string format(std::string_view event, std::string_view data,
                            std::optional<std::string_view> id = {});

 private:
  const Limits limits_;
  mutable std::mutex mutex_;
  std::string queue_;  // formatted messages, in order
  std::size_t queued_messages_ = 0;
  State state_ = State::open;
  bool wake_pending_ = false;  // wake was called and nothing has been taken since
  std::function<void()> wake_;
  std::vector<std::function<void()>> on_close_;
};

// Given to a StreamHandler: answer the request either with an ordinary response (reject) or by
// starting the event stream (accept). Like a Reply: copyable (copies share one answer), usable from
// any thread, exactly one answer counts and later ones are ignored (logged); if every copy is
// destroyed unanswered the client gets a 500.
class StreamStart {
 public:
  // The server implements this; a test of a StreamHandler may implement it to capture the answer.
  class Target {
   public:
    virtual ~Target() = default;
    virtual void reject(HttpResponse response) = 0;
    virtual std::shared_ptr<EventStream> accept() = 0;
  };

  explicit StreamStart(std::shared_ptr<Target> target);

  // Answers with `response` instead of a stream, e.g. error_response(...) for a 401 or 403. The
  // connection closes after it (Connection: close).
  void reject(HttpResponse response) const;

  // Starts the stream: the client gets 200 with Content-Type: text/event-stream as soon as the
  // responses it is owed for earlier pipelined requests are written, then every message sent.
  // Messages may be sent at once, before that. Returns an already finished stream (send() false,
  // on_close runs at once) when the connection is gone, the server is gone, or the request was
  // already answered.
  std::shared_ptr<EventStream> accept() const;

 private:
  std::shared_ptr<Target> target_;
};

}  // namespace hl::web
