#include <boost/test/unit_test.hpp>

#include "casework/case_repository.hpp"
#include "casework/referral_service.hpp"
#include "fixture.hpp"
#include "support/error_of.hpp"

using namespace hl;
using namespace hl::casework;
using hl::test::error_of;

namespace {

struct ReferralFixture : hl::test::CaseworkFixture {
  ReferralService referrals{clock};

  CaseRecord accepted_case() { return must(service.apply(conn, open().id, 1, CaseEvent::accept, op, notice())); }

  ReferralRecord refer(std::int64_t case_id, std::int64_t partner, bool consent = true) {
    NewReferral n{partner, "police_response", "需要出警", consent, std::nullopt, consent ? "" : "有生命危险", std::nullopt,
                  std::nullopt};
    auto r = referrals.create(conn, case_id, n, op);
    BOOST_REQUIRE_MESSAGE(r.has_value(), (r ? std::string() : r.error().message));
    return *r;
  }

  Result<ReferralRecord> act(const ReferralRecord& r, const char* action, const Actor& who, std::string note = "进展",
                             std::string outcome = "已出警并制止", std::string reason = "不属于管辖",
                             ReferralOutcome result = {}) {
    return referrals.respond(conn, r.id, r.version, action, note, outcome, reason, who, result);
  }

