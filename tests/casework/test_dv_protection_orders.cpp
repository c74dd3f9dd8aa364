// Protection orders: ruling due 72 h / 24 h after the court's acceptance (deadline policy), in force
// through the whole of its last day, at most 6 calendar months (Beijing) after the ruling, extension,
// violations, and the expiring list.
#include <boost/test/unit_test.hpp>

#include "casework/dv_calendar.hpp"
#include "casework/schema_setup.hpp"
#include "test_dv_fixture.hpp"

using namespace hl;
using namespace hl::casework;
using hl::test::must_fail;
using hl::test::must_ok;

namespace {

TimeMs at(const char* iso) { return *parse_iso8601(iso); }

struct OrderFixture : hl::test::DvFixture {
  // Accepted by the court when applied for, unless said otherwise.
  ProtectionOrder must_apply(std::int64_t case_id, bool emergency = false, std::optional<TimeMs> applied = std::nullopt) {
    const TimeMs t = applied.value_or(clock.now_ms());
    return must_ok(orders.apply(conn, case_id, {court_id, t, emergency, t}, op));
  }

  Result<ProtectionOrder> grant(const ProtectionOrder& o, TimeMs ruled, TimeMs expires) {
    OrderUpdate u;
    u.status = "granted";
    u.ruled_at = ruled;
    u.expires_at = expires;
    return orders.update(conn, o.id, o.version, u, op);
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(dv_protection_orders, OrderFixture)

BOOST_AUTO_TEST_CASE(calendar_months_are_shanghai_months_clamped_to_the_month_end) {
  BOOST_TEST(add_local_months(at("2026-11-23T10:00:00+08:00"), 6) == at("2027-05-23T10:00:00+08:00"));
  BOOST_TEST(add_local_months(at("2026-08-31T10:00:00+08:00"), 6) == at("2027-02-28T10:00:00+08:00"));
  BOOST_TEST(add_local_months(at("2027-08-31T10:00:00+08:00"), 6) == at("2028-02-29T10:00:00+08:00"));  // leap year
  // 00:30 in Shanghai is the previous UTC day: the month is the Shanghai one.
  BOOST_TEST(add_local_months(at("2026-03-01T00:30:00+08:00"), 6) == at("2026-09-01T00:30:00+08:00"));
  BOOST_TEST(add_local_months(at("2026-11-23T10:00:00+08:00"), -12) == at("2025-11-23T10:00:00+08:00"));
  BOOST_TEST(add_local_months(at("2026-12-15T10:00:00+08:00"), 1) == at("2027-01-15T10:00:00+08:00"));
}

BOOST_AUTO_TEST_CASE(the_ruling_is_due_72_hours_after_the_courts_acceptance) {
  const auto c = open();
  const TimeMs applied = clock.now_ms() - 2 * kMsPerHour;
  auto o = must_apply(c.id, false, applied);
  BOOST_TEST(o.status == "applied");
  BOOST_TEST(o.ruling_due.value_or(0) == applied + 72 * kMsPerHour);
  BOOST_TEST(o.court_name == "永兴县人民法院");
  BOOST_TEST(!o.ruling_overdue(clock.now_ms()));
  clock.set(applied + 72 * kMsPerHour);
  BOOST_TEST(!o.ruling_overdue(clock.now_ms()));
  clock.advance_ms(1);
  BOOST_TEST(o.ruling_overdue(clock.now_ms()));
  BOOST_TEST(has_event(c.id, "protection_order_applied"));
}

BOOST_AUTO_TEST_CASE(an_emergency_ruling_is_due_in_24_hours) {
  const auto c = open();
  auto o = must_apply(c.id, true);
  BOOST_TEST(o.emergency);
  BOOST_TEST(o.ruling_due.value_or(0) == clock.now_ms() + 24 * kMsPerHour);
}

BOOST_AUTO_TEST_CASE(the_ruling_deadline_follows_the_office_configuration) {
  conn.prepare("INSERT INTO deadline_config(office_id, key, value) VALUES (?1, 'po_ruling_hours', 48), (?1, 'po_ruling_emergency_hours', 12)")
      .bind_all(city.id)
      .run();
  const auto c = open();
  BOOST_TEST(must_apply(c.id).ruling_due.value_or(0) == clock.now_ms() + 48 * kMsPerHour);
  BOOST_TEST(must_apply(c.id, true).ruling_due.value_or(0) == clock.now_ms() + 12 * kMsPerHour);
}

BOOST_AUTO_TEST_CASE(the_application_needs_an_active_court_and_a_past_time) {
  const auto c = open();
  auto e = must_fail(orders.apply(conn, c.id, {police_id, clock.now_ms() + kMsPerDay, false}, op), Errc::invalid_input);
  BOOST_TEST(e.fields.contains("court_partner_id"));
  BOOST_TEST(e.fields.contains("applied_at"));
  e = must_fail(orders.apply(conn, c.id, {court_id, 0, false}, op), Errc::invalid_input);
  BOOST_TEST(e.fields.contains("applied_at"));
  must_fail(orders.apply(conn, c.id, {court_id, clock.now_ms(), false}, partner_court), Errc::not_found);
  must_fail(orders.apply(conn, c.id, {court_id, clock.now_ms(), false}, other_op), Errc::not_found);
}

BOOST_AUTO_TEST_CASE(an_order_may_last_exactly_6_months_but_not_a_day_longer) {
  const auto c = open();
  clock.set(at("2026-11-23T15:00:00+08:00"));
  auto o = must_apply(c.id, false, at("2026-11-23T09:00:00+08:00"));
  const TimeMs ruled = at("2026-11-23T10:00:00+08:00");
  auto e = must_fail(grant(o, ruled, at("2027-05-24T00:00:00+08:00")), Errc::invalid_input);  // 6 months + 1 day
  BOOST_TEST(e.fields.contains("expires_at"));
  BOOST_TEST(e.fields.at("expires_at").find("2027-05-23") != std::string::npos);
  // Any time on the last day names that day: the order runs to its end.
  auto granted = must_ok(grant(o, ruled, at("2027-05-23T10:00:00+08:00")));  // exactly 6 months
  BOOST_TEST(granted.status == "granted");
  BOOST_TEST(*granted.expires_at == at("2027-05-24T00:00:00+08:00") - 1);
  BOOST_TEST(*granted.ruled_at == ruled);
  BOOST_TEST(granted.version == o.version + 1);
  BOOST_TEST(granted.in_force(clock.now_ms()));
  BOOST_TEST(has_event(c.id, "protection_order_granted"));
}

BOOST_AUTO_TEST_CASE(the_6_months_end_on_the_last_day_of_a_shorter_month) {
  clock.set(at("2026-08-31T18:00:00+08:00"));
  const auto c = open();
  auto o = must_apply(c.id);
  const TimeMs ruled = at("2026-08-31T17:00:00+08:00") ;
  must_fail(grant(o, ruled + kMsPerHour, at("2027-03-01T00:00:00+08:00")), Errc::invalid_input);
  BOOST_TEST(*must_ok(grant(o, ruled + kMsPerHour, at("2027-02-28T00:00:00+08:00"))).expires_at ==
             at("2027-03-01T00:00:00+08:00") - 1);
}

// 民法典 Art. 203: a period ends at 24:00 of its last day. At a year end and on a leap day: in force at
// 23:59:59.999 of the last day (violations recorded, extension allowed), expired at 00:00 after it.
BOOST_AUTO_TEST_CASE(an_order_is_in_force_through_the_whole_of_its_last_day) {
  struct Case { const char* ruled; const char* last_day; const char* max_day; const char* day_after_max; };
  for (const auto& k : {Case{"2026-07-31T16:00:00+08:00", "2026-12-31", "2027-01-31", "2027-02-01"},
                        Case{"2027-08-31T09:00:00+08:00", "2028-02-29", "2028-02-29", "2028-03-01"},
                        Case{"2027-09-30T09:00:00+08:00", "2028-02-29", "2028-03-30", "2028-03-31"}}) {
    BOOST_TEST_CONTEXT("ruled " << k.ruled << ", last day " << k.last_day) {
      clock.set(at(k.ruled) + kMsPerHour);
      const auto c = open();
      auto o = must_apply(c.id, false, at(k.ruled) - kMsPerHour);
      auto e = must_fail(grant(o, at(k.ruled), at((std::string(k.day_after_max) + "T00:00:00+08:00").c_str())),
                         Errc::invalid_input);
      BOOST_TEST(e.fields.at("expires_at").find(k.max_day) != std::string::npos);
      auto granted = must_ok(grant(o, at(k.ruled), at(k.last_day)));  // a date alone names the day
      const TimeMs last_moment = at((std::string(k.last_day) + "T23:59:59.999+08:00").c_str());
      BOOST_TEST(*granted.expires_at == last_moment);
      BOOST_TEST(granted.in_force(last_moment));
      BOOST_TEST(!granted.in_force(last_moment + 1));

      clock.set(at((std::string(k.last_day) + "T23:30:00+08:00").c_str()));
      OrderUpdate v;
      v.violations = {{clock.now_ms() - 60'000, "施暴人在保护令最后一天到住处", "出警"}};
      auto logged = must_ok(orders.update(conn, o.id, granted.version, v, op));
      BOOST_TEST(logged.violations.size() == 1u);
      auto extended = must_ok(orders.extend(conn, o.id, logged.version, clock.now_ms() + 30 * kMsPerDay, op));
      BOOST_TEST(extended.extensions.size() == 1u);
      BOOST_TEST(*extended.expires_at == ProtectionOrderService::end_of_day(clock.now_ms() + 30 * kMsPerDay));
    }
  }
}

BOOST_AUTO_TEST_CASE(the_ruling_clock_starts_when_the_court_accepts_the_application) {
  const auto c = open();
  const TimeMs applied = at("2026-11-20T09:00:00+08:00");
  clock.set(at("2026-11-30T10:00:00+08:00"));
  auto o = must_ok(orders.apply(conn, c.id, {court_id, applied, false}, op));  // acceptance not yet known
  BOOST_TEST(!o.court_accepted_at.has_value());
  BOOST_TEST(!o.ruling_due.has_value());
  BOOST_TEST(!o.ruling_overdue(clock.now_ms()));  // ten days on: no clock runs before the acceptance

  OrderUpdate a;
  a.court_accepted_at = applied - 1;
  auto e = must_fail(orders.update(conn, o.id, o.version, a, op), Errc::invalid_input);
  BOOST_TEST(e.fields.contains("court_accepted_at"));
  a.court_accepted_at = clock.now_ms() + kMsPerDay;
  e = must_fail(orders.update(conn, o.id, o.version, a, op), Errc::invalid_input);
  BOOST_TEST(e.fields.contains("court_accepted_at"));
  const TimeMs accepted = at("2026-11-28T15:00:00+08:00");
  a.court_accepted_at = accepted;
  auto acc = must_ok(orders.update(conn, o.id, o.version, a, op));
  BOOST_TEST(acc.applied_at == applied);  // the application date is kept
  BOOST_TEST(acc.court_accepted_at.value_or(0) == accepted);
  BOOST_TEST(acc.ruling_due.value_or(0) == accepted + 72 * kMsPerHour);
  BOOST_TEST(!acc.ruling_overdue(clock.now_ms()));
  BOOST_TEST(acc.ruling_overdue(accepted + 72 * kMsPerHour + 1));
  BOOST_TEST(has_event(c.id, "protection_order_court_accepted"));
  e = must_fail(orders.update(conn, o.id, acc.version, a, op), Errc::invalid_input);  // once
  BOOST_TEST(e.fields.contains("court_accepted_at"));
  // The ruling comes after the acceptance.
  e = must_fail(grant(acc, accepted - kMsPerHour, clock.now_ms() + 30 * kMsPerDay), Errc::invalid_input);
  BOOST_TEST(e.fields.contains("ruled_at"));
  must_ok(grant(acc, accepted + kMsPerHour, clock.now_ms() + 30 * kMsPerDay));
}

// DV measures outlive the case: a protection order granted after the case was closed is recorded
// without reopening it, and so is its violation.
BOOST_AUTO_TEST_CASE(measures_are_recorded_on_a_closed_case) {
  const auto c = open();
  must(service.apply(conn, c.id, c.version, CaseEvent::answer, op, {{"answer", "已解答"}}));
  auto o = must_apply(c.id, false, clock.now_ms() - kMsPerHour);
  auto granted = must_ok(grant(o, clock.now_ms(), clock.now_ms() + 60 * kMsPerDay));
  clock.advance_ms(kMsPerDay);
  OrderUpdate v;
  v.violations = {{clock.now_ms() - kMsPerHour, "违反保护令", ""}};
  BOOST_TEST(must_ok(orders.update(conn, o.id, granted.version, v, op)).violations.size() == 1u);
}


BOOST_AUTO_TEST_CASE(granting_needs_an_expiry_after_the_ruling) {
  const auto c = open();
  auto o = must_apply(c.id, false, clock.now_ms() - kMsPerHour);
  auto e = must_fail(grant(o, clock.now_ms(), clock.now_ms() - kMsPerDay), Errc::invalid_input);  // the day before
  BOOST_TEST(e.fields.contains("expires_at"));
  OrderUpdate u;
  u.status = "granted";
  e = must_fail(orders.update(conn, o.id, o.version, u, op), Errc::invalid_input);
  BOOST_TEST(e.fields.contains("expires_at"));
  e = must_fail(grant(o, o.applied_at - 1, clock.now_ms() + kMsPerDay), Errc::invalid_input);
  BOOST_TEST(e.fields.contains("ruled_at"));
  e = must_fail(grant(o, clock.now_ms() + kMsPerDay, clock.now_ms() + 2 * kMsPerDay), Errc::invalid_input);
  BOOST_TEST(e.fields.contains("ruled_at"));
  u.status = "revoked";
  must_fail(orders.update(conn, o.id, o.version, u, op), Errc::invalid_input);
}

BOOST_AUTO_TEST_CASE(denied_and_withdrawn_are_final_and_stale_versions_conflict) {
  const auto c = open();
  auto a = must_apply(c.id);
  auto b = must_apply(c.id);
  OrderUpdate deny;
  deny.status = "denied";
  auto denied = must_ok(orders.update(conn, a.id, a.version, deny, op));
  BOOST_TEST(denied.status == "denied");
  BOOST_TEST(denied.ruled_at.value_or(0) == clock.now_ms());
  must_fail(orders.update(conn, a.id, a.version, deny, op), Errc::conflict);
  OrderUpdate grant_it;
  grant_it.status = "granted";
  grant_it.expires_at = clock.now_ms() + kMsPerDay;
  must_fail(orders.update(conn, a.id, denied.version, grant_it, op), Errc::transition_not_allowed);
  OrderUpdate withdraw;
  withdraw.status = "withdrawn";
  auto withdrawn = must_ok(orders.update(conn, b.id, b.version, withdraw, op));
  BOOST_TEST(withdrawn.status == "withdrawn");
  BOOST_TEST(!withdrawn.ruled_at.has_value());
  BOOST_TEST(has_event(c.id, "protection_order_denied"));
  BOOST_TEST(has_event(c.id, "protection_order_withdrawn"));
}

BOOST_AUTO_TEST_CASE(violations_are_logged_on_a_granted_order) {
  const auto c = open();
  auto o = must_apply(c.id, false, clock.now_ms() - 2 * kMsPerHour);
  OrderUpdate v;
  v.violations = {{clock.now_ms(), "施暴人到住处砸门", "派出所出警并训诫"}};
  auto e = must_fail(orders.update(conn, o.id, o.version, v, op), Errc::invalid_input);
  BOOST_TEST(e.fields.contains("violations"));
  auto granted = must_ok(grant(o, clock.now_ms() - kMsPerHour, clock.now_ms() + 90 * kMsPerDay));
  clock.advance_ms(5 * kMsPerDay);
  v.violations = {{clock.now_ms() - kMsPerDay, "施暴人到住处砸门", "派出所出警并训诫"}, {0, "", ""}};
  e = must_fail(orders.update(conn, o.id, granted.version, v, op), Errc::invalid_input);
  BOOST_TEST(e.fields.contains("violations[1].occurred_at"));
  BOOST_TEST(e.fields.contains("violations[1].description"));
  v.violations.pop_back();
  auto logged = must_ok(orders.update(conn, o.id, granted.version, v, op));
  BOOST_REQUIRE(logged.violations.size() == 1u);
  BOOST_TEST(logged.violations[0].police_response == "派出所出警并训诫");
  BOOST_TEST(logged.violations[0].occurred_at == clock.now_ms() - kMsPerDay);
  BOOST_TEST(logged.status == "granted");
  BOOST_TEST(has_event(c.id, "protection_order_violation"));
  // A violation before the order was granted is not a violation of it.
  v.violations = {{granted.ruled_at.value() - kMsPerHour, "更早的事件", ""}};
  e = must_fail(orders.update(conn, o.id, logged.version, v, op), Errc::invalid_input);
  BOOST_TEST(e.fields.contains("violations[0].occurred_at"));
}

BOOST_AUTO_TEST_CASE(the_expiry_of_a_granted_order_changes_only_by_extension) {
  const auto c = open();
  auto o = must_apply(c.id, false, clock.now_ms() - kMsPerHour);
  auto granted = must_ok(grant(o, clock.now_ms(), clock.now_ms() + 30 * kMsPerDay));
  OrderUpdate u;
  u.expires_at = clock.now_ms() + 60 * kMsPerDay;
  auto e = must_fail(orders.update(conn, o.id, granted.version, u, op), Errc::invalid_input);
  BOOST_TEST(e.fields.contains("expires_at"));

  clock.advance_ms(20 * kMsPerDay);
  const TimeMs limit = ProtectionOrderService::end_of_day(add_local_months(clock.now_ms(), 6));
  e = must_fail(orders.extend(conn, o.id, granted.version, limit + 1, op), Errc::invalid_input);  // the day after
  BOOST_TEST(e.fields.contains("expires_at"));
  e = must_fail(orders.extend(conn, o.id, granted.version, *granted.expires_at - kMsPerHour, op), Errc::invalid_input);
  BOOST_TEST(e.fields.contains("expires_at"));
  auto extended = must_ok(orders.extend(conn, o.id, granted.version, limit, op));  // exactly 6 months from today
  BOOST_TEST(*extended.expires_at == limit);
  BOOST_REQUIRE(extended.extensions.size() == 1u);
  BOOST_TEST(extended.extensions[0].previous_expires_at == *granted.expires_at);
  BOOST_TEST(has_event(c.id, "protection_order_extended"));
  must_fail(orders.extend(conn, o.id, granted.version, limit, op), Errc::conflict);

  clock.set(limit + 1);  // expired
  must_fail(orders.extend(conn, o.id, extended.version, limit + kMsPerDay, op), Errc::transition_not_allowed);
  auto pending = must_apply(c.id);
  must_fail(orders.extend(conn, pending.id, pending.version, clock.now_ms() + kMsPerDay, op), Errc::transition_not_allowed);
}

BOOST_AUTO_TEST_CASE(orders_expiring_within_the_window_are_listed_in_scope) {
  const auto c = open();
  const auto far = open();
  const auto elsewhere = open("marriage_family.domestic_violence", other_county.id);
  auto soon = must_ok(grant(must_apply(c.id, false, clock.now_ms() - kMsPerHour), clock.now_ms(), clock.now_ms() + 10 * kMsPerDay));
  must_ok(grant(must_apply(far.id, false, clock.now_ms() - kMsPerHour), clock.now_ms(), clock.now_ms() + 20 * kMsPerDay));
  auto o3 = must_ok(orders.apply(conn, elsewhere.id, {court_id, clock.now_ms() - kMsPerHour, false}, other_op));
  OrderUpdate g;
  g.status = "granted";
  g.expires_at = clock.now_ms() + 5 * kMsPerDay;
  must_ok(orders.update(conn, o3.id, o3.version, g, other_op));
  must_apply(c.id);  // applied, not granted: never listed

  auto list = must_ok(ProtectionOrderService::expiring(conn, 14, op, clock.now_ms()));
  BOOST_REQUIRE(list.size() == 1u);
  BOOST_TEST(list[0].id == soon.id);
  BOOST_TEST(list[0].case_no == c.case_no);
  auto wide = must_ok(ProtectionOrderService::expiring(conn, 30, city_sup, clock.now_ms()));
  BOOST_REQUIRE(wide.size() == 3u);
  BOOST_TEST(wide[0].id == o3.id);  // soonest first
  // Once expired it drops off the list.
  clock.advance_ms(11 * kMsPerDay);
  BOOST_TEST(must_ok(ProtectionOrderService::expiring(conn, 14, op, clock.now_ms())).size() == 1u);  // the 20-day one
  must_fail(ProtectionOrderService::expiring(conn, 0, op, clock.now_ms()), Errc::invalid_input);
  must_fail(ProtectionOrderService::expiring(conn, 14, partner_court, clock.now_ms()), Errc::not_found);
}

BOOST_AUTO_TEST_CASE(orders_are_read_per_case_and_only_by_staff_in_scope) {
  const auto c = open();
  auto o = must_apply(c.id);
  BOOST_TEST(must_ok(ProtectionOrderService::for_case(conn, c.id, op)).size() == 1u);
  must_fail(ProtectionOrderService::get(conn, o.id, partner_court), Errc::not_found);
  must_fail(ProtectionOrderService::get(conn, o.id, other_op), Errc::not_found);
  must_fail(ProtectionOrderService::for_case(conn, c.id, admin), Errc::not_found);
  OrderUpdate deny;
  deny.status = "denied";
  must_fail(orders.update(conn, o.id, o.version, deny, other_op), Errc::not_found);
}

BOOST_AUTO_TEST_SUITE_END()

// A database as a release before 019 left it: an order granted through the desk's date field (expiry
// at 00:00 of its last day), extended once, and one still awaiting its ruling. The upgrade moves every
// expiry to the end of its day, takes the acceptance to be the application (the clock the first
// version ran) and keeps the ruling deadline.
struct Before019 : hl::test::DvFixture {
  Before019() : DvFixture(19) {}
};

BOOST_FIXTURE_TEST_CASE(migration_019_keeps_orders_in_force_through_their_last_day, Before019) {
  const auto c = open();
  const TimeMs applied = at("2026-11-01T09:00:00+08:00"), due = applied + 72 * kMsPerHour;
  auto insert = conn.prepare(
      "INSERT INTO dv_protection_orders(case_id, court_partner_id, emergency, applied_at, ruling_due, status, ruled_at,"
      " expires_at, created_at, updated_at) VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6, ?7, ?3, ?3)");
  insert.bind_all(c.id, court_id, applied, due, "granted", applied + kMsPerDay, at("2027-03-01T00:00:00+08:00")).run();
  const auto granted = conn.last_insert_rowid();
  insert.reset();
  insert.bind_all(c.id, court_id, applied, due, "applied", std::optional<TimeMs>{}, std::optional<TimeMs>{}).run();
  const auto waiting = conn.last_insert_rowid();
  conn.prepare("INSERT INTO dv_protection_order_extensions(order_id, extended_at, previous_expires_at, expires_at)"
               " VALUES (?1, ?2, ?3, ?4)")
      .bind_all(granted, applied + 2 * kMsPerDay, at("2027-02-01T00:00:00+08:00"), at("2027-03-01T00:00:00+08:00"))
      .run();

  BOOST_REQUIRE(must_ok(migrate_database(conn)) >= 1);
  const TimeMs last_moment = at("2027-03-02T00:00:00+08:00") - 1;
  auto o = must_ok(ProtectionOrderService::get(conn, granted, op));
  BOOST_TEST(*o.expires_at == last_moment);
  BOOST_TEST(o.in_force(at("2027-03-01T23:59:59+08:00")));
  BOOST_TEST(!o.in_force(last_moment + 1));
  BOOST_TEST(o.court_accepted_at.value_or(0) == applied);
  BOOST_REQUIRE(o.extensions.size() == 1u);
  BOOST_TEST(o.extensions[0].previous_expires_at == at("2027-02-02T00:00:00+08:00") - 1);
  BOOST_TEST(o.extensions[0].expires_at == last_moment);
  auto w = must_ok(ProtectionOrderService::get(conn, waiting, op));
  BOOST_TEST(w.ruling_due.value_or(0) == due);
  // An application the court has not accepted yet now has no ruling deadline at all.
  clock.set(at("2026-12-01T10:00:00+08:00"));
  auto fresh = must_ok(orders.apply(conn, c.id, {court_id, clock.now_ms() - kMsPerHour, false}, op));
  BOOST_TEST(!fresh.ruling_due.has_value());
}
