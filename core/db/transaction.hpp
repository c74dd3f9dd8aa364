#pragma once
// RAII transactions. Transaction: BEGIN IMMEDIATE on construction, ROLLBACK on destruction unless
// commit() ran. ReadSnapshot: a read-only transaction, so that every statement run while it lives
// sees the same committed state (the WAL snapshot taken by its first read) — a report's figures, a
// case and its events — not each statement the state of its own moment.
#include "core/db/connection.hpp"

namespace hl::db {

class Transaction {
 public:
  explicit Transaction(Connection& conn);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  void commit();

 private:
  Connection& conn_;
  bool done_ = false;
};

class ReadSnapshot {
 public:
  explicit ReadSnapshot(Connection& conn);  // BEGIN (deferred: the snapshot starts at the first read)
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;
  ~ReadSnapshot();  // ends it (nothing to keep: it wrote nothing)

 private:
  Connection& conn_;
};

}  // namespace hl::db
