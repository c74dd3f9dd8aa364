#include <boost/test/unit_test.hpp>

#include "casework/case_repository.hpp"
#include "casework/mediation_service.hpp"
#include "fixture.hpp"
#include "support/error_of.hpp"

using namespace hl;
using namespace hl::casework;
using hl::test::error_of;

namespace {
struct MediationFixture : hl::test::CaseworkFixture {
  MediationService mediations{clock};
  std::int64_t committee = partner("婚调委", "mediation_committee", 1);
  CaseStatus status_of(std::int64_t id) { return CaseRepository::get_unscoped(conn, id)->status; }
  MediationRecord schedule(std::int64_t case_id) {
    auto m = mediations.schedule(conn, case_id, {"王调解员", committee, clock.now_ms() + kMsPerDay, "调解室"}, op);
    BOOST_REQUIRE_MESSAGE(m.has_value(), (m ? std::string() : m.error().message));
    return *m;
  }
};
}  // namespace

BOOST_FIXTURE_TEST_SUITE(mediation, MediationFixture)

BOOST_AUTO_TEST_CASE(scheduling_enters_mediation_and_an_agreement_leaves_it) {
  auto c = must(service.apply(conn, open().id, 1, CaseEvent::accept, op, notice()));
  auto m = schedule(c.id);
  BOOST_TEST((status_of(c.id) == CaseStatus::mediation));
  BOOST_TEST(*m.partner_id == committee);
  auto missing = mediations.record_result(conn, m.id, m.version, "agreement", "", std::nullopt, op);
  BOOST_TEST(error_of(missing).fields.contains("agreement_summary"));
  auto done = mediations.record_result(conn, m.id, m.version, "agreement", "男方每月支付抚养费1500元", std::nullopt, op);
  BOOST_REQUIRE(done.has_value());
  BOOST_TEST(done->result.value_or("") == "agreement");
  BOOST_TEST((status_of(c.id) == CaseStatus::in_progress));
  BOOST_TEST((error_of(mediations.record_result(conn, m.id, done->version, "failed", "", std::nullopt, op)).code ==
              Errc::transition_not_allowed));
}

BOOST_AUTO_TEST_CASE(postponement_keeps_the_case_in_mediation_with_a_next_session) {
  auto c = must(service.apply(conn, open().id, 1, CaseEvent::accept, op, notice()));
  auto m = schedule(c.id);
  BOOST_TEST(error_of(mediations.record_result(conn, m.id, m.version, "postponed", "", std::nullopt, op)).fields.contains("next_session_at"));
  BOOST_TEST(error_of(mediations.record_result(conn, m.id, m.version, "postponed", "", clock.now_ms() - 1, op)).fields.contains("next_session_at"));
  auto later = mediations.record_result(conn, m.id, m.version, "postponed", "", clock.now_ms() + 7 * kMsPerDay, op);
  BOOST_REQUIRE(later.has_value());
  BOOST_TEST((status_of(c.id) == CaseStatus::mediation));
  BOOST_TEST(scalar("SELECT count(*) FROM mediations WHERE case_id = " + std::to_string(c.id)) == 2);
  const auto next_id = scalar("SELECT max(id) FROM mediations WHERE case_id = " + std::to_string(c.id));
  auto next = *MediationService::get(conn, next_id, op);
  BOOST_TEST((mediations.record_result(conn, next.id, next.version, "failed", "", std::nullopt, op).has_value()));
  BOOST_TEST((status_of(c.id) == CaseStatus::in_progress));
}

BOOST_AUTO_TEST_CASE(bad_input_scope_and_state_are_refused) {
  auto registered = open();
  auto r = mediations.schedule(conn, registered.id, {"王调解员", std::nullopt, clock.now_ms(), ""}, op);
  BOOST_TEST((error_of(r).code == Errc::transition_not_allowed));  // not accepted yet
  auto c = must(service.apply(conn, registered.id, 1, CaseEvent::accept, op, notice()));
  BOOST_TEST(error_of(mediations.schedule(conn, c.id, {"王调解员", police_id, clock.now_ms(), ""}, op)).fields.contains("partner_id"));
  BOOST_TEST(error_of(mediations.schedule(conn, c.id, {"", std::nullopt, clock.now_ms(), ""}, op)).fields.contains("mediator"));
  BOOST_TEST((error_of(mediations.schedule(conn, c.id, {"王调解员", std::nullopt, clock.now_ms(), ""}, other_op)).code == Errc::not_found));
  auto m = schedule(c.id);
  BOOST_TEST((error_of(MediationService::get(conn, m.id, partner_police)).code == Errc::not_found));
  BOOST_TEST(error_of(mediations.record_result(conn, m.id, m.version, "maybe", "", std::nullopt, op)).fields.contains("result"));
  BOOST_TEST((error_of(mediations.record_result(conn, m.id, m.version + 1, "failed", "", std::nullopt, op)).code == Errc::conflict));
}

BOOST_AUTO_TEST_SUITE_END()
