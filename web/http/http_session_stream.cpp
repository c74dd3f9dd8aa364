// HttpSession's event-stream side (Server-Sent Events): once a stream route accepted and the
// answers owed for earlier requests are written, the 200 header and then, chunk by chunk, what the
// EventStream queues; heartbeats; the end of the stream. The request/response side is in
// http_session.cpp; both run on the connection's strand.
#include <algorithm>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <charconv>

#include "web/http/http_session.hpp"
#include "web/http/reply_plumbing.hpp"

namespace hl::web {

namespace beast = boost::beast;
namespace net = boost::asio;

namespace {

using detail::kLingerTime;
using detail::seconds_since;

std::string stream_header(unsigned version) {
  std::string h = version == 11 ? "HTTP/1.1 200 OK\r\n" : "HTTP/1.0 200 OK\r\n";
  h += "Content-Type: text/event-stream\r\n"
       "Cache-Control: no-store\r\n"
       "X-Accel-Buffering: no\r\n"  // nginx: pass each event on at once
       "X-Content-Type-Options: nosniff\r\n"
       "X-Frame-Options: DENY\r\n"
       "Content-Security-Policy: frame-ancestors 'none'\r\n";  // as on every answer (HttpSession::to_beast)
  h += version == 11 ? "Transfer-Encoding: chunked\r\n" : "Connection: close\r\n";
  h += "\r\n";
  return h;
}

}  // namespace

void HttpSession::deliver_stream(std::uint64_t id, std::shared_ptr<EventStream> stream) {
  auto it = closed_ ? queue_.end()
                    : std::find_if(queue_.begin(), queue_.end(), [id](const Pending& p) { return p.id == id; });
  if (it == queue_.end() || it->response || it->stream) return stream->finish();
  it->stream = std::move(stream);
  it->request.reset();
  maybe_write();
}

void HttpSession::on_stream_wake() {
  if (closed_) return;
  if (streaming_ && !writing_) return write_stream();
  // Not started yet (earlier responses are being written), or a write is under way, perhaps stuck
  // on a client that does not read: what is queued is taken later, but a stream that overflowed is
  // cut off now rather than after the write's deadline.
  auto it = std::find_if(queue_.begin(), queue_.end(), [](const Pending& p) { return p.stream != nullptr; });
  if (it != queue_.end() && it->stream->state() == EventStream::State::overflowed) close();
}

void HttpSession::write_stream() {
  Pending& pending = queue_.front();
  if (!streaming_) {
    streaming_ = true;
    stream_version_ = pending.version;
    context_.metrics.observe(pending.route, 200, seconds_since(pending.started));
    context_.metrics.stream_opened();
    ++context_.open_streams;
    stream_out_ = stream_header(stream_version_);
    // request_timeout now bounds each write only: the read below has no deadline, for the client
    // sends nothing more while it listens.
    stream_.expires_never();
    watch_stream_input();
    arm_heartbeat();
  }
  auto taken = pending.stream->take();
  if (taken.state == EventStream::State::overflowed || taken.state == EventStream::State::finished)
    return close();
  if (!taken.bytes.empty()) append_stream_body(taken.bytes);
  else if (ping_due_) append_stream_body(": ping\n\n");
  ping_due_ = false;
  if (taken.state == EventStream::State::closing || stopping_) {
    if (stream_version_ == 11) stream_out_ += "0\r\n\r\n";
    stream_ending_ = true;
  }
  if (stream_out_.empty()) return stream_ending_ ? close() : void();  // HTTP/1.0: the close ends it
  writing_ = true;
  // Sets only the write deadline: the read is pending. While stopping, a slow client does not hold
  // up the shutdown.
  auto limit = std::chrono::duration_cast<Clock::duration>(context_.options.request_timeout);
  if (stopping_) limit = std::min<Clock::duration>(limit, kLingerTime);
  stream_.expires_after(limit);
  net::async_write(stream_, net::buffer(stream_out_),
                   beast::bind_front_handler(&HttpSession::on_stream_write, shared_from_this()));
}

void HttpSession::on_stream_write(beast::error_code ec, std::size_t) {
  writing_ = false;
  if (closed_) return;
  if (ec || stream_ending_) return close();
  if (stream_out_.capacity() > 64 * 1024) std::string().swap(stream_out_);  // a burst's memory goes back
  else stream_out_.clear();
  write_stream();
}

void HttpSession::append_stream_body(std::string_view bytes) {
  if (stream_version_ == 11) {
    char size[20];
    auto [end, ec] = std::to_chars(size, size + sizeof size, bytes.size(), 16);
    stream_out_.append(size, end);
    stream_out_ += "\r\n";
    stream_out_ += bytes;
    stream_out_ += "\r\n";
  } else {
    stream_out_ += bytes;
  }
}

void HttpSession::watch_stream_input() {
  buffer_.clear();
  stream_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (self->closed_) return;
    if (ec) return self->close();  // EOF or reset: the client went away
    self->stream_.expires_never();  // what it sent is ignored; keep listening, still without a deadline
    self->watch_stream_input();
  });
}

void HttpSession::arm_heartbeat() {
  if (closed_ || context_.options.stream_heartbeat <= std::chrono::milliseconds::zero()) return;
  heartbeat_.expires_after(context_.options.stream_heartbeat);
  heartbeat_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec || self->closed_) return;
    self->ping_due_ = true;
    if (!self->writing_) self->write_stream();
    self->arm_heartbeat();
  });
}

void HttpSession::end_streams() {
  if (streaming_) {
    streaming_ = false;
    --context_.open_streams;
    context_.metrics.stream_closed(queue_.front().stream->state() == EventStream::State::overflowed);
  }
  for (auto& pending : queue_)
    if (pending.stream) pending.stream->finish();
}

}  // namespace hl::web
