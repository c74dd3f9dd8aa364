#include "http_client.hpp"

#include <algorithm>
#include <optional>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace hl::test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

constexpr std::chrono::seconds kDeadline{10};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// HOTLINE_RESPONSE_LOG=FILE: each exchange is written to FILE as one JSON line (method, target, status,
// content type, and the body when it is JSON), emptied by the process's first exchange. The OpenAPI
// check (tests/openapi/validate-responses.mjs) validates every line against the description.
void log_exchange(std::string_view method, std::string_view target, const HttpClientResponse& r) {
  static const char* const path = std::getenv("HOTLINE_RESPONSE_LOG");
  if (path == nullptr || *path == '\0') return;
  nlohmann::json line = {{"method", method}, {"target", target}, {"status", r.status},
                         {"content_type", r.header("content-type")}, {"body_bytes", r.body.size()}};
  if (line["content_type"].get<std::string>().starts_with("application/json")) line["body"] = r.body;
  static std::mutex mutex;
  static bool first = true;
  std::lock_guard lock(mutex);
  std::ofstream(path, first ? std::ios::trunc : std::ios::app)
      << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  first = false;
}

}  // namespace

std::string HttpClientResponse::header(std::string_view name) const {
  auto it = headers.find(lower(name));
  return it == headers.end() ? std::string() : it->second;
}

bool HttpClientResponse::has_header(std::string_view name) const { return headers.contains(lower(name)); }

// Async operations run to completion on a private io_context: the stream's deadline then applies,
// which Beast's blocking calls would ignore.
struct HttpConnection::Impl {
  net::io_context io;
  beast::tcp_stream stream{io};
  beast::flat_buffer buffer;
  // An event stream being read: its parser and the body text not yet returned.
  std::optional<http::response_parser<http::buffer_body>> stream_parser;
  std::string stream_text;

  // Reads more of the stream's body into stream_text. Returns the error, with need_buffer (the
  // scratch buffer is full) reported as success.
  beast::error_code read_stream_some(std::chrono::steady_clock::duration limit) {
    char scratch[16 * 1024];
    auto& body = stream_parser->get().body();
    body.data = scratch;
    body.size = sizeof scratch;
    auto ec = run([&](auto handler) { http::async_read_some(stream, buffer, *stream_parser, handler); }, limit);
    stream_text.append(scratch, sizeof scratch - body.size);
    if (ec == http::error::need_buffer) ec = {};
    return ec;
  }

  template <class Start>
  beast::error_code run(Start start, std::chrono::steady_clock::duration limit = kDeadline) {
    beast::error_code result = net::error::would_block;
    stream.expires_after(limit);
    start([&](beast::error_code ec, std::size_t) { result = ec; });
    io.restart();
    io.run();
    return result;
  }
};

HttpConnection::HttpConnection(unsigned short port) : impl_(std::make_unique<Impl>()) {
  tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), port);
  beast::error_code result = net::error::would_block;
  impl_->stream.expires_after(kDeadline);
  impl_->stream.async_connect(endpoint, [&](beast::error_code ec) { result = ec; });
  impl_->io.run();
  if (result) throw std::runtime_error("connect: " + result.message());
}

HttpConnection::~HttpConnection() = default;

void HttpConnection::send_raw(std::string_view bytes) {
  auto ec = impl_->run([&](auto handler) {
    net::async_write(impl_->stream, net::buffer(bytes.data(), bytes.size()), handler);
  });
  if (ec) throw std::runtime_error("send: " + ec.message());
}

HttpClientResponse HttpConnection::read_response(bool head) {
  http::response_parser<http::string_body> parser;
  parser.body_limit(boost::none);
  parser.skip(head);
  auto ec = impl_->run([&](auto handler) { http::async_read(impl_->stream, impl_->buffer, parser, handler); });
  if (ec) throw std::runtime_error("read response: " + ec.message());
  auto message = parser.release();
  HttpClientResponse out;
  out.status = message.result_int();
  for (const auto& field : message) {
    auto [it, inserted] = out.headers.try_emplace(lower(field.name_string()), field.value());
    if (!inserted) it->second += ", " + std::string(field.value());
  }
  out.body = std::move(message.body());
  return out;
}

