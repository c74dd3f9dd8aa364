// The aging dashboard and the workload view on a hand-built set of open cases whose answers are
// worked out below. "Now" is the fixture's 2026-11-23 09:30 Shanghai time.
#include <boost/test/unit_test.hpp>

#include <map>

#include "casework/aging.hpp"
#include "casework/workload.hpp"
#include "fixture.hpp"
#include "support/error_of.hpp"

using namespace hl;
using namespace hl::casework;

namespace {

TimeMs at(const char* iso) { return *parse_iso8601(iso); }

struct AgingFixture : hl::test::CaseworkFixture {
  TimeMs now = clock.now_ms();
  std::map<std::string, std::int64_t> ids;  // name → case id
  std::int64_t gone_id = 0;

  std::int64_t add(const std::string& name, std::int64_t office, const char* status, TimeMs received,
                   std::optional<TimeMs> next_due, std::optional<std::int64_t> assignee = std::nullopt,
                   const char* category = "marriage_family.domestic_violence") {
    const auto path = OfficeRepository::get(conn, office)->path;
    conn.prepare(
            "INSERT INTO cases(case_no, office_id, office_path, status, category, channel, summary, assignee_id,"
            " received_at, next_due, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 'hotline', ?6, ?7, ?8, ?9, 0, 0)")
        .bind_all("T-" + name, office, path, status, category, "案件 " + name, assignee, received, next_due)
        .run();
    return ids[name] = conn.last_insert_rowid();
  }

  void referral(const std::string& name, std::int64_t partner, const char* status, TimeMs response_due) {
    conn.prepare(
            "INSERT INTO referrals(case_id, partner_id, service, status, consent_given, sent_at, response_due)"
            " VALUES (?1, ?2, 'police_response', ?3, 1, ?4, ?5)")
        .bind_all(ids.at(name), partner, status, response_due - 5 * kMsPerDay, response_due)
        .run();
  }

  AgingFixture() {
    const TimeMs later = now + 3 * kMsPerDay;
    auto gone = UserRepository::create(conn, {"gone", "离职人员", "operator", county.id, std::nullopt, "x"}, now);
    gone_id = gone->id;
    // Bucket edges: the first or last millisecond of the Shanghai day that makes the age.
    add("c1", county.id, "registered", at("2026-11-23T09:00:00+08:00"), later);                  // age 0  → 0-3
    add("c2", county.id, "registered", at("2026-11-20T00:00:00+08:00"), now - kMsPerHour);       // age 3  → 0-3, overdue
    add("c3", county.id, "in_progress", at("2026-11-19T23:59:59.999+08:00"), later, op.user_id);  // age 4  → 4-7
    add("c4", county.id, "in_progress", at("2026-11-16T00:00:00+08:00"), now - 2 * kMsPerDay, op.user_id);  // 7, overdue
    add("c5", county.id, "referred", at("2026-11-15T23:59:59.999+08:00"), later, sup.user_id,
        "marriage_family.divorce");                                                                 // age 8  → 8-15
    add("c6", county.id, "mediation", at("2026-11-08T00:00:00+08:00"), later, std::nullopt,
        "marriage_family.divorce");                                                                 // age 15 → 8-15
    add("c7", county.id, "pending_closure", at("2026-11-07T23:59:59.999+08:00"), now - 5 * kMsPerDay);  // 16, overdue
    add("c8", county.id, "in_progress", at("2026-10-24T00:00:00+08:00"), later, gone_id);          // age 30 → 16-30
    add("c9", county.id, "in_progress", at("2026-10-23T23:59:59.999+08:00"), later);               // age 31 → 31-60
    add("c10", county.id, "registered", at("2026-09-24T00:00:00+08:00"), now - 45 * kMsPerDay);    // age 60, overdue
    add("c11", county.id, "in_progress", at("2026-09-23T23:59:59.999+08:00"), now - kMsPerDay, op.user_id);  // 61, overdue
    add("closed", county.id, "closed", at("2026-08-01T10:00:00+08:00"), std::nullopt);            // not open
    add("other", other_county.id, "in_progress", at("2026-11-18T10:00:00+08:00"), now - kMsPerDay);  // sibling office
    add("city", city.id, "registered", at("2026-11-21T10:00:00+08:00"), later);                   // the city itself
    conn.prepare("UPDATE users SET disabled = 1 WHERE id = ?1").bind_all(gone_id).run();

    referral("c5", police_id, "sent", now - kMsPerDay);    // response overdue
    referral("c5", court_id, "accepted", later);           // open, not overdue
    referral("c4", police_id, "completed", now - 10 * kMsPerDay);  // ended: not counted
    referral("other", police_id, "sent", now - kMsPerDay);  // overdue, but in the other county
  }

