#include "web/http/http_session.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <charconv>
#include <iostream>

#include "web/http/reply_plumbing.hpp"
#include "web/http/request_guard.hpp"

namespace hl::web {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

using detail::kLingerTime;
using detail::seconds_since;

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

bool is_safe_value(std::string_view s) { return s.find_first_of(std::string_view("\r\n\0", 3)) == s.npos; }

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

HttpResponse bad_request(std::string message) { return error_response(hl::Error{hl::Errc::bad_request, std::move(message), {}}); }

// A request through a trusted proxy: the last X-Forwarded-For entry, which that proxy appended (the
// entries before it come from the client and prove nothing), when it is an IP address; else `peer`.
template <class Header>
std::string forwarded_client(const Header& header, const std::string& peer) {
  std::string_view last;
  for (auto [it, end] = header.equal_range("X-Forwarded-For"); it != end; ++it) last = it->value();
  if (const auto comma = last.rfind(','); comma != std::string_view::npos) last.remove_prefix(comma + 1);
  while (!last.empty() && (last.front() == ' ' || last.front() == '\t')) last.remove_prefix(1);
  while (!last.empty() && (last.back() == ' ' || last.back() == '\t')) last.remove_suffix(1);
  beast::error_code ec;
  const auto address = net::ip::make_address(std::string(last), ec);
  return ec || last.empty() ? peer : address.to_string();
}


}  // namespace

HttpSession::HttpSession(tcp::socket&& socket, SessionContext& context)
    : stream_(std::move(socket)), context_(context), heartbeat_(stream_.get_executor()) {
  beast::error_code ec;
  auto endpoint = stream_.socket().remote_endpoint(ec);
  if (!ec) {
    remote_ip_ = endpoint.address().to_string();
    auto peer = endpoint.address();  // on a dual-stack socket 127.0.0.1 arrives as ::ffff:127.0.0.1
    if (peer.is_v6() && peer.to_v6().is_v4_mapped()) peer = net::ip::make_address_v4(net::ip::v4_mapped, peer.to_v6());
    for (const auto& proxy : context_.options.trusted_proxies) {
      beast::error_code bad;
      const auto address = net::ip::make_address(proxy, bad);
      if (!bad && address == peer) from_trusted_proxy_ = true;
    }
  }
  stream_.socket().set_option(tcp::no_delay(true), ec);  // responses are one write; don't wait for ACKs
  // Bodies are consumed as they arrive, headers are bounded by header_limit, but Beast bounds nothing
  // else it must hold whole: a chunk-size line with an endless chunk extension ("3;xxxx…") would grow
  // the buffer until the request deadline (tests/security/hostile_http.sh). Past this, the read fails
  // with buffer_overflow and the client gets a 400.
  buffer_.max_size(context_.options.header_limit + 64 * 1024);
}

HttpSession::~HttpSession() {
  // Not context_: the server may be gone already. finish() is idempotent.
  for (auto& pending : queue_)
    if (pending.stream) pending.stream->finish();
}

void HttpSession::start() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    if (!self->context_.registry.add(self)) {
      self->closed_ = true;
      beast::error_code ec;
      self->stream_.socket().close(ec);
      return;
    }
    self->do_read();
  });
}

void HttpSession::shutdown() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    self->stopping_ = true;
    if (self->closed_) return;
    if (self->streaming_) {
      // An open stream is not a request in flight: it ends now. send() refuses from here on.
      self->queue_.front().stream->close();
      if (self->writing_) return self->close();  // don't wait for a write to a slow client
      return self->write_stream();               // the end of the body, then close
    }
    // A half-read request that is not yet in the queue is not in flight: drop it.
    if (self->queue_.empty() && !self->reading_body_ && !self->writing_) self->close();
  });
}

void HttpSession::force_close() {
  net::post(stream_.get_executor(), [self = shared_from_this()] { self->close(); });
}

void HttpSession::do_read() {
  reading_ = true;
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(
      std::min<std::size_t>(context_.options.header_limit, UINT32_MAX)));
  // The limit depends on the route, known only after the header; Beast would otherwise reject
  // a Content-Length above its 1 MiB default while still reading the header.
  parser_->body_limit(boost::none);
  // One deadline for the whole request (header and body): a slowloris client is cut off. If a
  // write is pending this leaves its own deadline alone (basic_stream keeps one per direction).
  deadline_ = Clock::now() + context_.options.request_timeout;
  stream_.expires_at(deadline_);
  http::async_read_header(stream_, buffer_, *parser_,
                          beast::bind_front_handler(&HttpSession::on_header, shared_from_this()));
}

