#include <boost/test/unit_test.hpp>

#include "casework/deadline_policy.hpp"
#include "fixture.hpp"
#include "support/error_of.hpp"

using namespace hl;
using namespace hl::casework;
using hl::test::error_of;

namespace {
TimeMs at(const char* iso) { return *parse_iso8601(iso); }
}  // namespace

BOOST_AUTO_TEST_SUITE(deadlines)

BOOST_AUTO_TEST_CASE(acceptance_is_due_at_the_end_of_the_15th_day_across_month_and_year_ends) {
  DeadlinePolicy p;
  BOOST_TEST(p.acceptance_due(at("2026-01-20T10:00:00+08:00")) == at("2026-02-04T23:59:59.999+08:00"));
  BOOST_TEST(p.acceptance_due(at("2026-12-25T17:30:00+08:00")) == at("2027-01-09T23:59:59.999+08:00"));
  BOOST_TEST(p.acceptance_due(at("2028-02-20T08:00:00+08:00")) == at("2028-03-06T23:59:59.999+08:00"));  // leap year
  BOOST_TEST(p.acceptance_due(at("2027-02-20T08:00:00+08:00")) == at("2027-03-07T23:59:59.999+08:00"));
  // 23:30 UTC is already the next morning in Shanghai: the local date counts.
  BOOST_TEST(p.acceptance_due(at("2026-03-31T23:30:00Z")) == at("2026-04-16T23:59:59.999+08:00"));
}

BOOST_AUTO_TEST_CASE(handling_is_due_60_days_after_acceptance_and_extends_by_at_most_30) {
  DeadlinePolicy p;
  const TimeMs due = p.handling_due(at("2026-11-30T16:00:00+08:00"));
  BOOST_TEST(due == at("2027-01-29T23:59:59.999+08:00"));
  BOOST_TEST(p.extended_handling_due(due, 30) == at("2027-02-28T23:59:59.999+08:00"));
}

BOOST_AUTO_TEST_CASE(protection_order_rulings_are_due_in_72_or_24_hours) {
  DeadlinePolicy p;
  const TimeMs applied = at("2026-11-30T22:15:00+08:00");
  BOOST_TEST(p.protection_order_ruling_due(applied, false) == at("2026-12-03T22:15:00+08:00"));
  BOOST_TEST(p.protection_order_ruling_due(applied, true) == at("2026-12-01T22:15:00+08:00"));
}

BOOST_AUTO_TEST_CASE(referral_response_and_feedback_dues) {
  DeadlinePolicy p;
  BOOST_TEST(p.referral_response_due(at("2026-11-28T09:00:00+08:00")) == at("2026-12-03T23:59:59.999+08:00"));
  BOOST_TEST(p.referral_feedback_due(at("2026-11-28T09:00:00+08:00")) == at("2026-12-28T23:59:59.999+08:00"));
}

BOOST_FIXTURE_TEST_CASE(offices_override_defaults_and_inherit_from_ancestors, hl::test::CaseworkFixture) {
  BOOST_TEST(load_deadline_policy(conn, county.id).acceptance_days == 15);
  conn.prepare("INSERT INTO deadline_config(office_id, key, value) VALUES (?1, 'acceptance_days', 10)").bind_all(city.id).run();
  BOOST_TEST(load_deadline_policy(conn, county.id).acceptance_days == 10);  // inherited from the city
  conn.prepare("INSERT INTO deadline_config(office_id, key, value) VALUES (?1, 'acceptance_days', 7)").bind_all(county.id).run();
  BOOST_TEST(load_deadline_policy(conn, county.id).acceptance_days == 7);
  BOOST_TEST(load_deadline_policy(conn, other_county.id).acceptance_days == 10);
  BOOST_TEST(load_deadline_policy(conn, province.id).acceptance_days == 15);
  // The stricter limit is what a new case gets.
  auto c = open();
  BOOST_TEST(*c.acceptance_due == at("2026-11-30T23:59:59.999+08:00"));
}

BOOST_FIXTURE_TEST_CASE(moving_the_fake_clock_makes_a_case_overdue, hl::test::CaseworkFixture) {
  auto c = open();
  BOOST_TEST(!c.overdue(clock.now_ms()));
  clock.set(at("2026-12-08T23:59:59.999+08:00"));
  BOOST_TEST(!c.overdue(clock.now_ms()));
  clock.advance_ms(1);
  BOOST_TEST(c.overdue(clock.now_ms()));
}

BOOST_FIXTURE_TEST_CASE(a_supervisor_extends_handling_once, hl::test::CaseworkFixture) {
  auto c = must(service.apply(conn, open().id, 1, CaseEvent::accept, op, notice()));
  const TimeMs before = *c.handling_due;
  const EventData ext = notice({{"days", "30"}, {"reason", "需等待法院判决结果"}});
  auto by_op = ext;
  by_op["days"] = "10";
  BOOST_TEST((error_of(service.apply(conn, c.id, c.version, CaseEvent::extend_handling, op, by_op)).code ==
              Errc::transition_not_allowed));
  c = must(service.apply(conn, c.id, c.version, CaseEvent::extend_handling, sup, ext));
  BOOST_TEST(*c.handling_due == before + 30 * kMsPerDay);
  BOOST_TEST(*c.next_due == *c.handling_due);
  auto again = ext;
  again["days"] = "1";
  BOOST_TEST(!service.apply(conn, c.id, c.version, CaseEvent::extend_handling, sup, again).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
