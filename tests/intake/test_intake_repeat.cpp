// Issue #13 at intake: repeat contacts (重复访) join the case they repeat instead of opening one, group
// visits (集体访) are derived from persons, level-skipping contacts (越级访) name an office below; the
// screen-pop says which earlier cases make a new contact a repeat. Schema 015 is the contract.
#include <boost/test/unit_test.hpp>

#include <string>

#include "casework/case_contact_flags.hpp"
#include "casework/case_timeline.hpp"
#include "core/local_time.hpp"
#include "fixture.hpp"
#include "intake/repeat_rules.hpp"
#include "support/error_of.hpp"

using namespace hl;
using namespace hl::intake;
using hl::test::consultation;
using hl::test::error_of;
using hl::test::help_request;
using hl::test::IntakeFixture;

namespace {

constexpr TimeMs kDay = 86'400'000;

// Ends a case at `closed_at` as closing would (status and time only: what the repeat rule reads).
void close_case(db::Connection& conn, std::int64_t id, TimeMs closed_at) {
  conn.prepare("UPDATE cases SET status = 'closed', closed_at = ?2, next_due = NULL WHERE id = ?1").bind_all(id, closed_at).run();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(repeat_rules)

BOOST_AUTO_TEST_CASE(the_window_is_twelve_calendar_months_back_to_the_start_of_the_day) {
  const TimeMs now = *parse_iso8601("2026-11-23T09:30:00+08:00");
  BOOST_TEST(repeat_window_start(now) == *parse_iso8601("2025-11-23T00:00:00+08:00"));
  BOOST_TEST(repeat_window_start(*parse_iso8601("2028-02-29T23:00:00+08:00")) == *parse_iso8601("2027-02-28T00:00:00+08:00"));
  BOOST_TEST(repeat_window_start(*parse_iso8601("2027-01-01T00:30:00+08:00")) == *parse_iso8601("2026-01-01T00:00:00+08:00"));
  BOOST_TEST(repeat_candidate_reason(false, std::nullopt, now) == "open");
  BOOST_TEST(repeat_candidate_reason(true, *parse_iso8601("2025-11-23T00:00:00+08:00"), now) == "closed_within_12_months");
  BOOST_TEST(repeat_candidate_reason(true, *parse_iso8601("2025-11-22T23:59:59+08:00"), now) == "");
  BOOST_TEST(repeat_candidate_reason(true, std::nullopt, now) == "");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(intake_repeat, IntakeFixture)

BOOST_AUTO_TEST_CASE(a_repeat_joins_its_case_and_opens_none) {
  const auto first = must_record(help_request(), op);
  const auto case_id = first.opened_case->id;
  auto again = help_request();  // the operator would have opened a case; it is a repeat instead
  again.summary = "再次来电询问保护令进展";
  again.repeat_of_case_id = case_id;
  const auto r = must_record(again, op);
  BOOST_TEST(!r.opened_case.has_value());
  BOOST_TEST(r.linked_case_id.value_or(0) == case_id);
  BOOST_TEST(count("cases") == 1);
  const std::string id = std::to_string(r.contact_id);
  BOOST_TEST(scalar("SELECT case_id FROM contacts WHERE id = " + id) == case_id);
  BOOST_TEST(scalar("SELECT repeat_of_case_id FROM contacts WHERE id = " + id) == case_id);
  // The case's timeline shows the repeat contact with its date, channel and summary.
  auto timeline = casework::CaseTimeline::load(conn, case_id, op);
  BOOST_REQUIRE(timeline.has_value());
  int repeats = 0;
  for (const auto& t : *timeline)
    if (t.kind == "contact" && t.id == r.contact_id) {
      ++repeats;
      BOOST_TEST(t.fields.at("repeat") == "true");
      BOOST_TEST(t.fields.at("summary") == "再次来电询问保护令进展");
      BOOST_TEST(t.fields.at("channel") == "hotline");
    }
  BOOST_TEST(repeats == 1);
  BOOST_TEST(casework::load_case_contact_flags(conn, case_id).repeat_contacts == 1);
}

BOOST_AUTO_TEST_CASE(an_answered_repeat_keeps_its_consultation_kind) {
  const auto case_id = must_record(help_request(), op).opened_case->id;
  auto again = consultation();
  again.consultation_kind = "psychological";
  again.repeat_of_case_id = case_id;
  const auto r = must_record(again, op);
  BOOST_TEST(text("SELECT consultation_kind || '|' || resolution FROM contacts WHERE id = ?1", r.contact_id) ==
             "psychological|answered");
  BOOST_TEST(scalar("SELECT case_id FROM contacts WHERE id = " + std::to_string(r.contact_id)) == case_id);
}

BOOST_AUTO_TEST_CASE(a_case_closed_more_than_twelve_months_ago_is_no_repeat) {
  const auto old_case = must_record(help_request(), op).opened_case->id;
  const auto recent_case = must_record(help_request(), op).opened_case->id;
  close_case(conn, old_case, clock.now_ms() - 395 * kDay);    // 13 months ago
  close_case(conn, recent_case, clock.now_ms() - 330 * kDay); // 11 months ago
  const auto before = count("contacts");
  auto again = help_request();
  again.repeat_of_case_id = old_case;
  const auto e = error_of(intake.record(conn, again, op));
  BOOST_TEST((e.code == Errc::conflict));
  BOOST_TEST(e.fields.contains("repeat_of_case_id"));
  BOOST_TEST(count("contacts") == before);
  again.repeat_of_case_id = recent_case;
  BOOST_TEST(must_record(again, op).linked_case_id.value_or(0) == recent_case);

  // The screen-pop marks the open-or-recent one as a candidate and says why; the old one not.
  auto open_case = must_record(help_request(), op).opened_case->id;
  auto history = intake.lookup_caller(conn, "13800138000", op);
  BOOST_REQUIRE(history.has_value());
  int seen = 0;
  for (const auto& c : history->prior_cases) {
    std::string expected;
    if (c.id == old_case) expected = "";
    else if (c.id == recent_case) expected = "closed_within_12_months";
    else if (c.id == open_case) expected = "open";
    else continue;
    ++seen;
    BOOST_TEST(c.repeat_reason == expected);
  }
  BOOST_TEST(seen == 3);
}

BOOST_AUTO_TEST_CASE(a_repeat_of_a_case_out_of_scope_names_the_field_and_writes_nothing) {
  const auto theirs = must_record(help_request(), other_op).opened_case->id;
  const auto before = count("contacts");
  auto again = help_request();
  again.repeat_of_case_id = theirs;
  auto e = error_of(intake.record(conn, again, op));
  BOOST_TEST((e.code == Errc::invalid_input));
  BOOST_TEST(e.fields.contains("repeat_of_case_id"));
  again.repeat_of_case_id = 999'999;
  BOOST_TEST(error_of(intake.record(conn, again, op)).fields.contains("repeat_of_case_id"));
  BOOST_TEST(count("contacts") == before);
}

BOOST_AUTO_TEST_CASE(a_repeat_taken_above_the_case_office_is_shown_on_the_case_but_not_its_contact) {
  const auto county_case = must_record(help_request(), op).opened_case->id;
  auto again = help_request();
  again.repeat_of_case_id = county_case;
  const auto r = must_record(again, city_sup);
  BOOST_TEST(!r.linked_case_id.has_value());
  const std::string id = std::to_string(r.contact_id);
  BOOST_TEST(text("SELECT case_id FROM contacts WHERE id = ?1", r.contact_id) == "<null>");
  BOOST_TEST(scalar("SELECT repeat_of_case_id FROM contacts WHERE id = " + id) == county_case);
  auto timeline = casework::CaseTimeline::load(conn, county_case, op);
  BOOST_REQUIRE(timeline.has_value());
  bool shown = false;
  for (const auto& t : *timeline) shown = shown || (t.kind == "contact" && t.id == r.contact_id);
  BOOST_TEST(shown);
}

BOOST_AUTO_TEST_CASE(a_walk_in_of_five_is_a_group_visit_and_of_four_not) {
  auto visit = help_request();
  visit.channel = "walk_in";
  visit.call_type.clear();
  visit.persons = 6;
  const auto group = must_record(visit, op);
  BOOST_TEST(group.group_visit);
  BOOST_TEST(casework::load_case_contact_flags(conn, group.opened_case->id).group_visit);
  visit.persons = 4;
  const auto small = must_record(visit, op);
  BOOST_TEST(!small.group_visit);
  BOOST_TEST(!casework::load_case_contact_flags(conn, small.opened_case->id).group_visit);
  auto call = help_request();  // five persons on a call is no visit
  call.persons = 5;
  BOOST_TEST(!must_record(call, op).group_visit);
}

BOOST_AUTO_TEST_CASE(level_skipping_needs_an_office_strictly_below) {
  auto call = help_request();
  call.level_skipping = true;
  const auto before = count("contacts");
  for (auto office : {city.id, province.id, std::int64_t{999}}) {
    BOOST_TEST_CONTEXT("office " << office) {
      call.jurisdiction_office_id = office;
      const auto e = error_of(intake.record(conn, call, city_sup));
      BOOST_TEST((e.code == Errc::invalid_input));
      BOOST_TEST(e.fields.contains("jurisdiction_office_id"));
    }
  }
  // A county operator has no office below hers: neither her own nor the sibling county.
  for (auto office : {county.id, other_county.id}) {
    call.jurisdiction_office_id = office;
    BOOST_TEST(error_of(intake.record(conn, call, op)).fields.contains("jurisdiction_office_id"));
  }
  BOOST_TEST(count("contacts") == before);

  call.jurisdiction_office_id = county.id;
  const auto r = must_record(call, city_sup);
  BOOST_TEST(text("SELECT level_skipping || '|' || jurisdiction_office_id FROM contacts WHERE id = ?1", r.contact_id) ==
             "1|" + std::to_string(county.id));
  const auto flags = casework::load_case_contact_flags(conn, r.opened_case->id);
  BOOST_TEST(flags.level_skipping);
  BOOST_TEST(flags.jurisdiction_office_id.value_or(0) == county.id);
  BOOST_TEST(flags.jurisdiction_office_name == "永兴县妇联");
}

BOOST_AUTO_TEST_SUITE_END()
