// Attachments: allow-listed types checked against their bytes, a 10 MiB limit, encrypted storage,
// and the same scope as the case (staff of the office subtree, a partner with a live referral).
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "api/case_helpers.hpp"
#include "api/server_process.hpp"
#include "web/http_client.hpp"

using namespace hl::apitest;

namespace {

const std::string kPng = std::string("\x89PNG\r\n\x1A\n", 8) + "fake image body 验伤照片";
const std::string kPdf = "%PDF-1.4\n% 人身安全保护令裁定书扫描件\n%%EOF\n";

HttpClientResponse upload(const ServerProcess& server, const Login& who, std::int64_t case_id, const std::string& type,
                          const std::string& filename, const std::string& bytes) {
  return hl::test::request(server.port(), "POST", case_path(case_id, "/attachments"), bytes,
                           {{"Cookie", "hl_session=" + who.token}, {"X-CSRF-Token", who.csrf},
                            {"Content-Type", type}, {"X-Filename", filename}});
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(attachments)

BOOST_AUTO_TEST_CASE(an_operator_attaches_lists_and_downloads_the_same_bytes) {
  ServerProcess server;
  const auto op = server.login(kOperator);
  const auto id = require_open_case(server, op);
  auto r = upload(server, op, id, "image/png", "%E9%AA%8C%E4%BC%A4.png", kPng);  // 验伤.png
  REQUIRE_STATUS(r, 201);
  const auto created = Json::parse(r.body);
  BOOST_TEST(created.at("filename") == "验伤.png");
  BOOST_TEST(created.at("size") == kPng.size());
  const auto items = require_items(server, op, case_path(id, "/attachments"));
  BOOST_REQUIRE(items.size() == 1u);
  auto got = server.get(op, "/api/v1/attachments/" + std::to_string(created.at("id").get<std::int64_t>()));
  REQUIRE_STATUS(got, 200);
  BOOST_TEST(got.body == kPng);
  BOOST_TEST(got.header("content-type") == "image/png");
  BOOST_TEST(got.header("content-disposition").find("filename*=UTF-8''%E9%AA%8C%E4%BC%A4.png") != std::string::npos);
  BOOST_TEST(got.header("x-content-type-options") == "nosniff");
  BOOST_TEST(got.header("content-disposition").starts_with("attachment;"));  // downloaded, never shown inline
  // API.md: a sandbox CSP — an uploaded file opened from the desk's origin runs no script, loads nothing.
  const std::string csp = got.header("content-security-policy");
  BOOST_TEST(csp == "sandbox; default-src 'none'; frame-ancestors 'none'", "CSP: " << csp);
  // The timeline records it; the stored bytes are not the plaintext.
  BOOST_TEST(server.get(op, case_path(id, "/timeline")).body.find("attachment_added") != std::string::npos);
  BOOST_TEST(server.stop() == 0);
  const auto db = file_bytes(server.db_path()) + file_bytes(server.db_path() + "-wal");
  BOOST_TEST(db.find("fake image body") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(types_outside_the_allow_list_or_not_matching_their_bytes_are_refused) {
  ServerProcess server;
  const auto op = server.login(kOperator);
  const auto id = require_open_case(server, op);
  for (const auto& [type, bytes] : std::vector<std::pair<std::string, std::string>>{
           {"application/x-msdownload", "MZ\x90\x00"}, {"image/png", "MZ not a png"}, {"application/pdf", kPng},
           {"text/html", "<script>alert(1)</script>"}}) {
    auto r = upload(server, op, id, type, "x.bin", bytes);
    BOOST_TEST(r.status == 422u, type);
    BOOST_TEST(r.body.find("content_type") != std::string::npos, type);
  }
  BOOST_TEST(upload(server, op, id, "application/pdf", "", kPdf).status == 422u);           // no filename
  BOOST_TEST(upload(server, op, id, "application/pdf", "a%2Fb.pdf", kPdf).status == 422u);  // a path
  BOOST_TEST(upload(server, op, id, "application/pdf", "empty.pdf", "").status == 422u);
  BOOST_TEST(upload(server, op, id, "application/pdf", "big.pdf", "%PDF-" + std::string(10 * 1024 * 1024, 'x')).status == 413u);
  REQUIRE_STATUS(upload(server, op, id, "application/pdf; charset=binary", "ok.pdf", kPdf), 201);
  BOOST_TEST(require_items(server, op, case_path(id, "/attachments")).size() == 1u);
}

BOOST_AUTO_TEST_CASE(attachments_follow_the_case_scope) {
  ServerProcess server;
  const auto op = server.login(kOperator);
  const auto op2 = server.login(kOperator2);
  const auto police = server.login(kPolice);
  const auto court = server.login(kCourt);
  const auto admin = server.login(kAdmin);
  const auto id = require_open_case(server, op);
  auto created = Json::parse(upload(server, op, id, "application/pdf", "a.pdf", kPdf).body);
  const auto file = "/api/v1/attachments/" + std::to_string(created.at("id").get<std::int64_t>());
  for (const auto* who : {&op2, &police, &court, &admin}) {
    BOOST_TEST(server.get(*who, file).status == 404u);
    BOOST_TEST(server.get(*who, case_path(id, "/attachments")).status == 404u);
  }
  BOOST_TEST(upload(server, op2, id, "application/pdf", "a.pdf", kPdf).status == 404u);
  BOOST_TEST(upload(server, police, id, "application/pdf", "a.pdf", kPdf).status == 404u);
  // Once referred to the police, their user may attach (e.g. a scanned ruling) and read.
  require_transition(server, op, id, "accept", notice_data());
  require_transition(server, op, id, "refer", refer_data(require_police_partner(server, op, police), true));
  REQUIRE_STATUS(upload(server, police, id, "application/pdf", "ruling.pdf", kPdf), 201);
  BOOST_TEST(server.get(police, file).status == 200u);
  BOOST_TEST(server.get(court, file).status == 404u);
}

// Issue #16 finding 9: a text file named "….hta" or "….html" would run when opened from the
// download folder; a right-to-left override (U+202E) makes "invoice<RLO>txt.hta" read as "invoiceath.txt".
BOOST_AUTO_TEST_CASE(the_stored_name_takes_the_checked_type_s_extension_and_invisible_characters_are_refused) {
  ServerProcess server;
  const auto op = server.login(kOperator);
  const auto id = require_open_case(server, op);
  const std::pair<const char*, const char*> renamed[] = {
      {"evil.hta", "evil.txt"}, {"run.bat", "run.txt"}, {"page.HTML", "page.txt"}, {"notes", "notes.txt"},
      {"a.txt.exe", "a.txt.txt"}, {"%E7%AC%94%E5%BD%95.TXT", "笔录.TXT"}};
  for (const auto& [sent, stored] : renamed) {
    BOOST_TEST_CONTEXT(sent) {
      auto r = upload(server, op, id, "text/plain", sent, "家暴经过记录");
      REQUIRE_STATUS(r, 201);
      BOOST_TEST(Json::parse(r.body).at("filename") == stored);
      auto got = server.get(op, "/api/v1/attachments/" + std::to_string(Json::parse(r.body).at("id").get<std::int64_t>()));
      const std::string disposition = got.header("content-disposition");
      BOOST_TEST(disposition.ends_with("filename*=UTF-8''" + url_encode(stored)), disposition);
    }
  }
  auto jpeg = upload(server, op, id, "image/jpeg", "photo.jpeg", "\xFF\xD8\xFF\xE0 jpeg body");
  REQUIRE_STATUS(jpeg, 201);
  BOOST_TEST(Json::parse(jpeg.body).at("filename") == "photo.jpeg");  // an extension the type goes by stays
  auto pdf = upload(server, op, id, "application/pdf", "scan.jpg", kPdf);
  REQUIRE_STATUS(pdf, 201);
  BOOST_TEST(Json::parse(pdf.body).at("filename") == "scan.pdf");

  // U+202E RIGHT-TO-LEFT OVERRIDE, U+200B ZERO WIDTH SPACE, U+2066 LEFT-TO-RIGHT ISOLATE, U+FEFF, U+0085 (C1).
  for (const char* name : {"invoice%E2%80%AEtxt.hta", "a%E2%80%8Bb.txt", "x%E2%81%A6y.txt", "%EF%BB%BFbom.txt", "c1%C2%85.txt",
                           "tab%09.txt"}) {
    BOOST_TEST_CONTEXT(name) {
      auto r = upload(server, op, id, "text/plain", name, "内容");
      CHECK_ERROR(r, 422, "validation_failed");
      CHECK_NAMES_FIELD(r, "filename");
    }
  }
  BOOST_TEST(server.stop() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