  AgingReport aging(const Actor& who, AgingGroup g, std::optional<std::int64_t> office = std::nullopt) {
    auto r = Aging::compute(conn, who, office, g, now);
    BOOST_REQUIRE_MESSAGE(r.has_value(), (r ? std::string() : r.error().message));
    return *r;
  }

  static const AgingRow& row(const AgingReport& r, const std::string& key) {
    for (const auto& x : r.rows)
      if (x.key == key) return x;
    BOOST_FAIL("no row " + key);
    return r.rows.front();
  }
};

using Counts = std::array<std::int64_t, kAgingBuckets>;
using hl::test::error_of;

}  // namespace

BOOST_AUTO_TEST_SUITE(aging)

BOOST_AUTO_TEST_CASE(bucket_of_every_boundary_age) {
  const std::map<int, int> expected = {{0, 0},  {3, 0},  {4, 1},  {7, 1},  {8, 2},  {15, 2},  {16, 3},
                                       {30, 3}, {31, 4}, {60, 4}, {61, 5}, {365, 5}, {4000, 5}};
  for (auto [age, bucket] : expected) BOOST_TEST(aging_bucket(age) == bucket, "age " << age);
}

BOOST_FIXTURE_TEST_CASE(open_cases_by_status_with_every_bucket_boundary, AgingFixture) {
  auto r = aging(sup, AgingGroup::status);
  BOOST_TEST(r.scope.id == county.id);
  BOOST_TEST((r.totals.counts == Counts{2, 2, 2, 2, 2, 1}));
  BOOST_TEST(r.totals.total == 11);  // the closed case, the sibling county's and the city's are out
  BOOST_TEST(r.totals.overdue == 5);  // c2 c4 c7 c10 c11
  BOOST_REQUIRE(r.rows.size() == 6u);  // every open status, in workflow order
  BOOST_TEST(r.rows[0].key == "registered");
  BOOST_TEST(r.rows[4].key == "pending_closure");
  BOOST_TEST(r.rows[5].key == "delegated");  // 交办中: open until the report is accepted
  BOOST_TEST((row(r, "registered").counts == Counts{2, 0, 0, 0, 1, 0}));
  BOOST_TEST(row(r, "registered").overdue == 2);
  BOOST_TEST((row(r, "in_progress").counts == Counts{0, 2, 0, 1, 1, 1}));
  BOOST_TEST(row(r, "in_progress").overdue == 2);
  BOOST_TEST(row(r, "in_progress").total == 5);
  BOOST_TEST((row(r, "referred").counts == Counts{0, 0, 1, 0, 0, 0}));
  BOOST_TEST((row(r, "mediation").counts == Counts{0, 0, 1, 0, 0, 0}));
  BOOST_TEST((row(r, "pending_closure").counts == Counts{0, 0, 0, 1, 0, 0}));
  BOOST_TEST(row(r, "pending_closure").overdue == 1);
}

BOOST_FIXTURE_TEST_CASE(age_counts_shanghai_calendar_days_not_utc_ones, AgingFixture) {
  // 2026-11-19T16:30Z is 00:30 on the 20th in Shanghai: 3 days old (0-3), although its UTC date is the 19th.
  add("edge", county.id, "registered", at("2026-11-19T16:30:00Z"), now + kMsPerDay);
  auto r = aging(sup, AgingGroup::status);
  BOOST_TEST((row(r, "registered").counts == Counts{3, 0, 0, 0, 1, 0}));
}

BOOST_FIXTURE_TEST_CASE(overdue_by_deadline_kind, AgingFixture) {
  auto r = aging(sup, AgingGroup::status);
  BOOST_TEST(r.overdue_by_deadline.acceptance == 2);  // c2, c10 (registered)
  BOOST_TEST(r.overdue_by_deadline.handling == 3);    // c4, c7, c11
  BOOST_TEST(r.overdue_by_deadline.referral_response == 1);  // c5's police referral; the completed one is not
  BOOST_TEST(r.overdue_by_deadline.protection_order_ruling == 0);
  auto city_view = aging(city_sup, AgingGroup::status);
  BOOST_TEST(city_view.overdue_by_deadline.referral_response == 2);  // the sibling county's too
  BOOST_TEST(city_view.overdue_by_deadline.handling == 4);
}

