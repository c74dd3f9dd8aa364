#include "web/http/static_assets.hpp"

#include <sodium.h>

#include <array>

#include <boost/beast/core/string.hpp>

#include "core/crypto/sodium_init.hpp"
#include "core/gzip.hpp"

namespace hl::web {

namespace {

constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'";

std::string_view extension_of(std::string_view path) {
  auto name = path.substr(path.rfind('/') + 1);
  auto dot = name.rfind('.');
  return dot == std::string_view::npos ? std::string_view() : name.substr(dot);
}

std::string content_type_for(std::string_view path) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 11> types = {{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".woff2", "font/woff2"},
      {".ico", "image/x-icon"},
      {".map", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
  }};
  auto ext = extension_of(path);
  for (const auto& [e, type] : types)
    if (e == ext) return std::string(type);
  return "application/octet-stream";
}

std::string etag_for(std::string_view data) {
  hl::crypto::ensure_sodium();
  std::array<unsigned char, 16> digest{};
  crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(data.data()),
                     data.size(), nullptr, 0);
  std::array<char, 2 * 16 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return "\"" + std::string(hex.data()) + "\"";
}

// Without the optional white space (spaces and tabs) around a list item (RFC 9110 5.6.3).
std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// If-None-Match uses the weak comparison (RFC 9110 13.1.2): a W/ prefix is ignored.
bool none_match_hits(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    auto comma = header.find(',');
    auto item = header.substr(0, comma);
    item = trim_ows(item);
    if (item.starts_with("W/")) item.remove_prefix(2);
    if (item == "*" || item == etag) return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

bool is_text(std::string_view content_type) {
  return content_type.starts_with("text/") || content_type == "application/json" || content_type == "image/svg+xml";
}

// Whether an Accept-Encoding header takes gzip (or "*") with a q above 0 (RFC 9110 12.5.3); gzip
// refused by name (q=0) stays refused whatever "*" says.
bool accepts_gzip(std::string_view header) {
  bool any = false;
  while (!header.empty()) {
    const auto comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    const auto semi = item.find(';');
    const std::string_view coding = trim_ows(item.substr(0, semi));
    const bool gzip = boost::beast::iequals(coding, "gzip");  // codings are case-insensitive
    if (!gzip && coding != "*") continue;
    std::string_view q = semi == std::string_view::npos ? std::string_view() : trim_ows(item.substr(semi + 1));
    bool refused = false;
    if (q.starts_with("q=") || q.starts_with("Q=")) {
      q.remove_prefix(2);
      q = q.substr(0, q.find_first_of(" \t;"));
      refused = q.find_first_not_of("0.") == std::string_view::npos;  // q=0, q=0.0, q=0.000
    }
    if (gzip) return !refused;
    any = any || !refused;
  }
  return any;
}

void add_security_headers(HttpResponse& response) {
  response.headers.emplace_back("Content-Security-Policy", std::string(kContentSecurityPolicy));
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  response.headers.emplace_back("X-Frame-Options", "DENY");
}

}  // namespace

StaticAssets::StaticAssets(std::span<const hl::EmbeddedFile> files) {
  for (const auto& f : files) {
    if (auto it = assets_.find(f.path); it != assets_.end()) assets_.erase(it);  // a later file of the same path wins
    assets_.try_emplace(std::string(f.path), f.data, content_type_for(f.path), etag_for(f.data));
  }
}

StaticAssets::Asset::Asset(std::string_view bytes, std::string type, std::string tag)
    : data(bytes), content_type(std::move(type)), etag(std::move(tag)),
      compressible(data.size() > 1024 && is_text(content_type)) {}

const std::string* StaticAssets::Asset::gzipped() const {
  if (!compressible) return nullptr;
  std::call_once(gzip_once, [this] {
    std::string z;
    try {
      z = hl::gzip_compress(data);
    } catch (const std::exception&) {
      return;  // out of memory: served uncompressed
    }
    if (z.size() * 10 > data.size() * 9) return;  // under 10 % saved: not worth a second copy
    gzip = std::move(z);
    gzip_etag = etag.substr(0, etag.size() - 1) + "-gz\"";
  });
  return gzip.empty() ? nullptr : &gzip;
}

const StaticAssets::Asset* StaticAssets::find(std::string_view path) const {
  auto it = assets_.find(path);
  return it == assets_.end() ? nullptr : &it->second;
}

HttpResponse StaticAssets::serve(const HttpRequest& request) const {
  std::string_view path = request.path;
  if (path.starts_with('/')) path.remove_prefix(1);
  const Asset* asset = path.empty() ? find("index.html") : find(path);
  bool spa_route = !request.path.starts_with("/api/") && extension_of(path).empty();
  if (!asset && spa_route) asset = find("index.html");

  HttpResponse response;
  const std::string* gzip =
      asset && asset->compressible && accepts_gzip(request.header("accept-encoding")) ? asset->gzipped() : nullptr;
  const std::string* etag = asset ? (gzip ? &asset->gzip_etag : &asset->etag) : nullptr;
  if (!asset) {
    response = error_response(hl::Error{hl::Errc::not_found, "no such file", {}});
  } else if (auto inm = request.header("if-none-match"); !inm.empty() && none_match_hits(inm, *etag)) {
    response.status = 304;
    response.content_type.clear();
    response.headers.emplace_back("ETag", *etag);
  } else {
    response.content_type = asset->content_type;
    response.body = gzip ? *gzip : std::string(asset->data);
    if (gzip) response.headers.emplace_back("Content-Encoding", "gzip");
    response.headers.emplace_back("ETag", *etag);
  }
  if (asset && asset->compressible) response.headers.emplace_back("Vary", "Accept-Encoding");
  response.headers.emplace_back("Cache-Control", "no-cache");
  add_security_headers(response);
  return response;
}

}  // namespace hl::web