HttpClientResponse HttpConnection::request(std::string_view method, std::string_view target,
                                           std::string body, const HttpHeaders& headers) {
  http::request<http::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  req.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) req.set(name, value);
  if (!body.empty()) {
    req.body() = std::move(body);
    req.prepare_payload();
  }
  auto ec = impl_->run([&](auto handler) { http::async_write(impl_->stream, req, handler); });
  // A server refusing a body may close before taking it all; its answer can still be read.
  if (ec && ec != net::error::connection_reset && ec != net::error::broken_pipe)
    throw std::runtime_error("write request: " + ec.message());
  auto response = read_response(method == "HEAD");
  log_exchange(method, target, response);
  return response;
}

bool HttpConnection::closed_by_peer_within(std::chrono::seconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  char scratch[4096];
  for (;;) {
    auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) return false;
    auto ec = impl_->run([&](auto handler) { impl_->stream.async_read_some(net::buffer(scratch), handler); },
                         left);
    if (ec == beast::error::timeout) return false;
    if (ec) return true;  // EOF or reset
  }
}

HttpClientResponse HttpConnection::open_stream(std::string_view target, const HttpHeaders& headers) {
  http::request<http::empty_body> req{http::verb::get, target, 11};
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::accept, "text/event-stream");
  for (const auto& [name, value] : headers) req.set(name, value);
  auto ec = impl_->run([&](auto handler) { http::async_write(impl_->stream, req, handler); });
  if (ec) throw std::runtime_error("write request: " + ec.message());

  impl_->stream_parser.emplace();
  impl_->stream_parser->body_limit(boost::none);
  impl_->stream_text.clear();
  ec = impl_->run([&](auto handler) {
    http::async_read_header(impl_->stream, impl_->buffer, *impl_->stream_parser, handler);
  });
  if (ec) throw std::runtime_error("read stream header: " + ec.message());
  const auto& message = impl_->stream_parser->get();
  HttpClientResponse out;
  out.status = message.result_int();
  for (const auto& field : message) {
    auto [it, inserted] = out.headers.try_emplace(lower(field.name_string()), field.value());
    if (!inserted) it->second += ", " + std::string(field.value());
  }
  if (out.status != 200) {
    while (!impl_->stream_parser->is_done()) {
      ec = impl_->read_stream_some(kDeadline);
      if (ec) throw std::runtime_error("read response body: " + ec.message());
    }
    out.body = std::move(impl_->stream_text);
    impl_->stream_parser.reset();
  }
  log_exchange("GET", target, out);
  return out;
}

std::optional<std::string> HttpConnection::next_event(std::chrono::seconds limit) {
  if (!impl_->stream_parser) throw std::logic_error("next_event without an open stream");
  auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    auto end = impl_->stream_text.find("\n\n");
    if (end != std::string::npos) {
      std::string event = impl_->stream_text.substr(0, end + 2);
      impl_->stream_text.erase(0, end + 2);
      return event;
    }
    if (impl_->stream_parser->is_done()) return std::nullopt;
    auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) throw std::runtime_error("next_event: timed out");
    auto ec = impl_->read_stream_some(left);
    // A stream cut off mid-way (partial_message, reset) is over too.
    if (ec == http::error::end_of_stream || ec == http::error::partial_message || ec == net::error::eof ||
        ec == net::error::connection_reset)
      return std::nullopt;
    if (ec == beast::error::timeout) throw std::runtime_error("next_event: timed out");
    if (ec) throw std::runtime_error("next_event: " + ec.message());
  }
}

HttpClientResponse request(unsigned short port, std::string_view method, std::string_view target,
                           std::string body, const HttpHeaders& headers) {
  HttpConnection connection(port);
  return connection.request(method, target, std::move(body), headers);
}

}  // namespace hl::test
