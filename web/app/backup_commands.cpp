#include "web/app/backup_commands.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "casework/backup_tables.hpp"
#include "casework/schema_setup.hpp"
#include "casework/session_repository.hpp"
#include "core/crypto/keys.hpp"
#include "core/db/backup_manifest.hpp"
#include "core/db/backup_restore.hpp"
#include "core/local_time.hpp"
#include "web/app/backup_manifest_json.hpp"

namespace hl::web {
namespace {

constexpr std::string_view kManifestSuffix = ".manifest.json";

std::string megabytes(std::int64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / 1e6);
  return buf;
}

void print_rows(const db::BackupManifest& m) {
  std::printf("  rows:");
  for (const auto& [table, n] : m.rows) std::printf(" %s %lld", table.c_str(), static_cast<long long>(n));
  std::printf("; audit chain up to row %lld\n", static_cast<long long>(m.audit_last_id));
}

}  // namespace

int backup_command(const std::string& target, const DatabasePaths& paths, const Clock& clock) {
  // The manifest is signed with the key file, so a restore can prove both belong together.
  if (!std::filesystem::exists(paths.keys)) {
    std::fprintf(stderr, "hotline: key file %s not found; give --keys FILE (the manifest is signed with it)\n",
                 paths.keys.c_str());
    return 1;
  }
  auto keys = crypto::load_or_create_keys(paths.keys);
  if (!keys) {
    std::fprintf(stderr, "hotline: %s\n", keys.error().message.c_str());
    return 1;
  }
  auto made = db::make_backup(paths.db, target, clock, casework::kBackupCountedTables, *keys);
  if (!made) {
    std::fprintf(stderr, "hotline: %s\n", made.error().message.c_str());
    return 1;
  }
  std::printf("backed up %s to %s (%lld pages, %s, integrity ok) with its manifest %s\n", paths.db.c_str(), target.c_str(),
              static_cast<long long>(made->page_count), megabytes(made->bytes).c_str(), db::manifest_path_for(target).c_str());
  print_rows(*made);
  std::printf("Keep the key file %s separately from the backups: a restore needs it.\n", paths.keys.c_str());
  return 0;
}

int restore_command(const std::string& backup_arg, const DatabasePaths& paths, bool force, const Clock& clock) {
  std::string backup = backup_arg;
  if (backup.ends_with(kManifestSuffix)) backup.resize(backup.size() - kManifestSuffix.size());
  const auto started = std::chrono::steady_clock::now();
  auto manifest = read_backup_manifest(db::manifest_path_for(backup));
  if (!manifest) {
    std::fprintf(stderr, "hotline: restore refused: %s\n", manifest.error().message.c_str());
    return 1;
  }
  db::RestoreRequest request{backup, paths.db, paths.keys, paths.anchor, force, casework::known_schema_version(), clock.now_ms(), {}};
  // Everyone logs in again: a session ended after the backup (logout, a disabled account) must not
  // come back with the old copy.
  int sessions_dropped = 0;
  request.prepare = [&](db::Connection& conn) -> Status {
    sessions_dropped = casework::SessionRepository::remove_all(conn);
    return {};
  };
  auto restored = db::restore_backup(request, *manifest);
  if (!restored) {
    std::fprintf(stderr, "hotline: restore refused: %s\n", restored.error().message.c_str());
    return 1;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const auto& m = *manifest;
  std::printf("restored %s (taken %s, schema version %d, %lld pages, %s) to %s in %.1f s\n", backup.c_str(),
              format_iso8601(m.created_at).c_str(), m.schema_version, static_cast<long long>(m.page_count),
              megabytes(m.bytes).c_str(), paths.db.c_str(), seconds);
  std::printf("  checked: the key file %s matches, the manifest is authentic, the SHA-256 matches, "
              "the audit chain verifies (%lld rows)\n",
              paths.keys.c_str(), static_cast<long long>(restored->audit_rows_verified));
  print_rows(m);
  std::printf("  sessions: the %d stored in the backup were dropped; everyone logs in again\n", sessions_dropped);
  for (const auto& [from, to] : restored->moved_aside) std::printf("  moved aside: %s -> %s\n", from.c_str(), to.c_str());
  const bool anchor_moved = std::any_of(restored->moved_aside.begin(), restored->moved_aside.end(),
                                        [&](const auto& moved) { return moved.first == paths.anchor; });
  if (restored->anchor_started)
    std::printf("  the audit anchor %s now starts at the restored row %lld%s\n", paths.anchor.c_str(),
                static_cast<long long>(m.audit_last_id),
                anchor_moved ? " (the old anchor, moved aside above, records the rows written after this backup, which the "
                               "restore took away: keep it as evidence)"
                             : "");
  std::printf("Every write acknowledged before %s is in the restored database; later ones are not.\n",
              format_iso8601(m.created_at).c_str());
  return 0;
}

}  // namespace hl::web
