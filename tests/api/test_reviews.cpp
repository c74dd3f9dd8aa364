// 复查 / 复核 over HTTP (/api/v1/cases/{id}/reviews): the county's reply is reviewed by the city, the
// re-review goes to the province; refusals for the wrong office level, a request after the 30-day
// window, an answer by the wrong office, twice, or by an operator; partners and administrators kept out.
#include <boost/test/unit_test.hpp>

#include <string>

#include "api/case_helpers.hpp"
#include "api/server_process.hpp"
#include "casework/case_archive.hpp"
#include "core/db/connection.hpp"
#include "core/db/transaction.hpp"
#include "core/local_time.hpp"

using namespace hl::apitest;
using hl::TimeMs;

namespace {

constexpr TimeMs kDay = 86'400'000;

std::string iso(TimeMs t) { return hl::format_iso8601(t); }

struct Reviews {
  ServerProcess server;
  Login op = server.login(kOperator);     // 永兴县 (county): replies
  Login sup = server.login(kSupervisor);  // 郴州市 (city): one level above, reviews
  Login admin = server.login(kAdmin);

  std::int64_t office_id(const std::string& region_code) const {
    for (const auto& o : require_items(server, admin, "/api/v1/offices"))
      if (o.at("region_code") == region_code) return o.at("id").get<std::int64_t>();
    BOOST_FAIL("no office with region code " << region_code);
    return 0;
  }

  // A supervisor of the province (湖南省妇联), created by the administrator; log in as hunan_sup.
  void create_province_supervisor() {
    auto r = create_account(server,
                         {{"username", "hunan_sup"}, {"display_name", "省妇联权益部"}, {"password", "province-review-2026"},
                          {"role", "supervisor"}, {"office_id", office_id("430000")}});
    REQUIRE_STATUS(r, 201);
  }

  // A county case accepted, replied to and closed (the city supervisor approves the closure).
  std::int64_t closed_with_reply(const std::string& phone = "") {
    const auto id = require_open_case(server, op, phone);
    require_transition(server, op, id, "accept", notice_data());
    require_reply(server, op, id);
    require_transition(server, op, id, "request_closure",
                       {{"outcome", "resolved"}, {"summary", "已答复当事人"}, {"losses_avoided_fen", 0}});
    require_transition(server, sup, id, "approve_closure");
    return id;
  }

  HttpClientResponse ask(const Login& who, std::int64_t id, const std::string& kind, TimeMs at) {
    return server.send(who, "POST", case_path(id, "/reviews"), {{"kind", kind}, {"requested_at", iso(at)}, {"request", "对答复不服"}});
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(reviews, Reviews)

BOOST_AUTO_TEST_CASE(the_city_reviews_the_countys_reply_and_the_province_re_reviews_it) {
  const auto id = closed_with_reply();
  Json v = body_json(server.get(op, case_path(id, "/reviews")));
  BOOST_TEST(v.at("items").empty());
  BOOST_TEST(v.at("final") == false);
  BOOST_REQUIRE(v.at("next").is_object());
  BOOST_TEST(v.at("next").at("kind") == "review");
  BOOST_TEST(v.at("next").at("office").at("id") == office_id("431000"));
  BOOST_TEST(v.at("next").at("window_open") == true);

  // The county that replied may not review itself.
  CHECK_ERROR(ask(op, id, "review", server.now_ms()), 403, "forbidden");
  auto r = server.send(sup, "POST", case_path(id, "/reviews"), {{"kind", "review"}, {"requested_at", iso(server.now_ms())}});
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "request");
  CHECK_ERROR(server.send(sup, "POST", case_path(id, "/reviews"), {{"kind", "review"}, {"requested_at", "yesterday"}}), 400, "bad_request");
  r = ask(sup, id, "review", server.now_ms());
  REQUIRE_STATUS(r, 201);
  const Json review = body_json(r);
  BOOST_TEST(review.at("kind") == "review");
  BOOST_TEST(review.at("decided_at").is_null());
  CHECK_ERROR(ask(sup, id, "review", server.now_ms()), 422, "transition_not_allowed");

  const std::string decision = case_path(id, "/reviews/" + std::to_string(review.at("id").get<std::int64_t>()) + "/decision");
  CHECK_ERROR(server.send(op, "POST", decision, {{"decision", "upheld"}, {"basis", "维持"}}), 403, "forbidden");
  r = server.send(sup, "POST", decision, {{"decision", "agree"}, {"basis", "维持"}});
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "decision");
  r = server.send(sup, "POST", decision, {{"decision", "upheld"}, {"basis", "原答复认定事实清楚，维持"}, {"document_no", "郴妇复字〔2026〕3号"}});
  REQUIRE_STATUS(r, 200);
  BOOST_TEST(body_json(r).at("decision") == "upheld");
  CHECK_ERROR(server.send(sup, "POST", decision, {{"decision", "changed"}, {"basis", "改"}}), 422, "transition_not_allowed");

  bool on_timeline = false;
  for (const auto& t : require_items(server, op, case_path(id, "/timeline")))
    if (t.at("kind") == "event" && t.at("event") == "review_decided") on_timeline = true;
  BOOST_TEST(on_timeline);

