// Structured outcomes of referrals (issue #15 point 4): each is validated for the referral's service
// and creates its DV record through the DV service that owns it, so the period report counts it.
#include <boost/test/unit_test.hpp>

#include "casework/period_report.hpp"
#include "casework/referral_service.hpp"
#include "support/error_of.hpp"
#include "test_dv_fixture.hpp"

using namespace hl;
using namespace hl::casework;
using hl::test::error_of;
using hl::test::must_ok;

namespace {

TimeMs at(const char* iso) { return *parse_iso8601(iso); }

struct OutcomeFixture : hl::test::DvFixture {
  ReferralService referrals{clock};
  Actor partner_shelter = user("shelter", "partner", std::nullopt, civil_affairs_id);

  // A DV case referred to `partner` for `service`, accepted by `who`.
  ReferralRecord accepted(std::int64_t partner, const char* service, const Actor& who) {
    auto c = must_ok(service_accept(open().id));
    NewReferral n{partner, service, "需要协助", true, std::nullopt, "", std::nullopt, std::nullopt};
    auto r = must_ok(referrals.create(conn, c.id, n, op));
    return must_ok(referrals.respond(conn, r.id, r.version, "accept", "", "", "", who));
  }
  Result<CaseRecord> service_accept(std::int64_t case_id) { return service.apply(conn, case_id, 1, CaseEvent::accept, op, notice()); }

  Result<ReferralRecord> complete(const ReferralRecord& r, const Actor& who, ReferralOutcome result, std::string text = "") {
    return referrals.respond(conn, r.id, r.version, "complete", "", text, "", who, result);
  }

  std::int64_t count(const std::string& table, std::int64_t case_id) {
    return scalar("SELECT count(*) FROM " + table + " WHERE case_id = " + std::to_string(case_id));
  }

