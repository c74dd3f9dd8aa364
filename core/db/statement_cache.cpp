#include "core/db/statement_cache.hpp"

#include <sqlite3.h>

namespace hl::db {

StatementCache::~StatementCache() { clear(); }

sqlite3_stmt* StatementCache::take(std::string_view sql) {
  auto it = free_.find(sql);
  if (it == free_.end() || it->second.empty()) return nullptr;
  sqlite3_stmt* s = it->second.back();
  it->second.pop_back();
  --count_;
  return s;
}

void StatementCache::give_back(sqlite3_stmt* stmt) {
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  if (count_ >= kMaxStatements) {
    sqlite3_finalize(stmt);
    return;
  }
  free_[sqlite3_sql(stmt)].push_back(stmt);
  ++count_;
}

void StatementCache::clear() {
  for (auto& [sql, stmts] : free_)
    for (auto* s : stmts) sqlite3_finalize(s);
  free_.clear();
  count_ = 0;
}

}  // namespace hl::db
