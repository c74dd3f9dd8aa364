#pragma once
#include "core/db/connection.hpp"

namespace hl::db {

// RAII savepoint inside an open transaction: released by release(), rolled back to otherwise.
class Savepoint {
 public:
  explicit Savepoint(Connection& conn);
  Savepoint(const Savepoint&) = delete;
  Savepoint& operator=(const Savepoint&) = delete;
  ~Savepoint();
  void release();
  void rollback();  // undo everything since the savepoint and end it

 private:
  Connection& conn_;
  bool done_ = false;
};

}  // namespace hl::db
