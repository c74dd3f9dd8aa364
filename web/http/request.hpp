#pragma once
// One HTTP request as handlers see it: plain data, no Beast types, so handlers and their tests
// compile without Beast.
#include <map>
#include <string>
#include <string_view>

namespace hl::web {

struct HttpRequest {
  std::string method;                         // as sent, e.g. "GET"
  std::string target;                         // raw request target, e.g. "/api/v1/cases?q=%E5%AE%B6"
  std::string path;                           // percent-decoded path of the target
  std::map<std::string, std::string> query;   // decoded ('+' is a space); the last value wins
  std::map<std::string, std::string> headers; // names lower-case; repeated fields joined by ", "
  std::string body;
  std::map<std::string, std::string> params;  // from {name} segments of the matched route
  std::string remote_ip;

  // Returns the value of the header (name matched case-insensitively), or "" when absent.
  std::string header(std::string_view name) const;
};

// Sets target, path and query of `request` from a raw origin-form target ("/path?query").
// Returns false, leaving `request` unspecified, when the target is not origin-form, has a bad
// percent-escape, or decodes to a path containing NUL; such a request gets a 400.
bool set_target(HttpRequest& request, std::string_view target);

}  // namespace hl::web
