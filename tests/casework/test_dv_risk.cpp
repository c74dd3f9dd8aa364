// DV risk assessment: scoring at every threshold boundary, the case's risk_level following the
// latest assessment, the instrument version kept, unknown items and retired versions refused.
#include <boost/test/unit_test.hpp>

#include "test_dv_fixture.hpp"

using namespace hl;
using namespace hl::casework;
using hl::test::must_fail;
using hl::test::must_ok;

BOOST_FIXTURE_TEST_SUITE(dv_risk, hl::test::DvFixture)

BOOST_AUTO_TEST_CASE(the_default_instrument_is_loaded_from_the_database) {
  auto in = must_ok(InstrumentRepository::active(conn));
  BOOST_TEST(in.version == 1);
  BOOST_TEST(in.active);
  BOOST_TEST(in.items.size() == 15u);
  BOOST_TEST(in.items.front().code == "escalation");
  BOOST_REQUIRE(in.item("weapon") != nullptr);
  BOOST_TEST(in.item("weapon")->weight == 4);
  int total = 0;
  for (const auto& i : in.items) total += i.weight;
  BOOST_TEST(total == 37);
  BOOST_REQUIRE(in.levels.size() == 4u);
  BOOST_TEST(in.levels[1].level == "elevated");
  BOOST_TEST(in.levels[1].min_score == 8);
}

BOOST_AUTO_TEST_CASE(scores_map_to_levels_at_every_threshold_boundary) {
  auto in = must_ok(InstrumentRepository::active(conn));
  const std::vector<std::pair<int, std::string>> expected = {
      {0, "general"}, {1, "general"}, {7, "general"},  {8, "elevated"}, {13, "elevated"},
      {14, "high"},   {17, "high"},   {18, "extreme"}, {37, "extreme"}};
  for (const auto& [score, level] : expected) {
    auto s = must_ok(in.score(answers_scoring(score)));
    BOOST_TEST(s.score == score);
    BOOST_TEST(s.level == level, "score " << score);
  }
}

