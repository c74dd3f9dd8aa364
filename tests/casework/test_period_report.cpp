// The period report (issue #14) on a small data set built through the case service (contacts, which
// intake records, are written as rows): every figure worked out by hand in the comments; the same
// numbers for October when re-run after November's events; a 转送 and a 交办 between the two counties
// counted once in the city's 本级及下级; and the periods themselves.
#include <boost/test/unit_test.hpp>

#include <map>
#include <string>

#include "casework/case_repository.hpp"
#include "casework/period_report.hpp"
#include "casework/period_report_export.hpp"
#include "fixture.hpp"

using namespace hl;
using namespace hl::casework;

namespace {

// A report as its document alone (no office columns, no preparer, not filed).
hl::casework::ReportDocument document(hl::casework::PeriodReport r) {
  hl::casework::ReportDocument d;
  d.report = std::move(r);
  return d;
}

TimeMs at(const char* iso) { return *parse_iso8601(iso); }

struct Contact {
  std::int64_t office;
  const char* channel;
  const char* received;
  int persons = 1;
  const char* resolution = "answered";
  const char* call_type = "consultation";
  const char* kind = nullptr;  // consultation_kind
  std::optional<std::int64_t> case_id{};
  std::optional<std::int64_t> repeat_of{};
  int level_skipping = 0;
  const char* category = nullptr;
};

struct ReportFixture : hl::test::CaseworkFixture {
  Actor other_sup = user("other_sup", "supervisor", other_county.id, std::nullopt);

  void contact(const Contact& c) {
    auto opt = [](const char* s) { return s ? std::optional<std::string>(s) : std::nullopt; };
    conn.prepare(
            "INSERT INTO contacts(office_id, case_id, channel, call_type, received_at, persons, resolution,"
            " consultation_kind, repeat_of_case_id, level_skipping, category, created_at)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 0)")
        .bind_all(c.office, c.case_id, c.channel, opt(c.call_type), at(c.received), c.persons, c.resolution, opt(c.kind),
                  c.repeat_of, c.level_skipping, opt(c.category))
        .run();
  }
  CaseRecord open_on(const char* iso, std::int64_t office) {
    clock.set(at(iso));
    return open("marriage_family.domestic_violence", office);
  }
  CaseRecord step(const CaseRecord& c, const char* iso, CaseEvent e, const Actor& who, EventData d = {}) {
    clock.set(at(iso));
    auto fresh = *CaseRepository::get_unscoped(conn, c.id);
    return must(service.apply(conn, c.id, fresh.version, e, who, std::move(d)));
  }
  CaseRecord close_on(const CaseRecord& c, const char* iso, const Actor& handler, const Actor& head,
                      const char* losses = "0", const char* recovered = nullptr) {
    clock.set(at(iso));
    auto r = reply(*CaseRepository::get_unscoped(conn, c.id), handler);
    EventData d{{"outcome", "resolved"}, {"summary", "已答复"}, {"losses_avoided_fen", losses}};
    if (recovered) d["losses_recovered_fen"] = recovered;
    r = must(service.apply(conn, r.id, r.version, CaseEvent::request_closure, handler, d));
    return must(service.apply(conn, r.id, r.version, CaseEvent::approve_closure, head, {}));
  }

  std::int64_t a_id = 0, b_id = 0, f_id = 0, f_copy = 0, d_id = 0, d_copy = 0;

