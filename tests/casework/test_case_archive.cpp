// 存档 (casework/case_archive.hpp): a closed case is archived once its follow-up is done and no review
// window is open, or 90 days (configurable) after closure; never while a review is pending or may still
// be asked; then every write refuses it except the DV measures. The sweep walks in batches.
#include <boost/test/unit_test.hpp>

#include "casework/case_archive.hpp"
#include "casework/case_edits.hpp"
#include "casework/case_repository.hpp"
#include "casework/case_review.hpp"
#include "casework/dv_events.hpp"
#include "casework/follow_up.hpp"
#include "casework/follow_up_attempts.hpp"
#include "fixture.hpp"
#include "support/error_of.hpp"

using namespace hl;
using namespace hl::casework;
using hl::test::error_of;

namespace {

TimeMs at(const char* iso) { return *parse_iso8601(iso); }

struct ArchiveFixture : hl::test::CaseworkFixture {
  FollowUpService follow_ups{clock};
  ReviewService reviews{clock};

  CaseRecord closed_with_reply() {
    auto c = open();
    c = must(service.apply(conn, c.id, c.version, CaseEvent::accept, op, notice()));
    c = reply(c, op);
    c = must(service.apply(conn, c.id, c.version, CaseEvent::request_closure, op,
                           {{"outcome", "resolved"}, {"summary", "已答复"}, {"losses_avoided_fen", "0"}}));
    return must(service.apply(conn, c.id, c.version, CaseEvent::approve_closure, sup, {}));
  }
  void follow_up(const CaseRecord& c) {
    NewFollowUp f;
    f.satisfaction = "satisfied";
    BOOST_REQUIRE(follow_ups.record(conn, c.id, f, op).has_value());
  }
  std::optional<std::string> due(const CaseRecord& c) { return CaseArchive::due_reason(conn, c.id, clock.now_ms()); }
  int sweep(int batch = 200) {
    int n = 0;
    std::optional<std::pair<TimeMs, std::int64_t>> after;
    do {
      auto s = CaseArchive::archive_due(conn, clock.now_ms(), after, batch);
      n += s.archived;
      after = s.next;
    } while (after);
    return n;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(case_archive, ArchiveFixture)

// Closed 2026-01-31 and followed up the next day: the review window (30 days, February having 28)
// keeps it open through 2026-03-02; archived on 03-03.
BOOST_AUTO_TEST_CASE(followed_up_it_is_archived_once_the_review_window_has_closed) {
  clock.set(at("2026-01-31T10:00:00+08:00"));
  const auto c = closed_with_reply();
  BOOST_TEST(!due(c).has_value());
  clock.set(at("2026-02-01T10:00:00+08:00"));
  follow_up(c);
  BOOST_TEST(!due(c).has_value());  // she may still ask the city for a review
  clock.set(at("2026-03-02T23:59:59.999+08:00"));
  BOOST_TEST(sweep() == 0);
  clock.set(at("2026-03-03T00:00:00+08:00"));
  BOOST_TEST(due(c).value_or("") == "follow_up_done");
  BOOST_TEST(sweep() == 1);
  BOOST_TEST(CaseArchive::archived_at(conn, c.id).value_or(0) == clock.now_ms());
  auto st = conn.prepare("SELECT json_extract(payload, '$.reason') FROM case_events WHERE case_id = ?1 AND event = 'archive'");
  st.bind_all(c.id);
  BOOST_REQUIRE(st.step());
  BOOST_TEST(st.text(0) == "follow_up_done");
  BOOST_TEST(sweep() == 0);  // once
}

// 拒绝回访 is the end of the follow-up too: archived once the review window has closed, saying why.
BOOST_AUTO_TEST_CASE(a_refused_follow_up_lets_it_be_archived_once_the_review_window_has_closed) {
  clock.set(at("2026-01-31T10:00:00+08:00"));
  const auto c = closed_with_reply();
  clock.set(at("2026-02-01T10:00:00+08:00"));
  NewFollowUpAttempt no_answer;
  no_answer.result = "no_answer";
  BOOST_REQUIRE(FollowUpAttemptService{clock}.record(conn, c.id, no_answer, op).has_value());
  clock.set(at("2026-03-03T00:00:00+08:00"));
  BOOST_TEST(!due(c).has_value());  // no answer is not the end of it
  NewFollowUpAttempt refused;
  refused.result = "refused";
  BOOST_REQUIRE(FollowUpAttemptService{clock}.record(conn, c.id, refused, op).has_value());
  BOOST_TEST(due(c).value_or("") == "follow_up_refused");
  BOOST_TEST(sweep() == 1);
  auto st = conn.prepare("SELECT json_extract(payload, '$.reason') FROM case_events WHERE case_id = ?1 AND event = 'archive'");
  st.bind_all(c.id);
  BOOST_REQUIRE(st.step());
  BOOST_TEST(st.text(0) == "follow_up_refused");
}

BOOST_AUTO_TEST_CASE(without_a_follow_up_it_is_archived_90_days_after_closure_or_as_configured) {
  clock.set(at("2026-10-01T10:00:00+08:00"));
  const auto c = closed_with_reply();
  clock.set(at("2026-12-30T23:59:59+08:00"));  // the 90th day after closure
  BOOST_TEST(!due(c).has_value());
  clock.set(at("2026-12-31T00:00:00+08:00"));
  BOOST_TEST(due(c).value_or("") == "time_elapsed");

  conn.prepare("INSERT INTO deadline_config(office_id, key, value) VALUES (?1, 'archive_after_days', 40)").bind_all(county.id).run();
  clock.set(at("2026-10-01T10:00:00+08:00"));
  const auto d = closed_with_reply();
  clock.set(at("2026-11-11T00:00:00+08:00"));
  BOOST_TEST(due(d).value_or("") == "time_elapsed");
}

BOOST_AUTO_TEST_CASE(a_review_pending_or_still_possible_keeps_it_open) {
  const Actor city_op = user("city_op", "operator", city.id, std::nullopt);
  clock.set(at("2026-01-05T10:00:00+08:00"));
  const auto c = closed_with_reply();
  follow_up(c);
  clock.set(at("2026-01-20T10:00:00+08:00"));
  BOOST_REQUIRE(reviews.request(conn, c.id, {"review", clock.now_ms(), "不服答复"}, city_op).has_value());
  clock.set(at("2026-06-01T10:00:00+08:00"));  // long past 90 days, but the review is unanswered
  BOOST_TEST(!due(c).has_value());
  auto items = reviews.for_case(conn, c.id, city_sup, clock.now_ms())->items;
  BOOST_REQUIRE(reviews.decide(conn, c.id, items[0].id, {std::nullopt, "upheld", "维持", std::nullopt}, city_sup).has_value());
  BOOST_TEST(!due(c).has_value());  // the re-review may be asked for 30 days
  clock.set(at("2026-07-02T00:00:00+08:00"));
  BOOST_TEST(due(c).has_value());
}

BOOST_AUTO_TEST_CASE(an_archived_case_refuses_every_write_but_the_dv_measures) {
  clock.set(at("2026-01-05T10:00:00+08:00"));
  const auto c = closed_with_reply();
  clock.set(at("2026-06-01T10:00:00+08:00"));
  BOOST_REQUIRE(sweep() == 1);
  const auto now = must(CaseRepository::get(conn, c.id, sup));
  auto refused = error_of(service.apply(conn, c.id, now.version, CaseEvent::reopen, sup, {{"reason", "纠错"}}));
  BOOST_TEST((refused.code == Errc::transition_not_allowed));
  BOOST_TEST(refused.message.find("已存档") != std::string::npos);
  BOOST_TEST((error_of(CaseEdits(clock).add_note(conn, c.id, "补记", op)).code == Errc::transition_not_allowed));
  NewFollowUp f;
  f.satisfaction = "satisfied";
  BOOST_TEST((error_of(follow_ups.record(conn, c.id, f, op)).code == Errc::transition_not_allowed));
  // A warning letter issued after the archive is still recorded: DV measures outlive the case.
  BOOST_TEST(DvEventService(clock).add_warning_letter(conn, c.id, {police_id, clock.now_ms(), ""}, op).has_value());
}

BOOST_AUTO_TEST_CASE(the_sweep_walks_in_batches_oldest_closure_first_and_skips_what_is_not_due) {
  clock.set(at("2026-01-05T10:00:00+08:00"));
  std::vector<CaseRecord> cases;
  for (int i = 0; i < 5; ++i) {
    clock.advance_ms(kMsPerHour);
    cases.push_back(closed_with_reply());
  }
  auto still_open = open();  // not closed: never a candidate
  clock.set(at("2026-06-01T10:00:00+08:00"));
  BOOST_TEST(sweep(2) == 5);  // three batches
  for (const auto& c : cases) BOOST_TEST(CaseArchive::archived_at(conn, c.id).has_value());
  BOOST_TEST(!CaseArchive::archived_at(conn, still_open.id).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
