// libFuzzer target: what the server does with a request line before any handler runs —
// web::set_target (origin-form check, percent-decoding of the path, query-string parsing) and
// Router::match against the application's real route table (fuzz_routes.inc, extracted at configure
// time from the router.add(…) calls in web/api/*.cpp), then the {id} parameter as the handlers read
// it, and the static-file fallback for what no route takes.
//
// Input: "METHOD TARGET" (a request line without the version, e.g. "GET /api/v1/cases?q=%E5%AE%B6");
// without a space the whole input is the target of a GET.
// Besides the sanitizers' findings, it traps on a broken contract: a decoded path that does not
// start with '/' or holds a NUL, a found route whose {name} parameters are missing or empty, a
// 405 without an Allow header, or an /api/ path answered with HTML by the fallback.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/embedded_file.hpp"
#include "web/api/json_body.hpp"
#include "web/http/request.hpp"
#include "web/http/router.hpp"
#include "web/http/static_assets.hpp"

namespace {

struct RouteSpec {
  const char* method;
  const char* pattern;
};
constexpr RouteSpec kRoutes[] = {
#include "fuzz_routes.inc"
};

constexpr std::string_view kIndex = "<!doctype html><title>12338</title>";
constexpr std::string_view kScript = "export const x = 1;";
const hl::EmbeddedFile kFiles[] = {{"index.html", kIndex}, {"app/main.js", kScript}, {"openapi.json", "{}"}};

struct App {
  hl::web::Router router;
  hl::web::StaticAssets assets{kFiles};
  App() {
    auto noop = [](hl::web::HttpRequest&, hl::web::Reply) {};
    for (const auto& r : kRoutes) {
      if (std::string_view(r.method) == "STREAM")
        router.add_stream(r.pattern, [](hl::web::HttpRequest&, hl::web::StreamStart) {});
      else
        router.add(r.method, r.pattern, noop);
    }
    router.add_fallback([this](hl::web::HttpRequest& r, hl::web::Reply reply) { reply(assets.serve(r)); });
  }
};

std::size_t param_count(std::string_view pattern) {
  std::size_t n = 0;
  for (char c : pattern) n += c == '{';
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static App app;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view method = "GET", target = input;
  if (auto sp = input.find(' '); sp != std::string_view::npos) {
    method = input.substr(0, sp);
    target = input.substr(sp + 1);
  }
  hl::web::HttpRequest request;
  request.method = std::string(method);
  if (!hl::web::set_target(request, target)) return 0;  // the server answers 400
  if (request.path.empty() || request.path.front() != '/' || request.path.find('\0') != std::string::npos)
    __builtin_trap();
  for (const auto& [key, value] : request.query) (void)key.size(), (void)value.size();

  auto match = app.router.match(request.method, request.path);
  using Outcome = hl::web::Router::Match::Outcome;
  if (match.outcome == Outcome::method_not_allowed && match.allow.empty()) __builtin_trap();
  if (match.outcome != Outcome::found) return 0;
  if (match.handler == nullptr && match.stream_handler == nullptr) __builtin_trap();
  if (match.params.size() != param_count(match.pattern)) __builtin_trap();
  for (const auto& [name, value] : match.params)
    if (value.empty()) __builtin_trap();
  request.params = match.params;
  if (request.params.contains("id")) (void)hl::web::id_param(request.params);
  if (match.pattern.ends_with("*") && match.handler) {
    // The fallback: the static files, as the app registers them.
    hl::web::HttpResponse response;
    (*match.handler)(request, [&](hl::web::HttpResponse r) { response = std::move(r); });
    if (request.path.starts_with("/api/") && response.content_type.starts_with("text/html")) __builtin_trap();
  }
  return 0;
}
