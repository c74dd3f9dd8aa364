#include "core/db/migrations.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "core/db/db_error.hpp"
#include "core/db/transaction.hpp"

namespace hl::db {
namespace {

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)";
constexpr std::string_view kMaxVersion = "SELECT coalesce(max(version), 0) FROM schema_migrations";
constexpr std::string_view kRecord =
    "INSERT INTO schema_migrations(version, name, applied_at)"
    " VALUES (?1, ?2, CAST(strftime('%s','now') AS INTEGER) * 1000)";

}  // namespace

Result<std::vector<Migration>> migrations_from_files(std::span<const EmbeddedFile> files) {
  std::vector<Migration> out;
  for (const auto& f : files) {
    const std::string_view name = f.path;
    const auto underscore = name.find('_');
    int version = 0;
    const bool numbered = underscore == 3 &&
                          std::from_chars(name.data(), name.data() + 3, version).ptr == name.data() + 3;
    if (!numbered || !name.ends_with(".sql") || version <= 0)
      return fail(Errc::internal, "schema file is not named NNN_name.sql: " + std::string(name));
    if (!out.empty() && out.back().version >= version)
      return fail(Errc::internal, "duplicate schema version in " + std::string(name));
    out.push_back({version, std::string(name.substr(4, name.size() - 8)), f.data});
  }
  return out;
}

int schema_version(Connection& conn) {
  conn.exec(kCreateTable);
  auto st = conn.prepare(kMaxVersion);
  st.step();
  return static_cast<int>(st.int64(0));
}

Result<int> migrate(Connection& conn, std::span<const Migration> migrations) {
  const int current = schema_version(conn);
  const int known = migrations.empty() ? 0 : migrations.back().version;
  if (current > known)
    return fail(Errc::conflict, "the database is at schema version " + std::to_string(current) +
                                    " but this hotline only knows up to version " + std::to_string(known) +
                                    ": it was written by a newer release. Upgrade hotline, or restore a backup"
                                    " made by this release; refusing to start.");
  int applied = 0;
  for (const auto& m : migrations) {
    if (m.version <= current) continue;
    try {
      Transaction tx(conn);
      conn.exec(m.sql);
      conn.prepare(kRecord).bind_all(m.version, m.name).run();
      tx.commit();
    } catch (const DbError& e) {
      char label[16];
      std::snprintf(label, sizeof label, "%03d_", m.version);
      return fail(Errc::internal, "migration " + std::string(label) + m.name + " failed: " + e.what());
    }
    ++applied;
  }
  return applied;
}

}  // namespace hl::db