BOOST_FIXTURE_TEST_CASE(protection_order_rulings_overdue_when_the_dv_tables_exist, AgingFixture) {
  // The migrations create the DV tables (schema/004_dv.sql); without them this test would prove nothing.
  BOOST_REQUIRE(scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'dv_protection_orders'") == 1);
  auto order = [&](const std::string& name, const char* status, TimeMs due) {
    conn.prepare(
            "INSERT INTO dv_protection_orders(case_id, court_partner_id, emergency, applied_at, ruling_due, status,"
            " ruled_at, expires_at, created_at, updated_at) VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6, ?7, 0, 0)")
        .bind_all(ids.at(name), court_id, due - 72 * kMsPerHour, due, status,
                  std::string(status) == "granted" ? std::optional(due) : std::nullopt,
                  std::string(status) == "granted" ? std::optional(due + 90 * kMsPerDay) : std::nullopt)
        .run();
  };
  order("c1", "applied", now - kMsPerHour);     // overdue
  order("c3", "applied", now + kMsPerHour);     // still running
  order("c4", "granted", now - kMsPerDay);      // ruled
  order("other", "applied", now - kMsPerDay);   // another county
  BOOST_TEST(aging(sup, AgingGroup::status).overdue_by_deadline.protection_order_ruling == 1);
  BOOST_TEST(aging(city_sup, AgingGroup::status).overdue_by_deadline.protection_order_ruling == 2);
}

// A database without the DV module's tables (API.md: "0 without the DV tables") still gets its
// dashboard, with no protection-order rulings overdue and everything else unchanged.
BOOST_FIXTURE_TEST_CASE(no_protection_order_rulings_without_the_dv_tables, AgingFixture) {
  conn.exec(
      "DROP TABLE dv_protection_order_extensions; DROP TABLE dv_protection_order_violations;"
      " DROP TABLE dv_protection_orders;");
  BOOST_REQUIRE(scalar("SELECT count(*) FROM sqlite_master WHERE name = 'dv_protection_orders'") == 0);
  auto r = aging(sup, AgingGroup::status);
  BOOST_TEST(r.overdue_by_deadline.protection_order_ruling == 0);
  BOOST_TEST(r.overdue_by_deadline.acceptance == 2);
  BOOST_TEST(r.overdue_by_deadline.handling == 3);
  BOOST_TEST(r.totals.total == 11);
}

BOOST_FIXTURE_TEST_CASE(grouped_by_assignee_with_names_and_none_last, AgingFixture) {
  auto r = aging(sup, AgingGroup::assignee);
  BOOST_REQUIRE(r.rows.size() == 4u);
  BOOST_TEST(r.rows.front().key == std::to_string(op.user_id));  // largest load first
  BOOST_TEST(r.rows.back().key == "none");
  BOOST_TEST(row(r, std::to_string(op.user_id)).label == "op");
  BOOST_TEST((row(r, std::to_string(op.user_id)).counts == Counts{0, 2, 0, 0, 0, 1}));
  BOOST_TEST(row(r, std::to_string(op.user_id)).overdue == 2);
  BOOST_TEST(row(r, std::to_string(sup.user_id)).total == 1);
  BOOST_TEST(row(r, std::to_string(gone_id)).label == "离职人员");
  BOOST_TEST((row(r, "none").counts == Counts{2, 0, 1, 1, 2, 0}));
  BOOST_TEST(row(r, "none").overdue == 3);
  BOOST_TEST(r.totals.total == 11);
}

BOOST_FIXTURE_TEST_CASE(grouped_by_category_and_by_partner, AgingFixture) {
  auto by_category = aging(sup, AgingGroup::category);
  BOOST_TEST(row(by_category, "marriage_family.divorce").label == "离婚");
  BOOST_TEST(row(by_category, "marriage_family.divorce").total == 2);
  BOOST_TEST(row(by_category, "marriage_family.domestic_violence").total == 9);

  auto by_partner = aging(sup, AgingGroup::partner);
  BOOST_REQUIRE(by_partner.rows.size() == 3u);  // police, court (both c5) and none
  BOOST_TEST(row(by_partner, std::to_string(police_id)).label == "城关派出所");
  BOOST_TEST((row(by_partner, std::to_string(police_id)).counts == Counts{0, 0, 1, 0, 0, 0}));
  BOOST_TEST(row(by_partner, std::to_string(court_id)).total == 1);
  BOOST_TEST((row(by_partner, "none").counts == Counts{2, 2, 1, 2, 2, 1}));
  BOOST_TEST(row(by_partner, "none").total == 10);
  BOOST_TEST(row(by_partner, "none").overdue == 5);
  BOOST_TEST(by_partner.rows.back().key == "none");
}

BOOST_FIXTURE_TEST_CASE(grouped_by_sub_office_from_the_city, AgingFixture) {
  auto r = aging(city_sup, AgingGroup::office);
  BOOST_REQUIRE(r.rows.size() == 3u);
  BOOST_TEST(row(r, std::to_string(county.id)).label == "永兴县妇联");
  BOOST_TEST(row(r, std::to_string(county.id)).total == 11);
  BOOST_TEST(row(r, std::to_string(other_county.id)).total == 1);
  BOOST_TEST(row(r, std::to_string(other_county.id)).overdue == 1);
  BOOST_TEST(row(r, std::to_string(city.id)).total == 1);  // the city office's own cases
  BOOST_TEST(r.totals.total == 13);
  // The city supervisor narrowing to one county sees that county only.
  BOOST_TEST(aging(city_sup, AgingGroup::status, county.id).totals.total == 11);
}

BOOST_FIXTURE_TEST_CASE(oldest_lists_the_most_overdue_first_then_the_oldest, AgingFixture) {
  auto r = aging(sup, AgingGroup::status);
  std::vector<std::string> order;
  for (const auto& s : r.oldest) order.push_back(s.record.case_no);
  const std::vector<std::string> expected = {"T-c10", "T-c7", "T-c4", "T-c11", "T-c2",
                                             "T-c9",  "T-c8", "T-c6", "T-c5",  "T-c3"};
  BOOST_TEST(order == expected, boost::test_tools::per_element());
  BOOST_TEST(r.oldest[1].assignee_name.has_value() == false);
  BOOST_TEST(r.oldest[2].assignee_name.value_or("") == "op");
}

BOOST_FIXTURE_TEST_CASE(scope_rules, AgingFixture) {
  auto outside = Aging::compute(conn, sup, other_county.id, AgingGroup::status, now);
  BOOST_REQUIRE(!outside.has_value());
  BOOST_TEST((outside.error().code == Errc::not_found));  // never reveal that it exists
  BOOST_TEST((error_of(Aging::compute(conn, admin, std::nullopt, AgingGroup::status, now)).code == Errc::forbidden));
  BOOST_TEST((error_of(Aging::compute(conn, partner_police, std::nullopt, AgingGroup::status, now)).code == Errc::forbidden));
  BOOST_TEST(aging(other_op, AgingGroup::status).totals.total == 1);
  BOOST_TEST(!parse_aging_group("assignees").has_value());
}

BOOST_FIXTURE_TEST_CASE(workload_per_staff_member, AgingFixture) {
  auto w = Workload::compute(conn, sup, std::nullopt, now);
  BOOST_REQUIRE(w.has_value());
  std::map<std::int64_t, StaffLoad> by_id;
  for (const auto& s : w->staff) by_id[s.user_id] = s;
  BOOST_REQUIRE(by_id.contains(op.user_id));
  BOOST_TEST(by_id[op.user_id].load.open == 3);
  BOOST_TEST(by_id[op.user_id].load.by_status["in_progress"] == 3);
  BOOST_TEST(by_id[op.user_id].load.by_status["registered"] == 0);
  BOOST_TEST(by_id[op.user_id].load.overdue == 2);
  BOOST_TEST(by_id[sup.user_id].load.by_status["referred"] == 1);
  BOOST_TEST(by_id[sup.user_id].load.overdue == 0);
  // The disabled account still holds a case, so it is listed (to be reassigned).
  BOOST_REQUIRE(by_id.contains(gone_id));
  BOOST_TEST(by_id[gone_id].disabled);
  BOOST_TEST(by_id[gone_id].load.open == 1);
  BOOST_TEST(!by_id.contains(other_op.user_id));  // another county's staff
  BOOST_TEST(w->unassigned.open == 6);
  BOOST_TEST(w->unassigned.overdue == 3);
  BOOST_TEST(w->unassigned.by_status["registered"] == 3);

  auto city_view = Workload::compute(conn, city_sup, std::nullopt, now);
  BOOST_REQUIRE(city_view.has_value());
  bool has_other_op = false;
  for (const auto& s : city_view->staff) has_other_op |= s.user_id == other_op.user_id;
  BOOST_TEST(has_other_op);
  BOOST_TEST(city_view->unassigned.open == 8);  // + the sibling county's and the city's own
}

BOOST_AUTO_TEST_SUITE_END()
