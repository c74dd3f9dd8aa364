#include <array>
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "support/gunzip.hpp"
#include "web/http/static_assets.hpp"
#include "web/static_files.hpp"

using hl::EmbeddedFile;
using hl::web::HttpRequest;
using hl::web::HttpResponse;
using hl::web::StaticAssets;
using hl::test::gunzip;

namespace {

constexpr std::array<EmbeddedFile, 5> kFiles = {{
    {"index.html", "<!doctype html><title>t</title>"},
    {"js/app.mjs", "export const x = 1;"},
    {"css/site.css", "body{}"},
    {"img/logo.svg", "<svg/>"},
    {"fonts/a.woff2", "wOF2"},
}};

HttpRequest get(std::string path, std::string if_none_match = {}, std::string accept_encoding = {}) {
  HttpRequest r;
  r.method = "GET";
  r.path = std::move(path);
  r.target = r.path;
  if (!if_none_match.empty()) r.headers["if-none-match"] = std::move(if_none_match);
  if (!accept_encoding.empty()) r.headers["accept-encoding"] = std::move(accept_encoding);
  return r;
}


// A JSON file over 1 KB, as compressible as the real divisions.json.
const std::string kBig = [] {
  std::string s = "[";
  for (int i = 0; i < 400; ++i) s += R"({"code":")" + std::to_string(431000 + i) + R"(","name":"永兴县"},)";
  s.back() = ']';
  return s;
}();
const std::array<EmbeddedFile, 3> kText = {{{"data/places.json", kBig}, {"small.js", "export const y = 2;"}, {"fonts/b.woff2", kBig}}};

std::string header(const HttpResponse& r, std::string_view name) {
  for (const auto& [n, v] : r.headers)
    if (n == name) return v;
  return {};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(static_assets)

BOOST_AUTO_TEST_CASE(content_type_follows_the_extension) {
  StaticAssets assets(kFiles);
  BOOST_TEST(assets.serve(get("/index.html")).content_type == "text/html; charset=utf-8");
  BOOST_TEST(assets.serve(get("/js/app.mjs")).content_type == "text/javascript; charset=utf-8");
  BOOST_TEST(assets.serve(get("/css/site.css")).content_type == "text/css; charset=utf-8");
  BOOST_TEST(assets.serve(get("/img/logo.svg")).content_type == "image/svg+xml");
  BOOST_TEST(assets.serve(get("/fonts/a.woff2")).content_type == "font/woff2");
  auto js = assets.serve(get("/js/app.mjs"));
  BOOST_TEST(js.status == 200u);
  BOOST_TEST(js.body == "export const x = 1;");
}

BOOST_AUTO_TEST_CASE(etag_is_strong_stable_and_differs_by_content) {
  StaticAssets a(kFiles), b(kFiles);
  auto etag = header(a.serve(get("/js/app.mjs")), "ETag");
  BOOST_TEST(etag.size() == 34u);  // quoted 128-bit hex
  BOOST_TEST(etag.front() == '"');
  BOOST_TEST(etag == header(b.serve(get("/js/app.mjs")), "ETag"));
  BOOST_TEST(etag != header(a.serve(get("/css/site.css")), "ETag"));
  BOOST_TEST(header(a.serve(get("/js/app.mjs")), "Cache-Control") == "no-cache");
}

BOOST_AUTO_TEST_CASE(if_none_match_gives_304_without_body) {
  StaticAssets assets(kFiles);
  auto etag = header(assets.serve(get("/css/site.css")), "ETag");
  for (const auto& inm : {etag, "\"other\", " + etag, "W/" + etag, std::string("*")}) {
    auto r = assets.serve(get("/css/site.css", inm));
    BOOST_TEST(r.status == 304u, inm);
    BOOST_TEST(r.body.empty());
    BOOST_TEST(r.content_type.empty());
    BOOST_TEST(header(r, "ETag") == etag);
  }
  BOOST_TEST(assets.serve(get("/css/site.css", "\"stale\"")).status == 200u);
}

// A browser's "gzip, deflate, br" gets the gzip copy of a text file, which inflates to the file, with
// an ETag of its own; a client that does not take gzip gets the bytes. Small files and fonts never.
BOOST_AUTO_TEST_CASE(text_files_go_gzipped_to_clients_that_take_gzip) {
  StaticAssets assets(kText);
  auto plain = assets.serve(get("/data/places.json"));
  BOOST_TEST(plain.body == kBig);
  BOOST_TEST(header(plain, "Content-Encoding").empty());
  BOOST_TEST(header(plain, "Vary") == "Accept-Encoding");
  auto z = assets.serve(get("/data/places.json", {}, "gzip, deflate, br"));
  BOOST_TEST(z.status == 200u);
  BOOST_TEST(header(z, "Content-Encoding") == "gzip");
  BOOST_TEST(header(z, "Vary") == "Accept-Encoding");
  BOOST_TEST(z.content_type == "application/json");
  BOOST_TEST(z.body.size() * 4 < kBig.size());
  BOOST_TEST(gunzip(z.body) == kBig);
  const auto etag = header(z, "ETag");
  BOOST_TEST(etag != header(plain, "ETag"));
  // Revalidation: each representation by its own ETag.
  auto again = assets.serve(get("/data/places.json", etag, "gzip"));
  BOOST_TEST(again.status == 304u);
  BOOST_TEST(header(again, "ETag") == etag);
  BOOST_TEST(assets.serve(get("/data/places.json", header(plain, "ETag"), "gzip")).status == 200u);
  BOOST_TEST(assets.serve(get("/data/places.json", etag)).status == 200u);  // no gzip: the plain bytes are new to it

  for (const char* ae : {"gzip", "GZIP;q=0.5", "br, *", "deflate, gzip;q=1.0", " gzip ; q=0.001"})
    BOOST_TEST(header(assets.serve(get("/data/places.json", {}, ae)), "Content-Encoding") == "gzip", ae);
  for (const char* ae : {"identity", "gzip;q=0", "gzip; q=0.000, *", "br, *;q=0", "deflate"})
    BOOST_TEST(header(assets.serve(get("/data/places.json", {}, ae)), "Content-Encoding").empty(), ae);

  auto small = assets.serve(get("/small.js", {}, "gzip"));
  BOOST_TEST(small.body == "export const y = 2;");
  BOOST_TEST(header(small, "Content-Encoding").empty());
  BOOST_TEST(header(small, "Vary").empty());
  BOOST_TEST(header(assets.serve(get("/fonts/b.woff2", {}, "gzip")), "Content-Encoding").empty());
}

BOOST_AUTO_TEST_CASE(every_answer_carries_the_security_headers) {
  StaticAssets assets(kFiles);
  for (const auto& path : {"/index.html", "/missing.js", "/cases/1"}) {
    auto r = assets.serve(get(path));
    BOOST_TEST(header(r, "Content-Security-Policy").find("default-src 'self'") == 0u, path);
    BOOST_TEST(header(r, "Content-Security-Policy").find("frame-ancestors 'none'") != std::string::npos);
    BOOST_TEST(header(r, "Content-Security-Policy").find("object-src 'none'") != std::string::npos);
    BOOST_TEST(header(r, "X-Content-Type-Options") == "nosniff");
    BOOST_TEST(header(r, "Referrer-Policy") == "no-referrer");
    BOOST_TEST(header(r, "X-Frame-Options") == "DENY");
  }
}

BOOST_AUTO_TEST_CASE(app_routes_get_index_html_but_unknown_files_and_api_paths_get_404) {
  StaticAssets assets(kFiles);
  for (const auto& path : {"/", "/cases/12", "/dashboard"}) {
    auto r = assets.serve(get(path));
    BOOST_TEST(r.status == 200u, path);
    BOOST_TEST(r.body == "<!doctype html><title>t</title>");
  }
  for (const auto& path : {"/missing.js", "/js/nope.mjs", "/api/v1/nothing", "/api/v1/openapi"}) {
    auto r = assets.serve(get(path));
    BOOST_TEST(r.status == 404u, path);
    BOOST_TEST(r.content_type == "application/json");
    BOOST_TEST(nlohmann::json::parse(r.body)["error"]["code"] == "not_found");
  }
}

BOOST_AUTO_TEST_CASE(the_embedded_front_end_has_a_chinese_index_page) {
  StaticAssets assets(hl::web::static_files());
  auto r = assets.serve(get("/"));
  BOOST_TEST(r.status == 200u);
  BOOST_TEST(r.body.find("<html lang=\"zh-CN\">") != std::string::npos);
  BOOST_TEST(r.body.find("<title>维权") != std::string::npos);
  // The page's script is a file of its own (the CSP forbids inline scripts), and it is embedded too.
  BOOST_TEST(r.body.find("<script type=\"module\" src=\"/app/main.js\">") != std::string::npos);
  BOOST_TEST(assets.serve(get("/app/main.js")).status == 200u);
}

BOOST_AUTO_TEST_CASE(the_vendored_echarts_script_is_served_as_javascript_with_an_etag) {
  StaticAssets assets(hl::web::static_files());
  auto r = assets.serve(get("/vendor/echarts.min.js"));
  BOOST_TEST(r.status == 200u);
  BOOST_TEST(r.content_type == "text/javascript; charset=utf-8");
  BOOST_TEST(r.body.size() > 500'000u);  // the whole minified UMD bundle, not a stub
  BOOST_TEST(r.body.find("echarts") != std::string::npos);
  auto etag = header(r, "ETag");
  BOOST_TEST(!etag.empty());
  BOOST_TEST(assets.serve(get("/vendor/echarts.min.js", etag)).status == 304u);
}

BOOST_AUTO_TEST_SUITE_END()
