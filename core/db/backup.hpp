#pragma once
// A consistent online copy of a live database, made while the server keeps writing.
//
// How: SQLite's backup API with sqlite3_backup_step(-1) — every page in one step, which holds one read
// transaction on the source for the whole copy. In WAL mode that reader's snapshot stays fixed while
// the writer goes on committing to the WAL, so the copy is exactly one committed state and never
// restarts. (Stepping a few hundred pages at a time instead lets the writer's commits invalidate the
// copy, which then starts over: under continuous writes it may never finish.)
//
// Why not VACUUM INTO on a read connection, which is equally consistent: it rebuilds every table and
// index row by row instead of copying pages, so it takes several times longer, much of it on the CPU
// the writer needs, holding its read snapshot all the while (the WAL cannot be reset behind it and
// grows). Measured by tests/bench/backup_bench.cpp on the 1 M-case database (2.2 GB, 3 M audit rows; a
// writer committing one row per transaction without a pause, 2-core VM, warm cache; tests/bench/
// README.md): the page copy took 5-12 s, VACUUM INTO 44-46 s; during them the writer kept 40-47 % of its
// commit rate against 22-30 %, its slowest commit took 16-42 ms against 371-485 ms, and the WAL grew to
// 59-90 MB against 250 MB. The page copy's cost is disk bandwidth, over in seconds. (The small-step copy
// never finished within 60 s: about 10,000 restarts.)
#include <cstdint>
#include <string>

#include "core/error.hpp"

namespace hl::db {

struct BackupCopy {
  std::int64_t pages = 0;
  std::int64_t page_size = 0;
  std::int64_t bytes = 0;  // of the backup file
  std::string sha256;      // of the backup file, hex
};

// Copies `source_path` to the new file `target_path` (conflict when it exists): written as
// TARGET.partial (mode 0600), checked with PRAGMA integrity_check, switched to a rollback journal (one
// self-contained file), fsynced, then renamed to TARGET — a file under the target's name is always a
// complete, checked copy. Every write committed before the call is in the copy. Fails with internal
// (the copy failed or did not pass its check, naming why) or storage_unavailable (the target's disk).
Result<BackupCopy> backup_database(const std::string& source_path, const std::string& target_path);

}  // namespace hl::db
