#include "core/error.hpp"

namespace hl {

std::string_view to_string(Errc code) {
  switch (code) {
    case Errc::bad_request: return "bad_request";
    case Errc::invalid_input: return "validation_failed";
    case Errc::unauthenticated: return "unauthenticated";
    case Errc::forbidden: return "forbidden";
    case Errc::not_found: return "not_found";
    case Errc::conflict: return "conflict";
    case Errc::transition_not_allowed: return "transition_not_allowed";
    case Errc::payload_too_large: return "payload_too_large";
    case Errc::unsupported_media_type: return "unsupported_media_type";
    case Errc::rate_limited: return "rate_limited";
    case Errc::unavailable: return "unavailable";
    case Errc::storage_full: return "storage_full";
    case Errc::storage_unavailable: return "storage_unavailable";
    case Errc::method_not_allowed: return "method_not_allowed";
    case Errc::internal: return "internal";
  }
  return "internal";
}

}  // namespace hl
