#pragma once
// Checks of the storage under the database, run at start, on a schedule and by the health check.
#include <string>

#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "core/db/storage_health.hpp"
#include "core/error.hpp"

namespace hl::db {

// Before the database is opened for serving: the file (and its -wal/-shm companions, when present)
// opens for writing and the directory takes new files (SQLite creates the WAL there). Fails with a
// message naming the path and the reason (e.g. "Operation not permitted (is it immutable? see
// lsattr)", "Read-only file system"), instead of SQLite's "unable to open database file" or a
// server that listens and fails at its first write.
Status check_database_writable(const std::string& db_path);

struct IntegrityResult {
  bool ok = false;
  std::string detail;  // SQLite's first findings (at most 10 lines) when not ok
};

// PRAGMA quick_check or integrity_check on `conn` (a read-only connection will do); a statement that
// fails on the damaged file counts as a finding.
IntegrityResult check_integrity(Connection& conn, IntegrityKind kind);

// A durable write of one row of storage_probe: whether the storage takes ordinary writes again.
// Runs on the writer's connection.
void write_storage_probe(Connection& conn, TimeMs now);

}  // namespace hl::db
