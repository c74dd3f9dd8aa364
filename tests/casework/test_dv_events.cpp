// Warning letters, shelter stays and mandatory reports (each a row and a case event), and the
// DV figures of the period report (report_figures.cpp, which absorbed the former dv_statistics).
#include <boost/test/unit_test.hpp>

#include "casework/period_report.hpp"
#include "test_dv_fixture.hpp"

using namespace hl;
using namespace hl::casework;
using hl::test::must_fail;
using hl::test::must_ok;

namespace {
TimeMs at(const char* iso) { return *parse_iso8601(iso); }
}  // namespace

BOOST_FIXTURE_TEST_SUITE(dv_events, hl::test::DvFixture)

BOOST_AUTO_TEST_CASE(a_warning_letter_needs_an_active_police_partner) {
  const auto c = open();
  auto e = must_fail(dv_events.add_warning_letter(conn, c.id, {court_id, clock.now_ms(), ""}, op), Errc::invalid_input);
  BOOST_TEST(e.fields.contains("police_partner_id"));
  e = must_fail(dv_events.add_warning_letter(conn, c.id, {police_id, clock.now_ms() + kMsPerDay, ""}, op), Errc::invalid_input);
  BOOST_TEST(e.fields.contains("issued_at"));
  auto w = must_ok(dv_events.add_warning_letter(conn, c.id, {police_id, clock.now_ms() - kMsPerHour, "告诫施暴人"}, op));
  BOOST_TEST(w.police_name == "城关派出所");
  BOOST_TEST(has_event(c.id, "warning_letter"));
  BOOST_TEST(must_ok(DvEventService::warning_letters(conn, c.id, op)).size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_shelter_stay_is_with_civil_affairs_and_may_be_open_ended) {
  const auto c = open();
  auto e = must_fail(dv_events.add_shelter_stay(conn, c.id, {police_id, clock.now_ms(), std::nullopt, ""}, op),
                     Errc::invalid_input);
  BOOST_TEST(e.fields.contains("partner_id"));
  e = must_fail(dv_events.add_shelter_stay(conn, c.id, {civil_affairs_id, clock.now_ms(), clock.now_ms() - 1, ""}, op),
                Errc::invalid_input);
  BOOST_TEST(e.fields.contains("to"));
  auto s = must_ok(dv_events.add_shelter_stay(conn, c.id, {civil_affairs_id, clock.now_ms(), std::nullopt, ""}, op));
  BOOST_TEST(!s.to.has_value());
  must_ok(dv_events.add_shelter_stay(conn, c.id, {civil_affairs_id, clock.now_ms(), clock.now_ms() + 3 * kMsPerDay, ""}, op));
  BOOST_TEST(must_ok(DvEventService::shelter_stays(conn, c.id, op)).size() == 2u);
  BOOST_TEST(has_event(c.id, "shelter_stay"));
}

BOOST_AUTO_TEST_CASE(a_mandatory_report_names_a_reporter_type_from_the_law) {
  const auto c = open();
  auto e = must_fail(dv_events.add_mandatory_report(conn, c.id, {"neighbour", "", clock.now_ms(), std::nullopt, ""}, op),
                     Errc::invalid_input);
  BOOST_TEST(e.fields.contains("reporter_type"));
  e = must_fail(dv_events.add_mandatory_report(conn, c.id, {"school", "", 0, court_id, ""}, op), Errc::invalid_input);
  BOOST_TEST(e.fields.contains("reported_at"));
  BOOST_TEST(e.fields.contains("police_partner_id"));
  for (const char* type : {"school", "kindergarten", "hospital", "residents_committee", "villagers_committee", "social_work",
                           "relief_agency", "welfare_agency", "other"})
    must_ok(dv_events.add_mandatory_report(conn, c.id, {type, "某机构", clock.now_ms(), police_id, ""}, op));
  auto list = must_ok(DvEventService::mandatory_reports(conn, c.id, op));
  BOOST_REQUIRE(list.size() == 9u);
  BOOST_TEST(list[0].police_name.value_or("") == "城关派出所");
  BOOST_TEST(has_event(c.id, "mandatory_report"));
}

// Staff only; and the measures outlive the case (DOMAIN.md): a warning letter, a shelter stay and a
// mandatory report are recorded on a closed case without reopening it (the risk assessment is not:
// test_dv_risk).
BOOST_AUTO_TEST_CASE(interventions_are_staff_only_and_outlive_the_case) {
  const auto c = open();
  must_fail(dv_events.add_warning_letter(conn, c.id, {police_id, clock.now_ms(), ""}, partner_police), Errc::not_found);
  must_fail(dv_events.add_warning_letter(conn, c.id, {police_id, clock.now_ms(), ""}, other_op), Errc::not_found);
  must_fail(DvEventService::shelter_stays(conn, c.id, admin), Errc::not_found);
  must(service.apply(conn, c.id, c.version, CaseEvent::answer, op, {{"answer", "已解答"}}));
  BOOST_TEST((must(CaseRepository::get(conn, c.id, op)).status == CaseStatus::closed));
  must_ok(dv_events.add_mandatory_report(conn, c.id, {"school", "", clock.now_ms(), std::nullopt, ""}, op));
  must_ok(dv_events.add_warning_letter(conn, c.id, {police_id, clock.now_ms(), ""}, op));
  auto stay = must_ok(dv_events.add_shelter_stay(conn, c.id, {civil_affairs_id, clock.now_ms(), std::nullopt, ""}, op));
  BOOST_TEST(!stay.to.has_value());
}

BOOST_AUTO_TEST_CASE(monthly_counts_per_shanghai_month_and_office_subtree) {
  const auto c = open();
  const auto elsewhere = open("marriage_family.domestic_violence", other_county.id);
  // 2026-10-31 23:30 Shanghai is still October there although it is October 31 15:30 UTC — and
  // 2026-11-01 00:30 Shanghai is November although UTC says October 31.
  must_ok(dv_events.add_warning_letter(conn, c.id, {police_id, at("2026-10-31T23:30:00+08:00"), ""}, op));
  must_ok(dv_events.add_warning_letter(conn, c.id, {police_id, at("2026-11-01T00:30:00+08:00"), ""}, op));
  must_ok(dv_events.add_shelter_stay(conn, c.id, {civil_affairs_id, at("2026-11-05T10:00:00+08:00"), std::nullopt, ""}, op));
  must_ok(dv_events.add_mandatory_report(conn, c.id, {"hospital", "", at("2026-11-10T10:00:00+08:00"), std::nullopt, ""}, op));
  must_ok(dv_events.add_warning_letter(conn, elsewhere.id, {police_id, at("2026-11-02T10:00:00+08:00"), ""}, other_op));
  auto o = must_ok(orders.apply(conn, c.id, {court_id, at("2026-11-20T10:00:00+08:00"), false, at("2026-11-20T15:00:00+08:00")}, op));
  OrderUpdate g;
  g.status = "granted";
  g.ruled_at = at("2026-11-21T10:00:00+08:00");
  g.expires_at = at("2027-05-01T10:00:00+08:00");
  must_ok(orders.update(conn, o.id, o.version, g, op));
  must_assess(c.id, 20, op);
  must_assess(c.id, 3, op);

  auto report = [&](const char* period, const Office& o) {
    return PeriodReportService::compute_for(conn, {o.id, o.name, o.region_code, o.path}, *parse_period(period),
                                            ReportScope::subtree, clock.now_ms());
  };
  auto n = [](const PeriodReport& r, const char* key) { return r.figure(key)->amount; };
  const auto oct = report("2026-10", county);
  BOOST_TEST(n(oct, "dv.warning_letters") == 1);
  BOOST_TEST(n(oct, "dv.shelter_stays") == 0);
  const auto nov = report("2026-11", county);
  BOOST_TEST(n(nov, "dv.warning_letters") == 1);
  BOOST_TEST(n(nov, "dv.shelter_stays") == 1);
  BOOST_TEST(n(nov, "dv.mandatory_reports") == 1);
  BOOST_TEST(n(nov, "dv.orders.applied_by_victim") == 1);  // the default
  BOOST_TEST(n(nov, "dv.orders.applied_by_federation") == 0);
  BOOST_TEST(n(nov, "dv.orders.granted") == 1);
  BOOST_TEST(n(nov, "dv.orders.rejected") == 0);
  BOOST_TEST(n(nov, "dv.risk.general") + n(nov, "dv.risk.elevated") + n(nov, "dv.risk.high") + n(nov, "dv.risk.extreme") == 2);
  BOOST_TEST(n(nov, "dv.risk.high") + n(nov, "dv.risk.extreme") == 1);

  BOOST_TEST(n(report("2026-11", city), "dv.warning_letters") == 2);  // both counties
  BOOST_TEST(n(report("2026-12", county), "dv.warning_letters") == 0);
}

BOOST_AUTO_TEST_CASE(an_order_applied_for_by_the_federation_on_her_behalf) {
  const auto c = open();
  NewProtectionOrder in{court_id, clock.now_ms(), false};
  in.applied_by = "federation";
  auto o = must_ok(orders.apply(conn, c.id, in, op));
  BOOST_TEST(o.applied_by == "federation");
  in.applied_by = "neighbour";
  auto bad = orders.apply(conn, c.id, in, op);
  BOOST_REQUIRE(!bad.has_value());
  BOOST_TEST(bad.error().fields.contains("applied_by"));
  BOOST_TEST(must_ok(orders.apply(conn, c.id, {court_id, clock.now_ms(), false}, op)).applied_by == "victim");
}

BOOST_AUTO_TEST_SUITE_END()
