#pragma once
// The cell texts of the first worksheet of an .xlsx file (Office Open XML), for imports of the
// ledgers (台账) federations keep in Excel. Only what an import needs: shared and inline strings,
// numbers as written in the file (a date cell is its serial number, e.g. "46316" — the importer
// converts those in date columns), booleans as "TRUE"/"FALSE"; no formulas evaluated (the cached
// value is read), no styles. The zip container is read with zlib (stored or deflated entries).
//
// Bounded: at most kMaxXlsxEntryBytes inflated per part and kMaxXlsxCells cells, so a small hostile
// file cannot expand into gigabytes.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv_reader.hpp"
#include "core/error.hpp"

namespace hl {

inline constexpr std::size_t kMaxXlsxEntryBytes = 64u << 20;
inline constexpr std::size_t kMaxXlsxCells = 2'000'000;

// True when the bytes start like a zip file (an .xlsx is one).
bool looks_like_xlsx(std::string_view bytes);

// Rows of the first worksheet as records: `line` is the spreadsheet's row number, fields the cells
// from column A on (empty for missing cells), trailing empty rows dropped. invalid_input naming
// "file" when the zip or the XML cannot be read.
Result<std::vector<CsvRecord>> read_xlsx_first_sheet(std::string_view bytes);

}  // namespace hl
