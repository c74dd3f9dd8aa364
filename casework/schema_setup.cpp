#include "casework/schema_setup.hpp"

#include "core/db/migrations.hpp"
#include "schema/embedded_schema.hpp"

namespace hl::casework {

Result<int> migrate_database(db::Connection& conn) {
  auto migrations = db::migrations_from_files(schema::sql_files());
  if (!migrations) return std::unexpected(migrations.error());
  return db::migrate(conn, *migrations);
}

int known_schema_version() {
  auto migrations = db::migrations_from_files(schema::sql_files());
  return migrations && !migrations->empty() ? migrations->back().version : 0;
}

}  // namespace hl::casework