BOOST_AUTO_TEST_CASE(the_case_risk_level_follows_each_boundary_through_the_service) {
  const auto c = open();
  for (const auto& [score, level] : std::vector<std::pair<int, std::string>>{
           {7, "general"}, {8, "elevated"}, {13, "elevated"}, {14, "high"}, {17, "high"}, {18, "extreme"}}) {
    clock.advance_ms(60'000);
    auto a = must_assess(c.id, score, op);
    BOOST_TEST(a.score == score);
    BOOST_TEST(a.level == level, "score " << score);
    BOOST_TEST(risk_of(c.id) == level, "score " << score);
  }
}

BOOST_AUTO_TEST_CASE(only_yes_answers_count) {
  auto in = must_ok(InstrumentRepository::active(conn));
  auto s = must_ok(in.score({{"weapon", false}, {"strangulation", false}, {"unemployed", true}}));
  BOOST_TEST(s.score == 1);
  BOOST_TEST(s.level == "general");
}

BOOST_AUTO_TEST_CASE(an_assessment_keeps_answers_assessor_time_and_leaves_an_event) {
  const auto c = open();
  auto a = must_ok(risk.assess(conn, c.id, {{{"weapon", true}, {"strangulation", true}, {"separation", false}}, 1, "首次评估"}, op));
  BOOST_TEST(a.score == 8);
  BOOST_TEST(a.level == "elevated");
  BOOST_TEST(a.instrument_version == 1);
  BOOST_TEST(a.assessor_id.value_or(0) == op.user_id);
  BOOST_TEST(a.assessor_name.value_or("") == "op");
  BOOST_TEST(a.assessed_at == clock.now_ms());
  BOOST_TEST(a.note == "首次评估");
  BOOST_TEST(a.answers.size() == 3u);
  BOOST_TEST(a.answers.at("weapon"));
  BOOST_TEST(!a.answers.at("separation"));
  BOOST_TEST(has_event(c.id, "risk_assessed"));
  auto events = *CaseRepository::events(conn, c.id, op);
  const auto& e = events.back();
  BOOST_TEST(e.event == "risk_assessed");
  BOOST_TEST(e.from_status.value_or("") == e.to_status);  // the status does not move
  BOOST_TEST(e.payload_json.find("\"level\":\"elevated\"") != std::string::npos);
  BOOST_TEST(e.payload_json.find("\"previous_level\":\"none\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_latest_assessment_wins_also_when_risk_goes_down) {
  const auto c = open();
  must_assess(c.id, 20, op);
  BOOST_TEST(risk_of(c.id) == "extreme");
  clock.advance_ms(kMsPerDay);
  must_assess(c.id, 3, sup);
  BOOST_TEST(risk_of(c.id) == "general");
  auto history = must_ok(RiskAssessmentService::history(conn, c.id, op));
  BOOST_REQUIRE(history.size() == 2u);
  BOOST_TEST(history[0].level == "extreme");  // oldest first, for the chart
  BOOST_TEST(history[1].level == "general");
  BOOST_TEST(history[1].assessor_id.value_or(0) == sup.user_id);
}

BOOST_AUTO_TEST_CASE(unknown_item_codes_are_refused_by_name_and_nothing_is_stored) {
  const auto c = open();
  auto e = must_fail(risk.assess(conn, c.id, {{{"weapon", true}, {"no_such_item", true}, {"another", false}}, std::nullopt, ""}, op),
                     Errc::invalid_input);
  BOOST_TEST(e.fields.contains("answers.no_such_item"));
  BOOST_TEST(e.fields.contains("answers.another"));
  BOOST_TEST(!e.fields.contains("answers.weapon"));
  BOOST_TEST(scalar("SELECT count(*) FROM dv_risk_assessments") == 0);
  BOOST_TEST(risk_of(c.id) == "none");
}

BOOST_AUTO_TEST_CASE(an_empty_checklist_is_refused) {
  const auto c = open();
  auto e = must_fail(risk.assess(conn, c.id, {{}, std::nullopt, ""}, op), Errc::invalid_input);
  BOOST_TEST(e.fields.contains("answers"));
}

BOOST_AUTO_TEST_CASE(the_instrument_version_is_kept_after_a_new_version_becomes_active) {
  const auto c = open();
  auto first = must_assess(c.id, 14, op);  // version 1: high
  activate_version_2();
  auto in = must_ok(InstrumentRepository::active(conn));
  BOOST_TEST(in.version == 2);
  auto old = must_ok(RiskAssessmentService::get(conn, first.id, op));
  BOOST_TEST(old.instrument_version == 1);
  BOOST_TEST(old.score == 14);
  BOOST_TEST(old.level == "high");
  // A new assessment is scored against version 2's weights and thresholds.
  clock.advance_ms(60'000);
  auto second = must_ok(risk.assess(conn, c.id, {{{"weapon", true}}, std::nullopt, ""}, op));
  BOOST_TEST(second.instrument_version == 2);
  BOOST_TEST(second.score == 5);
  BOOST_TEST(second.level == "high");
  auto history = must_ok(RiskAssessmentService::history(conn, c.id, op));
  BOOST_REQUIRE(history.size() == 2u);
  BOOST_TEST(history[0].instrument_version == 1);
  BOOST_TEST(history[1].instrument_version == 2);
}

BOOST_AUTO_TEST_CASE(answers_to_a_retired_version_are_refused) {
  const auto c = open();
  activate_version_2();
  auto e = must_fail(risk.assess(conn, c.id, {answers_scoring(8), 1, ""}, op), Errc::invalid_input);
  BOOST_TEST(e.fields.contains("instrument_version"));
  BOOST_TEST(e.fields.at("instrument_version").find("retired") != std::string::npos);
  e = must_fail(risk.assess(conn, c.id, {{{"weapon", true}}, 9, ""}, op), Errc::invalid_input);
  BOOST_TEST(e.fields.contains("instrument_version"));
  // Without a version the items of version 1 are unknown to version 2.
  e = must_fail(risk.assess(conn, c.id, {{{"escalation", true}}, std::nullopt, ""}, op), Errc::invalid_input);
  BOOST_TEST(e.fields.contains("answers.escalation"));
  BOOST_TEST(scalar("SELECT count(*) FROM dv_risk_assessments") == 0);
}

BOOST_AUTO_TEST_CASE(only_staff_in_scope_may_assess_or_read) {
  const auto c = open();
  for (const Actor* who : {&other_op, &partner_police, &admin}) {
    must_fail(risk.assess(conn, c.id, {answers_scoring(8), std::nullopt, ""}, *who), Errc::not_found);
    must_fail(RiskAssessmentService::history(conn, c.id, *who), Errc::not_found);
  }
  must_assess(c.id, 8, city_sup);  // a supervisor above the office
  BOOST_TEST(must_ok(RiskAssessmentService::history(conn, c.id, city_sup)).size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_closed_case_is_not_assessed) {
  const auto c = open();
  must(service.apply(conn, c.id, c.version, CaseEvent::answer, op, {{"answer", "已解答"}}));
  must_fail(risk.assess(conn, c.id, {answers_scoring(8), std::nullopt, ""}, op), Errc::transition_not_allowed);
}

BOOST_AUTO_TEST_SUITE_END()
