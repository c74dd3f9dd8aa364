#include "core/db/connection.hpp"

#include <sqlite3.h>

#include <mutex>
#include <utility>

#include "core/db/bigram_tokenizer.hpp"
#include "core/db/db_error.hpp"
#include "core/db/statement_cache.hpp"

namespace hl::db {

namespace {

// Process-wide SQLite settings, applied once before the first connection. Memory statistics off:
// with them on, every SQLite allocation in every thread takes one global mutex.
void configure_sqlite_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_initialize();
  });
}

}  // namespace

Connection Connection::open(const std::string& path, const OpenOptions& options) {
  configure_sqlite_once();
  int flags = SQLITE_OPEN_NOMUTEX;  // each connection is used by one thread at a time
  if (options.read_only) {
    flags |= SQLITE_OPEN_READONLY;
  } else {
    flags |= SQLITE_OPEN_READWRITE;
    if (options.create) flags |= SQLITE_OPEN_CREATE;
  }
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    throw DbError(rc, "cannot open database " + path + ": " + msg);
  }
  Connection conn(db, path);
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  if (!options.read_only) conn.exec("PRAGMA journal_mode=WAL");
  conn.exec(options.synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
  conn.exec("PRAGMA foreign_keys=ON");
  conn.exec("PRAGMA temp_store=MEMORY");
  register_bigram_tokenizer(db);
  return conn;
}

Connection::Connection(sqlite3* db, std::string path)
    : db_(db), path_(std::move(path)), cache_(std::make_shared<StatementCache>()) {}

Connection::Connection(Connection&& o) noexcept
    : db_(std::exchange(o.db_, nullptr)),
      path_(std::move(o.path_)),
      cache_(std::move(o.cache_)),
      before_commit_(std::move(o.before_commit_)) {}

Connection& Connection::operator=(Connection&& o) noexcept {
  if (this != &o) {
    if (cache_) cache_->clear();
    sqlite3_close_v2(db_);
    db_ = std::exchange(o.db_, nullptr);
    path_ = std::move(o.path_);
    cache_ = std::move(o.cache_);
    before_commit_ = std::move(o.before_commit_);
  }
  return *this;
}

void Connection::before_commit(std::string key, std::function<void(Connection&)> work) {
  if (!in_transaction()) {
    work(*this);
    return;
  }
  before_commit_.try_emplace(std::move(key), std::move(work));
}

void Connection::run_before_commit() {
  while (!before_commit_.empty()) {
    auto node = before_commit_.extract(before_commit_.begin());
    node.mapped()(*this);
  }
}

// close_v2: statements still alive elsewhere are finalized later without leaking the handle.
Connection::~Connection() {
  if (cache_) cache_->clear();
  sqlite3_close_v2(db_);
}

void Connection::exec(std::string_view sql) {
  const std::string text(sql);  // sqlite3_exec needs a terminated string
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errmsg(db_);
    sqlite3_free(err);
    throw DbError(sqlite3_extended_errcode(db_), msg);
  }
}

Statement Connection::prepare(std::string_view sql) { return Statement(db_, sql, cache_); }
std::int64_t Connection::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
std::int64_t Connection::total_changes() const { return sqlite3_total_changes64(db_); }
int Connection::changes() const { return sqlite3_changes(db_); }
bool Connection::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

}  // namespace hl::db
