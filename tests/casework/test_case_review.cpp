// 复查 / 复核 (casework/case_review.hpp): asked of the office one level above the one that answered,
// within 30 days of the answer (the end of the 30th Beijing day after it, across month and year ends
// and a leap day), answered within 30 days by that office's supervisor, once; after the re-review the
// matter is not accepted again.
#include <boost/test/unit_test.hpp>

#include "casework/case_review.hpp"
#include "fixture.hpp"

using namespace hl;
using namespace hl::casework;
using hl::test::CaseworkFixture;

namespace {

TimeMs at(const char* iso) { return *parse_iso8601(iso); }

struct ReviewFixture : CaseworkFixture {
  ReviewService reviews{clock};
  Actor city_op, province_sup, province_op;

  ReviewFixture() {
    city_op = user("city_op", "operator", city.id, std::nullopt);
    province_sup = user("province_sup", "supervisor", province.id, std::nullopt);
    province_op = user("province_op", "operator", province.id, std::nullopt);
  }

  // A county case accepted, replied to (now) and closed.
  CaseRecord closed_with_reply() {
    auto c = open();
    c = must(service.apply(conn, c.id, c.version, CaseEvent::accept, op, notice()));
    c = reply(c, op);
    c = must(service.apply(conn, c.id, c.version, CaseEvent::request_closure, op,
                           {{"outcome", "resolved"}, {"summary", "已答复"}, {"losses_avoided_fen", "0"}}));
    return must(service.apply(conn, c.id, c.version, CaseEvent::approve_closure, sup, {}));
  }

  template <class T>
  T ok(Result<T> r) {
    BOOST_REQUIRE_MESSAGE(r.has_value(), (r ? std::string() : r.error().message));
    return *r;
  }
  template <class T>
  Error err(Result<T> r, Errc code) {
    BOOST_REQUIRE(!r.has_value());
    BOOST_TEST(static_cast<int>(r.error().code) == static_cast<int>(code), r.error().message);
    return r.error();
  }

  CaseReview ask(const CaseRecord& c, const char* kind, const Actor& who, TimeMs when, std::string text = "对答复不服，请求复查") {
    return ok(reviews.request(conn, c.id, {kind, when, std::move(text)}, who));
  }
  CaseReview answer(const CaseRecord& c, const CaseReview& r, const Actor& who, const char* decision = "upheld") {
    return ok(reviews.decide(conn, c.id, r.id, {std::nullopt, decision, "经复查，原答复意见正确", std::string("郴妇复字〔2026〕1号")}, who));
  }

