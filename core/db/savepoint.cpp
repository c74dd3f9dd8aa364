#include "core/db/savepoint.hpp"

namespace hl::db {

Savepoint::Savepoint(Connection& conn) : conn_(conn) { conn_.prepare("SAVEPOINT cmd").run(); }

Savepoint::~Savepoint() {
  if (done_) return;
  try {
    rollback();
  } catch (...) {
    // The enclosing transaction is gone (e.g. SQLite rolled it back itself): nothing to undo.
  }
}

void Savepoint::release() {
  conn_.prepare("RELEASE cmd").run();
  done_ = true;
}

void Savepoint::rollback() {
  done_ = true;
  if (!conn_.in_transaction()) return;
  conn_.prepare("ROLLBACK TO cmd").run();
  conn_.prepare("RELEASE cmd").run();
}

}  // namespace hl::db