void HttpSession::on_header(beast::error_code ec, std::size_t) {
  if (closed_) return;
  if (ec) return on_read_error(ec);
  auto& message = parser_->get();
  current_ = Pending{};
  current_.started = Clock::now();
  // HTTP/1.0 and 1.1 are spoken here; a later 1.x is answered as 1.1, anything else refused.
  current_.version = std::min(message.version(), 11u);
  current_.route = "unmatched";
  if (message.version() < 10 || message.version() > 19) {
    current_.route = "malformed";
    return answer_now(bad_request("unsupported HTTP version"), false);
  }
  if (message.count(http::field::transfer_encoding) > 0 && (!parser_->chunked() || message.version() < 11)) {
    // Only chunked framing is spoken (RFC 9112 6.1: a request whose final coding is not chunked has no
    // length the server can know, and HTTP/1.0 has no Transfer-Encoding). Read as a body-less request,
    // its body would be parsed as the next request (smuggling past a proxy that framed it otherwise).
    current_.route = "malformed";
    return answer_now(bad_request("unsupported Transfer-Encoding: the last coding must be chunked"), false);
  }
  request_ = std::make_shared<HttpRequest>();
  request_->method = std::string(message.method_string());
  request_->remote_ip = from_trusted_proxy_ ? forwarded_client(message, remote_ip_) : remote_ip_;
  current_.head = request_->method == "HEAD";
  if (!set_target(*request_, message.target()))
    return answer_now(bad_request("malformed request target"), false);
  current_.no_store = request_->path.starts_with("/api/");

  match_ = context_.router.match(request_->method, request_->path);
  if (!match_.pattern.empty()) current_.route = std::string(match_.pattern);
  bool has_body = parser_->chunked() || parser_->content_length().value_or(0) > 0;
  if (match_.outcome == Router::Match::Outcome::not_found) {
    // The body is not read; with one pending the connection cannot be reused.
    return answer_now(error_response(hl::Error{hl::Errc::not_found, "no such resource", {}}),
                      message.keep_alive() && !has_body);
  }
  if (match_.outcome == Router::Match::Outcome::method_not_allowed) {
    HttpResponse r = error_response(hl::Error{hl::Errc::method_not_allowed, "method not allowed", {}});
    r.headers.emplace_back("Allow", match_.allow);
    return answer_now(std::move(r), message.keep_alive() && !has_body);
  }

  if (is_state_changing(request_->method)) {
    // Before the body is read: a page of another site must not change anything, the login included.
    const std::string_view scheme =
        from_trusted_proxy_ ? std::string_view(message["X-Forwarded-Proto"]) : std::string_view();
    if (is_cross_site(message[http::field::origin], message["Sec-Fetch-Site"], message[http::field::host], scheme))
      return answer_now(error_response(hl::Error{hl::Errc::forbidden, "cross-site request refused", {}}),
                        message.keep_alive() && !has_body);
    if (match_.options.json_body && has_body && !is_json_media_type(message[http::field::content_type]))
      return answer_now(error_response(hl::Error{hl::Errc::unsupported_media_type,
                                                 "the request body must be sent as Content-Type: application/json",
                                                 {}}),
                        false);  // the body is not read
  }
  const std::size_t limit = match_.options.body_limit;
  if (parser_->content_length() && *parser_->content_length() > limit)
    return answer_now(error_response(hl::Error{hl::Errc::payload_too_large,
                                               "request body larger than " + std::to_string(limit) + " bytes",
                                               {}}),
                      false);
  parser_->body_limit(limit);  // still enforced while reading a chunked body
  if (parser_->is_done()) {
    reading_ = false;
    return dispatch();
  }
  reading_body_ = true;
  if (current_.version == 11 && beast::iequals(message[http::field::expect], "100-continue") &&
      queue_.empty() && !writing_) {
    // The client waits for this before sending a (possibly large) body. Same deadline as the read.
    continue_ = std::make_unique<http::response<http::empty_body>>(http::status::continue_, 11);
    writing_ = true;
    stream_.expires_at(deadline_);
    http::async_write(stream_, *continue_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->writing_ = false;
      if (self->closed_) return;
      if (ec) return self->close();
      self->read_body();
    });
    return;
  }
  read_body();
}

void HttpSession::read_body() {
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&HttpSession::on_body, shared_from_this()));
}

