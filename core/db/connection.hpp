#pragma once
// One SQLite connection (RAII over sqlite3). Not shared between threads: the Writer owns the only
// read-write connection; each ReadPool worker owns a read-only one.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "core/db/statement.hpp"

struct sqlite3;

namespace hl::db {

struct OpenOptions {
  bool read_only = false;
  bool create = true;            // create the file when missing (read-write only)
  bool synchronous_full = true;  // FULL: a commit survives power loss; NORMAL only survives a crash
  int busy_timeout_ms = 5000;
};

class Connection {
 public:
  // Opens (and for read-write, switches to WAL), sets foreign_keys=ON, the busy timeout and the
  // synchronous level, and registers the bigram full-text tokenizer. Throws DbError on failure.
  static Connection open(const std::string& path, const OpenOptions& options = {});

  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Runs one or more statements without parameters (DDL, pragmas, BEGIN/COMMIT).
  void exec(std::string_view sql);
  // Prepared statements are cached: preparing the same SQL again reuses a handle.
  Statement prepare(std::string_view sql);
  std::int64_t last_insert_rowid() const;
  int changes() const;
  // Rows changed since the connection opened (sqlite3_total_changes64), virtual tables' commands too.
  std::int64_t total_changes() const;
  bool in_transaction() const;
  const std::string& path() const { return path_; }
  sqlite3* raw() const { return db_; }

  // Work to do once, just before the open transaction commits: derived data (the search index)
  // written once per transaction instead of once per change. The same key registered twice runs
  // once. Outside a transaction the work runs at once. The work must read the data as it is at
  // that moment (a savepoint rolled back since registering may have removed it).
  void before_commit(std::string key, std::function<void(Connection&)> work);
  // Runs and clears the registered work, in key order; whoever is about to COMMIT calls it
  // (Transaction::commit, the Writer). An exception leaves the rest registered.
  void run_before_commit();
  // Forgets the registered work (after a ROLLBACK of the whole transaction).
  void discard_before_commit() { before_commit_.clear(); }

 private:
  Connection(sqlite3* db, std::string path);
  sqlite3* db_ = nullptr;
  std::string path_;
  std::shared_ptr<StatementCache> cache_;
  std::map<std::string, std::function<void(Connection&)>> before_commit_;
};

}  // namespace hl::db