  // The re-review: asked of the province, not of the city, and within 30 days of the review's answer.
  v = body_json(server.get(sup, case_path(id, "/reviews")));
  BOOST_TEST(v.at("next").at("kind") == "re_review");
  BOOST_TEST(v.at("next").at("office").at("id") == office_id("430000"));
  CHECK_ERROR(ask(sup, id, "re_review", server.now_ms()), 403, "forbidden");
  const TimeMs answered = server.now_ms();
  create_province_supervisor();
  server.advance_clock(40 * kDay);  // (every session has expired by then)
  const Login province = server.login("hunan_sup", "province-review-2026");
  r = ask(province, id, "re_review", answered + 31 * kDay);
  CHECK_ERROR(r, 422, "validation_failed");
  CHECK_NAMES_FIELD(r, "requested_at");
  r = ask(province, id, "re_review", answered + 29 * kDay);
  REQUIRE_STATUS(r, 201);
  const Json re_review = body_json(r);
  BOOST_TEST(re_review.at("overdue") == false);  // asked 29 days after: due 30 days later
  r = server.send(province, "POST",
                  case_path(id, "/reviews/" + std::to_string(re_review.at("id").get<std::int64_t>()) + "/decision"),
                  {{"decision", "upheld"}, {"basis", "维持复查意见"}});
  REQUIRE_STATUS(r, 200);
  v = body_json(server.get(province, case_path(id, "/reviews")));
  BOOST_TEST(v.at("final") == true);
  BOOST_TEST(v.at("next").is_null());
  BOOST_TEST(v.at("items").size() == 2u);
}

BOOST_AUTO_TEST_CASE(a_case_without_a_reply_cannot_be_reviewed_and_outsiders_are_kept_out) {
  const auto id = require_open_case(server, op);
  Json v = body_json(server.get(op, case_path(id, "/reviews")));
  BOOST_TEST(v.at("next").is_null());
  CHECK_ERROR(ask(sup, id, "review", server.now_ms()), 422, "transition_not_allowed");
  const Login police = server.login(kPolice);
  CHECK_ERROR(server.get(police, case_path(id, "/reviews")), 404, "not_found");
  CHECK_ERROR(ask(police, id, "review", server.now_ms()), 404, "not_found");
  CHECK_ERROR(server.get(admin, case_path(id, "/reviews")), 403, "forbidden");
  const Login op2 = server.login(kOperator2);  // a sibling county: not in scope
  CHECK_ERROR(server.get(op2, case_path(id, "/reviews")), 404, "not_found");
  CHECK_ERROR(server.get(op, case_path(99'999'999, "/reviews")), 404, "not_found");
}

// After the re-review the screen-pop warns that the matter is not accepted again; once archived (the
// sweep run on the database, as the server's hourly task runs it) the case is read-only over HTTP but
// for the DV measures.
BOOST_AUTO_TEST_CASE(after_the_re_review_the_screen_pop_says_no_further_acceptance_and_the_archive_is_read_only) {
  const std::string phone = "13977771234";
  const auto id = closed_with_reply(phone);
  create_province_supervisor();
  const Login province = server.login("hunan_sup", "province-review-2026");
  auto decide = [&](const Login& who, const Json& review) {
    auto r = server.send(who, "POST", case_path(id, "/reviews/" + std::to_string(review.at("id").get<std::int64_t>()) + "/decision"),
                         {{"decision", "upheld"}, {"basis", "维持"}});
    REQUIRE_STATUS(r, 200);
  };
  auto r = ask(sup, id, "review", server.now_ms());
  REQUIRE_STATUS(r, 201);
  decide(sup, body_json(r));
  auto pop = body_json(server.get(op, "/api/v1/callers/lookup?phone=" + phone));
  BOOST_REQUIRE(!pop.at("prior_cases").empty());
  BOOST_TEST(pop.at("prior_cases").at(0).at("no_further_acceptance") == false);
  r = ask(province, id, "re_review", server.now_ms());
  REQUIRE_STATUS(r, 201);
  decide(province, body_json(r));
  pop = body_json(server.get(op, "/api/v1/callers/lookup?phone=" + phone));
  BOOST_TEST(pop.at("prior_cases").at(0).at("id") == id);
  BOOST_TEST(pop.at("prior_cases").at(0).at("no_further_acceptance") == true);

  BOOST_TEST(require_case(server, op, id).at("archived_at").is_null());
  {
    auto conn = hl::db::Connection::open(server.db_path());
    hl::db::Transaction tx(conn);
    const auto swept = hl::casework::CaseArchive::archive_due(conn, server.now_ms() + 100 * kDay, std::nullopt);
    BOOST_TEST(swept.archived >= 1);
    tx.commit();
  }
  const Json c = require_case(server, sup, id);
  BOOST_TEST(!c.at("archived_at").is_null());
  BOOST_TEST(c.at("available_events").empty());
  CHECK_ERROR(server.send(op, "POST", case_path(id, "/notes"), {{"text", "存档后补记"}}), 422, "transition_not_allowed");
  CHECK_ERROR(transition(server, sup, id, "reopen", c.at("version").get<std::int64_t>(), {{"reason", "纠错"}}), 422,
              "transition_not_allowed");
  const auto police = [&] {
    for (const auto& p : require_items(server, op, "/api/v1/partners?type=police"))
      if (p.at("active").get<bool>()) return p.at("id").get<std::int64_t>();
    return std::int64_t{0};
  }();
  r = server.send(op, "POST", case_path(id, "/warning-letters"), {{"police_partner_id", police}, {"issued_at", iso(server.now_ms() / 1000 * 1000)}});
  REQUIRE_STATUS(r, 201);
}

BOOST_AUTO_TEST_SUITE_END()
