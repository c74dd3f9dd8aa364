// 复议 of a protection-order ruling (反家庭暴力法 Art. 31): asked once, by the applicant or the
// respondent, of a ruling (granted or denied); the court's result upheld / revoked / varied with its
// date. A granted order stays in force while the 复议 is pending; a revoked one ends at the decision.
#include <boost/test/unit_test.hpp>

#include "casework/dv_order_reconsideration.hpp"
#include "test_dv_fixture.hpp"

using namespace hl;
using namespace hl::casework;
using hl::test::must_fail;
using hl::test::must_ok;

namespace {

TimeMs at(const char* iso) { return *parse_iso8601(iso); }

struct ReconsiderationFixture : hl::test::DvFixture {
  OrderReconsiderationService reconsiderations{clock};

  ProtectionOrder applied(std::int64_t case_id, TimeMs t) { return must_ok(orders.apply(conn, case_id, {court_id, t, false, t}, op)); }

  ProtectionOrder ruled(std::int64_t case_id, const std::string& status, TimeMs applied_at, TimeMs ruled_at, TimeMs expires = 0) {
    auto o = applied(case_id, applied_at);
    OrderUpdate u;
    u.status = status;
    u.ruled_at = ruled_at;
    if (status == "granted") u.expires_at = expires;
    return must_ok(orders.update(conn, o.id, o.version, u, op));
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(dv_order_reconsideration, ReconsiderationFixture)

// Across a year end: ruled 2026-12-30, asked 2027-01-02, upheld 2027-01-06; the order is in force
// throughout, and the result is kept on the order with both events on the timeline.
BOOST_AUTO_TEST_CASE(a_granted_order_stays_in_force_while_reconsidered_and_after_it_is_upheld) {
  clock.set(at("2026-12-30T10:00:00+08:00"));
  const auto c = open();
  auto o = ruled(c.id, "granted", at("2026-12-30T08:00:00+08:00"), at("2026-12-30T09:00:00+08:00"), at("2027-03-31"));
  clock.set(at("2027-01-02T11:00:00+08:00"));
  auto asked = must_ok(reconsiderations.request(conn, o.id, o.version, {at("2027-01-02T09:30:00+08:00"), "respondent", "被申请人认为事实不清"}, op));
  BOOST_REQUIRE(asked.reconsideration.has_value());
  BOOST_TEST(asked.reconsideration->applied_by == "respondent");
  BOOST_TEST(!asked.reconsideration->result.has_value());
  BOOST_TEST(asked.version == o.version + 1);
  BOOST_TEST(asked.in_force(clock.now_ms()));  // execution is not suspended (Art. 31)
  BOOST_TEST(has_event(c.id, "protection_order_reconsideration_requested"));

  clock.set(at("2027-01-06T16:00:00+08:00"));
  auto decided = must_ok(reconsiderations.decide(conn, o.id, asked.version, {"upheld", at("2027-01-06T15:00:00+08:00"), ""}, op));
  BOOST_TEST(decided.reconsideration->result.value_or("") == "upheld");
  BOOST_TEST(decided.reconsideration->decided_at.value_or(0) == at("2027-01-06T15:00:00+08:00"));
  BOOST_TEST(decided.reconsideration->note == "被申请人认为事实不清");
  BOOST_TEST(decided.in_force(clock.now_ms()));
  BOOST_TEST(has_event(c.id, "protection_order_reconsideration_decided"));
  // The order's other writes go on: extension of an upheld order.
  BOOST_TEST(must_ok(orders.extend(conn, o.id, decided.version, at("2027-05-31"), op)).extensions.size() == 1u);
}

// On a leap day: revoked at 2028-02-29 14:00, the order is in force until then and not from then on; a
// violation after the revocation is refused, it no longer shows as expiring, and it cannot be extended.
BOOST_AUTO_TEST_CASE(a_revoked_grant_ends_at_the_decision) {
  clock.set(at("2028-02-25T10:00:00+08:00"));
  const auto c = open();
  auto o = ruled(c.id, "granted", at("2028-02-25T08:00:00+08:00"), at("2028-02-25T09:00:00+08:00"), at("2028-03-10"));
  clock.set(at("2028-02-26T10:00:00+08:00"));
  o = must_ok(reconsiderations.request(conn, o.id, o.version, {clock.now_ms(), "respondent", ""}, op));
  clock.set(at("2028-02-29T18:00:00+08:00"));
  const TimeMs revoked = at("2028-02-29T14:00:00+08:00");
  o = must_ok(reconsiderations.decide(conn, o.id, o.version, {"revoked", revoked, "法院复议后撤销保护令"}, op));
  BOOST_TEST(o.revoked_at().value_or(0) == revoked);
  BOOST_TEST(o.in_force(revoked - 1));
  BOOST_TEST(!o.in_force(revoked));
  BOOST_TEST(must_ok(ProtectionOrderService::expiring(conn, 30, op, clock.now_ms())).empty());

  OrderUpdate v;
  v.violations = {{revoked + kMsPerHour, "撤销后再次骚扰", ""}};
  auto e = must_fail(orders.update(conn, o.id, o.version, v, op), Errc::invalid_input);
  BOOST_TEST(e.fields.contains("violations[0].occurred_at"));
  v.violations = {{revoked - kMsPerHour, "撤销前的骚扰", ""}};  // while it was in force: still recorded
  o = must_ok(orders.update(conn, o.id, o.version, v, op));
  must_fail(orders.extend(conn, o.id, o.version, at("2028-04-30"), op), Errc::transition_not_allowed);
}

BOOST_AUTO_TEST_CASE(a_rejected_application_may_be_reconsidered_by_the_applicant) {
  clock.set(at("2026-11-30T10:00:00+08:00"));
  const auto c = open();
  auto o = ruled(c.id, "denied", at("2026-11-27T09:00:00+08:00"), at("2026-11-28T09:00:00+08:00"));
  o = must_ok(reconsiderations.request(conn, o.id, o.version, {at("2026-11-30T09:00:00+08:00"), "applicant", ""}, op));
  o = must_ok(reconsiderations.decide(conn, o.id, o.version, {"varied", clock.now_ms(), "改为签发保护令，另行登记"}, op));
  BOOST_TEST(o.reconsideration->result.value_or("") == "varied");
  BOOST_TEST(!o.in_force(clock.now_ms()));  // a denial is no order, whatever the 复议
  BOOST_TEST(o.status == "denied");
}

// Art. 31: within 5 days of the ruling, its own day not counted: ruled 2026-11-29 (evening), the last
// day is 12-04 through 24:00 Beijing time; from 12-05 00:00 the court no longer takes it.
BOOST_AUTO_TEST_CASE(reconsideration_is_asked_within_5_days_of_the_ruling) {
  clock.set(at("2026-12-06T10:00:00+08:00"));
  const auto c = open();
  auto late = ruled(c.id, "granted", at("2026-11-29T08:00:00+08:00"), at("2026-11-29T20:00:00+08:00"), at("2027-01-31"));
  auto e = must_fail(reconsiderations.request(conn, late.id, late.version, {at("2026-12-05T00:00:00+08:00"), "respondent", ""}, op),
                     Errc::invalid_input);
  BOOST_TEST(e.fields.at("applied_at") == "more than 5 days after the ruling: 复议 is asked by 2026-12-04");
  auto o = must_ok(reconsiderations.request(conn, late.id, late.version, {at("2026-12-04T23:59:59+08:00"), "respondent", ""}, op));
  BOOST_TEST(o.reconsideration.has_value());
  // Across a month and year end: ruled 12-29, the last day is 2027-01-03.
  clock.set(at("2026-12-29T12:00:00+08:00"));
  auto denied = ruled(c.id, "denied", at("2026-12-28T08:00:00+08:00"), at("2026-12-29T10:00:00+08:00"));
  clock.set(at("2027-01-05T10:00:00+08:00"));
  e = must_fail(reconsiderations.request(conn, denied.id, denied.version, {at("2027-01-04T09:00:00+08:00"), "applicant", ""}, op),
                Errc::invalid_input);
  BOOST_TEST(e.fields.at("applied_at") == "more than 5 days after the ruling: 复议 is asked by 2027-01-03");
  must_ok(reconsiderations.request(conn, denied.id, denied.version, {at("2027-01-03T18:00:00+08:00"), "applicant", ""}, op));
}

BOOST_AUTO_TEST_CASE(reconsideration_needs_a_ruling_and_is_asked_once) {
  clock.set(at("2026-11-30T10:00:00+08:00"));
  const auto c = open();
  auto pending = applied(c.id, at("2026-11-30T08:00:00+08:00"));
  auto e = must_fail(reconsiderations.request(conn, pending.id, pending.version, {clock.now_ms(), "respondent", ""}, op),
                     Errc::transition_not_allowed);
  BOOST_TEST(e.fields.at("status") == "applied");
  // No decision without a request.
  must_fail(reconsiderations.decide(conn, pending.id, pending.version, {"upheld", clock.now_ms(), ""}, op), Errc::transition_not_allowed);

  auto o = ruled(c.id, "granted", at("2026-11-29T08:00:00+08:00"), at("2026-11-29T20:00:00+08:00"), at("2027-01-31"));
  // Asked before the ruling's day, in the future, or by someone who is no party.
  e = must_fail(reconsiderations.request(conn, o.id, o.version, {at("2026-11-28T23:00:00+08:00"), "neighbour", ""}, op),
                Errc::invalid_input);
  BOOST_TEST(e.fields.contains("applied_at"));
  BOOST_TEST(e.fields.contains("applied_by"));
  e = must_fail(reconsiderations.request(conn, o.id, o.version, {clock.now_ms() + kMsPerDay, "applicant", ""}, op), Errc::invalid_input);
  BOOST_TEST(e.fields.contains("applied_at"));
  // The ruling's day counts whole: asked that morning, before the time the ruling was recorded.
  auto asked = must_ok(reconsiderations.request(conn, o.id, o.version, {at("2026-11-29T09:00:00+08:00"), "respondent", ""}, op));
  // Stale, then twice.
  must_fail(reconsiderations.request(conn, o.id, o.version, {clock.now_ms(), "applicant", ""}, op), Errc::conflict);
  must_fail(reconsiderations.request(conn, o.id, asked.version, {clock.now_ms(), "applicant", ""}, op), Errc::conflict);

  e = must_fail(reconsiderations.decide(conn, o.id, asked.version, {"overturned", at("2026-11-29T08:59:00+08:00"), ""}, op),
                Errc::invalid_input);
  BOOST_TEST(e.fields.contains("result"));
  BOOST_TEST(e.fields.contains("decided_at"));  // before the request
  auto decided = must_ok(reconsiderations.decide(conn, o.id, asked.version, {"upheld", clock.now_ms(), ""}, op));
  must_fail(reconsiderations.decide(conn, o.id, decided.version, {"revoked", clock.now_ms(), ""}, op), Errc::conflict);
}

// Staff of the case's office only, as for every order write; on a closed case too (DV measures
// outlive the case).
BOOST_AUTO_TEST_CASE(only_the_offices_staff_record_it_and_a_closed_case_does_not_stop_it) {
  const auto c = open();
  auto o = ruled(c.id, "granted", clock.now_ms() - 2 * kMsPerHour, clock.now_ms() - kMsPerHour, clock.now_ms() + 30 * kMsPerDay);
  must_fail(reconsiderations.request(conn, o.id, o.version, {clock.now_ms(), "respondent", ""}, partner_court), Errc::not_found);
  must_fail(reconsiderations.request(conn, o.id, o.version, {clock.now_ms(), "respondent", ""}, other_op), Errc::not_found);
  must(service.apply(conn, c.id, c.version, CaseEvent::answer, op, {{"answer", "已解答"}}));
  BOOST_TEST(must_ok(reconsiderations.request(conn, o.id, o.version, {clock.now_ms(), "respondent", ""}, op)).reconsideration.has_value());
}

BOOST_AUTO_TEST_SUITE_END()