  bool has_event(std::int64_t case_id, const std::string& event) {
    auto st = conn.prepare("SELECT count(*) FROM case_events WHERE case_id = ?1 AND event = ?2");
    st.bind_all(case_id, event);
    st.step();
    return st.int64(0) > 0;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(case_review, ReviewFixture)

BOOST_AUTO_TEST_CASE(a_review_needs_the_reply_and_is_asked_of_the_office_one_level_up) {
  auto open_case = open();
  err(reviews.request(conn, open_case.id, {"review", clock.now_ms(), "不服"}, city_op), Errc::transition_not_allowed);
  BOOST_TEST(!ok(ReviewService::for_case(conn, open_case.id, op, clock.now_ms())).next.has_value());

  const auto c = closed_with_reply();
  auto v = ok(ReviewService::for_case(conn, c.id, op, clock.now_ms()));
  BOOST_REQUIRE(v.next.has_value());
  BOOST_TEST(v.next->kind == "review");
  BOOST_TEST(v.next->office_id == city.id);
  // The county itself, the province (two levels up) and a sibling county may not take it.
  err(reviews.request(conn, c.id, {"review", clock.now_ms(), "不服"}, op), Errc::forbidden);
  err(reviews.request(conn, c.id, {"review", clock.now_ms(), "不服"}, province_sup), Errc::forbidden);
  err(reviews.request(conn, c.id, {"review", clock.now_ms(), "不服"}, other_op), Errc::not_found);
  err(reviews.request(conn, c.id, {"review", clock.now_ms(), "不服"}, partner_police), Errc::not_found);
  auto e = err(reviews.request(conn, c.id, {"re_review", clock.now_ms(), "不服"}, city_op), Errc::invalid_input);
  BOOST_TEST(e.fields.contains("kind"));
  e = err(reviews.request(conn, c.id, {"review", clock.now_ms(), " "}, city_op), Errc::invalid_input);
  BOOST_TEST(e.fields.contains("request"));

  const auto r = ask(c, "review", city_op, clock.now_ms());
  BOOST_TEST(r.office_id == city.id);
  BOOST_TEST(!r.decided_at.has_value());
  BOOST_TEST(has_event(c.id, "review_requested"));
  // One at a time: nothing more may be asked while it is unanswered.
  err(reviews.request(conn, c.id, {"review", clock.now_ms(), "再次"}, city_op), Errc::transition_not_allowed);
}

// The reply of 2026-01-31 (any time that day): a review may be asked until 2026-03-02 23:59:59.999
// (30 days, the day of the reply not counted, February 2026 having 28 days), and is answered by
// 2026-04-01 when asked on 03-02. Across a year end and a leap day likewise.
BOOST_AUTO_TEST_CASE(the_30_day_windows_end_at_midnight_beijing_time) {
  struct Case { const char* replied; const char* last_moment; const char* asked; const char* due; };
  for (const auto& k : {Case{"2026-01-31T16:00:00+08:00", "2026-03-02T23:59:59.999+08:00", "2026-03-02T23:00:00+08:00", "2026-04-01T23:59:59.999+08:00"},
                        Case{"2026-12-15T09:00:00+08:00", "2027-01-14T23:59:59.999+08:00", "2027-01-14T08:00:00+08:00", "2027-02-13T23:59:59.999+08:00"},
                        Case{"2028-02-10T09:00:00+08:00", "2028-03-11T23:59:59.999+08:00", "2028-02-29T10:00:00+08:00", "2028-03-30T23:59:59.999+08:00"}}) {
    BOOST_TEST_CONTEXT("replied " << k.replied) {
      clock.set(at(k.replied));
      const auto c = closed_with_reply();
      clock.set(at(k.last_moment) + kMsPerDay);
      const auto v = ok(ReviewService::for_case(conn, c.id, op, clock.now_ms()));
      BOOST_REQUIRE(v.next.has_value());
      BOOST_TEST(v.next->window_ends == at(k.last_moment));
      auto e = err(reviews.request(conn, c.id, {"review", at(k.last_moment) + 1, "超过期限"}, city_op), Errc::invalid_input);
      BOOST_TEST(e.fields.contains("requested_at"));
      e = err(reviews.request(conn, c.id, {"review", at(k.replied) - kMsPerDay, "早于答复"}, city_op), Errc::invalid_input);
      BOOST_TEST(e.fields.contains("requested_at"));
      const auto r = ask(c, "review", city_op, at(k.asked));
      BOOST_TEST(r.due_at == at(k.due));
      BOOST_TEST(!r.overdue(at(k.due)));
      BOOST_TEST(r.overdue(at(k.due) + 1));
    }
  }
}

BOOST_AUTO_TEST_CASE(the_answer_is_the_reviewing_supervisors_once_then_the_re_review_goes_one_level_further) {
  clock.set(at("2026-11-02T10:00:00+08:00"));
  const auto c = closed_with_reply();
  clock.advance_ms(5 * kMsPerDay);
  const auto r = ask(c, "review", city_op, clock.now_ms() - kMsPerHour);
  // Only a supervisor of the reviewing office answers.
  err(reviews.decide(conn, c.id, r.id, {std::nullopt, "upheld", "维持", std::nullopt}, city_op), Errc::forbidden);
  err(reviews.decide(conn, c.id, r.id, {std::nullopt, "upheld", "维持", std::nullopt}, sup), Errc::forbidden);
  auto e = err(reviews.decide(conn, c.id, r.id, {std::nullopt, "agreed", "", std::nullopt}, city_sup), Errc::invalid_input);
  BOOST_TEST(e.fields.contains("decision"));
  BOOST_TEST(e.fields.contains("basis"));
  e = err(reviews.decide(conn, c.id, r.id, {r.requested_at - 1, "upheld", "维持", std::nullopt}, city_sup), Errc::invalid_input);
  BOOST_TEST(e.fields.contains("decided_at"));
  err(reviews.decide(conn, c.id, r.id + 100, {std::nullopt, "upheld", "维持", std::nullopt}, city_sup), Errc::not_found);
  const auto decided = answer(c, r, city_sup);
  BOOST_TEST(decided.decision.value_or("") == "upheld");
  BOOST_TEST(decided.document_no.value_or("") == "郴妇复字〔2026〕1号");
  BOOST_TEST(has_event(c.id, "review_decided"));
  err(reviews.decide(conn, c.id, r.id, {std::nullopt, "changed", "改变", std::nullopt}, city_sup), Errc::transition_not_allowed);

  // The re-review: the province, within 30 days of the review's answer.
  auto v = ok(ReviewService::for_case(conn, c.id, city_sup, clock.now_ms()));
  BOOST_REQUIRE(v.next.has_value());
  BOOST_TEST(v.next->kind == "re_review");
  BOOST_TEST(v.next->office_id == province.id);
  err(reviews.request(conn, c.id, {"re_review", clock.now_ms(), "仍不服"}, city_op), Errc::forbidden);
  e = err(reviews.request(conn, c.id, {"re_review", *decided.decided_at + 31 * kMsPerDay, "仍不服"}, province_op),
          Errc::invalid_input);  // in the future here; the window is checked below
  BOOST_TEST(e.fields.contains("requested_at"));
  clock.set(*decided.decided_at + 40 * kMsPerDay);
  e = err(reviews.request(conn, c.id, {"re_review", *decided.decided_at + 31 * kMsPerDay, "仍不服"}, province_op),
          Errc::invalid_input);
  BOOST_TEST(e.fields.at("requested_at").find("after the window") != std::string::npos);
  const auto rr = ask(c, "re_review", province_op, *decided.decided_at + 10 * kMsPerDay, "对复查意见不服，请求复核");
  BOOST_TEST(rr.office_id == province.id);
  BOOST_TEST(!ok(ReviewService::for_case(conn, c.id, op, clock.now_ms())).final);
  answer(c, rr, province_sup, "upheld");
  v = ok(ReviewService::for_case(conn, c.id, op, clock.now_ms()));
  BOOST_TEST(v.final);  // 不再受理
  BOOST_TEST(!v.next.has_value());
  BOOST_TEST(v.items.size() == 2u);
  err(reviews.request(conn, c.id, {"re_review", clock.now_ms(), "又来"}, province_op), Errc::transition_not_allowed);
}

BOOST_AUTO_TEST_CASE(the_offices_may_configure_shorter_windows) {
  conn.prepare("INSERT INTO deadline_config(office_id, key, value) VALUES (?1, 'review_request_days', 15), (?1, 'review_answer_days', 20)")
      .bind_all(city.id)
      .run();
  clock.set(at("2026-11-02T10:00:00+08:00"));
  const auto c = closed_with_reply();
  const auto v = ok(ReviewService::for_case(conn, c.id, op, clock.now_ms()));
  BOOST_REQUIRE(v.next.has_value());
  BOOST_TEST(v.next->window_ends == at("2026-11-17T23:59:59.999+08:00"));
  clock.set(at("2026-11-05T10:00:00+08:00"));
  BOOST_TEST(ask(c, "review", city_op, clock.now_ms()).due_at == at("2026-11-25T23:59:59.999+08:00"));
}

BOOST_AUTO_TEST_SUITE_END()
