#include "web/http/static_assets.hpp"

#include <sodium.h>

#include <array>

#include "core/crypto/sodium_init.hpp"

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

// If-None-Match uses the weak comparison (RFC 9110 13.1.2): a W/ prefix is ignored.
bool none_match_hits(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    auto comma = header.find(',');
    auto item = header.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (item.starts_with("W/")) item.remove_prefix(2);
    if (item == "*" || item == etag) return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

void add_security_headers(HttpResponse& response) {
  response.headers.emplace_back("Content-Security-Policy", std::string(kContentSecurityPolicy));
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  response.headers.emplace_back("X-Frame-Options", "DENY");
}

}  // namespace

StaticAssets::StaticAssets(std::span<const hl::EmbeddedFile> files) {
  for (const auto& f : files)
    assets_.insert_or_assign(std::string(f.path), Asset{f.data, content_type_for(f.path), etag_for(f.data)});
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
  if (!asset) {
    response = error_response(hl::Error{hl::Errc::not_found, "no such file", {}});
  } else if (auto inm = request.header("if-none-match"); !inm.empty() && none_match_hits(inm, asset->etag)) {
    response.status = 304;
    response.content_type.clear();
    response.headers.emplace_back("ETag", asset->etag);
  } else {
    response.content_type = asset->content_type;
    response.body = std::string(asset->data);
    response.headers.emplace_back("ETag", asset->etag);
  }
  response.headers.emplace_back("Cache-Control", "no-cache");
  add_security_headers(response);
  return response;
}

}  // namespace hl::web
