// One person, four ways in: the number typed at intake, the caller lookup while the phone rings, the
// DV repeat check during the call and a legacy ledger row must all reach the same fingerprint, or
// repeat callers silently stop being recognised. Each path is the production one, with one
// casework::PersonIdentity behind them.
#include <boost/test/unit_test.hpp>

#include <set>
#include <string>

#include "casework/dv_repeat.hpp"
#include "casework/ledger_import.hpp"
#include "fixture.hpp"

using namespace hl;
using hl::test::help_request;
using hl::test::IntakeFixture;

namespace {

std::set<std::string> stored_hashes(db::Connection& conn, const char* column) {
  auto st = conn.prepare(std::string("SELECT DISTINCT ") + column + " FROM persons WHERE " + column + " IS NOT NULL");
  std::set<std::string> out;
  while (st.step()) out.insert(st.blob(0));
  return out;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(person_identity, IntakeFixture)

BOOST_AUTO_TEST_CASE(intake_lookup_dv_check_and_ledger_import_reach_the_same_fingerprint) {
  auto r = help_request();
  r.complainant->phone = "138 0013 8000";
  r.complainant->id_number = "431023 19850307 1233";
  must_record(r, op);

  const casework::LedgerImporter importer(clock, identity);
  auto report = importer.run(conn,
                             "登记日期,来源,姓名,电话,问题类别,诉求\n"
                             "2026-10-08,来电,李梅,+86 138-0013-8000,家庭暴力,丈夫殴打\n",
                             county.id, sup);
  BOOST_REQUIRE(report.has_value());
  BOOST_TEST_REQUIRE(report->imported == 1);

  // Stored: one phone fingerprint for both rows, one ID fingerprint, each the identity's own.
  const auto phones = stored_hashes(conn, "phone_hash");
  BOOST_TEST_REQUIRE(phones.size() == 1u);
  BOOST_TEST(*phones.begin() == identity.phone_fingerprint("13800138000"));
  BOOST_TEST(scalar("SELECT count(*) FROM persons WHERE phone_hash IS NOT NULL") == 2);
  const auto ids = stored_hashes(conn, "id_number_hash");
  BOOST_TEST_REQUIRE(ids.size() == 1u);
  BOOST_TEST(*ids.begin() == identity.id_number_fingerprint("431023198503071233"));

  // The DV repeat check hashes what is being typed the same way.
  auto keys = casework::RepeatVictimisationFinder::keys_typed(identity, "0086 13800138000", "431023198503071233");
  BOOST_REQUIRE(keys.has_value());
  BOOST_TEST(keys->phone_hashes == std::vector<std::string>{*phones.begin()}, boost::test_tools::per_element());
  BOOST_TEST(keys->id_number_hashes == std::vector<std::string>{*ids.begin()}, boost::test_tools::per_element());
  auto dv = casework::RepeatVictimisationFinder::by_keys(conn, *keys, sup, clock.now_ms());
  BOOST_REQUIRE(dv.has_value());
  BOOST_TEST(dv->previous_cases.size() == 2u);  // the intake's case and the imported one, both DV

  // The screen-pop finds both contacts, however the number rings in.
  auto seen = intake.lookup_caller(conn, "+86 138 0013 8000", sup);
  BOOST_REQUIRE(seen.has_value());
  BOOST_TEST(seen->prior_contacts == 2);
  BOOST_TEST(seen->prior_cases.size() == 2u);
}

BOOST_AUTO_TEST_CASE(numbers_that_are_not_numbers_get_no_fingerprint_and_name_their_field) {
  BOOST_TEST(!identity.fingerprint_typed_phone("1234567").has_value());
  BOOST_TEST(!identity.fingerprint_typed_id_number("431023198503071234").has_value());  // wrong check digit
  auto keys = casework::RepeatVictimisationFinder::keys_typed(identity, "1234567", "431023198503071234");
  BOOST_REQUIRE(!keys.has_value());
  BOOST_TEST(keys.error().fields.contains("phone"));
  BOOST_TEST(keys.error().fields.contains("id_number"));
  auto none = casework::RepeatVictimisationFinder::keys_typed(identity, "", "");
  BOOST_REQUIRE(!none.has_value());
  BOOST_TEST(none.error().fields.contains("phone"));
}

BOOST_AUTO_TEST_SUITE_END()
