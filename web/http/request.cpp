#include "web/http/request.hpp"

#include <algorithm>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace hl::web {

namespace {

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::string HttpRequest::header(std::string_view name) const {
  std::string key(name);
  std::transform(key.begin(), key.end(), key.begin(), ascii_lower);
  auto it = headers.find(key);
  return it == headers.end() ? std::string() : it->second;
}

bool set_target(HttpRequest& request, std::string_view target) {
  auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed) return false;
  const boost::urls::url_view& url = *parsed;
  request.target = std::string(target);
  request.path = url.path();
  // A NUL would be cut off or misread by whatever the path is passed to next.
  if (request.path.find('\0') != std::string::npos) return false;
  request.query.clear();
  for (auto param : url.params()) request.query[param.key] = param.value;
  return true;
}

}  // namespace hl::web
