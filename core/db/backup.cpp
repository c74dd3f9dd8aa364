#include "core/db/backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include "core/db/backup_files.hpp"
#include "core/db/connection.hpp"
#include "core/db/db_error.hpp"

namespace hl::db {
namespace {

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DbHandle = std::unique_ptr<sqlite3, CloseDb>;

// Removes the partial file unless the copy succeeded.
class PartialFile {
 public:
  explicit PartialFile(std::string path) : path_(std::move(path)) {}
  PartialFile(const PartialFile&) = delete;
  PartialFile& operator=(const PartialFile&) = delete;
  ~PartialFile() {
    if (!kept_) ::unlink(path_.c_str());
  }
  const std::string& path() const { return path_; }
  void keep() { kept_ = true; }

 private:
  std::string path_;
  bool kept_ = false;
};

std::string errmsg(sqlite3* db) { return sqlite3_errmsg(db); }

// The first line of PRAGMA integrity_check ("ok" when the file is sound).
std::string integrity_of(sqlite3* db) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr) != SQLITE_OK) return errmsg(db);
  std::string first = sqlite3_step(st) == SQLITE_ROW ? reinterpret_cast<const char*>(sqlite3_column_text(st, 0)) : errmsg(db);
  sqlite3_finalize(st);
  return first;
}

Result<std::int64_t> single_int(sqlite3* db, const char* sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) return fail(Errc::internal, errmsg(db));
  const bool row = sqlite3_step(st) == SQLITE_ROW;
  const std::int64_t value = row ? sqlite3_column_int64(st, 0) : 0;
  sqlite3_finalize(st);
  if (!row) return fail(Errc::internal, errmsg(db));
  return value;
}

// Copies every page in one step (see the header for why). SQLITE_BUSY/LOCKED can only come from
// taking the read lock (e.g. while another connection recovers the WAL): wait a little and retry.
int copy_all_pages(sqlite3_backup* b) {
  int rc = sqlite3_backup_step(b, -1);
  for (int tries = 0; (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && tries < 500; ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    rc = sqlite3_backup_step(b, -1);
  }
  return rc;
}

}  // namespace

Result<BackupCopy> backup_database(const std::string& source_path, const std::string& target_path) {
  std::error_code ec;
  if (std::filesystem::exists(target_path, ec))
    return fail(Errc::conflict, "the backup target " + target_path + " already exists; choose a new file");
  if (auto created = create_private_file(target_path + ".partial"); !created) {
    if (created.error().code == Errc::conflict)
      return fail(Errc::conflict, target_path + ".partial exists: another backup to " + target_path +
                                      " is under way, or one was interrupted (then remove the file)");
    return std::unexpected(created.error());
  }
  PartialFile partial(target_path + ".partial");
  BackupCopy copy;
  try {
    auto source = Connection::open(source_path, {.read_only = true});
    sqlite3* raw = nullptr;
    const int opened = sqlite3_open_v2(partial.path().c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    DbHandle target(raw);
    if (opened != SQLITE_OK) return fail(Errc::storage_unavailable, "cannot open " + partial.path() + ": " + errmsg(raw));
    // No journal and no syncs while copying: a failed copy is deleted, a finished one fsynced below.
    sqlite3_exec(target.get(), "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF", nullptr, nullptr, nullptr);
    sqlite3_backup* b = sqlite3_backup_init(target.get(), "main", source.raw(), "main");
    if (b == nullptr) return fail(Errc::internal, "backup failed: " + errmsg(target.get()));
    const int rc = copy_all_pages(b);
    copy.pages = sqlite3_backup_pagecount(b);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
      const bool disk = rc == SQLITE_FULL || (rc & 0xff) == SQLITE_IOERR;
      return fail(disk ? Errc::storage_unavailable : Errc::internal, std::string("backup failed: ") + sqlite3_errstr(rc));
    }
    // The copied header says WAL, like the source; a backup is better one file with nothing beside it.
    if (sqlite3_exec(target.get(), "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr) != SQLITE_OK)
      return fail(Errc::internal, "backup failed: " + errmsg(target.get()));
    const std::string integrity = integrity_of(target.get());
    if (integrity != "ok") return fail(Errc::internal, "the backup copy failed its integrity check: " + integrity);
    auto page_size = single_int(target.get(), "PRAGMA page_size");
    if (!page_size) return fail(Errc::internal, "backup failed: " + page_size.error().message);
    copy.page_size = *page_size;
  } catch (const DbError& e) {
    return fail(Errc::internal, std::string("backup failed: ") + e.what());
  }
  {
    const int fd = ::open(partial.path().c_str(), O_RDONLY | O_CLOEXEC);
    const bool synced = fd >= 0 && ::fsync(fd) == 0;
    if (fd >= 0) ::close(fd);
    if (!synced) return fail(Errc::storage_unavailable, "cannot sync " + partial.path());
  }
  auto sha = sha256_of_file(partial.path());
  if (!sha) return std::unexpected(sha.error());
  copy.sha256 = std::move(*sha);
  copy.bytes = static_cast<std::int64_t>(std::filesystem::file_size(partial.path(), ec));
  if (::rename(partial.path().c_str(), target_path.c_str()) != 0)
    return fail(Errc::storage_unavailable, "cannot rename " + partial.path() + " to " + target_path);
  partial.keep();
  if (auto synced = sync_parent_dir(target_path); !synced) return std::unexpected(synced.error());
  return copy;
}

}  // namespace hl::db