void HttpSession::on_body(beast::error_code ec, std::size_t) {
  if (closed_) return;
  if (ec) return on_read_error(ec);
  reading_ = false;
  reading_body_ = false;
  dispatch();
}

void HttpSession::on_read_error(beast::error_code ec) {
  const bool in_body = reading_body_;
  reading_ = false;
  reading_body_ = false;
  if (ec == http::error::end_of_stream || ec == http::error::partial_message) {
    // The client closed its side: answer what it already sent, then close.
    no_more_reads_ = true;
    if (queue_.empty() && !writing_) close();
    return;
  }
  if (ec.category() != http::make_error_code(http::error::bad_target).category()) {
    // Timeout (the stream is already closed), reset, or our own close: nothing can be sent.
    return close();
  }
  current_.started = Clock::now();
  if (ec == http::error::header_limit) {
    current_.route = "malformed";
    return answer_now(error_response(hl::Error{hl::Errc::bad_request, "request header too large", {}}, 431), false);
  }
  if (ec == http::error::body_limit)  // a chunked body outgrew the route's limit
    return answer_now(error_response(hl::Error{hl::Errc::payload_too_large, "request body too large", {}}),
                      false);
  if (!in_body) current_.route = "malformed";
  answer_now(bad_request("malformed HTTP request"), false);
}

void HttpSession::dispatch() {
  auto message = parser_->release();
  for (const auto& field : message) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(), ascii_lower);
    auto [it, inserted] = request_->headers.try_emplace(std::move(name), field.value());
    if (!inserted) it->second += (it->first == "cookie" ? "; " : ", ") + std::string(field.value());
  }
  request_->body = std::move(message.body());
  request_->params = std::move(match_.params);

  // An event stream is the last request read on its connection; a rejection closes it too.
  const bool is_stream = match_.stream_handler != nullptr;
  Pending pending = std::move(current_);
  pending.id = next_id_++;
  pending.keep_alive = message.keep_alive() && !stopping_ && !is_stream;
  pending.request = request_;
  if (!pending.keep_alive) no_more_reads_ = true;
  queue_.push_back(std::move(pending));
  const auto& queued = queue_.back();

  auto state = std::make_shared<detail::ReplyState>(weak_from_this(), queued.id, context_.gate);
  std::string route = queued.route;
  try {
    if (is_stream) {
      EventStream::Limits limits{context_.options.stream_queue_messages, context_.options.stream_queue_bytes};
      (*match_.stream_handler)(
          *request_, StreamStart(std::make_shared<detail::StreamTarget>(state, weak_from_this(), queued.id, context_.gate, limits)));
    } else {
      (*match_.handler)(*request_, [state](HttpResponse response) {
        if (!state->send(std::move(response))) std::cerr << "a Reply was called more than once; ignored\n";
      });
    }
  } catch (const std::exception& e) {
    std::string detail = "handler for " + route + " threw: " + e.what();
    if (state->sent()) std::cerr << detail + " (after replying)\n";
    else state->send(error_response(hl::Error{hl::Errc::internal, detail, {}}));
  } catch (...) {
    std::string detail = "handler for " + route + " threw a non-exception";
    if (state->sent()) std::cerr << detail + " (after replying)\n";
    else state->send(error_response(hl::Error{hl::Errc::internal, detail, {}}));
  }
  request_.reset();
  match_ = Router::Match{};
  maybe_read();
}

void HttpSession::answer_now(HttpResponse response, bool keep_alive) {
  reading_ = false;
  reading_body_ = false;
  Pending pending = std::move(current_);
  pending.id = next_id_++;
  pending.keep_alive = keep_alive && !stopping_;
  if (!pending.keep_alive) no_more_reads_ = true;
  request_.reset();
  match_ = Router::Match{};
  context_.metrics.observe(pending.route, response.status, seconds_since(pending.started));
  queue_.push_back(std::move(pending));
  queue_.back().response = to_beast(std::move(response), queue_.back(), true);
  maybe_write();
  maybe_read();
}

void HttpSession::deliver(std::uint64_t id, HttpResponse response) {
  if (closed_) return;
  auto it = std::find_if(queue_.begin(), queue_.end(), [id](const Pending& p) { return p.id == id; });
  if (it == queue_.end() || it->response) return;
  if (response.status < 200 || response.status > 599) {
    std::string detail = "handler for " + it->route + " answered with status " + std::to_string(response.status);
    response = error_response(hl::Error{hl::Errc::internal, detail, {}});
  }
  context_.metrics.observe(it->route, response.status, seconds_since(it->started));
  it->response = to_beast(std::move(response), *it, std::next(it) == queue_.end());
  it->request.reset();
  maybe_write();
}

