// Legal hold over HTTP (issue #16, retention): a supervisor holds a case with a reason and releases it;
// the case JSON shows the hold to staff and anonymised_at to all; the refusals (operator 403, partner
// 404, outside the scope 404, no reason 422, twice 409); and a server with a retention period
// anonymises an archived case when the test clock passes it, except the one on hold.
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <iterator>
#include <string>

#include "api/case_helpers.hpp"
#include "api/server_process.hpp"
#include "support/temp_dir.hpp"

using namespace hl::apitest;

namespace {

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(legal_hold)

BOOST_AUTO_TEST_CASE(a_supervisor_holds_and_releases_and_others_may_not) {
  ServerProcess server;
  const Login op = server.login(kOperator);
  const Login sup = server.login(kSupervisor);
  const auto id = require_open_case(server, op);
  const std::string path = case_path(id, "/legal-hold");
  CHECK_ERROR(server.send(op, "POST", path, {{"reason", "x"}}), 403, "forbidden");
  CHECK_ERROR(server.send(server.login(kPolice), "POST", path, {{"reason", "x"}}), 404, "not_found");
  auto blank = server.send(sup, "POST", path, {{"reason", " "}});
  CHECK_ERROR(blank, 422, "validation_failed");
  CHECK_NAMES_FIELD(blank, "reason");
  CHECK_ERROR(server.send(sup, "POST", path, {{"reason", 5}}), 400, "bad_request");
  auto held = server.send(sup, "POST", path, {{"reason", "当事人已起诉"}});
  REQUIRE_STATUS(held, 201);
  BOOST_TEST(body_json(held).at("reason") == "当事人已起诉");
  CHECK_ERROR(server.send(sup, "POST", path, {{"reason", "again"}}), 409, "conflict");
  const Json c = require_case(server, sup, id);
  BOOST_TEST(c.at("legal_hold").at("reason") == "当事人已起诉");
  BOOST_TEST(c.at("anonymised_at").is_null());
  CHECK_STATUS(server.del(sup, path), 204);
  BOOST_TEST(require_case(server, sup, id).at("legal_hold").is_null());
  CHECK_ERROR(server.del(sup, path), 409, "conflict");
  CHECK_ERROR(server.send(sup, "POST", case_path(999999, "/legal-hold"), {{"reason", "x"}}), 404, "not_found");
}

BOOST_AUTO_TEST_CASE(past_the_retention_period_an_archived_case_is_anonymised_unless_held) {
  hl::test::TempDir conf;
  std::ofstream(conf.file("hotline.json")) << R"({"retention_days_after_archive": 180})";
  ServerProcess server(ServerOptions{.config_file = conf.file("hotline.json")});
  const Login op = server.login(kOperator);
  const Login sup = server.login(kSupervisor);
  const Json closure = {{"outcome", "resolved"}, {"summary", "经调解双方达成协议"}, {"losses_avoided_fen", 150000}};
  auto closed_case = [&](const std::string& narrative) {
    const auto id = require_open_case(server, op, "13907350001", "丈夫殴打，她想离婚", narrative);
    require_transition(server, op, id, "accept", notice_data());
    require_reply(server, op, id);
    require_transition(server, op, id, "request_closure", closure);
    require_transition(server, sup, id, "approve_closure");
    return id;
  };
  // A long account (12 KB: most of it on overflow pages, which are freed whole when it is erased).
  std::string account;
  for (int i = 0; i < 200; ++i) account += "那天晚上他又喝了酒，把门反锁，不让她出去。";
  const auto gone = closed_case(account + "她在纺织厂上夜班，住在娘家"), kept = closed_case("她说昨晚又被打了，住在娘家");
  REQUIRE_STATUS(server.send(sup, "POST", case_path(kept, "/legal-hold"), {{"reason", "法院调取材料"}}), 201);
  const auto day = 86'400'000LL;
  server.advance_clock(91 * day);  // archived (time elapsed since closure); sessions expired meanwhile
  const Login later = server.login(kSupervisor);
  BOOST_TEST(!require_case(server, later, gone).at("archived_at").is_null());
  BOOST_TEST(require_case(server, later, gone).at("anonymised_at").is_null());
  server.advance_clock(181 * day);  // past the retention period
  const Login last = server.login(kSupervisor);
  const Json a = require_case(server, last, gone);
  BOOST_TEST(!a.at("anonymised_at").is_null());
  BOOST_TEST(a.at("summary") == "（已匿名化）");
  BOOST_TEST(a.dump().find("13907350001") == std::string::npos);
  BOOST_TEST(a.dump().find("娘家") == std::string::npos);
  const Json k = require_case(server, last, kept);
  BOOST_TEST(k.at("anonymised_at").is_null());
  BOOST_TEST(k.dump().find("娘家") != std::string::npos);
  // Nor in the files: the rows' old bytes are zeroed, not left in free space, and the WAL's older page
  // images are gone (the search index keeps its 2-character terms until its segments merge, so the
  // test looks for a longer phrase). The kept case's phrase is there: the search can find text.
  const std::string files = file_bytes(server.db_path()) + file_bytes(server.db_path() + "-wal");
  BOOST_TEST(files.find("纺织厂上夜班") == std::string::npos);
  BOOST_TEST(files.find("昨晚又被打了") != std::string::npos);
  BOOST_TEST(server.log().find("search index merged whole") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
