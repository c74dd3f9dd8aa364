#pragma once
// What a backup holds, written beside it as BACKUP.manifest.json: when it was taken, the schema
// version, the size, the row counts of the main tables, the audit chain's newest row (id and hash),
// the SHA-256 of the backup file and the fingerprint of the key file that goes with it
// (crypto/key_fingerprint.hpp) — and a MAC over all of that with the audit key, so that neither the
// manifest nor, through its SHA-256, the backup can be altered unnoticed by anyone without the key.
// `hotline restore` checks each of these before it puts a backup into place.
//
// {"format":"hotline-backup/1","file":"hotline-20261203T033000Z.db","created_at":"2026-12-03T11:30:00+08:00",
//  "created_at_ms":…,"schema_version":12,"page_count":…,"page_size":4096,"bytes":…,"sha256":"…",
//  "integrity_check":"ok","rows":{"audit_log":…,"cases":…,…},"audit":{"last_id":…,"last_hash":"…"},
//  "key_fingerprint":"…","mac":"…"}
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/crypto/keys.hpp"
#include "core/db/backup.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::db {

inline constexpr std::string_view kManifestFormat = "hotline-backup/1";

struct BackupManifest {
  std::string format{kManifestFormat};
  std::string file;        // the backup's file name, without its directory
  TimeMs created_at = 0;   // taken before the copy began: every write acknowledged earlier is in it
  int schema_version = 0;
  std::int64_t page_count = 0, page_size = 0, bytes = 0;
  std::string sha256;      // of the backup file, hex
  std::map<std::string, std::int64_t> rows;  // table -> row count
  std::int64_t audit_last_id = 0;            // 0: empty audit log
  std::string audit_last_hash;               // hex; empty when audit_last_id is 0
  std::string key_fingerprint;
  std::string mac;         // keyed hash (audit key) of canonical_text()
};

// BACKUP + ".manifest.json".
std::string manifest_path_for(const std::string& backup_path);

// Describes the finished copy at `backup_path`: schema version, row counts of `tables` (names from
// code, never from input) and the audit chain's newest row read from the copy itself, and signs it
// with `keys`. Throws DbError when the copy cannot be read.
BackupManifest describe_backup(const std::string& backup_path, const BackupCopy& copy, TimeMs created_at,
                               std::span<const std::string_view> tables, const crypto::Keys& keys);

// The fields the MAC covers, in one fixed order.
std::string canonical_text(const BackupManifest& m);
std::string manifest_mac(const BackupManifest& m, const crypto::Keys& keys);

// The manifest as JSON text (the layout above).
std::string manifest_json(const BackupManifest& m);

// Copies the database at `source_path` to `target_path` (backup_database), describes the copy and
// writes its manifest (mode 0600, fsynced, renamed into place — the manifest appears last, so a
// backup with a manifest is a finished one). `created_at` is read from `clock` just before the copy.
Result<BackupManifest> make_backup(const std::string& source_path, const std::string& target_path, const Clock& clock,
                                   std::span<const std::string_view> tables, const crypto::Keys& keys);

}  // namespace hl::db