  // October 2026 (Beijing). County (永兴): A closed, B declined, F forwarded (转送) to the other county
  // (桂阳), D delegated (交办) there and its report accepted. The city takes one level-skipping visit.
  void october() {
    auto a = open_on("2026-10-05T09:00:00+08:00", county.id);
    a_id = a.id;
    step(a, "2026-10-06T09:00:00+08:00", CaseEvent::accept, op, notice());
    close_on(a, "2026-10-12T09:00:00+08:00", op, sup, "50000", "30000");
    auto b = open_on("2026-10-08T09:00:00+08:00", county.id);
    b_id = b.id;
    step(b, "2026-10-09T09:00:00+08:00", CaseEvent::decline, op, notice({{"reason", "不属于受理范围"}, {"referred_to", "法院"}}));
    auto f = open_on("2026-10-10T09:00:00+08:00", county.id);
    f_id = f.id;
    f = step(f, "2026-10-11T09:00:00+08:00", CaseEvent::forward, op,
             notice({{"target_office_id", std::to_string(other_county.id)}, {"reason", "当事人在桂阳"}}));
    f_copy = *f.transferred_to_case_id;
    auto fc = *CaseRepository::get_unscoped(conn, f_copy);
    step(fc, "2026-10-12T09:00:00+08:00", CaseEvent::accept, other_op, notice());
    close_on(fc, "2026-10-20T09:00:00+08:00", other_op, other_sup);
    auto d = open_on("2026-10-13T08:00:00+08:00", county.id);
    d_id = d.id;
    step(d, "2026-10-13T09:00:00+08:00", CaseEvent::accept, op, notice());
    d = step(d, "2026-10-14T09:00:00+08:00", CaseEvent::delegate, op,
             notice({{"target_office_id", std::to_string(other_county.id)}, {"reason", "交桂阳办理"},
                     {"report_due_days", "20"}}));
    d_copy = *d.transferred_to_case_id;
    auto dc = *CaseRepository::get_unscoped(conn, d_copy);
    step(dc, "2026-10-15T09:00:00+08:00", CaseEvent::accept, other_op, notice());
    close_on(dc, "2026-10-16T09:00:00+08:00", other_op, other_sup);
    step(dc, "2026-10-17T09:00:00+08:00", CaseEvent::submit_report, other_op);
    step(d, "2026-10-18T09:00:00+08:00", CaseEvent::accept_report, sup);

    const char* dv = "marriage_family.domestic_violence";
    contact({county.id, "hotline", "2026-10-02T10:00:00+08:00", 1, "answered", "consultation", "legal"});
    contact({county.id, "hotline", "2026-10-03T10:00:00+08:00", 1, "answered", "consultation", "psychological"});
    contact({county.id, "walk_in", "2026-10-04T10:00:00+08:00", 6, "answered", "consultation", nullptr});  // 集体访
    contact({county.id, "hotline", "2026-10-05T08:00:00+08:00", 1, "none", "silent"});                      // apart
    contact({county.id, "letter", "2026-10-05T09:00:00+08:00", 1, "open_case", "help_request", nullptr, a_id, {}, 0, dv});
    contact({county.id, "online", "2026-10-06T10:00:00+08:00", 1, "open_case", "help_request", nullptr, a_id, a_id});
    contact({city.id, "walk_in", "2026-10-07T10:00:00+08:00", 1, "answered", "consultation", "marriage_family", {}, {}, 1});
    contact({other_county.id, "hotline", "2026-10-08T10:00:00+08:00", 1, "answered", "consultation", "other", {}, {}, 0, dv});
    contact({county.id, "hotline", "2026-10-10T09:00:00+08:00", 1, "open_case", "help_request", nullptr, f_id});
    contact({county.id, "hotline", "2026-10-13T08:00:00+08:00", 1, "open_case", "help_request", nullptr, d_id});
    contact({county.id, "hotline", "2026-10-20T10:00:00+08:00", 1, "none", "help_request"});  // not handled
    // The other county's arrivals of F (转送) and D (交办) are transfer_in contacts the routing records.
    // A protection order applied for by the federation on A's victim's behalf, granted.
    conn.prepare(
            "INSERT INTO dv_protection_orders(case_id, court_partner_id, emergency, applied_at, ruling_due, status,"
            " ruled_at, expires_at, applied_by, created_at, updated_at) VALUES (?1, ?2, 0, ?3, ?4, 'granted', ?5, ?6,"
            " 'federation', 0, 0)")
        .bind_all(a_id, court_id, at("2026-10-07T10:00:00+08:00"), at("2026-10-10T10:00:00+08:00"),
                  at("2026-10-09T10:00:00+08:00"), at("2027-04-09T10:00:00+08:00"))
        .run();
  }

  // November: A is reopened and closed again; a follow-up on the other county's copy of D.
  void november() {
    auto a = *CaseRepository::get_unscoped(conn, a_id);
    step(a, "2026-11-03T09:00:00+08:00", CaseEvent::reopen, sup, {{"reason", "当事人反映未落实"}});
    close_on(a, "2026-11-06T09:00:00+08:00", op, sup);
    conn.prepare(
            "INSERT INTO follow_ups(case_id, closed_at, satisfaction, contacted_at, created_at) VALUES (?1, 0, 'satisfied', ?2, 0)")
        .bind_all(d_copy, at("2026-11-10T10:00:00+08:00"))
        .run();
  }

