#include "core/db/backup_restore.hpp"

#include <sodium.h>
#include <unistd.h>

#include <filesystem>
#include <optional>

#include "core/audit/audit_anchor.hpp"
#include "core/audit/audit_chain.hpp"
#include "core/crypto/key_fingerprint.hpp"
#include "core/db/backup_files.hpp"
#include "core/db/backup_rotation.hpp"
#include "core/db/connection.hpp"
#include "core/db/db_error.hpp"
#include "core/crypto/hex.hpp"

namespace hl::db {
namespace {

namespace fs = std::filesystem;

// The files SQLite keeps for a database: all of them move together, or a stale -wal would be
// replayed into the restored file.
constexpr const char* kCompanions[] = {"", "-wal", "-shm", "-journal"};

bool equal_text(const std::string& a, const std::string& b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

// True when db_path or its WAL holds anything (an empty file left by a failed start holds nothing).
bool holds_a_database(const std::string& db_path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-journal"}) {
    const auto size = fs::file_size(db_path + suffix, ec);
    if (!ec && size > 0) return true;
  }
  return false;
}

Status verify_chain(const std::string& path, const BackupManifest& m, const crypto::Keys& keys, RestoreReport& report) {
  audit::Anchor anchor;
  anchor.row_id = m.audit_last_id;
  if (m.audit_last_id > 0) {
    auto hash = crypto::bytes_from_hex(m.audit_last_hash);
    if (!hash) return fail(Errc::conflict, "the manifest's audit hash is malformed");
    anchor.row_hash = std::move(*hash);
  }
  anchor.at = m.created_at;
  try {
    auto conn = Connection::open(path, {.read_only = true});
    const auto verified = audit::AuditChain(keys.audit_key, keys.suite).verify(conn, anchor);
    report.audit_rows_verified = verified.rows_checked;
    if (!verified.ok)
      return fail(Errc::conflict, "the backup's audit chain does not verify with this key file, at row " +
                                      std::to_string(verified.first_broken_id.value_or(0)) + ": " + verified.reason);
  } catch (const DbError& e) {
    return fail(Errc::conflict, std::string("the backup cannot be read: ") + e.what());
  }
  return {};
}

Status move_aside(const std::string& from, const std::string& to, RestoreReport& report) {
  if (fs::exists(to)) return fail(Errc::conflict, "cannot move " + from + " aside: " + to + " exists (a restore a moment ago?)");
  if (::rename(from.c_str(), to.c_str()) != 0)
    return fail(Errc::storage_unavailable, "cannot move " + from + " aside to " + to);
  report.moved_aside.emplace_back(from, to);
  return {};
}

}  // namespace

std::string restore_stamp(TimeMs now) {
  const std::string name = backup_file_name(now);  // hotline-STAMP.db
  return name.substr(8, name.size() - 8 - 3);
}

Result<RestoreReport> restore_backup(const RestoreRequest& rq, const BackupManifest& m) {
  if (m.format != kManifestFormat)
    return fail(Errc::invalid_input, "the manifest's format is \"" + m.format + "\", not " + std::string(kManifestFormat));
  if (m.schema_version > rq.known_schema_version)
    return fail(Errc::invalid_input, "the backup is at schema version " + std::to_string(m.schema_version) +
                                         " but this hotline knows versions up to " + std::to_string(rq.known_schema_version) +
                                         ": restore it with the release that made it, or a newer one");
  // Never load_or_create: a missing key file must not be replaced by fresh keys here.
  if (!fs::exists(rq.keys_path))
    return fail(Errc::forbidden, "the key file " + rq.keys_path +
                                     " does not exist: put the office's backed-up key file there (mode 0600), or give --keys FILE");
  auto keys = crypto::load_or_create_keys(rq.keys_path);
  if (!keys) return std::unexpected(keys.error());
  if (!equal_text(crypto::key_fingerprint(*keys), m.key_fingerprint))
    return fail(Errc::forbidden, "the key file " + rq.keys_path +
                                     " is not the one this backup was made with (its fingerprint differs): find the key file "
                                     "that was in use when the backup was taken");
  if (!equal_text(manifest_mac(m, *keys), m.mac))
    return fail(Errc::conflict, "the manifest of " + rq.backup_path + " was altered: its MAC does not match");
  if (holds_a_database(rq.db_path) && !rq.force)
    return fail(Errc::conflict, rq.db_path + " already holds a database; restore into a new path, or give --force to "
                                             "move the current files aside (stop the server first)");

  const auto dir = fs::path(rq.db_path).parent_path();
  if (!dir.empty() && !fs::exists(dir))
    if (auto made = ensure_private_dir(dir.string()); !made) return std::unexpected(made.error());
  const std::string temp = rq.db_path + ".restoring";
  ::unlink(temp.c_str());  // only ever a leftover of an interrupted restore
  auto sha = copy_file_hashed(rq.backup_path, temp);
  if (!sha) return std::unexpected(sha.error());
  RestoreReport report;
  auto refuse = [&](Error e) {
    ::unlink(temp.c_str());
    return std::unexpected(std::move(e));
  };
  if (*sha != m.sha256)
    return refuse({Errc::conflict, "the backup file " + rq.backup_path +
                                       " does not match its manifest (SHA-256 differs): it was altered or damaged", {}});
  if (auto chain = verify_chain(temp, m, *keys, report); !chain) return refuse(chain.error());
  if (rq.prepare) {
    try {
      auto conn = Connection::open(temp, {.create = false});
      if (auto prepared = rq.prepare(conn); !prepared) return refuse(prepared.error());
    } catch (const DbError& e) {
      return refuse({Errc::storage_unavailable, std::string("cannot prepare the restored copy: ") + e.what(), {}});
    }
  }

  // The anchor first: it is the file most likely to refuse a rename (append-only, chattr +a), and
  // until the database is replaced every step can still be undone.
  const std::string stamp = restore_stamp(rq.now);
  const std::string old_anchor = rq.anchor_path + ".before-restore-" + stamp;
  if (fs::exists(rq.anchor_path))
    if (auto moved = move_aside(rq.anchor_path, old_anchor, report); !moved)
      return refuse({Errc::storage_unavailable, moved.error().message + " (if it is append-only, run chattr -a on it first)", {}});
  auto undo = [&](Error e) {
    for (auto it = report.moved_aside.rbegin(); it != report.moved_aside.rend(); ++it)
      ::rename(it->second.c_str(), it->first.c_str());
    return refuse(std::move(e));
  };
  for (const char* suffix : kCompanions) {
    const std::string path = rq.db_path + suffix;
    if (!fs::exists(path)) continue;
    if (auto moved = move_aside(path, rq.db_path + ".before-restore-" + stamp + suffix, report); !moved)
      return undo(moved.error());
  }
  if (::rename(temp.c_str(), rq.db_path.c_str()) != 0)
    return undo({Errc::storage_unavailable, "cannot rename " + temp + " to " + rq.db_path, {}});
  if (auto synced = sync_parent_dir(rq.db_path); !synced) return std::unexpected(synced.error());

  audit::Anchor restored{rq.now, m.audit_last_id, m.audit_last_id > 0 ? *crypto::bytes_from_hex(m.audit_last_hash) : std::string()};
  if (auto written = audit::AnchorFile(rq.anchor_path, keys->audit_key, keys->suite).append(restored); !written)
    return std::unexpected(written.error());
  report.anchor_started = true;
  return report;
}

}  // namespace hl::db