std::unique_ptr<HttpSession::BeastResponse> HttpSession::to_beast(HttpResponse response,
                                                                   const Pending& pending, bool last) {
  auto out = std::make_unique<BeastResponse>();
  out->result(response.status);
  out->version(pending.version);
  for (auto& [name, value] : response.headers) {
    if (!is_token(name) || !is_safe_value(value)) {
      std::cerr << "dropped an unsafe response header from " + pending.route + "\n";
      continue;
    }
    if (beast::iequals(name, "content-length") || beast::iequals(name, "transfer-encoding") ||
        beast::iequals(name, "connection"))
      continue;
    out->insert(name, value);
  }
  if (!response.content_type.empty() && is_safe_value(response.content_type))
    out->set(http::field::content_type, response.content_type);
  if (pending.no_store) out->set(http::field::cache_control, "no-store");
  // Every answer, the server's own errors and the API's JSON included: never sniffed into another
  // type, never framed (clickjacking). A handler's own policy (pages, attachments) keeps its rules
  // and gains frame-ancestors when it lacks one.
  out->set("X-Content-Type-Options", "nosniff");
  out->set(http::field::x_frame_options, "DENY");
  if (const auto csp = (*out)["Content-Security-Policy"]; csp.empty())
    out->set("Content-Security-Policy", "frame-ancestors 'none'");
  else if (csp.find("frame-ancestors") == std::string_view::npos)
    out->set("Content-Security-Policy", std::string(csp) + "; frame-ancestors 'none'");
  // While draining, the last queued answer tells the client to go; earlier ones keep the
  // connection so that the rest of a pipelined batch still arrives.
  out->keep_alive(pending.keep_alive && !(stopping_ && last));
  if (response.status == 204 || response.status == 304) {
    // No body and no Content-Length: these statuses never have one.
  } else if (pending.head) {
    out->content_length(response.body.size());
  } else {
    out->body() = std::move(response.body);
    out->prepare_payload();
  }
  return out;
}

void HttpSession::maybe_read() {
  if (closed_ || reading_ || no_more_reads_ || stopping_) return;
  if (queue_.size() >= std::max<std::size_t>(1, context_.options.max_pipelined)) return;
  // Read ahead of pending responses only what the client has already sent. Waiting for a
  // request that is not there would run the read deadline while a slow handler works, and
  // the deadline closes the socket, losing the answer.
  if (!queue_.empty() && buffer_.size() == 0) return;
  do_read();
}

void HttpSession::maybe_write() {
  if (closed_ || writing_ || queue_.empty()) return;
  if (queue_.front().stream) return write_stream();
  if (!queue_.front().response) return;
  writing_ = true;
  // Sets only the write deadline when a read is pending (basic_stream keeps one per direction).
  stream_.expires_after(context_.options.request_timeout);
  http::async_write(stream_, *queue_.front().response,
                    beast::bind_front_handler(&HttpSession::on_write, shared_from_this()));
}

void HttpSession::on_write(beast::error_code ec, std::size_t) {
  writing_ = false;
  if (closed_) return;
  if (ec) return close();
  bool last_one = queue_.front().response->need_eof();
  queue_.pop_front();
  if (last_one) return linger_close();
  if (!queue_.empty()) {
    maybe_write();
    return maybe_read();
  }
  if (stopping_ && !reading_body_) return close();
  if (no_more_reads_ && !reading_) return close();
  maybe_read();
}

void HttpSession::linger_close() {
  no_more_reads_ = true;
  if (reading_) return close();  // a pending read-ahead owns the read side
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec) return close();
  stream_.expires_after(std::min<Clock::duration>(context_.options.request_timeout, kLingerTime));
  buffer_.clear();
  discard_input();
}

void HttpSession::discard_input() {
  stream_.async_read_some(buffer_.prepare(16 * 1024),
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                            if (self->closed_) return;
                            if (ec) return self->close();  // EOF: the client has read and closed
                            self->discard_input();
                          });
}

void HttpSession::close() {
  if (closed_) return;
  closed_ = true;
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
  stream_.close();
  heartbeat_.cancel();
  // Before leaving the registry: a stopping server may finish as soon as it is empty.
  end_streams();
  // queue_ and parser_ stay: operations still pending refer to them until they complete.
  context_.registry.remove(this);
}

}  // namespace hl::web
