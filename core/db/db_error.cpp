#include "core/db/db_error.hpp"

#include <sqlite3.h>

#include <cstdio>

namespace hl::db {

StorageFault DbError::storage_fault_of(int code) {
  switch (code & 0xff) {
    case SQLITE_FULL: return StorageFault::full;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_NOLFS: return StorageFault::io;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return StorageFault::damaged;
    default: return StorageFault::none;
  }
}

Error storage_error(StorageFault fault) {
  switch (fault) {
    case StorageFault::full:
      return Error{Errc::storage_full, "the server's storage is full: nothing of this request was saved", {}};
    case StorageFault::damaged:
      return Error{Errc::storage_unavailable, "the server's database file is damaged: nothing of this request was saved", {}};
    case StorageFault::io:
    case StorageFault::none: break;
  }
  return Error{Errc::storage_unavailable,
               "the server cannot write or read its database (I/O error or read-only storage): nothing of this request was saved", {}};
}

Error error_from(const DbError& e) {
  if (const auto fault = e.storage_fault(); fault != StorageFault::none) {
    std::fprintf(stderr, "storage: %s (SQLite code %d)\n", e.what(), e.code());
    return storage_error(fault);
  }
  if (e.is_constraint()) return Error{Errc::conflict, e.what(), {}};
  if (e.is_busy()) return Error{Errc::unavailable, e.what(), {}};
  return Error{Errc::internal, e.what(), {}};
}

}  // namespace hl::db
