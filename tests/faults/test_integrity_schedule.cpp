// The integrity checks run when the contract says, on the server's clock (the test clock moves it):
// a check older than integrity_check_max_age_hours makes health degraded (integrity_check_stale),
// and the daily full integrity_check at integrity_check_at (Beijing time) makes it fresh again.
// And a file larger than quick_check_sync_max_bytes is checked after the server listens, still
// finding damage.
#include <boost/test/unit_test.hpp>
#include <fstream>

#include "core/local_time.hpp"
#include "faults/fault_support.hpp"

using namespace hl::faulttest;
using namespace std::chrono_literals;

namespace {

hl::TimeMs at(const char* iso) { return hl::parse_iso8601(iso).value(); }

}  // namespace

BOOST_AUTO_TEST_SUITE(integrity_schedule)

BOOST_AUTO_TEST_CASE(a_stale_check_degrades_health_until_the_daily_integrity_check_runs) {
  hl::test::TempDir work;
  const std::string config = work.file("config.json");
  std::ofstream(config) << R"({"free_space_min_bytes": 0, "integrity_check_at": "12:00", "integrity_check_max_age_hours": 1})";
  ServerProcess server({.config_file = config}, at("2027-01-05T10:00:00+08:00"));

  Health h = health(server);
  BOOST_CHECK_MESSAGE(h.status == 200 && h.state() == "ok", "after the start-up quick_check: " << h.text());
  BOOST_CHECK_MESSAGE(h.check("integrity").value("kind", "") == "quick_check", h.text());

  server.set_clock(at("2027-01-05T11:30:00+08:00"));  // 1.5 h after the check, before the daily one
  h = wait_for_health(server, "degraded", "integrity_check_stale", 5s);
  BOOST_CHECK_MESSAGE(h.status == 200 && h.state() == "degraded" && h.has_reason("integrity_check_stale"),
                      "90 minutes after the only check (maximum age 1 h): " << h.text());

  server.set_clock(at("2027-01-05T11:59:59+08:00"));
  // The monitor looks at the clock once a second; the check of this small file takes milliseconds.
  h = wait_for_health(server, "ok", {}, 10s);
  BOOST_CHECK_MESSAGE(h.status == 200 && h.state() == "ok", "once the 12:00 check ran: " << h.text());
  const Json integrity = h.check("integrity");
  BOOST_CHECK_MESSAGE(integrity.value("kind", "") == "integrity_check" && integrity.value("state", "") == "ok", h.text());
  const auto when = hl::parse_iso8601(integrity.value("at", ""));
  BOOST_CHECK_MESSAGE(when && *when >= at("2027-01-05T12:00:00+08:00") && *when < at("2027-01-05T12:01:00+08:00"),
                      "the daily check should have run at 12:00 on the server's clock: " << h.text());
  const auto gauge = metric(server, "hotline_integrity_check_last_timestamp_seconds");
  BOOST_CHECK_MESSAGE(gauge && when && static_cast<hl::TimeMs>(*gauge) == *when / 1000,
                      "hotline_integrity_check_last_timestamp_seconds: " << (gauge ? *gauge : -1));
  BOOST_CHECK_MESSAGE(metric(server, "hotline_integrity_check_ok") == 1.0, "hotline_integrity_check_ok is not 1");
}

BOOST_AUTO_TEST_CASE(a_large_file_is_checked_in_the_background_and_damage_is_still_found) {
  hl::test::TempDir dir;
  copy_seeded_database(dir.path().string());
  const std::string db = dir.file("t.db");
  checkpoint(db);
  // The last leaf of the cases table: the start does not read it, quick_check finds it.
  const auto pages = btree_pages(db, "cases", "leaf");
  BOOST_REQUIRE_MESSAGE(pages.size() >= 2, "cases has " << pages.size() << " leaf pages");
  damage_page(db, pages.back());
  BOOST_REQUIRE_MESSAGE(pragma_check(db, true) != "ok", "quick_check does not see the damage");

  const std::string config = dir.file("config.json");
  std::ofstream(config) << R"({"free_space_min_bytes": 0, "quick_check_sync_max_bytes": 0})";  // every file is "large"
  ServerProcess server({.db_dir = dir.path().string(), .copy_seed = false, .config_file = config});
  const Health h = wait_for_health(server, "failing", "database_malformed", 10s);
  BOOST_CHECK_MESSAGE(h.status == 503 && h.has_reason("database_malformed"), "after the background check: " << h.text());
  BOOST_CHECK_MESSAGE(h.check("integrity").value("state", "") == "damaged", h.text());
}

BOOST_AUTO_TEST_SUITE_END()
