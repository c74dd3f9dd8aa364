#pragma once
// The query string, read one way by every route: an absent and an empty parameter are the same,
// a number must be whole and fit in 64 bits, and problems are collected by parameter name so the
// route answers one 422 naming all of them.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "web/http/request.hpp"

namespace hl::web {

// The parameter's text, nullopt when absent or empty.
std::optional<std::string> query(const HttpRequest& r, const char* name);
// The parameter as a whole number; nullopt when absent, or when malformed (then `bad[name]` says so).
std::optional<std::int64_t> integer_query(const HttpRequest& r, const char* name, std::map<std::string, std::string>& bad);

}  // namespace hl::web
