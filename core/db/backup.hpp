#pragma once
// A consistent online copy of a live database with SQLite's backup API: it copies pages in steps,
// so the server's writer is never blocked for long, and restarts the copy if a write lands mid-way
// (the result is always one committed state).
#include <string>

#include "core/error.hpp"

namespace hl::db {

// Copies `source_path` to `target_path` (which must not exist yet), then checks the copy with
// PRAGMA integrity_check. Returns the number of pages copied.
Result<int> backup_database(const std::string& source_path, const std::string& target_path);

}  // namespace hl::db
