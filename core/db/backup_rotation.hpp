#pragma once
// The scheduled backups' directory: files named hotline-YYYYMMDDTHHMMSSZ.db (UTC, so the names sort
// by time and never repeat across a daylight or zone change), each finished one with its
// .manifest.json beside it. Only names of this pattern are ever listed or removed: anything else an
// administrator puts in the directory is left alone.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace hl::db {

// "hotline-20261203T033000Z.db" for an instant in 2026-12-03 03:30:00 UTC (seconds truncated).
std::string backup_file_name(TimeMs created_at);
// The instant a backup_file_name() names (whole seconds); nullopt for any other name.
std::optional<TimeMs> backup_name_time(std::string_view file_name);

struct BackupEntry {
  std::string path;
  TimeMs named_at = 0;    // from the name
  bool finished = false;  // its manifest exists
};

// The backups in `dir`, oldest first (empty when the directory is missing).
std::vector<BackupEntry> list_backups(const std::string& dir);

// Keeps the `keep` newest finished backups and removes the older ones with their manifests, and any
// unfinished backup (no manifest, or a .partial left by a crash) older than the newest finished one.
// Returns the paths removed; fails naming a file that could not be removed (the rest still are).
Result<std::vector<std::string>> rotate_backups(const std::string& dir, int keep);

}  // namespace hl::db
