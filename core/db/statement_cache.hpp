#pragma once
// Prepared statements kept per connection for reuse: preparing SQL costs more than running most of
// our statements. A Statement takes a handle out (so nested use of the same SQL gets its own) and
// gives it back, reset and unbound, when destroyed. Not shared between threads: it belongs to its
// connection's thread. Held by shared_ptr so a Statement that outlives its Connection stays valid.
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct sqlite3_stmt;

namespace hl::db {

class StatementCache {
 public:
  StatementCache() = default;
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;
  ~StatementCache();  // finalizes what it holds

  sqlite3_stmt* take(std::string_view sql);  // nullptr when none is cached
  void give_back(sqlite3_stmt* stmt);        // resets, unbinds and keeps it (or finalizes if full)
  void clear();

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  static constexpr std::size_t kMaxStatements = 256;
  std::unordered_map<std::string, std::vector<sqlite3_stmt*>, Hash, std::equal_to<>> free_;
  std::size_t count_ = 0;
};

}  // namespace hl::db
