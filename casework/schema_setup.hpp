#pragma once
// Brings a database to this release's schema (the migrations embedded from schema/*.sql).
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

// Applies missing migrations; returns how many ran. `conflict` when the database is newer.
Result<int> migrate_database(db::Connection& conn);
// The highest schema version this binary knows.
int known_schema_version();

}  // namespace hl::casework
