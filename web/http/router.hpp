#pragma once
// Maps (method, path) to a handler. Patterns are literal segments and {name} segments, e.g.
// "/api/v1/cases/{id}/transitions"; {name} matches one non-empty segment. When several patterns
// match, the one with a literal segment where the others have {name} (leftmost difference) wins,
// so "/cases/export" beats "/cases/{id}". The pattern string is the metrics label.
//
// Shared between threads: build it completely before Server::start(); afterwards only match() is
// called, which is const and safe from many threads at once. Match::handler points into the
// Router, so the Router must outlive the Server.
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "web/http/event_stream.hpp"
#include "web/http/request.hpp"
#include "web/http/response.hpp"

namespace hl::web {

// Sends the response. Call it exactly once, from any thread (e.g. the database writer's); later
// calls are ignored. If every copy is destroyed uncalled the client gets a 500.
using Reply = std::function<void(HttpResponse)>;
// Runs on the connection's I/O thread: do no blocking work here, post it and Reply later. An
// exception thrown from the handler becomes a 500 envelope. The request stays valid until the
// Reply has been called.
using Handler = std::function<void(HttpRequest&, Reply)>;
// For a Server-Sent Events route: runs like a Handler, and answers through StreamStart, either
// start.reject(response) or start.accept() (see event_stream.hpp). The request stays valid until
// one of them has been called.
using StreamHandler = std::function<void(HttpRequest&, StreamStart)>;

struct RouteOptions {
  std::size_t body_limit = 1 << 20;  // bigger bodies get 413 before they are read
  // A request body, when there is one, must be declared `application/json` (415 before it is read):
  // a cross-site HTML form can post text/plain without a CORS preflight, never JSON. False for the
  // routes whose body is a file (attachments, imports).
  bool json_body = true;
};

class Router {
 public:
  struct Match {
    enum class Outcome { found, not_found, method_not_allowed };
    Outcome outcome = Outcome::not_found;
    const Handler* handler = nullptr;               // set when found, for an ordinary route
    const StreamHandler* stream_handler = nullptr;  // set when found, for a stream route
    RouteOptions options;
    std::map<std::string, std::string> params;
    std::string_view pattern;  // metrics label; "" when not found
    std::string allow;         // the Allow header for method_not_allowed, e.g. "GET, HEAD, POST"
  };

  // Throws std::invalid_argument for an empty method, a pattern that does not start with '/', a
  // malformed or repeated {name}, or a (method, pattern) pair that is already registered.
  void add(std::string method, std::string pattern, Handler handler, RouteOptions options = {});

  // An event stream (Server-Sent Events) at GET `pattern`. HEAD is not served (405). Same pattern
  // rules and errors as add(), with which it shares the (method, pattern) space.
  void add_stream(std::string pattern, StreamHandler handler, RouteOptions options = {});

  // Handles GET and HEAD requests whose path starts with `prefix` and matches no route (static
  // files). The longest prefix wins. Its metrics label is prefix + "*".
  void add_fallback(Handler handler, std::string prefix = "/", RouteOptions options = {});

  // HEAD uses the GET route when no HEAD route exists, unless that is a stream route. A path that
  // some route matches with another method gives method_not_allowed; a path no route or fallback takes gives not_found.
  Match match(std::string_view method, std::string_view path) const;

 private:
  struct Segment {
    std::string text;  // literal text, or the parameter name
    bool is_param = false;
  };
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<Segment> segments;
    Handler handler;
    StreamHandler stream_handler;  // set instead of handler for a stream route
    RouteOptions options;
  };
  struct Fallback {
    std::string prefix;
    std::string label;
    Handler handler;
    RouteOptions options;
  };

  void add_route(Route route);
  static bool matches(const Route& route, const std::vector<std::string_view>& parts);
  static bool more_specific(const Route& a, const Route& b);

  std::vector<Route> routes_;
  std::vector<Fallback> fallbacks_;
};

}  // namespace hl::web