  std::int64_t november(const char* key) {
    auto r = PeriodReportService::compute_for(conn, {county.id, county.name, county.region_code, county.path},
                                              *parse_period("2026-11"), ReportScope::subtree, clock.now_ms());
    return r.figure(key)->amount;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(referral_outcomes, OutcomeFixture)

BOOST_AUTO_TEST_CASE(a_warning_letter_issued_is_a_dv_warning_letter_the_report_counts) {
  auto r = accepted(police_id, "police_response", partner_police);
  BOOST_TEST(november("dv.warning_letters") == 0);
  auto done = must_ok(complete(r, partner_police, {"warning_letter_issued", at("2026-11-22T00:00:00+08:00"), std::nullopt,
                                                    "永公(城)告字〔2026〕12号"}, "已出具家庭暴力告诫书"));
  BOOST_TEST(done.status == "completed");
  BOOST_TEST(done.result.kind == "warning_letter_issued");
  BOOST_TEST(done.result.document_no == "永公(城)告字〔2026〕12号");
  BOOST_TEST(done.outcome.value_or("") == "已出具家庭暴力告诫书");  // the free text stays, as a note
  auto letters = must_ok(DvEventService::warning_letters(conn, r.case_id, op));
  BOOST_REQUIRE(letters.size() == 1u);
  BOOST_TEST(letters[0].police_partner_id == police_id);
  BOOST_TEST(letters[0].issued_at == at("2026-11-22T00:00:00+08:00"));
  BOOST_TEST(letters[0].document_no == "永公(城)告字〔2026〕12号");
  BOOST_TEST(letters[0].created_by.value_or(0) == partner_police.user_id);
  BOOST_TEST(done.outcome_record == "warning_letter:" + std::to_string(letters[0].id));
  BOOST_TEST(has_event(r.case_id, "warning_letter"));
  BOOST_TEST(november("dv.warning_letters") == 1);
}

BOOST_AUTO_TEST_CASE(no_warning_letter_or_handled_otherwise_records_nothing_more) {
  for (const char* kind : {"warning_letter_not_issued", "handled_otherwise"}) {
    auto r = accepted(police_id, "police_response", partner_police);
    auto done = must_ok(complete(r, partner_police, {kind}));
    BOOST_TEST(done.result.kind == kind);
    BOOST_TEST(!done.outcome.has_value());  // the text is optional with a structured outcome
    BOOST_TEST(count("dv_warning_letters", r.case_id) == 0);
  }
}

BOOST_AUTO_TEST_CASE(each_service_takes_only_its_own_outcomes_and_names_the_field) {
  auto police = accepted(police_id, "police_response", partner_police);
  auto field = [&](const ReferralRecord& r, const Actor& who, ReferralOutcome o, std::string text = "") {
    auto e = error_of(complete(r, who, std::move(o), std::move(text)));
    BOOST_TEST((e.code == Errc::invalid_input));
    return e.fields;
  };
  BOOST_TEST(field(police, partner_police, {}).contains("result.kind"));  // required, text or not
  BOOST_TEST(field(police, partner_police, {}, "已出具家庭暴力告诫书").contains("result.kind"));
  BOOST_TEST(field(police, partner_police, {"order_granted", clock.now_ms(), clock.now_ms()}).contains("result.kind"));
  auto f = field(police, partner_police, {"warning_letter_issued"});
  BOOST_TEST(f.contains("result.date"));
  BOOST_TEST(f.contains("result.document_no"));
  BOOST_TEST(field(police, partner_police, {"warning_letter_issued", clock.now_ms() + 2 * kMsPerDay, std::nullopt, "12号"})
                 .contains("result.date"));
  BOOST_TEST(field(police, partner_police, {"handled_otherwise", std::nullopt, std::nullopt, "12号"}).contains("result.document_no"));

  auto court = accepted(court_id, "protection_order", partner_court);
  BOOST_TEST(field(court, partner_court, {"order_granted", clock.now_ms()}).contains("result.until"));
  BOOST_TEST(field(court, partner_court, {"legal_aid_granted"}).contains("result.kind"));
  // Longer than 6 months: the protection-order service's own rule, named as the partner's field.
  BOOST_TEST(field(court, partner_court, {"order_granted", clock.now_ms(), at("2027-12-01T00:00:00+08:00")})
                 .contains("result.until"));

  auto other = accepted(police_id, "other", partner_police);
  BOOST_TEST(field(other, partner_police, {"handled_otherwise"}, "已处理").contains("result.kind"));
  auto e = error_of(complete(other, partner_police, {}));
  BOOST_TEST(e.fields.contains("outcome"));  // free text as before
  BOOST_TEST(must_ok(complete(other, partner_police, {}, "已协调处理")).outcome.value_or("") == "已协调处理");
  BOOST_TEST(count("dv_warning_letters", police.case_id) == 0);
}

BOOST_AUTO_TEST_CASE(a_court_ruling_rules_the_pending_application_or_records_one) {
  auto r = accepted(court_id, "protection_order", partner_court);
  // The office recorded the application: the ruling is its ruling, not a second order.
  auto applied = must_ok(orders.apply(conn, r.case_id, {court_id, at("2026-11-20T10:00:00+08:00"), false}, op));
  auto done = must_ok(complete(r, partner_court, {"order_granted", at("2026-11-22T00:00:00+08:00"), at("2027-05-21T00:00:00+08:00")}));
  auto list = must_ok(ProtectionOrderService::for_case(conn, r.case_id, op));
  BOOST_REQUIRE(list.size() == 1u);
  BOOST_TEST(list[0].id == applied.id);
  BOOST_TEST(list[0].status == "granted");
  BOOST_TEST(*list[0].expires_at == ProtectionOrderService::end_of_day(at("2027-05-21T00:00:00+08:00")));
  BOOST_TEST(done.outcome_record == "protection_order:" + std::to_string(applied.id));

  auto denied = accepted(court_id, "protection_order", partner_court);  // no application recorded
  must_ok(complete(denied, partner_court, {"order_denied", at("2026-11-23T00:00:00+08:00")}));
  auto second = must_ok(ProtectionOrderService::for_case(conn, denied.case_id, op));
  BOOST_REQUIRE(second.size() == 1u);
  BOOST_TEST(second[0].status == "denied");
  BOOST_TEST(november("dv.orders.granted") == 1);
  BOOST_TEST(november("dv.orders.rejected") == 1);
}

BOOST_AUTO_TEST_CASE(shelter_provided_is_a_shelter_stay_and_legal_aid_is_recorded_on_the_referral) {
  auto r = accepted(civil_affairs_id, "shelter", partner_shelter);
  auto done = must_ok(complete(r, partner_shelter, {"shelter_provided", at("2026-11-20T00:00:00+08:00"), at("2026-11-22T00:00:00+08:00")}));
  auto stays = must_ok(DvEventService::shelter_stays(conn, r.case_id, op));
  BOOST_REQUIRE(stays.size() == 1u);
  BOOST_TEST(stays[0].from == at("2026-11-20T00:00:00+08:00"));
  BOOST_TEST(stays[0].to.value_or(0) == at("2026-11-22T00:00:00+08:00"));
  BOOST_TEST(done.outcome_record == "shelter_stay:" + std::to_string(stays[0].id));
  BOOST_TEST(november("dv.shelter_stays") == 1);

  auto none = accepted(civil_affairs_id, "shelter", partner_shelter);
  must_ok(complete(none, partner_shelter, {"shelter_not_provided"}, "当事人已投靠亲属"));
  BOOST_TEST(count("dv_shelter_stays", none.case_id) == 0);

  auto aid = accepted(court_id, "legal_aid", partner_court);
  auto granted = must_ok(complete(aid, partner_court, {"legal_aid_granted"}));
  BOOST_TEST(granted.result.kind == "legal_aid_granted");
  BOOST_TEST(granted.outcome_record.empty());
  BOOST_TEST(error_of(complete(accepted(court_id, "legal_aid", partner_court), partner_court, {"shelter_provided", clock.now_ms()}))
                 .fields.contains("result.kind"));
}

BOOST_AUTO_TEST_CASE(a_failed_dv_record_leaves_the_referral_open) {
  // A police_response referral sent to a court: the warning letter needs a police partner.
  auto r = accepted(court_id, "police_response", partner_court);
  auto e = error_of(complete(r, partner_court, {"warning_letter_issued", clock.now_ms(), std::nullopt, "12号"}));
  BOOST_TEST((e.code == Errc::invalid_input));
  BOOST_TEST(e.fields.contains("result.kind"));
  BOOST_TEST(must_ok(ReferralService::get(conn, r.id, op)).status == "accepted");
  BOOST_TEST(count("dv_warning_letters", r.case_id) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
