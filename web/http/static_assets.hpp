#pragma once
// Serves the embedded web front end (GET/HEAD, normally as the Router's fallback).
// - Content-Type from the extension; strong ETag (BLAKE2b of the bytes, computed once here);
//   If-None-Match -> 304; Cache-Control: no-cache, so browsers revalidate with the ETag.
// - "/" and extension-less paths that are no file -> index.html, so the single-page app's own
//   routes survive a reload; under "/api/" they get a 404 envelope instead, because an API client
//   must never receive HTML. An unknown file (has an extension) -> 404 envelope.
// - Text files (HTML, JS, CSS, JSON, SVG) over 1 KB are sent gzip-compressed (Content-Encoding: gzip,
//   an ETag of their own) to a client whose Accept-Encoding takes gzip; their answers say Vary:
//   Accept-Encoding. Each is compressed once, on its first such request, not at startup (all of them
//   take about 150 ms, which every server start in the tests would pay). The place picker's
//   divisions.json goes from 700 KB to about 270 KB, echarts from 1 MB to about 340 KB.
// - Every answer carries a strict CSP and nosniff / no-referrer / DENY framing headers.
//
// Shared between threads: safe; after construction only the gzip copies change, each made once under
// its std::once_flag.
#include <map>
#include <mutex>
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
    Asset(std::string_view bytes, std::string type, std::string tag);
    // The gzip copy, made on the first call; nullptr when not compressible or under 10 % smaller.
    const std::string* gzipped() const;

    std::string_view data;
    std::string content_type;
    std::string etag;  // quoted, e.g. "\"3f2a...\""
    bool compressible = false;
    mutable std::once_flag gzip_once;
    mutable std::string gzip, gzip_etag;
  };

  const Asset* find(std::string_view path) const;

  std::map<std::string, Asset, std::less<>> assets_;  // key: path without the leading '/'
};

}  // namespace hl::web
