// The DV record of a case: created with version 0, replaced as a whole, validated against the
// legal list of forms and the vocabularies.
#include <boost/test/unit_test.hpp>

#include "test_dv_fixture.hpp"

using namespace hl;
using namespace hl::casework;
using hl::test::must_fail;
using hl::test::must_ok;

namespace {

DvRecordFields sample() {
  DvRecordFields f;
  f.forms = {"threats", "beating"};
  f.first_incident_at = *parse_iso8601("2025-03-01");
  f.latest_incident_at = *parse_iso8601("2026-11-20");
  f.frequency = "weekly";
  f.injuries = "左臂淤青";
  f.children_present = true;
  f.children_harmed = false;
  f.weapons_used = true;
  f.weapons = "菜刀（威胁）";
  f.relationship = "spouse";
  f.cohabitation = "cohabiting";
  return f;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(dv_record, hl::test::DvFixture)

BOOST_AUTO_TEST_CASE(a_case_without_a_record_answers_version_0) {
  const auto c = open();
  auto r = must_ok(DvRecordService::get(conn, c.id, op));
  BOOST_TEST(r.version == 0);
  BOOST_TEST(r.fields.forms.empty());
  BOOST_TEST(!r.updated_at.has_value());
}

BOOST_AUTO_TEST_CASE(the_record_is_created_then_replaced_with_versions) {
  const auto c = open();
  auto r = must_ok(records.put(conn, c.id, 0, sample(), op));
  BOOST_TEST(r.version == 1);
  BOOST_TEST((r.fields.forms == std::vector<std::string>{"beating", "threats"}));  // the legal list's order
  BOOST_TEST(r.fields.frequency == "weekly");
  BOOST_TEST(r.fields.children_present.value_or(false));
  BOOST_TEST(!r.fields.children_harmed.value_or(true));
  BOOST_TEST(r.fields.cohabitation == "cohabiting");
  BOOST_TEST(r.updated_by_name.value_or("") == "op");
  auto next = sample();
  next.cohabitation = "separated";
  next.forms = {"stalking"};
  next.children_present.reset();
  auto r2 = must_ok(records.put(conn, c.id, 1, next, sup));
  BOOST_TEST(r2.version == 2);
  BOOST_TEST((r2.fields.forms == std::vector<std::string>{"stalking"}));
  BOOST_TEST(!r2.fields.children_present.has_value());
  must_fail(records.put(conn, c.id, 1, sample(), op), Errc::conflict);
  must_fail(records.put(conn, c.id, 0, sample(), op), Errc::conflict);
  auto events = *CaseRepository::events(conn, c.id, op);
  BOOST_TEST(events.back().event == "dv_record_updated");
  BOOST_TEST(events.back().payload_json.find("cohabitation") != std::string::npos);
  BOOST_TEST(events.back().payload_json.find("separated") == std::string::npos);  // names, not values
  // An unchanged PUT changes nothing.
  auto same = must_ok(records.put(conn, c.id, 2, next, op));
  BOOST_TEST(same.version == 2);
}

BOOST_AUTO_TEST_CASE(bad_values_are_named) {
  const auto c = open();
  auto f = sample();
  f.forms = {"beating", "shouting", "beating"};
  f.frequency = "hourly";
  f.relationship = "neighbour";
  f.cohabitation = "apart";
  f.first_incident_at = *parse_iso8601("2026-11-22");
  f.latest_incident_at = *parse_iso8601("2026-11-01");
  auto e = must_fail(records.put(conn, c.id, 0, f, op), Errc::invalid_input);
  for (const char* field : {"forms", "frequency", "relationship", "cohabitation", "latest_incident_at"})
    BOOST_TEST(e.fields.contains(field), field);
  f = sample();
  f.latest_incident_at = *parse_iso8601("2026-11-25");  // the day after tomorrow
  e = must_fail(records.put(conn, c.id, 0, f, op), Errc::invalid_input);
  BOOST_TEST(e.fields.contains("latest_incident_at"));
  f.latest_incident_at = *parse_iso8601("2026-11-23");  // today is fine
  must_ok(records.put(conn, c.id, 0, f, op));
}

BOOST_AUTO_TEST_CASE(only_staff_in_scope) {
  const auto c = open();
  for (const Actor* who : {&other_op, &partner_police, &admin}) {
    must_fail(DvRecordService::get(conn, c.id, *who), Errc::not_found);
    must_fail(records.put(conn, c.id, 0, sample(), *who), Errc::not_found);
  }
}

BOOST_AUTO_TEST_SUITE_END()
