// Backups as a set: the manifest of a backup, the directory's names and rotation, the scheduler on a
// fake clock, and restore_backup's checks.
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/audit/audit_anchor.hpp"
#include "core/audit/audit_chain.hpp"
#include "core/crypto/key_fingerprint.hpp"
#include "core/crypto/keys.hpp"
#include "core/db/backup_files.hpp"
#include "core/db/backup_manifest.hpp"
#include "core/db/backup_restore.hpp"
#include "core/db/backup_rotation.hpp"
#include "core/db/backup_scheduler.hpp"
#include "core/db/connection.hpp"
#include "core/db/transaction.hpp"
#include "core/local_time.hpp"
#include "core/backup_fixture.hpp"
#include "support/temp_dir.hpp"

using namespace hl;
using namespace hl::db;
using namespace hl::test::backups;
namespace fs = std::filesystem;

namespace {

// Waits up to 15 s (the scheduler wakes once a second) for a finished backup named at `at` or later.
bool wait_for_backup_at(const std::string& dir, TimeMs at) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  for (;;) {
    for (const auto& b : list_backups(dir))
      if (b.finished && b.named_at >= at) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

bool has_reason(const HealthReport& r, const std::string& code) {
  for (const auto& reason : r.reasons)
    if (reason.code == code) return true;
  return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(backup_set)

BOOST_AUTO_TEST_CASE(the_manifest_records_what_the_backup_holds_and_is_signed_with_the_keys) {
  LiveDb live;
  const auto target = live.dir.file("b.db");
  const BackupManifest m = live.backup_to(target);
  BOOST_TEST(m.format == std::string(kManifestFormat));
  BOOST_TEST(m.file == "b.db");
  BOOST_TEST(m.created_at == kStart);
  BOOST_TEST(m.schema_version == 3);
  BOOST_TEST(m.rows.at("cases") == 7);
  BOOST_TEST(m.rows.at("contacts") == 3);
  BOOST_TEST(m.rows.at("audit_log") == 5);
  BOOST_TEST(m.rows.size() == 3u);
  auto conn = Connection::open(live.path, {.read_only = true});
  const auto newest = audit::AuditChain::newest_row(conn);
  BOOST_TEST(m.audit_last_id == 5);
  BOOST_TEST(m.audit_last_hash == hex_of(newest.row_hash));
  BOOST_TEST(m.sha256 == *sha256_of_file(target));
  BOOST_TEST(m.bytes == static_cast<std::int64_t>(fs::file_size(target)));
  BOOST_TEST(m.page_count * m.page_size == m.bytes);
  BOOST_TEST(m.key_fingerprint == crypto::key_fingerprint(live.keys));
  BOOST_TEST(m.mac == manifest_mac(m, live.keys));
  // The fingerprint reveals no key: none of the keys' hex appears in the manifest.
  const std::string text = read_file(manifest_path_for(target));
  BOOST_TEST(text.find(hex_of(std::string(live.keys.audit_key.begin(), live.keys.audit_key.end()))) == std::string::npos);
  BOOST_TEST(mode_of(manifest_path_for(target)) == 0600u);

  // The file says the same.
  const auto j = nlohmann::json::parse(text);
  BOOST_TEST(j.at("created_at_ms").get<TimeMs>() == kStart);
  BOOST_TEST(j.at("created_at").get<std::string>() == format_iso8601(kStart));
  BOOST_TEST(j.at("schema_version").get<int>() == 3);
  BOOST_TEST(j.at("rows").at("cases").get<int>() == 7);
  BOOST_TEST(j.at("audit").at("last_id").get<int>() == 5);
  BOOST_TEST(j.at("audit").at("last_hash").get<std::string>() == m.audit_last_hash);
  BOOST_TEST(j.at("sha256").get<std::string>() == m.sha256);
  BOOST_TEST(j.at("key_fingerprint").get<std::string>() == m.key_fingerprint);
  BOOST_TEST(j.at("mac").get<std::string>() == m.mac);
  BOOST_TEST(j.at("integrity_check").get<std::string>() == "ok");

  // Any change of a covered field changes the MAC; other keys give another fingerprint and MAC.
  BackupManifest changed = m;
  changed.rows["cases"] = 8;
  BOOST_TEST(manifest_mac(changed, live.keys) != m.mac);
  changed = m;
  changed.sha256[0] = changed.sha256[0] == '0' ? '1' : '0';
  BOOST_TEST(manifest_mac(changed, live.keys) != m.mac);
  crypto::Keys other = live.keys;
  other.field_key[0] ^= 1;
  BOOST_TEST(crypto::key_fingerprint(other) != m.key_fingerprint);
}

BOOST_AUTO_TEST_CASE(names_carry_the_utc_time_and_nothing_else_is_taken_for_a_backup) {
  BOOST_TEST(backup_file_name(kStart + 999) == "hotline-20261130T005320Z.db");
  BOOST_TEST(backup_name_time("hotline-20261130T005320Z.db").value_or(0) == kStart);
  for (const char* name : {"hotline-20261330T082320Z.db", "hotline-20261130T005320.db", "hotline-2026113aT082320Z.db",
                           "hotline-20261130T005320Z.db.partial", "notes.txt", "hotline-20261130T005320Z.db.manifest.json"})
    BOOST_TEST(!backup_name_time(name).has_value(), name);
}

BOOST_AUTO_TEST_CASE(rotation_keeps_the_newest_finished_backups_and_leaves_other_files_alone) {
  test::TempDir dir;
  auto at = [&](int hour) { return dir.file(backup_file_name(kStart + hour * 3'600'000LL)); };
  for (int hour : {0, 1, 3, 4, 5}) {
    write_file(at(hour), "db");
    write_file(manifest_path_for(at(hour)), "{}");
  }
  write_file(at(2), "unfinished, older than the newest finished one");
  write_file(at(6), "unfinished, newer: perhaps being written");
  write_file(at(1) + ".partial", "an interrupted copy");
  write_file(dir.file("notes.txt"), "the administrator's");
  write_file(dir.file("hotline-old.db"), "not our name");
  auto removed = rotate_backups(dir.path().string(), 2);
  BOOST_REQUIRE(removed.has_value());
  BOOST_TEST(removed->size() == 8u);  // hours 0, 1, 3 with manifests, hour 2, the partial
  for (int hour : {4, 5}) {
    BOOST_TEST(fs::exists(at(hour)));
    BOOST_TEST(fs::exists(manifest_path_for(at(hour))));
  }
  for (int hour : {0, 1, 2, 3}) {
    BOOST_TEST(!fs::exists(at(hour)), "hour " << hour);
    BOOST_TEST(!fs::exists(manifest_path_for(at(hour))), "hour " << hour);
  }
  BOOST_TEST(!fs::exists(at(1) + ".partial"));
  BOOST_TEST(fs::exists(at(6)));
  BOOST_TEST(fs::exists(dir.file("notes.txt")));
  BOOST_TEST(fs::exists(dir.file("hotline-old.db")));
  const auto left = list_backups(dir.path().string());
  BOOST_REQUIRE(left.size() == 3u);
  BOOST_TEST(left[0].named_at == kStart + 4 * 3'600'000LL);  // oldest first
  BOOST_TEST(!left[2].finished);
}

BOOST_AUTO_TEST_CASE(next_due_follows_the_newest_backup) {
  const TimeMs hour = 3'600'000;
  BOOST_TEST(BackupScheduler::next_due(kStart, std::nullopt, hour) == kStart);
  BOOST_TEST(BackupScheduler::next_due(kStart, kStart - 10 * 60'000, hour) == kStart + 50 * 60'000);
  BOOST_TEST(BackupScheduler::next_due(kStart, kStart - 2 * hour, hour) == kStart);
}

// The scheduler on a fake clock: the first backup at once, the next when the clock has moved on by
// the interval, the directory private and rotated; health tells a failing backup.
BOOST_AUTO_TEST_CASE(the_scheduler_backs_up_on_the_clock_rotates_and_reports_to_health) {
  LiveDb live;
  const std::string dir = live.dir.file("backups/daily");
  const TimeMs every = 60 * 60'000;
  StorageHealth health(live.clock, live.path, {.free_bytes_min = 0});
  const mode_t old_mask = ::umask(0);
  {
    BackupScheduler scheduler(live.clock, {dir, every, 2, live.path},
                              [&live](const std::string& target) -> Result<std::string> {
                                auto m = make_backup(live.path, target, live.clock, kTables, live.keys);
                                if (!m) return std::unexpected(m.error());
                                return std::string("ok");
                              },
                              health);
    BOOST_REQUIRE(scheduler.start().has_value());
    BOOST_TEST(mode_of(dir) == 0700u);
    BOOST_REQUIRE(wait_for_backup_at(dir, kStart));
    BOOST_TEST(mode_of(list_backups(dir).front().path) == 0600u);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    BOOST_TEST(list_backups(dir).size() == 1u, "a second backup before the interval passed");
    for (int round = 2; round <= 3; ++round) {
      live.clock.advance_ms(every);
      BOOST_REQUIRE_MESSAGE(wait_for_backup_at(dir, kStart + (round - 1) * every), "backup " << round << " was not made");
    }
    // Rotation follows the manifest closely; wait for it (bounded).
    const auto rotated_by = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (list_backups(dir).size() > 2 && std::chrono::steady_clock::now() < rotated_by)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const auto left = list_backups(dir);
    BOOST_TEST(left.size() == 2u);  // backup_keep
    BOOST_TEST(left.back().named_at == kStart + 2 * every);
    const auto r = health.report();
    BOOST_TEST(!has_reason(r, "backup_behind"));
    BOOST_TEST(r.backup.last_ok_at.value_or(0) == kStart + 2 * every);
  }
  ::umask(old_mask);
  // A job that fails: backup_behind at once, with the reason.
  StorageHealth failing(live.clock, live.path, {.free_bytes_min = 0});
  {
    BackupScheduler scheduler(live.clock, {dir, every, 2, live.path},
                              [](const std::string&) -> Result<std::string> { return fail(Errc::storage_full, "disk full"); },
                              failing);
    live.clock.advance_ms(every);
    BOOST_REQUIRE(scheduler.start().has_value());
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!failing.report().backup.last_error_at && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const auto r = failing.report();
  BOOST_TEST(has_reason(r, "backup_behind"));
  BOOST_TEST(r.backup.last_error == "disk full");
  BOOST_TEST(r.backup.last_file == backup_file_name(kStart + 2 * every));  // the newest good one, found at start
}

BOOST_AUTO_TEST_SUITE_END()
