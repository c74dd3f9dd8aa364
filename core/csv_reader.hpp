#pragma once
// RFC 4180 CSV: commas, fields in double quotes may hold commas, quotes (doubled) and line breaks;
// CRLF or LF; lenient about stray quotes inside unquoted fields (kept, as spreadsheet programs do).
// Blank lines are skipped. Each record keeps the line it starts on, for error reports.
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace hl {

struct CsvRecord {
  int line = 0;
  std::vector<std::string> fields;
};

// invalid_input (field "file") when a quoted field is never closed.
Result<std::vector<CsvRecord>> read_csv(std::string_view text);

}  // namespace hl
