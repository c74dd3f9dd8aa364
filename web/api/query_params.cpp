#include "web/api/query_params.hpp"

#include <charconv>

namespace hl::web {

std::optional<std::string> query(const HttpRequest& r, const char* name) {
  auto it = r.query.find(name);
  if (it == r.query.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

std::optional<std::int64_t> integer_query(const HttpRequest& r, const char* name, std::map<std::string, std::string>& bad) {
  auto v = query(r, name);
  if (!v) return std::nullopt;
  std::int64_t n = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || p != v->data() + v->size()) {
    bad[name] = "must be a whole number";
    return std::nullopt;
  }
  return n;
}

}  // namespace hl::web