  PeriodReport report(const char* period, const Office& office, ReportScope scope) {
    auto r = PeriodReportService::compute(conn, Actor::system(), office.id, *parse_period(period), scope, clock.now_ms());
    BOOST_REQUIRE(r.has_value());
    return *r;
  }
};

std::map<std::string, std::int64_t> amounts(const PeriodReport& r) {
  std::map<std::string, std::int64_t> out;
  for (const auto& f : r.figures) {
    if (f.def->key == "rates.closure") continue;  // "by the report date"
    out[std::string(f.def->key)] = f.def->unit == FigureUnit::percent ? f.numerator * 1000000 + f.denominator : f.amount;
  }
  return out;
}

std::int64_t n(const PeriodReport& r, const char* key) {
  auto f = r.figure(key);
  BOOST_REQUIRE_MESSAGE(f != nullptr, key);
  return f->amount;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(period_of_report)

BOOST_AUTO_TEST_CASE(months_quarters_halves_years_and_ranges) {
  auto m = *parse_period("2026-10");
  BOOST_TEST((m.kind == PeriodKind::month));
  BOOST_TEST(m.from == at("2026-10-01T00:00:00+08:00"));
  BOOST_TEST(m.to == at("2026-11-01T00:00:00+08:00"));
  auto q = *parse_period("2026-q4");
  BOOST_TEST(q.key == "2026-Q4");
  BOOST_TEST(q.from == at("2026-10-01T00:00:00+08:00"));
  BOOST_TEST(q.to == at("2027-01-01T00:00:00+08:00"));  // the quarter and the year end together
  auto q1 = *parse_period("2028-Q1");
  BOOST_TEST(format_date(q1.last) == "2028-03-31");
  auto h = *parse_period("2026-H1");
  BOOST_TEST(h.to == at("2026-07-01T00:00:00+08:00"));
  BOOST_TEST(format_date(h.last) == "2026-06-30");
  auto y = *parse_period("2026");
  BOOST_TEST((y.kind == PeriodKind::year));
  BOOST_TEST(y.from == at("2026-01-01T00:00:00+08:00"));
  BOOST_TEST(y.to == at("2027-01-01T00:00:00+08:00"));
  auto feb = *parse_period("2028-02");
  BOOST_TEST(format_date(feb.last) == "2028-02-29");  // leap year
  auto leap = *parse_period("2028-02-29..2028-02-29");
  BOOST_TEST((leap.kind == PeriodKind::range));
  BOOST_TEST(leap.to - leap.from == kMsPerDay);
  BOOST_TEST(!parse_period("2026-02-29..2026-03-01").has_value());  // no 29 February in 2026
  BOOST_TEST(!parse_period("2026-11-02..2026-11-01").has_value());  // to before from
  for (const char* bad : {"", "2026-13", "2026-00", "2026-Q5", "2026-H3", "1999", "20261", "2026-10-1", "abcd"})
    BOOST_TEST(!parse_period(bad).has_value(), bad);
  BOOST_TEST((*parse_scope("office") == ReportScope::office));
  BOOST_TEST(!parse_scope("all").has_value());
}

BOOST_AUTO_TEST_CASE(every_figure_has_a_unique_key_a_section_and_a_definition) {
  std::map<std::string_view, int> seen;
  for (const auto& f : report_figures()) {
    BOOST_TEST(++seen[f.key] == 1, f.key);
    BOOST_TEST(!f.definition.empty());
    bool section = false;
    for (const auto& s : report_sections()) section = section || s.key == f.section;
    BOOST_TEST(section, f.key);
  }
  BOOST_TEST(channel_name_zh("online") == "网上信访");
  BOOST_TEST(channel_name_zh("hotline") == "来电");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(period_report, ReportFixture)

BOOST_AUTO_TEST_CASE(october_for_the_city_and_below_counts_each_matter_once) {
  october();
  clock.set(at("2026-11-01T09:00:00+08:00"));
  auto r = report("2026-10", city, ReportScope::subtree);
  // Contacts: 13 rows; the silent call apart, the transfer_in arrivals of F and D (their sender, the
  // county, is in the scope) not second contacts: 10 件, 15 人次 (the group visit is 6).
  BOOST_TEST(n(r, "contacts.total.items") == 10);
  BOOST_TEST(n(r, "contacts.total.persons") == 15);
  BOOST_TEST(n(r, "contacts.hotline.items") == 6);
  BOOST_TEST(n(r, "contacts.walk_in.items") == 2);
  BOOST_TEST(n(r, "contacts.walk_in.persons") == 7);
  BOOST_TEST(n(r, "contacts.letter.items") == 1);
  BOOST_TEST(n(r, "contacts.online.items") == 1);
  BOOST_TEST(n(r, "contacts.transfer_in.items") == 0);
  BOOST_TEST(n(r, "contacts.repeat.items") == 1);
  BOOST_TEST(n(r, "contacts.first.items") == 9);
  BOOST_TEST(n(r, "contacts.group.batches") == 1);
  BOOST_TEST(n(r, "contacts.group.persons") == 6);
  BOOST_TEST(n(r, "contacts.level_skipping.items") == 1);
  BOOST_TEST(n(r, "contacts.non_data.items") == 1);
  // Consultations by kind (人次): only the legal one is 法律咨询.
  BOOST_TEST(n(r, "consultations.legal.persons") == 1);
  BOOST_TEST(n(r, "consultations.psychological.persons") == 1);
  BOOST_TEST(n(r, "consultations.marriage_family.persons") == 1);
  BOOST_TEST(n(r, "consultations.other.persons") == 1);
  BOOST_TEST(n(r, "consultations.unspecified.persons") == 6);
  BOOST_TEST(n(r, "consultations.total.items") == 5);
  // Cases: A, B, F, D opened (the copies F' and D' are the same matters); accepted A, D and F' (D'
  // not: its sender D had accepted it); B declined, F forwarded, D delegated; 办结 A, F', D' — D's
  // acceptance of the report is not a second 办结 (the receiver is in the scope).
  BOOST_TEST(n(r, "cases.opened") == 4);
  BOOST_TEST(n(r, "cases.accepted") == 3);
  BOOST_TEST(n(r, "cases.declined") == 1);
  BOOST_TEST(n(r, "cases.forwarded") == 1);
  BOOST_TEST(n(r, "cases.delegated") == 1);
  BOOST_TEST(n(r, "cases.closed") == 3);
  BOOST_TEST(n(r, "cases.closed_again") == 0);
  // Rates: the three accepted are closed; all three closures replied and closed within 60 days; 9
  // of the 10 data contacts handled (the last help request is not).
  BOOST_TEST(r.figure("rates.closure")->numerator == 3);
  BOOST_TEST(r.figure("rates.closure")->denominator == 3);
  BOOST_TEST(r.figure("rates.on_time")->numerator == 3);
  BOOST_TEST(r.figure("rates.on_time")->denominator == 3);
  BOOST_TEST(r.figure("rates.handling")->numerator == 9);
  BOOST_TEST(r.figure("rates.handling")->denominator == 10);
  BOOST_TEST(*r.figure("rates.handling")->value() == 90.0);
  BOOST_TEST(n(r, "outcomes.losses_avoided") == 50000);
  BOOST_TEST(*r.figure("outcomes.losses_avoided")->value() == 500.0);
  BOOST_TEST(n(r, "outcomes.losses_recovered") == 30000);  // a figure apart
  BOOST_TEST(n(r, "dv.contacts") == 2);
  BOOST_TEST(n(r, "dv.cases") == 4);
  BOOST_TEST(n(r, "dv.orders.applied_by_federation") == 1);
  BOOST_TEST(n(r, "dv.orders.applied_by_victim") == 0);
  BOOST_TEST(n(r, "dv.orders.granted") == 1);
  // Category × channel: all 4 cases are 家庭暴力 by hotline; the first-level row sums its children.
  std::size_t hotline = 0;
  while (r.channels[hotline] != "hotline") ++hotline;
  for (const auto& row : r.categories) {
    if (row.code == "marriage_family.domestic_violence") {
      BOOST_TEST(row.cases[hotline] == 4);
      BOOST_TEST(row.contacts_total == 2);
    }
    if (row.code == "marriage_family") BOOST_TEST(row.cases_total == 4);
    if (row.code.empty()) BOOST_TEST(row.contacts_total == 8);
  }
  BOOST_REQUIRE(r.series.size() == 1u);
  BOOST_TEST(r.series[0].month == "2026-10");
  BOOST_TEST(r.series[0].items == 10);
}

BOOST_AUTO_TEST_CASE(each_county_alone_counts_its_own_side) {
  october();
  clock.set(at("2026-11-01T09:00:00+08:00"));
  auto mine = report("2026-10", county, ReportScope::office);
  BOOST_TEST(n(mine, "cases.opened") == 4);
  BOOST_TEST(n(mine, "cases.accepted") == 2);  // A, D
  BOOST_TEST(n(mine, "cases.closed") == 2);    // A, and D by accepting the report (the receiver is outside)
  BOOST_TEST(n(mine, "contacts.total.items") == 8);
  auto theirs = report("2026-10", other_county, ReportScope::office);
  BOOST_TEST(n(theirs, "cases.opened") == 2);   // F', D': its own registrations
  BOOST_TEST(n(theirs, "cases.accepted") == 2);
  BOOST_TEST(n(theirs, "cases.closed") == 2);
  BOOST_TEST(n(theirs, "contacts.total.items") == 3);  // its call, and F's and D's arrivals (sender outside)
  BOOST_TEST(n(theirs, "contacts.transfer_in.items") == 2);
  auto city_alone = report("2026-10", city, ReportScope::office);
  BOOST_TEST(n(city_alone, "contacts.total.items") == 1);
  BOOST_TEST(n(city_alone, "cases.opened") == 0);
}

BOOST_AUTO_TEST_CASE(october_is_the_same_after_novembers_events_and_a_reclosure_counts_in_november) {
  october();
  clock.set(at("2026-11-01T09:00:00+08:00"));
  const auto before = amounts(report("2026-10", city, ReportScope::subtree));
  november();
  clock.set(at("2026-12-01T09:00:00+08:00"));
  const auto after = amounts(report("2026-10", city, ReportScope::subtree));
  BOOST_TEST(before.size() == after.size());
  for (const auto& [key, value] : before) BOOST_TEST(after.at(key) == value, key);
  auto nov = report("2026-11", city, ReportScope::subtree);
  BOOST_TEST(n(nov, "cases.closed") == 1);
  BOOST_TEST(n(nov, "cases.closed_again") == 1);
  BOOST_TEST(n(nov, "follow_up.done") == 1);
  BOOST_TEST(nov.figure("follow_up.satisfaction")->numerator == 1);
  // The quarter holds both months; A closed in October and again in November is one case in it.
  auto q = report("2026-Q4", city, ReportScope::subtree);
  BOOST_TEST(n(q, "cases.closed") == 3);
  BOOST_TEST(n(q, "cases.closed_again") == 1);
  BOOST_REQUIRE(q.series.size() == 3u);
  BOOST_TEST(q.series[0].items == 10);
  BOOST_TEST(q.series[2].month == "2026-12");
}

// 督办 counts with the supervised case's office; 复查/复核 with the reviewing office. Each in the
// period of its own date; overdue = due in the period and answered late or still open past the due.
BOOST_AUTO_TEST_CASE(supervisions_count_with_the_case_and_reviews_with_the_reviewing_office) {
  auto a = open_on("2026-10-05T09:00:00+08:00", county.id);
  auto b = open_on("2026-10-06T09:00:00+08:00", county.id);
  auto supervise = [&](std::int64_t case_id, std::int64_t by, const char* created, const char* due,
                       const char* answered) {
    conn.prepare("INSERT INTO case_supervisions(case_id, office_id, note, due_at, created_at, answer, answered_at)"
                 " VALUES (?1, ?2, '请加快办理', ?3, ?4, ?5, ?6)")
        .bind_all(case_id, by, at(due), at(created), answered ? std::optional<std::string>("已办理") : std::nullopt,
                  answered ? std::optional<TimeMs>(at(answered)) : std::nullopt)
        .run();
  };
  supervise(a.id, city.id, "2026-10-10T09:00:00+08:00", "2026-10-20T23:59:59+08:00", "2026-10-25T09:00:00+08:00");
  supervise(a.id, province.id, "2026-10-12T09:00:00+08:00", "2026-11-10T23:59:59+08:00", "2026-11-05T09:00:00+08:00");
  supervise(b.id, city.id, "2026-10-14T09:00:00+08:00", "2026-10-31T23:59:59+08:00", nullptr);
  auto review = [&](std::int64_t case_id, const char* kind, std::int64_t office, const char* requested,
                    const char* decided) {
    conn.prepare("INSERT INTO case_reviews(case_id, kind, office_id, requested_at, request, due_at, recorded_at,"
                 " decided_at, decision, basis) VALUES (?1, ?2, ?3, ?4, '不服', ?4 + 2592000000, ?4, ?5, ?6, ?7)")
        .bind_all(case_id, kind, office, at(requested), decided ? std::optional<TimeMs>(at(decided)) : std::nullopt,
                  decided ? std::optional<std::string>("upheld") : std::nullopt,
                  decided ? std::optional<std::string>("依据") : std::nullopt)
        .run();
  };
  review(a.id, "review", city.id, "2026-10-20T09:00:00+08:00", "2026-10-28T09:00:00+08:00");
  review(a.id, "re_review", province.id, "2026-10-30T09:00:00+08:00", "2026-11-20T09:00:00+08:00");
  clock.set(at("2026-11-02T09:00:00+08:00"));

  auto oct_county = report("2026-10", county, ReportScope::office);
  BOOST_TEST(n(oct_county, "cases.supervised") == 3);            // the city's twice, the province's once
  BOOST_TEST(n(oct_county, "cases.supervision_answered") == 1);  // the province's was answered in November
  BOOST_TEST(n(oct_county, "cases.supervision_overdue") == 2);   // a answered late; b never, past its due
  BOOST_TEST(n(oct_county, "reviews.requested") == 0);           // the county is not the reviewing office
  auto oct_city = report("2026-10", city, ReportScope::office);
  BOOST_TEST(n(oct_city, "cases.supervised") == 0);              // no case of its own
  BOOST_TEST(n(oct_city, "reviews.requested") == 1);
  BOOST_TEST(n(oct_city, "reviews.decided") == 1);
  BOOST_TEST(n(oct_city, "re_reviews.requested") == 0);
  auto oct_province = report("2026-10", province, ReportScope::subtree);
  BOOST_TEST(n(oct_province, "cases.supervised") == 3);
  BOOST_TEST(n(oct_province, "reviews.requested") == 1);
  BOOST_TEST(n(oct_province, "re_reviews.requested") == 1);
  BOOST_TEST(n(oct_province, "re_reviews.decided") == 0);        // decided in November
  auto nov = report("2026-11", province, ReportScope::subtree);
  BOOST_TEST(n(nov, "cases.supervision_answered") == 1);
  BOOST_TEST(n(nov, "cases.supervision_overdue") == 0);          // due 11-10, answered 11-05
  BOOST_TEST(n(nov, "re_reviews.decided") == 1);
}

// Issue #16 finding 10: an office named like a formula reaches the spreadsheet as text; numbers the
// server formats (a negative amount) stay numbers.
BOOST_AUTO_TEST_CASE(csv_text_that_a_spreadsheet_would_run_is_escaped_and_numbers_stay_numbers) {
  auto c = step(open_on("2026-10-05T09:00:00+08:00", county.id), "2026-10-06T09:00:00+08:00", CaseEvent::accept, op,
                notice());
  close_on(c, "2026-10-08T09:00:00+08:00", op, sup, "170050");
  clock.set(at("2026-11-02T09:00:00+08:00"));
  // Not possible through the API (amounts are ≥ 0): the export must still keep it a number.
  conn.exec("UPDATE case_events SET payload = json_set(payload, '$.losses_avoided_fen', '-170050')"
            " WHERE event = 'request_closure'");
  for (const auto& [name, cell] : std::initializer_list<std::pair<std::string, std::string>>{
           {"=HYPERLINK(\"http://evil.example\",\"点击\")", "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"点击\"\")\""},
           {"+1+1", "'+1+1"}, {"-2+3", "'-2+3"}, {"@SUM(A1)", "'@SUM(A1)"}, {"\t=1", "'\t=1"},
           {"\r=1", "\"'\r=1\""}, {"＝1+1", "'＝1+1"}, {"永兴县\"妇联\",城关", "\"永兴县\"\"妇联\"\",城关\""}}) {
    conn.prepare("UPDATE offices SET name = ?1 WHERE id = ?2").bind_all(name, county.id).run();
    const std::string csv = period_report_csv(document(report("2026-10", county, ReportScope::office)));
    BOOST_TEST(csv.find("填报单位," + cell + "\r\n") != std::string::npos, name << " -> " << csv.substr(0, 300));
  }
  const std::string csv = period_report_csv(document(report("2026-10", county, ReportScope::office)));
  BOOST_TEST(csv.find("避免经济损失（元）,元,-1700.50") != std::string::npos, csv);
  BOOST_TEST(csv.find("避免经济损失（元）,元,'") == std::string::npos);
}

// 办结率 in 本级及下级: a matter accepted and then forwarded (转送) inside the scope is in the cohort once,
// as the sender's case (the receiver's acceptance is left out); it is closed when the receiver's copy
// is 办结. The sender alone never closed it.
BOOST_AUTO_TEST_CASE(a_matter_accepted_then_forwarded_inside_the_scope_is_closed_where_it_was_handled) {
  auto f = step(open_on("2026-10-05T09:00:00+08:00", county.id), "2026-10-06T09:00:00+08:00", CaseEvent::accept, op,
                notice());
  f = step(f, "2026-10-07T09:00:00+08:00", CaseEvent::forward, op,
           notice({{"target_office_id", std::to_string(other_county.id)}, {"reason", "当事人在桂阳"}}));
  auto copy = *CaseRepository::get_unscoped(conn, *f.transferred_to_case_id);
  step(copy, "2026-10-08T09:00:00+08:00", CaseEvent::accept, other_op, notice());
  clock.set(at("2026-10-09T09:00:00+08:00"));
  auto open_city = report("2026-10", city, ReportScope::subtree);
  BOOST_TEST(open_city.figure("rates.closure")->denominator == 1);  // one matter, not two
  BOOST_TEST(open_city.figure("rates.closure")->numerator == 0);
  close_on(copy, "2026-10-20T09:00:00+08:00", other_op, other_sup);
  clock.set(at("2026-11-02T09:00:00+08:00"));
  auto city_r = report("2026-10", city, ReportScope::subtree);
  BOOST_TEST(city_r.figure("rates.closure")->denominator == 1);
  BOOST_TEST(city_r.figure("rates.closure")->numerator == 1);
  auto sender = report("2026-10", county, ReportScope::office);
  BOOST_TEST(sender.figure("rates.closure")->denominator == 1);
  BOOST_TEST(sender.figure("rates.closure")->numerator == 0);  // forwarded, not 办结 by the county
}

BOOST_AUTO_TEST_CASE(losses_recovered_at_closure_is_validated_like_losses_avoided) {
  auto c = open_on("2026-10-05T09:00:00+08:00", county.id);
  c = step(c, "2026-10-06T09:00:00+08:00", CaseEvent::accept, op, notice());
  c = reply(c, op);
  for (const char* bad : {"-5", "12.5", "abc"}) {
    auto r = service.apply(conn, c.id, c.version, CaseEvent::request_closure, op,
                           {{"outcome", "resolved"}, {"summary", "s"}, {"losses_avoided_fen", "0"},
                            {"losses_recovered_fen", bad}});
    BOOST_REQUIRE(!r.has_value());
    BOOST_TEST(r.error().fields.contains("losses_recovered_fen"), bad);
  }
  c = must(service.apply(conn, c.id, c.version, CaseEvent::request_closure, op,
                         {{"outcome", "resolved"}, {"summary", "s"}, {"losses_avoided_fen", "100"},
                          {"losses_recovered_fen", "250"}}));
  BOOST_TEST(scalar("SELECT losses_recovered_fen FROM cases WHERE id = " + std::to_string(c.id)) == 250);
  BOOST_TEST(*c.losses_avoided_fen == 100);
}

BOOST_AUTO_TEST_CASE(out_of_scope_offices_and_roles_are_refused) {
  auto p = *parse_period("2026-10");
  BOOST_TEST((PeriodReportService::compute(conn, sup, other_county.id, p, ReportScope::office, 0).error().code ==
              Errc::not_found));
  BOOST_TEST((PeriodReportService::compute(conn, admin, county.id, p, ReportScope::office, 0).error().code ==
              Errc::forbidden));
  BOOST_TEST((PeriodReportService::compute(conn, partner_police, county.id, p, ReportScope::office, 0).error().code ==
              Errc::forbidden));
}

BOOST_AUTO_TEST_SUITE_END()