  CaseStatus status_of(std::int64_t case_id) { return CaseRepository::get_unscoped(conn, case_id)->status; }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(referrals, ReferralFixture)

BOOST_AUTO_TEST_CASE(creating_a_referral_refers_the_case_with_a_response_deadline) {
  auto c = accepted_case();
  auto r = refer(c.id, police_id);
  BOOST_TEST(r.status == "sent");
  BOOST_TEST(r.case_no == c.case_no);
  BOOST_TEST(*r.response_due == *parse_iso8601("2026-11-28T23:59:59.999+08:00"));  // 5 days
  BOOST_TEST((status_of(c.id) == CaseStatus::referred));
}

BOOST_AUTO_TEST_CASE(without_consent_an_override_reason_is_required) {
  auto c = accepted_case();
  NewReferral n{police_id, "police_response", "", false, std::nullopt, "", std::nullopt, std::nullopt};
  auto r = referrals.create(conn, c.id, n, op);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().fields.contains("override_reason"));
  n.override_reason = "当事人昏迷，无法取得同意";
  auto ok = referrals.create(conn, c.id, n, op);
  BOOST_REQUIRE(ok.has_value());
  BOOST_TEST(!ok->consent_given);
  BOOST_TEST(ok->override_reason.value_or("") == "当事人昏迷，无法取得同意");
}

BOOST_AUTO_TEST_CASE(the_partner_accepts_reports_progress_and_completes_and_the_case_comes_back) {
  auto c = accepted_case();
  auto r = refer(c.id, police_id);
  auto accepted = act(r, "accept", partner_police);
  BOOST_REQUIRE(accepted.has_value());
  BOOST_TEST(accepted->status == "accepted");
  BOOST_TEST(accepted->feedback_due.has_value());
  BOOST_TEST(accepted->responded_at.has_value());
  auto progress = act(*accepted, "progress", partner_police, "已联系当事人");
  BOOST_REQUIRE(progress.has_value());
  BOOST_TEST(progress->status == "in_progress");
  progress = act(*progress, "progress", partner_police, "已向施暴人出具告诫书");  // more than one progress report
  BOOST_REQUIRE(progress.has_value());
  BOOST_TEST((status_of(c.id) == CaseStatus::referred));
  auto done = act(*progress, "complete", partner_police, "进展", "已出警并制止", "", {"handled_otherwise"});
  BOOST_REQUIRE(done.has_value());
  BOOST_TEST(done->status == "completed");
  BOOST_TEST(done->outcome.value_or("") == "已出警并制止");
  BOOST_TEST((status_of(c.id) == CaseStatus::in_progress));
  BOOST_TEST(scalar("SELECT count(*) FROM notes WHERE case_id = " + std::to_string(c.id)) == 2);
  auto events = *CaseRepository::events(conn, c.id, op);
  std::vector<std::string> names;
  for (const auto& e : events) names.push_back(e.event);
  BOOST_TEST((names == std::vector<std::string>{"register", "accept", "refer", "referral_accept", "referral_progress",
                                                "referral_progress", "referral_complete", "referral_done"}));
}

BOOST_AUTO_TEST_CASE(the_case_waits_for_the_last_of_several_referrals) {
  auto c = accepted_case();
  auto police = refer(c.id, police_id);
  auto court = refer(c.id, court_id);
  BOOST_REQUIRE(act(police, "decline", partner_police).has_value());
  BOOST_TEST((status_of(c.id) == CaseStatus::referred));  // the court's is still open
  auto accepted = act(court, "accept", partner_court);
  BOOST_REQUIRE(act(*accepted, "complete", partner_court, "", "", "", {"handled_otherwise"}).has_value());
  BOOST_TEST((status_of(c.id) == CaseStatus::in_progress));
}

BOOST_AUTO_TEST_CASE(every_step_is_refused_from_the_wrong_state) {
  auto c = accepted_case();
  auto r = refer(c.id, police_id);
  for (const char* action : {"progress", "complete"}) {
    auto x = act(r, action, partner_police);
    BOOST_REQUIRE(!x.has_value());
    BOOST_TEST((x.error().code == Errc::transition_not_allowed), action);
  }
  auto declined = *act(r, "decline", partner_police);
  for (const char* action : {"accept", "decline", "progress", "complete"}) {
    BOOST_TEST((error_of(act(declined, action, partner_police)).code == Errc::transition_not_allowed), action);
  }
  BOOST_TEST((error_of(act(declined, "withdraw", op)).code == Errc::transition_not_allowed));
}

BOOST_AUTO_TEST_CASE(partners_act_for_their_referral_and_the_office_withdraws) {
  auto c = accepted_case();
  auto r = refer(c.id, police_id);
  for (const char* action : {"accept", "decline"})
    BOOST_TEST((error_of(act(r, action, op)).code == Errc::transition_not_allowed), action);  // staff cannot answer for the partner
  BOOST_TEST((error_of(act(r, "withdraw", partner_police)).code == Errc::transition_not_allowed));
  auto withdrawn = act(r, "withdraw", op, "当事人已自行解决");
  BOOST_REQUIRE(withdrawn.has_value());
  BOOST_TEST(withdrawn->status == "withdrawn");
  BOOST_TEST((status_of(c.id) == CaseStatus::in_progress));
}

BOOST_AUTO_TEST_CASE(required_fields_are_named) {
  auto c = accepted_case();
  auto r = refer(c.id, police_id);
  BOOST_TEST(error_of(act(r, "decline", partner_police, "", "", " ")).fields.contains("decline_reason"));
  BOOST_TEST(error_of(act(r, "withdraw", op, "")).fields.contains("note"));
  auto accepted = *act(r, "accept", partner_police);
  BOOST_TEST(error_of(act(accepted, "progress", partner_police, "")).fields.contains("note"));
  // police_response takes a structured outcome (test_referral_outcomes.cpp): its kind is what is missing.
  BOOST_TEST(error_of(act(accepted, "complete", partner_police, "", "")).fields.contains("result.kind"));
  BOOST_TEST(error_of(act(accepted, "shred", partner_police)).fields.contains("action"));
}

BOOST_AUTO_TEST_CASE(other_organisations_withdrawn_referrals_and_guessed_ids_are_not_found) {
  auto c = accepted_case();
  auto r = refer(c.id, police_id);
  BOOST_TEST((error_of(act(r, "accept", partner_court)).code == Errc::not_found));
  BOOST_TEST((error_of(ReferralService::get(conn, r.id, other_op)).code == Errc::not_found));
  BOOST_TEST((error_of(ReferralService::get(conn, r.id + 1000, partner_police)).code == Errc::not_found));
  BOOST_TEST((error_of(ReferralService::get(conn, r.id, admin)).code == Errc::not_found));
  auto withdrawn = *act(r, "withdraw", op, "撤回");
  BOOST_TEST((error_of(ReferralService::get(conn, r.id, partner_police)).code == Errc::not_found));
  BOOST_TEST((error_of(CaseRepository::get(conn, c.id, partner_police)).code == Errc::not_found));
  BOOST_TEST(ReferralService::list(conn, {}, partner_police, clock.now_ms())->empty());
  (void)withdrawn;
}

BOOST_AUTO_TEST_CASE(a_stale_version_is_a_conflict) {
  auto c = accepted_case();
  auto r = refer(c.id, police_id);
  BOOST_REQUIRE(act(r, "accept", partner_police).has_value());
  BOOST_TEST((error_of(act(r, "decline", partner_police)).code == Errc::conflict));
}

BOOST_AUTO_TEST_CASE(lists_are_scoped_and_flag_overdue_responses) {
  auto c = accepted_case();
  refer(c.id, police_id);
  refer(c.id, court_id);
  BOOST_TEST(ReferralService::list(conn, {}, partner_police, clock.now_ms())->size() == 1u);
  BOOST_TEST(ReferralService::list(conn, {}, op, clock.now_ms())->size() == 2u);
  BOOST_TEST(ReferralService::list(conn, {}, city_sup, clock.now_ms())->size() == 2u);
  BOOST_TEST(ReferralService::list(conn, {}, other_op, clock.now_ms())->empty());
  BOOST_TEST(!ReferralService::list(conn, {}, admin, clock.now_ms()).has_value());
  ReferralFilter overdue;
  overdue.overdue_only = true;
  BOOST_TEST(ReferralService::list(conn, overdue, op, clock.now_ms())->empty());
  clock.advance_ms(6 * kMsPerDay);
  BOOST_TEST(ReferralService::list(conn, overdue, op, clock.now_ms())->size() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
