// Safety plans: versioned edits with history, encryption of phones and the code word, and the
// breach list of high/extreme cases without a plan.
#include <boost/test/unit_test.hpp>

#include "test_dv_fixture.hpp"

using namespace hl;
using namespace hl::casework;
using hl::test::must_fail;
using hl::test::must_ok;

namespace {

SafetyPlanContent sample_plan() {
  SafetyPlanContent p;
  p.steps = {{"准备一个装有证件和现金的应急包", false}, {"记住派出所电话 110", true}};
  p.emergency_contacts = {{"李娟（姐姐）", "138 0013 8000", "姐姐"}};
  p.safe_contact = {false, "工作日 9:00-11:00", "天气不错"};
  p.places = {{"永兴县救助管理站", "永兴县城关镇", "24 小时接收"}};
  return p;
}

bool db_contains(db::Connection& conn, const std::string& table, const std::string& column, const std::string& needle) {
  auto st = conn.prepare("SELECT count(*) FROM " + table + " WHERE instr(CAST(" + column + " AS BLOB), CAST(?1 AS BLOB)) > 0");
  st.bind_all(needle);
  st.step();
  return st.int64(0) > 0;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(dv_safety_plan, hl::test::DvFixture)

BOOST_AUTO_TEST_CASE(before_the_first_plan_get_answers_version_0_and_whether_one_is_required) {
  const auto c = open();
  auto v = must_ok(plans.get(conn, c.id, op));
  BOOST_TEST(v.current_version == 0);
  BOOST_TEST(!v.plan.has_value());
  BOOST_TEST(!v.required);
  must_assess(c.id, 14, op);
  v = must_ok(plans.get(conn, c.id, op));
  BOOST_TEST(v.required);
  BOOST_TEST(v.risk_level == "high");
}

BOOST_AUTO_TEST_CASE(every_edit_is_a_new_version_and_old_versions_stay_readable) {
  const auto c = open();
  auto v1 = must_ok(plans.put(conn, c.id, 0, sample_plan(), op));
  BOOST_TEST(v1.current_version == 1);
  BOOST_REQUIRE(v1.plan.has_value());
  BOOST_TEST(v1.plan->content.steps.size() == 2u);
  BOOST_TEST(v1.plan->content.steps[1].done);
  BOOST_TEST(v1.plan->content.emergency_contacts[0].phone == "138 0013 8000");
  BOOST_TEST(v1.plan->content.safe_contact.code_word == "天气不错");
  BOOST_TEST(!v1.plan->content.safe_contact.ok_to_call.value_or(true));
  BOOST_TEST(v1.plan->meta.author_id.value_or(0) == op.user_id);

  auto edited = sample_plan();
  edited.steps[0].done = true;
  edited.places.clear();
  clock.advance_ms(3'600'000);
  auto v2 = must_ok(plans.put(conn, c.id, 1, edited, sup));
  BOOST_TEST(v2.current_version == 2);
  BOOST_TEST(v2.plan->content.steps[0].done);
  BOOST_TEST(v2.plan->content.places.empty());
  BOOST_REQUIRE(v2.versions.size() == 2u);
  BOOST_TEST(v2.versions[0].version == 2);  // newest first
  BOOST_TEST(v2.versions[0].author_id.value_or(0) == sup.user_id);

  auto old = must_ok(plans.get(conn, c.id, op, 1));
  BOOST_TEST(old.plan->meta.version == 1);
  BOOST_TEST(!old.plan->content.steps[0].done);
  BOOST_TEST(old.plan->content.places.size() == 1u);
  must_fail(plans.get(conn, c.id, op, 3), Errc::not_found);
  BOOST_TEST(scalar("SELECT count(*) FROM case_events WHERE event = 'safety_plan_updated' AND case_id = " +
                    std::to_string(c.id)) == 2);
}

BOOST_AUTO_TEST_CASE(a_stale_version_conflicts) {
  const auto c = open();
  must_ok(plans.put(conn, c.id, 0, sample_plan(), op));
  must_fail(plans.put(conn, c.id, 0, sample_plan(), sup), Errc::conflict);
  must_fail(plans.put(conn, c.id, 5, sample_plan(), sup), Errc::conflict);
}

BOOST_AUTO_TEST_CASE(phone_numbers_and_the_code_word_are_stored_only_encrypted) {
  const auto c = open();
  must_ok(plans.put(conn, c.id, 0, sample_plan(), op));
  BOOST_TEST(!db_contains(conn, "dv_safety_plan_contacts", "phone_enc", "0013"));
  BOOST_TEST(!db_contains(conn, "dv_safety_plans", "code_word_enc", "天气不错"));
  BOOST_TEST(!db_contains(conn, "case_events", "payload", "天气不错"));
  BOOST_TEST(db_contains(conn, "cases", "summary", "家暴"));  // the check itself can find text
  // Everything else a plan says is encrypted too: tests/casework/test_safe_contact_at_rest.cpp.
}

BOOST_AUTO_TEST_CASE(invalid_content_names_the_fields) {
  const auto c = open();
  auto bad = sample_plan();
  bad.steps.push_back({"   ", false});
  bad.emergency_contacts.push_back({"", "not-a-phone", ""});
  bad.places.push_back({"", "", ""});
  auto e = must_fail(plans.put(conn, c.id, 0, bad, op), Errc::invalid_input);
  BOOST_TEST(e.fields.contains("steps[2].text"));
  BOOST_TEST(e.fields.contains("emergency_contacts[1].name"));
  BOOST_TEST(e.fields.contains("emergency_contacts[1].phone"));
  BOOST_TEST(e.fields.contains("places[1].name"));
  BOOST_TEST(scalar("SELECT count(*) FROM dv_safety_plans") == 0);
}

BOOST_AUTO_TEST_CASE(partners_and_other_offices_do_not_see_plans) {
  const auto c = open();
  must_ok(plans.put(conn, c.id, 0, sample_plan(), op));
  for (const Actor* who : {&other_op, &partner_police, &admin}) {
    must_fail(plans.get(conn, c.id, *who), Errc::not_found);
    must_fail(plans.put(conn, c.id, 1, sample_plan(), *who), Errc::not_found);
  }
}

BOOST_AUTO_TEST_CASE(high_and_extreme_cases_without_a_plan_are_breaches_extreme_first) {
  const auto general = open();
  const auto high = open();
  const auto extreme = open();
  const auto elevated = open();
  const auto planned_high = open();
  const auto elsewhere = open("marriage_family.domestic_violence", other_county.id);
  must_assess(general.id, 3, op);
  must_assess(high.id, 15, op);
  clock.advance_ms(60'000);
  must_assess(extreme.id, 20, op);
  must_assess(elevated.id, 10, op);
  must_assess(planned_high.id, 16, op);
  must_ok(plans.put(conn, planned_high.id, 0, sample_plan(), op));
  must_assess(elsewhere.id, 25, other_op);

  auto list = must_ok(SafetyPlanService::breaches(conn, op));
  BOOST_REQUIRE(list.size() == 2u);
  BOOST_TEST(list[0].case_id == extreme.id);
  BOOST_TEST(list[0].risk_level == "extreme");
  BOOST_TEST(list[1].case_id == high.id);
  BOOST_TEST(list[1].assessed_at.has_value());

  // The city supervisor sees both counties' breaches; a plan ends the breach.
  BOOST_TEST(must_ok(SafetyPlanService::breaches(conn, city_sup)).size() == 3u);
  must_ok(plans.put(conn, extreme.id, 0, sample_plan(), op));
  list = must_ok(SafetyPlanService::breaches(conn, op));
  BOOST_REQUIRE(list.size() == 1u);
  BOOST_TEST(list[0].case_id == high.id);
  // Reassessed down: no longer a breach.
  clock.advance_ms(60'000);
  must_assess(high.id, 5, op);
  BOOST_TEST(must_ok(SafetyPlanService::breaches(conn, op)).empty());

  must_fail(SafetyPlanService::breaches(conn, partner_police), Errc::not_found);
  must_fail(SafetyPlanService::breaches(conn, admin), Errc::not_found);
}

BOOST_AUTO_TEST_CASE(closed_cases_are_not_breaches) {
  const auto c = open();
  must_assess(c.id, 20, op);
  BOOST_TEST(must_ok(SafetyPlanService::breaches(conn, op)).size() == 1u);
  auto cur = must(CaseRepository::get(conn, c.id, op));
  must(service.apply(conn, c.id, cur.version, CaseEvent::answer, op, {{"answer", "已解答"}}));
  BOOST_TEST(must_ok(SafetyPlanService::breaches(conn, op)).empty());
}

BOOST_AUTO_TEST_SUITE_END()
