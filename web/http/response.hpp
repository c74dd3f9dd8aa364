#pragma once
// One HTTP response as handlers produce it, and the single mapping from hl::Error to the API's
// error envelope {"error":{"code","message","fields"?}} (API.md "Errors always use one envelope").
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace hl::web {

struct HttpResponse {
  unsigned status = 200;
  std::string content_type = "application/json";  // "" sends no Content-Type (e.g. a 304)
  std::string body;
  // Extra header fields. The server owns framing: Content-Length, Transfer-Encoding and
  // Connection given here are ignored, and a field whose name or value holds CR, LF or NUL is
  // dropped (header injection).
  std::vector<std::pair<std::string, std::string>> headers;
};

HttpResponse json_response(unsigned status, std::string body);

// A file to download: Content-Disposition "attachment" with `ascii_name` as the plain filename
// (anything but printable ASCII, quotes and backslashes becomes '_') and `utf8_name` as the RFC 5987
// filename* (percent-encoded UTF-8), which browsers prefer.
std::string content_disposition(std::string_view ascii_name, std::string_view utf8_name);
HttpResponse file_response(std::string body, std::string content_type, std::string_view ascii_name,
                           std::string_view utf8_name);

// Returns the envelope with the status http_status(e.code). For Errc::internal the message is
// replaced by a generic one and the real one is written to stderr: 500s never leak details.
HttpResponse error_response(const hl::Error& e);
// The same envelope with another status, for the few HTTP-level answers whose status has no Errc of
// its own (431 "request header too large" is a bad_request).
HttpResponse error_response(const hl::Error& e, unsigned status);
// 429 rate_limited with Retry-After: the wait in whole seconds, rounded up (a lockout's remaining time).
HttpResponse rate_limited_response(std::string message, std::int64_t retry_after_ms);

// bad_request 400, invalid_input 422, unauthenticated 401, forbidden 403, not_found 404,
// conflict 409, transition_not_allowed 422, payload_too_large 413, unsupported_media_type 415, rate_limited 429,
// method_not_allowed 405, unavailable 503, internal 500.
unsigned http_status(hl::Errc code);

}  // namespace hl::web
