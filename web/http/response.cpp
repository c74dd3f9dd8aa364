#include "web/http/response.hpp"

#include <iostream>
#include <nlohmann/json.hpp>

namespace hl::web {

std::string content_disposition(std::string_view ascii_name, std::string_view utf8_name) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string ascii, encoded;
  for (unsigned char c : ascii_name) ascii.push_back(c < 0x80 && c >= 0x20 && c != '"' && c != '\\' ? static_cast<char>(c) : '_');
  for (unsigned char c : utf8_name) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_') {
      encoded.push_back(static_cast<char>(c));
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 15];
    }
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

HttpResponse file_response(std::string body, std::string content_type, std::string_view ascii_name,
                           std::string_view utf8_name) {
  HttpResponse res;
  res.content_type = std::move(content_type);
  res.body = std::move(body);
  res.headers.emplace_back("Content-Disposition", content_disposition(ascii_name, utf8_name));
  return res;
}

HttpResponse json_response(unsigned status, std::string body) {
  return HttpResponse{status, "application/json", std::move(body), {}};
}

unsigned http_status(hl::Errc code) {
  switch (code) {
    case Errc::bad_request: return 400;
    case Errc::invalid_input: return 422;
    case Errc::unauthenticated: return 401;
    case Errc::forbidden: return 403;
    case Errc::not_found: return 404;
    case Errc::conflict: return 409;
    case Errc::transition_not_allowed: return 422;
    case Errc::payload_too_large: return 413;
    case Errc::unsupported_media_type: return 415;
    case Errc::rate_limited: return 429;
    case Errc::unavailable: return 503;
    case Errc::storage_full: return 503;
    case Errc::storage_unavailable: return 503;
    case Errc::method_not_allowed: return 405;
    case Errc::internal: return 500;
  }
  return 500;
}

HttpResponse error_response(const hl::Error& e, unsigned status) {
  HttpResponse r = error_response(e);
  r.status = status;
  return r;
}

HttpResponse rate_limited_response(std::string message, std::int64_t retry_after_ms) {
  HttpResponse r = error_response({Errc::rate_limited, std::move(message), {}});
  r.headers.emplace_back("Retry-After", std::to_string((retry_after_ms + 999) / 1000));
  return r;
}

HttpResponse error_response(const hl::Error& e) {
  nlohmann::json error = {{"code", std::string(hl::to_string(e.code))}};
  if (e.code == Errc::internal) {
    std::cerr << "internal error: " + e.message + "\n";
    error["message"] = "internal server error";
  } else {
    error["message"] = e.message;
    if (!e.fields.empty()) error["fields"] = e.fields;
  }
  // Messages and field paths can echo client input; replace invalid UTF-8 instead of throwing.
  nlohmann::json envelope = {{"error", std::move(error)}};
  return json_response(http_status(e.code),
                       envelope.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace hl::web
