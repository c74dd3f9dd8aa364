#include "core/db/savepoint.hpp"

namespace hl::db {

Savepoint::Savepoint(Connection& conn) : conn_(conn) { conn_.exec("SAVEPOINT cmd"); }

Savepoint::~Savepoint() {
  if (done_) return;
  try {
    rollback();
  } catch (...) {
    // The enclosing transaction is gone (e.g. SQLite rolled it back itself): nothing to undo.
  }
}

void Savepoint::release() {
  conn_.exec("RELEASE cmd");
  done_ = true;
}

void Savepoint::rollback() {
  done_ = true;
  if (!conn_.in_transaction()) return;
  conn_.exec("ROLLBACK TO cmd");
  conn_.exec("RELEASE cmd");
}

}  // namespace hl::db
