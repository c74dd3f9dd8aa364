#include "core/db/transaction.hpp"

namespace hl::db {

Transaction::Transaction(Connection& conn) : conn_(conn) { conn_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (done_) return;
  conn_.discard_before_commit();
  if (!conn_.in_transaction()) return;
  try {
    conn_.exec("ROLLBACK");
  } catch (...) {
    // Nothing more can be done in a destructor; SQLite rolls back on close anyway.
  }
}

void Transaction::commit() {
  conn_.run_before_commit();
  conn_.exec("COMMIT");
  done_ = true;
}

ReadSnapshot::ReadSnapshot(Connection& conn) : conn_(conn) { conn_.exec("BEGIN"); }

ReadSnapshot::~ReadSnapshot() {
  if (!conn_.in_transaction()) return;
  try {
    conn_.exec("ROLLBACK");  // ends a read transaction like COMMIT, and also after a failed statement
  } catch (...) {
    // Nothing more can be done in a destructor; the next BEGIN would fail loudly.
  }
}

}  // namespace hl::db
