#include "web/http/router.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace hl::web {

namespace {

// "/a/b/" -> {"a", "b", ""}; "/" -> {""}. Expects a leading '/'.
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  if (path.empty() || path.front() != '/') return parts;
  path.remove_prefix(1);
  for (;;) {
    auto slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler, RouteOptions options) {
  if (!handler) throw std::invalid_argument("route handler is empty: " + pattern);
  add_route(Route{std::move(method), std::move(pattern), {}, std::move(handler), {}, options});
}

void Router::add_stream(std::string pattern, StreamHandler handler, RouteOptions options) {
  if (!handler) throw std::invalid_argument("stream handler is empty: " + pattern);
  add_route(Route{"GET", std::move(pattern), {}, {}, std::move(handler), options});
}

void Router::add_route(Route route) {
  if (route.method.empty()) throw std::invalid_argument("route method is empty");
  if (route.pattern.empty() || route.pattern.front() != '/')
    throw std::invalid_argument("route pattern must start with '/': " + route.pattern);
  std::set<std::string, std::less<>> names;
  for (auto part : split_path(route.pattern)) {
    bool is_param = part.size() >= 2 && part.front() == '{' && part.back() == '}';
    if (is_param) part = part.substr(1, part.size() - 2);
    if (part.find_first_of("{}") != std::string_view::npos || (is_param && part.empty()))
      throw std::invalid_argument("malformed route pattern: " + route.pattern);
    if (is_param && !names.emplace(part).second)
      throw std::invalid_argument("repeated parameter in route pattern: " + route.pattern);
    route.segments.push_back(Segment{std::string(part), is_param});
  }
  for (const auto& r : routes_)
    if (r.method == route.method && r.pattern == route.pattern)
      throw std::invalid_argument("route registered twice: " + r.method + " " + r.pattern);
  routes_.push_back(std::move(route));
}

void Router::add_fallback(Handler handler, std::string prefix, RouteOptions options) {
  if (prefix.empty() || prefix.front() != '/')
    throw std::invalid_argument("fallback prefix must start with '/': " + prefix);
  if (!handler) throw std::invalid_argument("fallback handler is empty");
  std::string label = prefix + "*";
  fallbacks_.push_back(Fallback{std::move(prefix), std::move(label), std::move(handler), options});
}

bool Router::matches(const Route& route, const std::vector<std::string_view>& parts) {
  if (route.segments.size() != parts.size()) return false;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const Segment& s = route.segments[i];
    if (s.is_param ? parts[i].empty() : s.text != parts[i]) return false;
  }
  return true;
}

bool Router::more_specific(const Route& a, const Route& b) {
  // Both match the same path, so they have the same number of segments.
  for (std::size_t i = 0; i < a.segments.size(); ++i)
    if (a.segments[i].is_param != b.segments[i].is_param) return !a.segments[i].is_param;
  return false;
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
  Match result;
  auto parts = split_path(path);
  if (parts.empty()) return result;

  auto best_for = [&](std::string_view m) -> const Route* {
    const Route* best = nullptr;
    for (const auto& r : routes_)
      if (r.method == m && matches(r, parts) && (!best || more_specific(r, *best))) best = &r;
    return best;
  };
  const Route* best = best_for(method);
  if (!best && method == "HEAD") {
    best = best_for("GET");
    if (best && best->stream_handler) best = nullptr;
  }
  if (best) {
    result.outcome = Match::Outcome::found;
    if (best->stream_handler) result.stream_handler = &best->stream_handler;
    else result.handler = &best->handler;
    result.options = best->options;
    result.pattern = best->pattern;
    for (std::size_t i = 0; i < parts.size(); ++i)
      if (best->segments[i].is_param) result.params[best->segments[i].text] = std::string(parts[i]);
    return result;
  }

  std::set<std::string> allowed;
  const Route* any = nullptr;
  for (const auto& r : routes_) {
    if (!matches(r, parts)) continue;
    allowed.insert(r.method);
    if (r.method == "GET" && !r.stream_handler) allowed.insert("HEAD");
    if (!any || more_specific(r, *any)) any = &r;
  }
  if (any) {
    result.outcome = Match::Outcome::method_not_allowed;
    result.pattern = any->pattern;
    for (const auto& m : allowed) result.allow += (result.allow.empty() ? "" : ", ") + m;
    return result;
  }

  if (method == "GET" || method == "HEAD") {
    const Fallback* fallback = nullptr;
    for (const auto& f : fallbacks_)
      if (path.starts_with(f.prefix) && (!fallback || f.prefix.size() > fallback->prefix.size()))
        fallback = &f;
    if (fallback) {
      result.outcome = Match::Outcome::found;
      result.handler = &fallback->handler;
      result.options = fallback->options;
      result.pattern = fallback->label;
    }
  }
  return result;
}

}  // namespace hl::web
