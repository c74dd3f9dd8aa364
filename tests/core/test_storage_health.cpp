// StorageHealth's verdicts on a fake clock, the monitor's schedule, and the writer telling health
// (and its callers) about a storage failure.
#include <boost/test/unit_test.hpp>

#include <sqlite3.h>

#include <ostream>

#include "core/db/connection.hpp"
#include "core/db/storage_checks.hpp"
#include "core/db/storage_health.hpp"
#include "core/db/storage_monitor.hpp"
#include "core/db/writer.hpp"
#include "core/local_time.hpp"
#include "support/temp_dir.hpp"

namespace hl::db {
std::ostream& operator<<(std::ostream& out, HealthStatus s) { return out << to_string(s); }
}  // namespace hl::db

using namespace hl;
using namespace hl::db;

namespace {

constexpr TimeMs kStart = 1'796'000'000'000;  // 2026-11-30

std::vector<std::string> codes(const HealthReport& r) {
  std::vector<std::string> out;
  for (const auto& reason : r.reasons) out.push_back(reason.code);
  return out;
}

struct Fixture {
  test::TempDir dir;
  FakeClock clock{kStart};
  StorageHealth health{clock, dir.file("t.db"), {.free_bytes_min = 0, .integrity_max_age_ms = 48 * kMsPerHour}};
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(storage_health, Fixture)

BOOST_AUTO_TEST_CASE(a_failed_write_fails_health_until_a_write_succeeds) {
  health.integrity_finished(IntegrityKind::quick_check, true, "");
  BOOST_TEST(health.report().status == HealthStatus::ok);
  health.storage_failed(StorageFault::full, true);
  auto r = health.report();
  BOOST_TEST(r.status == HealthStatus::failing);
  BOOST_TEST(codes(r) == std::vector<std::string>{"writes_failing"});
  BOOST_TEST((r.last_write_error == Errc::storage_full));
  BOOST_TEST(health.writes_failing());
  clock.advance_ms(1);
  health.write_succeeded();
  BOOST_TEST(health.report().status == HealthStatus::ok);
  BOOST_TEST(!health.writes_failing());
  // A read that fails on I/O says nothing about writes.
  health.storage_failed(StorageFault::io, false);
  BOOST_TEST(health.report().status == HealthStatus::ok);
  health.storage_failed(StorageFault::none, true);
  BOOST_TEST(health.report().status == HealthStatus::ok);
}

BOOST_AUTO_TEST_CASE(damage_stays_until_a_full_integrity_check_passes) {
  health.integrity_finished(IntegrityKind::quick_check, false, "*** in database main ***\nPage 7: btreeInitPage() returns error code 11");
  auto r = health.report();
  BOOST_TEST(r.status == HealthStatus::failing);
  BOOST_TEST(codes(r) == std::vector<std::string>{"database_malformed"});
  BOOST_TEST(r.reasons[0].message.find("Page 7") != std::string::npos);
  BOOST_TEST((r.integrity.state == IntegrityState::damaged));
  health.write_succeeded();  // writes elsewhere in the file do not vouch for the damaged page
  health.integrity_finished(IntegrityKind::quick_check, true, "");
  BOOST_TEST(health.report().status == HealthStatus::failing);
  health.integrity_finished(IntegrityKind::integrity_check, true, "");
  BOOST_TEST(health.report().status == HealthStatus::ok);
  // A statement that meets a damaged page marks the file malformed too.
  health.storage_failed(StorageFault::damaged, false);
  BOOST_TEST(codes(health.report()) == std::vector<std::string>{"database_malformed"});
}

BOOST_AUTO_TEST_CASE(a_running_check_and_a_stale_one_degrade) {
  health.integrity_started(IntegrityKind::quick_check);
  BOOST_TEST(health.report().status == HealthStatus::degraded);
  BOOST_TEST(codes(health.report()) == std::vector<std::string>{"integrity_check_running"});
  health.integrity_finished(IntegrityKind::quick_check, true, "");
  clock.advance_ms(48 * kMsPerHour);
  BOOST_TEST(health.report().status == HealthStatus::ok);  // exactly the configured age: not stale yet
  clock.advance_ms(1);
  BOOST_TEST(codes(health.report()) == std::vector<std::string>{"integrity_check_stale"});
  BOOST_TEST(health.report().status == HealthStatus::degraded);
}

// Scheduled backups: behind once the newest good one (or, before the first, the start of scheduling)
// is older than twice the interval, and at once when the newest attempt failed; never without a
// schedule.
BOOST_AUTO_TEST_CASE(backups_behind_their_schedule_or_failing_degrade) {
  const TimeMs every = 6 * kMsPerHour;
  clock.advance_ms(100 * kMsPerHour);
  health.integrity_finished(IntegrityKind::quick_check, true, "");
  BOOST_TEST(health.report().status == HealthStatus::ok);  // no schedule, no backups: not a reason
  health.backups_scheduled(every, std::nullopt);
  clock.advance_ms(2 * every);
  BOOST_TEST(health.report().status == HealthStatus::ok);
  clock.advance_ms(1);
  auto r = health.report();
  BOOST_TEST(r.status == HealthStatus::degraded);
  BOOST_TEST(codes(r) == std::vector<std::string>{"backup_behind"});
  health.backup_succeeded(clock.now_ms(), "hotline-a.db");
  r = health.report();
  BOOST_TEST(r.status == HealthStatus::ok);
  BOOST_TEST(r.backup.last_ok_at.value_or(0) == clock.now_ms());
  BOOST_TEST(r.backup.last_file == "hotline-a.db");
  clock.advance_ms(every);
  health.backup_failed("cannot create hotline-b.db: No space left on device");
  r = health.report();
  BOOST_TEST(r.status == HealthStatus::degraded);
  BOOST_TEST(codes(r) == std::vector<std::string>{"backup_behind"});
  BOOST_TEST(r.reasons.at(0).message.find("No space left") != std::string::npos);
  health.backup_succeeded(clock.now_ms(), "hotline-c.db");
  BOOST_TEST(health.report().status == HealthStatus::ok);
  BOOST_TEST(!health.report().backup.last_error_at.has_value());
  clock.advance_ms(2 * every + 1);
  BOOST_TEST(codes(health.report()) == std::vector<std::string>{"backup_behind"});
  // A restart that finds a recent backup in the directory is not behind.
  health.backups_scheduled(every, std::pair<TimeMs, std::string>{clock.now_ms() - every, "hotline-d.db"});
  BOOST_TEST(health.report().status == HealthStatus::ok);
}

BOOST_AUTO_TEST_CASE(low_free_space_degrades) {
  StorageHealth tight{clock, dir.file("t.db"), {.free_bytes_min = std::int64_t{1} << 62}};
  tight.integrity_finished(IntegrityKind::quick_check, true, "");
  const auto r = tight.report();
  BOOST_TEST(r.status == HealthStatus::degraded);
  BOOST_TEST(codes(r) == std::vector<std::string>{"low_disk_space"});
  BOOST_REQUIRE(r.free_bytes.has_value());
  BOOST_TEST(*r.free_bytes > 0);
}

BOOST_AUTO_TEST_CASE(the_daily_check_falls_at_its_beijing_minute) {
  const TimeMs midnight = start_of_local_day({2026, 12, 3});
  const int at = 3 * 60 + 30;
  BOOST_TEST(StorageMonitor::next_at(midnight, at) == midnight + 210 * 60'000LL);
  BOOST_TEST(StorageMonitor::next_at(midnight + 210 * 60'000LL, at) == midnight + 210 * 60'000LL);
  BOOST_TEST(StorageMonitor::next_at(midnight + 210 * 60'000LL + 1, at) == midnight + kMsPerDay + 210 * 60'000LL);
  BOOST_TEST(format_iso8601(StorageMonitor::next_at(midnight + 12 * kMsPerHour, at)) == "2026-12-04T03:30:00+08:00");
}

BOOST_AUTO_TEST_CASE(the_writer_answers_a_storage_failure_with_its_code_and_tells_health) {
  auto conn = Connection::open(dir.file("w.db"));
  conn.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
  Writer writer(std::move(conn), {.max_batch = 512, .health = &health});
  // A command that meets a full disk (as SQLite reports it), and a neighbour in the same batch.
  auto full = writer.submit([](Connection&) -> Result<int> { throw DbError(SQLITE_FULL, "database or disk is full"); });
  auto damaged = writer.submit([](Connection&) -> Result<int> { throw DbError(SQLITE_CORRUPT, "database disk image is malformed"); });
  const auto full_result = full.get();
  const auto damaged_result = damaged.get();
  BOOST_REQUIRE(!full_result.has_value());
  BOOST_TEST((full_result.error().code == Errc::storage_full));
  BOOST_TEST(full_result.error().message.find("nothing") != std::string::npos);
  BOOST_REQUIRE(!damaged_result.has_value());
  BOOST_TEST((damaged_result.error().code == Errc::storage_unavailable));
  BOOST_TEST(health.writes_failing());
  // The next good write clears writes_failing.
  clock.advance_ms(1);
  auto ok = writer.submit([](Connection& c) -> Result<int> {
    c.prepare("INSERT INTO t(v) VALUES ('x')").run();
    return 1;
  });
  BOOST_TEST(ok.get().has_value());
  BOOST_TEST(!health.writes_failing());
}

BOOST_AUTO_TEST_CASE(integrity_checks_and_the_probe_on_a_real_file) {
  auto conn = Connection::open(dir.file("p.db"));
  conn.exec("CREATE TABLE storage_probe (id INTEGER PRIMARY KEY CHECK (id = 1), written_at INTEGER NOT NULL, payload BLOB NOT NULL)");
  write_storage_probe(conn, 5);
  write_storage_probe(conn, 6);
  auto st = conn.prepare("SELECT count(*), max(written_at), length(max(payload)) FROM storage_probe");
  BOOST_REQUIRE(st.step());
  BOOST_TEST(st.int64(0) == 1);
  BOOST_TEST(st.int64(1) == 6);
  BOOST_TEST(st.int64(2) == 256 * 1024);
  BOOST_TEST(check_integrity(conn, IntegrityKind::quick_check).ok);
  BOOST_TEST(check_integrity(conn, IntegrityKind::integrity_check).ok);
}

BOOST_AUTO_TEST_SUITE_END()
