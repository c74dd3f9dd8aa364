#pragma once
// Schema migrations: numbered SQL files (schema/NNN_name.sql) embedded in the binary, applied in
// order, each in its own transaction together with its row in schema_migrations.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/db/connection.hpp"
#include "core/embedded_file.hpp"
#include "core/error.hpp"

namespace hl::db {

struct Migration {
  int version = 0;
  std::string name;
  std::string_view sql;
};

// Parses "NNN_name.sql" file names; files that do not match are an error (a typo must not be skipped).
Result<std::vector<Migration>> migrations_from_files(std::span<const EmbeddedFile> files);

// The highest applied version, 0 for an empty database.
int schema_version(Connection& conn);

// Applies the missing migrations and returns how many ran. Fails with `conflict` and a clear message
// when the database was written by a newer version (it holds a version this binary does not know).
Result<int> migrate(Connection& conn, std::span<const Migration> migrations);

}  // namespace hl::db
