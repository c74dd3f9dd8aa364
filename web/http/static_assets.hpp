#pragma once
// Serves the embedded web front end (GET/HEAD, normally as the Router's fallback).
// - Content-Type from the extension; strong ETag (BLAKE2b of the bytes, computed once here);
//   If-None-Match -> 304; Cache-Control: no-cache, so browsers revalidate with the ETag.
// - "/" and extension-less paths that are no file -> index.html, so the single-page app's own
//   routes survive a reload; under "/api/" they get a 404 envelope instead, because an API client
//   must never receive HTML. An unknown file (has an extension) -> 404 envelope.
// - Every answer carries a strict CSP and nosniff / no-referrer / DENY framing headers.
//
// Shared between threads: safe, immutable after construction.
#include <map>
#include <span>
#include <string>
#include <string_view>

#include "core/embedded_file.hpp"
#include "web/http/request.hpp"
#include "web/http/response.hpp"

namespace hl::web {

class StaticAssets {
 public:
  // The files' bytes must outlive this object (embedded files live for the whole program).
  explicit StaticAssets(std::span<const hl::EmbeddedFile> files);

  HttpResponse serve(const HttpRequest& request) const;

 private:
  struct Asset {
    std::string_view data;
    std::string content_type;
    std::string etag;  // quoted, e.g. "\"3f2a...\""
  };

  const Asset* find(std::string_view path) const;

  std::map<std::string, Asset, std::less<>> assets_;  // key: path without the leading '/'
};

}  // namespace hl::web
