// restore_backup: what it proves before it replaces anything, and what it leaves behind.
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "core/audit/audit_anchor.hpp"
#include "core/audit/audit_chain.hpp"
#include "core/backup_fixture.hpp"
#include "core/crypto/keys.hpp"
#include "core/db/backup_manifest.hpp"
#include "core/db/backup_restore.hpp"
#include "core/db/connection.hpp"

using namespace hl;
using namespace hl::db;
using namespace hl::test::backups;
namespace fs = std::filesystem;

namespace {

std::int64_t count(const std::string& db, const std::string& table) {
  auto c = Connection::open(db, {.read_only = true});
  auto st = c.prepare("SELECT count(*) FROM " + table);
  st.step();
  return st.int64(0);
}

void flip_last_byte(const std::string& path) {
  std::string bytes = read_file(path);
  bytes.back() = static_cast<char>(bytes.back() ^ 0x01);
  write_file(path, bytes);
}

struct Backed {
  LiveDb live;
  std::string backup = live.dir.file("b.db");
  BackupManifest manifest = live.backup_to(backup);
  std::string target = live.dir.file("restored/t.db");
};

// Nothing was put in place: no database, no temporary copy, no anchor.
void nothing_restored(const std::string& target) {
  BOOST_TEST(!fs::exists(target));
  BOOST_TEST(!fs::exists(target + ".restoring"));
  BOOST_TEST(!fs::exists(target + ".keys.anchor"));
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(backup_restore, Backed)

BOOST_AUTO_TEST_CASE(restores_the_backed_up_state_into_a_new_directory_and_starts_a_new_anchor) {
  {
    auto c = Connection::open(live.path);
    live.add(c, 4, 0, 2);  // after the backup: not restored
  }
  auto report = restore_backup(live.restore_to(backup, target), manifest);
  BOOST_REQUIRE_MESSAGE(report.has_value(), (report ? std::string() : report.error().message));
  BOOST_TEST(report->audit_rows_verified == 5);
  BOOST_TEST(report->moved_aside.empty());
  BOOST_TEST(count(target, "cases") == 7);
  BOOST_TEST(count(target, "audit_log") == 5);
  BOOST_TEST(mode_of(target) == 0600u);
  BOOST_TEST(mode_of(fs::path(target).parent_path().string()) == 0700u);
  BOOST_TEST(!fs::exists(target + ".restoring"));
  // The new anchor is the restored chain's newest row, and the restored chain verifies against it.
  const auto anchor = audit::AnchorFile(target + ".keys.anchor", live.keys.audit_key).highest();
  BOOST_REQUIRE(anchor.has_value());
  BOOST_REQUIRE(anchor->has_value());
  BOOST_TEST((*anchor)->row_id == 5);
  BOOST_TEST(hex_of((*anchor)->row_hash) == manifest.audit_last_hash);
  auto c = Connection::open(target, {.read_only = true});
  BOOST_TEST(audit::AuditChain(live.keys.audit_key).verify(c, *anchor).ok);
}

BOOST_AUTO_TEST_CASE(refuses_a_key_file_that_is_not_the_backups_and_never_creates_one) {
  const auto other = crypto::load_or_create_keys(live.dir.file("other.keys"));
  BOOST_REQUIRE(other.has_value());
  auto request = live.restore_to(backup, target);
  request.keys_path = live.dir.file("other.keys");
  auto r = restore_backup(request, manifest);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST((r.error().code == Errc::forbidden));
  BOOST_TEST(r.error().message.find("fingerprint") != std::string::npos, r.error().message);
  nothing_restored(target);

  request.keys_path = live.dir.file("missing.keys");
  r = restore_backup(request, manifest);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST((r.error().code == Errc::forbidden));
  BOOST_TEST(!fs::exists(request.keys_path));
  nothing_restored(target);
}

BOOST_AUTO_TEST_CASE(refuses_a_backup_file_changed_after_it_was_made) {
  flip_last_byte(backup);
  auto r = restore_backup(live.restore_to(backup, target), manifest);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST((r.error().code == Errc::conflict));
  BOOST_TEST(r.error().message.find("SHA-256") != std::string::npos, r.error().message);
  nothing_restored(target);
}

BOOST_AUTO_TEST_CASE(refuses_a_manifest_changed_without_the_key) {
  BackupManifest forged = manifest;
  forged.rows["cases"] = 700;
  auto r = restore_backup(live.restore_to(backup, target), forged);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST((r.error().code == Errc::conflict));
  BOOST_TEST(r.error().message.find("MAC") != std::string::npos, r.error().message);
  nothing_restored(target);
}

BOOST_AUTO_TEST_CASE(refuses_a_backup_of_a_newer_schema) {
  auto request = live.restore_to(backup, target);
  request.known_schema_version = 2;
  auto r = restore_backup(request, manifest);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST((r.error().code == Errc::invalid_input));
  BOOST_TEST(r.error().message.find("schema version 3") != std::string::npos, r.error().message);
  nothing_restored(target);
}

// A database whose audit log was altered before the backup: the manifest is signed (the backup does
// not judge), but the restore verifies the chain and refuses.
BOOST_AUTO_TEST_CASE(refuses_a_backup_whose_audit_chain_does_not_verify) {
  {
    auto c = Connection::open(live.path);
    c.exec("UPDATE audit_log SET detail = 'edited' WHERE id = 3");
  }
  const auto tampered = live.dir.file("tampered.db");
  const auto m = live.backup_to(tampered);
  auto r = restore_backup(live.restore_to(tampered, target), m);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST((r.error().code == Errc::conflict));
  BOOST_TEST(r.error().message.find("row 3") != std::string::npos, r.error().message);
  nothing_restored(target);
}

// An existing database is refused unless forced; forced, it and its companions and the anchor are
// moved aside under one stamp, never deleted.
BOOST_AUTO_TEST_CASE(moves_an_existing_database_aside_only_when_forced) {
  fs::create_directories(fs::path(target).parent_path());
  write_file(target, "the damaged database");
  write_file(target + "-wal", "its wal");
  write_file(target + ".keys.anchor", "the old anchor\n");
  auto request = live.restore_to(backup, target);
  auto r = restore_backup(request, manifest);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST((r.error().code == Errc::conflict));
  BOOST_TEST(read_file(target) == "the damaged database");
  BOOST_TEST(read_file(target + "-wal") == "its wal");

  request.force = true;
  r = restore_backup(request, manifest);
  BOOST_REQUIRE_MESSAGE(r.has_value(), (r ? std::string() : r.error().message));
  const std::string stamp = restore_stamp(request.now);
  BOOST_TEST(stamp == "20261130T015320Z");
  BOOST_TEST(read_file(target + ".before-restore-" + stamp) == "the damaged database");
  BOOST_TEST(read_file(target + ".before-restore-" + stamp + "-wal") == "its wal");
  BOOST_TEST(read_file(target + ".keys.anchor.before-restore-" + stamp) == "the old anchor\n");
  BOOST_TEST(r->moved_aside.size() == 3u);
  BOOST_TEST(!fs::exists(target + "-wal"));
  BOOST_TEST(count(target, "cases") == 7);
  const auto anchor = audit::AnchorFile(target + ".keys.anchor", live.keys.audit_key).highest();
  BOOST_REQUIRE(anchor.has_value());
  BOOST_TEST(anchor->value_or(audit::Anchor{}).row_id == 5);
}

BOOST_AUTO_TEST_SUITE_END()
