#include "web/http/response.hpp"

#include <iostream>
#include <nlohmann/json.hpp>

namespace hl::web {

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
