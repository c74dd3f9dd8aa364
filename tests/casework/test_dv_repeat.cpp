// Repeat victimisation: the same complainant/victim (keyed phone or ID hash) in another DV case of
// the last 12 months, within the actor's scope.
#include <boost/test/unit_test.hpp>

#include "test_dv_fixture.hpp"

using namespace hl;
using namespace hl::casework;
using hl::test::must_fail;
using hl::test::must_ok;

namespace {

TimeMs at(const char* iso) { return *parse_iso8601(iso); }

struct RepeatFixture : hl::test::DvFixture {
  // A DV case received at `when` (the clock is moved there and back).
  CaseRecord case_at(TimeMs when, const std::string& category = "marriage_family.domestic_violence",
                     std::optional<std::int64_t> office = std::nullopt) {
    const TimeMs now = clock.now_ms();
    clock.set(when);
    auto c = open(category, office);
    clock.set(now);
    return c;
  }
};

std::vector<std::int64_t> ids(const RepeatVictimisation& r) {
  std::vector<std::int64_t> out;
  for (const auto& c : r.previous_cases) out.push_back(c.id);
  return out;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(dv_repeat, RepeatFixture)

BOOST_AUTO_TEST_CASE(a_previous_dv_case_with_the_same_phone_is_found) {
  const auto before = case_at(at("2026-06-01T10:00:00+08:00"));
  add_person(before.id, "complainant", "13800138000");
  must_assess(before.id, 15, op);
  const auto now_case = open();
  add_person(now_case.id, "victim", "13800138000");
  auto r = must_ok(RepeatVictimisationFinder::for_case(conn, now_case.id, op, clock.now_ms()));
  BOOST_TEST(r.repeat);
  BOOST_REQUIRE(r.previous_cases.size() == 1u);
  BOOST_TEST(r.previous_cases[0].id == before.id);
  BOOST_TEST(r.previous_cases[0].case_no == before.case_no);
  BOOST_TEST(r.previous_cases[0].risk_level == "high");
  BOOST_TEST(r.previous_cases[0].received_at == before.received_at);
  // Symmetric: the earlier case's page shows the later one too.
  BOOST_TEST((ids(must_ok(RepeatVictimisationFinder::for_case(conn, before.id, op, clock.now_ms()))) ==
              std::vector<std::int64_t>{now_case.id}));
}

BOOST_AUTO_TEST_CASE(the_id_number_matches_too_and_a_contact_link_is_enough) {
  const auto before = case_at(at("2026-01-10T10:00:00+08:00"));
  add_person(before.id, "victim", "", "430000199001011234", /*link_person_to_case=*/false);
  const auto now_case = open();
  add_person(now_case.id, "complainant", "13900000000", "430000199001011234");
  BOOST_TEST((ids(must_ok(RepeatVictimisationFinder::for_case(conn, now_case.id, op, clock.now_ms()))) ==
              std::vector<std::int64_t>{before.id}));
}

BOOST_AUTO_TEST_CASE(the_12_month_window_includes_its_first_instant_and_nothing_earlier) {
  // now: 2026-11-23 09:30 Shanghai → the window starts 2025-11-23 09:30.
  const auto edge = case_at(at("2025-11-23T09:30:00+08:00"));
  const auto just_outside = case_at(at("2025-11-23T09:30:00+08:00") - 1);
  const auto day_outside = case_at(at("2025-11-22T09:30:00+08:00"));
  for (const auto& c : {edge, just_outside, day_outside}) add_person(c.id, "victim", "13800138000");
  const auto now_case = open();
  add_person(now_case.id, "victim", "13800138000");
  BOOST_TEST(RepeatVictimisationFinder::window_start(clock.now_ms()) == at("2025-11-23T09:30:00+08:00"));
  BOOST_TEST((ids(must_ok(RepeatVictimisationFinder::for_case(conn, now_case.id, op, clock.now_ms()))) ==
              std::vector<std::int64_t>{edge.id}));
  // A day later the edge case has left the window.
  clock.advance_ms(kMsPerDay);
  BOOST_TEST(!must_ok(RepeatVictimisationFinder::for_case(conn, now_case.id, op, clock.now_ms())).repeat);
}

BOOST_AUTO_TEST_CASE(only_dv_cases_and_victim_or_complainant_roles_count) {
  const auto divorce = case_at(at("2026-09-01T10:00:00+08:00"), "marriage_family.divorce");
  add_person(divorce.id, "complainant", "13800138000");
  const auto as_respondent = case_at(at("2026-09-02T10:00:00+08:00"));
  add_person(as_respondent.id, "respondent", "13800138000");
  const auto other_phone = case_at(at("2026-09-03T10:00:00+08:00"));
  add_person(other_phone.id, "victim", "13700000000");
  const auto now_case = open();
  add_person(now_case.id, "victim", "13800138000");
  BOOST_TEST(!must_ok(RepeatVictimisationFinder::for_case(conn, now_case.id, op, clock.now_ms())).repeat);
  // This case's respondent does not make her a victim elsewhere either.
  const auto third = open();
  add_person(third.id, "respondent", "13700000000");
  BOOST_TEST(!must_ok(RepeatVictimisationFinder::for_case(conn, third.id, op, clock.now_ms())).repeat);
}

BOOST_AUTO_TEST_CASE(cases_outside_the_actors_scope_are_not_revealed) {
  const auto elsewhere = case_at(at("2026-08-01T10:00:00+08:00"), "marriage_family.domestic_violence", other_county.id);
  add_person(elsewhere.id, "victim", "13800138000");
  const auto now_case = open();
  add_person(now_case.id, "victim", "13800138000");
  BOOST_TEST(!must_ok(RepeatVictimisationFinder::for_case(conn, now_case.id, op, clock.now_ms())).repeat);
  // The city supervisor sees both counties.
  BOOST_TEST((ids(must_ok(RepeatVictimisationFinder::for_case(conn, now_case.id, city_sup, clock.now_ms()))) ==
              std::vector<std::int64_t>{elsewhere.id}));
  must_fail(RepeatVictimisationFinder::for_case(conn, now_case.id, other_op, clock.now_ms()), Errc::not_found);
  must_fail(RepeatVictimisationFinder::for_case(conn, now_case.id, partner_police, clock.now_ms()), Errc::not_found);
}

BOOST_AUTO_TEST_CASE(at_intake_the_hashes_alone_find_the_cases) {
  const auto before = case_at(at("2026-10-01T10:00:00+08:00"));
  add_person(before.id, "complainant", "13800138000", "430000199001011234");
  VictimKeys keys;
  keys.phone_hashes = {phone_hash("13800138000")};
  auto r = must_ok(RepeatVictimisationFinder::by_keys(conn, keys, op, clock.now_ms()));
  BOOST_TEST((ids(r) == std::vector<std::int64_t>{before.id}));
  keys = {};
  keys.id_number_hashes = {id_hash("430000199001011234")};
  BOOST_TEST(must_ok(RepeatVictimisationFinder::by_keys(conn, keys, op, clock.now_ms())).repeat);
  BOOST_TEST(!must_ok(RepeatVictimisationFinder::by_keys(conn, keys, op, clock.now_ms(), before.id)).repeat);
  BOOST_TEST(!must_ok(RepeatVictimisationFinder::by_keys(conn, {}, op, clock.now_ms())).repeat);
  must_fail(RepeatVictimisationFinder::by_keys(conn, keys, admin, clock.now_ms()), Errc::not_found);
}

BOOST_AUTO_TEST_SUITE_END()
