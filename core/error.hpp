#pragma once
// Errors cross module boundaries as values: Result<T> = std::expected<T, Error>.
// web/ maps Errc to an HTTP status and the JSON error envelope in one place.
#include <expected>
#include <map>
#include <string>
#include <string_view>
#include <utility>

namespace hl {

enum class Errc {
  bad_request,             // malformed input (wrong types, unparsable)
  invalid_input,           // well-formed but fails validation; `fields` names what
  unauthenticated,
  forbidden,
  not_found,               // also for objects outside the caller's scope
  conflict,                // stale version or a uniqueness clash
  transition_not_allowed,  // workflow: wrong state, role or missing guard field
  payload_too_large,
  unsupported_media_type,  // a body whose Content-Type the endpoint does not take (JSON endpoints: application/json)
  method_not_allowed,      // the path exists, the method does not
  rate_limited,
  unavailable,             // shutting down / overloaded
  storage_full,            // the disk holding the database is full: nothing was saved
  storage_unavailable,     // the database cannot be written or read (I/O error, read-only, damaged)
  internal,                // details are logged, never sent
};

std::string_view to_string(Errc code);

struct Error {
  Errc code = Errc::internal;
  std::string message;
  std::map<std::string, std::string> fields;  // field path -> what is wrong with it
};

template <class T>
using Result = std::expected<T, Error>;

using Status = Result<void>;

inline std::unexpected<Error> fail(Errc code, std::string message,
                                   std::map<std::string, std::string> fields = {}) {
  return std::unexpected(Error{code, std::move(message), std::move(fields)});
}

}  // namespace hl
