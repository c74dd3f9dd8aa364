// A database file with a damaged page still starts (staff can read what is readable), but /healthz
// fails with database_malformed and SQLite's words, and /metrics says the integrity check is not ok.
#include <boost/test/unit_test.hpp>
#include <filesystem>

#include "api/case_helpers.hpp"
#include "faults/fault_support.hpp"

using namespace hl::faulttest;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(damaged_page)

BOOST_AUTO_TEST_CASE(a_damaged_page_is_reported_as_database_malformed_and_the_server_still_starts) {
  hl::test::TempDir dir;
  const std::string db_dir = dir.path().string();
  const std::string db = dir.file("t.db");
  std::vector<Answer> intakes;
  {
    // More pages than the seed alone: each intake adds a case, a contact and a person with an
    // encrypted phone number (persons then spans several leaves).
    ServerProcess server({.db_dir = db_dir});
    const Login op = server.login(kOperator);
    for (int i = 0; i < 40; ++i) {
      const std::string phone = "1390000" + std::string(i < 10 ? "000" : "00") + std::to_string(i);
      intakes.push_back(post_intake(server, op, "damaged-page-" + std::to_string(i), phone));
      BOOST_REQUIRE_MESSAGE(intakes.back().status == 201, intakes.back().text());
    }
    BOOST_REQUIRE_EQUAL(server.stop(), 0);
  }
  checkpoint(db);
  // A middle leaf of the persons table: start-up and login do not read it, quick_check walks every
  // b-tree and finds it, and some of the cases above (not all) have their complainant on it. Damage
  // to users or audit_log would stop every login (503), to sqlite_schema the start itself.
  const auto leaves = btree_pages(db, "persons", "leaf");
  BOOST_REQUIRE_MESSAGE(leaves.size() >= 3, "persons has only " << leaves.size() << " leaf pages");
  const std::int64_t page = leaves[leaves.size() / 2];
  damage_page(db, page);
  const std::string quick = pragma_check(db, true);
  BOOST_REQUIRE_MESSAGE(quick != "ok", "quick_check does not see the damage on page " << page);
  BOOST_TEST_MESSAGE("page " << page << " of " << std::filesystem::file_size(db) / page_size(db)
                             << " damaged; quick_check: " << quick);

  ServerProcess server({.db_dir = db_dir, .copy_seed = false});  // must start
  const Health h = wait_for_health(server, "failing", "database_malformed", 15s);
  BOOST_CHECK_MESSAGE(h.status == 503 && h.state() == "failing" && h.has_reason("database_malformed"),
                      "a damaged database: " << h.text());
  const Json integrity = h.check("integrity");
  BOOST_CHECK_MESSAGE(integrity.is_object() && integrity.value("state", "") == "damaged", h.text());
  BOOST_CHECK_MESSAGE(integrity.is_object() && !integrity.value("detail", "").empty(), "no detail: " << h.text());
  BOOST_CHECK_MESSAGE(integrity.is_object() && integrity.value("at", Json()).is_string(), h.text());
  BOOST_CHECK_MESSAGE(metric(server, "hotline_integrity_check_ok") == 0.0, "hotline_integrity_check_ok is not 0");
  BOOST_CHECK_MESSAGE(metric(server, "hotline_health_status") == 2.0, "hotline_health_status is not 2");
  const auto at = metric(server, "hotline_integrity_check_last_timestamp_seconds");
  BOOST_CHECK_MESSAGE(at && *at > 0, "hotline_integrity_check_last_timestamp_seconds: " << (at ? *at : -1));

  // Staff read what is readable; a read that reaches the damaged page is refused as storage_unavailable.
  const Login op = server.login(kOperator);
  std::size_t readable = 0, refused = 0;
  for (const auto& a : intakes) {
    const auto r = server.get(op, case_path(a.case_id));
    if (r.status == 200) ++readable;
    else if (r.status == 503 && error_code(r) == "storage_unavailable" && is_error_envelope(r)) ++refused;
    else BOOST_ERROR("GET case " << a.case_id << " of a damaged database: " << describe(r));
  }
  BOOST_TEST_MESSAGE(readable << " cases readable, " << refused << " refused as storage_unavailable");
  BOOST_CHECK_MESSAGE(readable > 0, "no case of the damaged database could be read");
  BOOST_CHECK_MESSAGE(refused > 0, "no case read reached the damaged page " << page << " (the test damaged the wrong page?)");
  // A write may succeed (it need not touch the page) but must not be a 500.
  const Answer w = post_intake(server, op, "after-damage");
  BOOST_CHECK_MESSAGE(w.status == 201 || (w.refused_for_storage() && w.envelope), "an intake on a damaged database: " << w.text());
  BOOST_CHECK_MESSAGE(wait_for_health(server, "failing", "database_malformed", 1s).has_reason("database_malformed"),
                      "database_malformed is sticky until a full integrity check passes");
}

BOOST_AUTO_TEST_SUITE_END()
