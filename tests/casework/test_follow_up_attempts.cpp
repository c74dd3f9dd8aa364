// Follow-up attempts (issue #15 point 4): 未接通 / 改期 / 拒绝回访 are recorded on the case and shown in
// the due list, but only a result (满意 / 基本满意 / 不满意) is a follow-up done.
#include <boost/test/unit_test.hpp>

#include "casework/follow_up.hpp"
#include "casework/follow_up_attempts.hpp"
#include "casework/period_report.hpp"
#include "fixture.hpp"
#include "support/error_of.hpp"

using namespace hl;
using namespace hl::casework;
using hl::test::error_of;

namespace {

TimeMs at(const char* iso) { return *parse_iso8601(iso); }

struct AttemptFixture : hl::test::CaseworkFixture {
  FollowUpService follow_ups{clock};
  FollowUpAttemptService attempts{clock};

  std::int64_t closed(const char* case_no, TimeMs closed_at) {
    conn.prepare(
            "INSERT INTO cases(case_no, office_id, office_path, status, category, channel, summary, received_at,"
            " accepted_at, closed_at, outcome, created_at, updated_at)"
            " VALUES (?1, ?2, ?3, 'closed', 'marriage_family.divorce', 'hotline', '离婚纠纷', ?4, ?4, ?5, 'resolved', 0, 0)")
        .bind_all(case_no, county.id, county.path, closed_at - 20 * kMsPerDay, closed_at)
        .run();
    return conn.last_insert_rowid();
  }

  FollowUpAttempt attempt(std::int64_t id, NewFollowUpAttempt in) {
    auto r = attempts.record(conn, id, in, op);
    BOOST_REQUIRE_MESSAGE(r.has_value(), (r ? std::string() : r.error().message));
    return *r;
  }

  const FollowUpItem* due_item(std::int64_t id) {
    static FollowUpPage page;
    FollowUpFilter f;
    page = *FollowUpService::list(conn, f, op, clock.now_ms());
    for (const auto& i : page.items)
      if (i.summary.record.id == id) return &i;
    return nullptr;
  }

  double figure(const char* key) {
    auto r = PeriodReportService::compute_for(conn, {county.id, county.name, county.region_code, county.path},
                                              *parse_period("2026-11"), ReportScope::subtree, clock.now_ms());
    return static_cast<double>(r.figure(key)->amount);
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(follow_up_attempts, AttemptFixture)

BOOST_AUTO_TEST_CASE(attempts_are_listed_but_only_a_result_is_a_follow_up_done) {
  const auto id = closed("A1", at("2026-11-10T10:00:00+08:00"));
  BOOST_TEST(figure("follow_up.done") == 0);
  attempt(id, {"no_answer", std::nullopt, "无人接听"});
  auto resched = attempt(id, {"rescheduled", at("2026-11-25T00:00:00+08:00"), "当事人说周三再打"});
  BOOST_TEST(resched.rescheduled_to.value_or(0) == at("2026-11-25T00:00:00+08:00"));
  BOOST_TEST(figure("follow_up.done") == 0);  // attempts are not follow-ups done
  const auto* item = due_item(id);
  BOOST_REQUIRE(item != nullptr);  // still due
  BOOST_TEST(item->attempts.count == 2);
  BOOST_REQUIRE(item->attempts.last.has_value());
  BOOST_TEST(item->attempts.last->result == "rescheduled");

  BOOST_REQUIRE(follow_ups.record(conn, id, {"satisfied", "满意", std::nullopt}, op).has_value());
  BOOST_TEST(figure("follow_up.done") == 1);
  BOOST_TEST(due_item(id) == nullptr);
  BOOST_TEST(FollowUpAttemptService::for_case(conn, id).size() == 2u);
  BOOST_TEST(scalar("SELECT count(*) FROM case_events WHERE event = 'follow_up_attempt' AND case_id = " + std::to_string(id)) == 2);
}

// 拒绝回访 ends the follow-up of that closure: off the due list (she is not called again), still not a
// follow-up done; a reopened and re-closed case is due again, and a rating she gives later is taken.
BOOST_AUTO_TEST_CASE(a_refusal_takes_the_case_off_the_due_list_without_counting_as_done) {
  const auto id = closed("A3", at("2026-11-10T10:00:00+08:00"));
  const auto other = closed("A4", at("2026-11-10T11:00:00+08:00"));
  attempt(id, {"no_answer"});
  BOOST_TEST(due_item(id) != nullptr);
  attempt(id, {"refused", std::nullopt, "当事人表示不需要再联系"});
  BOOST_TEST(due_item(id) == nullptr);
  BOOST_TEST(due_item(other) != nullptr);  // only that case
  BOOST_TEST(figure("follow_up.done") == 0);
  FollowUpFilter f;
  BOOST_TEST(FollowUpService::list(conn, f, op, clock.now_ms())->total == 1);

  // The same case closed again (a new closure): due again, its earlier refusal belongs to the old one.
  conn.prepare("UPDATE cases SET closed_at = ?2 WHERE id = ?1").bind_all(id, at("2026-11-12T10:00:00+08:00")).run();
  BOOST_TEST(due_item(id) != nullptr);
  attempt(id, {"refused"});
  BOOST_TEST(due_item(id) == nullptr);
  BOOST_REQUIRE(follow_ups.record(conn, id, {"basically_satisfied", "她后来主动来电", std::nullopt}, op).has_value());
  BOOST_TEST(figure("follow_up.done") == 1);
}

BOOST_AUTO_TEST_CASE(invalid_attempts_name_the_field) {
  const auto id = closed("A2", at("2026-11-10T10:00:00+08:00"));
  auto field = [&](NewFollowUpAttempt in, const char* name) {
    auto e = error_of(attempts.record(conn, id, in, op));
    BOOST_TEST((e.code == Errc::invalid_input), name);
    BOOST_TEST(e.fields.contains(name), name);
  };
  field({"satisfied"}, "result");  // a result is a follow-up, not an attempt
  field({"rescheduled"}, "rescheduled_to");
  field({"no_answer", at("2026-11-25T00:00:00+08:00")}, "rescheduled_to");
  field({"rescheduled", at("2026-11-20T00:00:00+08:00")}, "rescheduled_to");  // before today's attempt
  field({"refused", std::nullopt, "", clock.now_ms() + kMsPerHour}, "attempted_at");
  field({"refused", std::nullopt, "", at("2026-11-09T10:00:00+08:00")}, "attempted_at");  // before the closure
  BOOST_TEST((error_of(attempts.record(conn, id, {"refused"}, partner_police)).code == Errc::forbidden));
  BOOST_TEST((error_of(attempts.record(conn, id, {"refused"}, other_op)).code == Errc::not_found));
}

BOOST_AUTO_TEST_SUITE_END()
