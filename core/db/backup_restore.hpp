#pragma once
// Putting a backup back into service, proven before anything is replaced: the manifest must be signed
// by the given key file (so the key file is the right one and the manifest unaltered), the backup's
// schema must not be newer than this binary's, the copy made into the target directory must hash to
// the manifest's SHA-256, and its audit chain must verify with the key up to the manifest's newest
// row. Only then are the current files (with `force`) moved aside — never deleted — and the copy
// renamed into place.
//
// The audit anchor beside the key file records rows written after the backup, which a restore takes
// away; kept as it is, `hotline audit verify` would (rightly) call them missing. So the restore moves
// it aside as evidence of what the restore lost (ANCHOR.before-restore-STAMP) and starts a new one at
// the restored chain's newest row.
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/db/backup_manifest.hpp"
#include "core/error.hpp"

namespace hl::db {

class Connection;

struct RestoreRequest {
  std::string backup_path;
  std::string db_path;      // where the server will find it
  std::string keys_path;    // the key file the server will use with it
  std::string anchor_path;  // the server's audit anchor (default: keys_path + ".anchor")
  bool force = false;       // a database at db_path is moved aside instead of refused
  int known_schema_version = 0;  // the newest this binary knows
  TimeMs now = 0;                // names the files moved aside
  // Runs on the verified copy before it is renamed into place (a failure refuses the restore and
  // leaves nothing behind): the caller's chance to drop state that must not come back with an old
  // copy, e.g. the logged-in sessions of the backup's time.
  std::function<Status(Connection&)> prepare;
};

struct RestoreReport {
  std::int64_t audit_rows_verified = 0;
  std::vector<std::pair<std::string, std::string>> moved_aside;  // from, to
  bool anchor_started = false;  // a new anchor file was begun at the restored newest row
};

// Fails, changing nothing, with
//   invalid_input — the manifest is of an unknown format or the backup's schema is newer than ours;
//   forbidden     — the key file is missing or is not the backup's (its fingerprint differs);
//   conflict      — the manifest or the backup file was altered (MAC or SHA-256 mismatch), or the
//                   audit chain does not verify, or db_path holds a database and `force` is not set;
//   storage_unavailable / not_found — a file could not be read, written or renamed (named).
Result<RestoreReport> restore_backup(const RestoreRequest& request, const BackupManifest& manifest);

// "20261203T033000Z": the suffix of files moved aside.
std::string restore_stamp(TimeMs now);

}  // namespace hl::db
