#pragma once
// A small blocking HTTP/1.1 client for tests that talk to a real hl::web::Server on 127.0.0.1.
// Every operation gives up after a generous deadline (10 s) and throws, so a broken server fails
// a test instead of hanging it.
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hl::test {

struct HttpClientResponse {
  unsigned status = 0;
  std::map<std::string, std::string> headers;  // names lower-case
  std::string body;

  // "" when absent; name is matched case-insensitively.
  std::string header(std::string_view name) const;
  bool has_header(std::string_view name) const;
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// One request on a fresh connection. Sends Content-Length for a non-empty body. If the server
// answers before taking the whole body (413), the response is still read and returned.
HttpClientResponse request(unsigned short port, std::string_view method, std::string_view target,
                           std::string body = {}, const HttpHeaders& headers = {});

// One connection, for keep-alive, pipelining and malformed input.
class HttpConnection {
 public:
  explicit HttpConnection(unsigned short port);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  HttpClientResponse request(std::string_view method, std::string_view target, std::string body = {},
                             const HttpHeaders& headers = {});
  // Writes bytes as they are: half a header, garbage, several pipelined requests.
  void send_raw(std::string_view bytes);
  // Reads the next response; head = true for the answer to a HEAD request (no body follows).
  HttpClientResponse read_response(bool head = false);
  // True when the server closes the connection within `limit` (anything it sends is skipped).
  bool closed_by_peer_within(std::chrono::seconds limit);

  // Event streams (Server-Sent Events). open_stream sends GET `target` and reads the response
  // header; the body is then read with next_event(). An answer other than 200 is read whole and
  // returned with its body.
  HttpClientResponse open_stream(std::string_view target, const HttpHeaders& headers = {});
  // The next block of the stream: its text up to and including the blank line that ends an event
  // or a comment, e.g. "event: x\ndata: 1\n\n" or ": ping\n\n" (chunked framing removed).
  // std::nullopt once the server has ended the stream (last chunk, close, or reset); throws when nothing
  // complete arrives within `limit`.
  std::optional<std::string> next_event(std::chrono::seconds limit = std::chrono::seconds(10));

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hl::test
