#pragma once
// SQLite failures inside the db layer are exceptions (they are unexpected and unwind RAII guards);
// the Writer, the read pool and the repositories turn them into hl::Error values at their boundary
// with error_from().
#include <stdexcept>
#include <string>

#include "core/error.hpp"

namespace hl::db {

// What a failure says about the storage under the database, for the answer and the health check.
enum class StorageFault {
  none,      // not a storage problem (constraint, misuse, busy, …)
  full,      // SQLITE_FULL: the file system is full
  io,        // SQLITE_IOERR_*, SQLITE_CANTOPEN, SQLITE_READONLY, SQLITE_NOLFS: the storage refuses
  damaged,   // SQLITE_CORRUPT, SQLITE_NOTADB: the file is malformed
};

class DbError : public std::runtime_error {
 public:
  DbError(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }               // the SQLite extended result code
  bool is_constraint() const { return (code_ & 0xff) == 19; }  // SQLITE_CONSTRAINT
  bool is_busy() const { return (code_ & 0xff) == 5 || (code_ & 0xff) == 6; }
  StorageFault storage_fault() const { return storage_fault_of(code_); }
  static StorageFault storage_fault_of(int code);

 private:
  int code_;
};

// The one mapping of a SQLite failure to an Error: constraint violations become conflict, a busy
// database unavailable, storage failures storage_full / storage_unavailable (503, with a message
// that says nothing was saved; SQLite's own words go to the log), the rest internal.
Error error_from(const DbError& e);
// The answer for a storage fault (not none): storage_full or storage_unavailable, saying nothing was saved.
Error storage_error(StorageFault fault);

}  // namespace hl::db
