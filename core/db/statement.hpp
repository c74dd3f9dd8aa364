#pragma once
// A prepared statement (RAII over sqlite3_stmt). Not shared between threads: it belongs to the
// thread that owns its Connection. Parameters are 1-based, as in SQLite.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace hl::db {

class StatementCache;

class Statement {
 public:
  // Reuses a cached handle for the same SQL when `cache` has one; gives it back on destruction.
  Statement(sqlite3* db, std::string_view sql, std::shared_ptr<StatementCache> cache = nullptr);
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, std::nullptr_t);
  Statement& bind_blob(int index, std::string_view bytes);
  // GCC 12 reports a false -Wmaybe-uninitialized here when the optional comes from an inlined
  // std::optional-returning call; the value is only read when has_value() is true.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
  template <class T>
  Statement& bind(int index, const std::optional<T>& value) {
    if (!value.has_value()) return bind(index, nullptr);
    return bind(index, *value);
  }
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
  // Binds the arguments to parameters 1..N in order.
  template <class... A>
  Statement& bind_all(const A&... args) {
    int i = 0;
    (bind(++i, args), ...);
    return *this;
  }

  // Advances; true while a row is available. Throws DbError on failure.
  bool step();
  // Runs a statement that returns no rows (or ignores them).
  void run();
  void reset();

  int column_count() const;
  bool is_null(int col) const;
  std::int64_t int64(int col) const;
  double real(int col) const;
  std::string text(int col) const;
  std::string blob(int col) const;
  std::optional<std::int64_t> opt_int64(int col) const;
  std::optional<std::string> opt_text(int col) const;

 private:
  void check(int rc) const;
  void release() noexcept;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  std::shared_ptr<StatementCache> cache_;
};

}  // namespace hl::db
