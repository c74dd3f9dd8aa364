#include "core/db/backup.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <thread>

#include "core/db/connection.hpp"
#include "core/db/db_error.hpp"

namespace hl::db {

Result<int> backup_database(const std::string& source_path, const std::string& target_path) {
  if (std::filesystem::exists(target_path))
    return fail(Errc::conflict, "the backup target " + target_path + " already exists; choose a new file");
  try {
    auto source = Connection::open(source_path, {.read_only = true});
    auto target = Connection::open(target_path, {.read_only = false, .create = true});
    sqlite3_backup* b = sqlite3_backup_init(target.raw(), "main", source.raw(), "main");
    if (b == nullptr) return fail(Errc::internal, std::string("backup failed: ") + sqlite3_errmsg(target.raw()));
    int rc;
    do {
      rc = sqlite3_backup_step(b, 256);  // 256 pages at a time, then let the writer in
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    const int pages = sqlite3_backup_pagecount(b);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
      std::filesystem::remove(target_path);
      return fail(Errc::internal, std::string("backup failed: ") + sqlite3_errstr(rc));
    }
    auto check = target.prepare("PRAGMA integrity_check");
    check.step();
    if (check.text(0) != "ok") return fail(Errc::internal, "the backup copy failed its integrity check: " + check.text(0));
    return pages;
  } catch (const DbError& e) {
    return fail(Errc::internal, std::string("backup failed: ") + e.what());
  }
}

}  // namespace hl::db
