#pragma once
// SQLite failures inside the db layer are exceptions (they are unexpected and unwind RAII guards);
// the Writer and the repositories turn them into hl::Error values at their boundary.
#include <stdexcept>
#include <string>

namespace hl::db {

class DbError : public std::runtime_error {
 public:
  DbError(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }               // the SQLite extended result code
  bool is_constraint() const { return (code_ & 0xff) == 19; }  // SQLITE_CONSTRAINT
  bool is_busy() const { return (code_ & 0xff) == 5 || (code_ & 0xff) == 6; }

 private:
  int code_;
};

}  // namespace hl::db
