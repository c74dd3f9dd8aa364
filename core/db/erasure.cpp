#include "core/db/erasure.hpp"

#include "core/db/db_error.hpp"

namespace hl::db {

SecureDelete::SecureDelete(Connection& conn) : conn_(conn) {
  auto st = conn_.prepare("PRAGMA secure_delete");
  was_on_ = st.step() && st.int64(0) != 0;
  st.reset();
  conn_.exec("PRAGMA secure_delete = ON");
}

SecureDelete::~SecureDelete() {
  try {
    if (!was_on_) conn_.exec("PRAGMA secure_delete = OFF");
  } catch (...) {
    // Left on: more zeroing than asked for, never less.
  }
}

Status truncate_wal(const std::string& path) {
  try {
    // A second at most: while it waits it holds up the Writer (a TRUNCATE checkpoint blocks new
    // writes). When it gives up, the old images go as the WAL is reused.
    auto conn = Connection::open(path, {.create = false, .busy_timeout_ms = 1000});
    // One row: busy (1 when the writer or a reader kept it from finishing), WAL frames, frames copied.
    auto st = conn.prepare("PRAGMA wal_checkpoint(TRUNCATE)");
    if (st.step() && st.int64(0) != 0)
      return fail(Errc::storage_unavailable, "the WAL of " + path + " could not be emptied: the database stayed busy");
    return {};
  } catch (const DbError& e) {
    return fail(Errc::storage_unavailable, "the WAL of " + path + " could not be emptied: " + e.what());
  }
}

}  // namespace hl::db
