#pragma once
// The monthly statistics as files for the federation's reporting: a two-column table (项目, 数值)
// with Chinese item names, as CSV (UTF-8 with BOM, CRLF, RFC 4180 quoting — what Excel in a
// Chinese locale opens correctly) and as XLSX (libxlsxwriter; counts as numbers, rates as
// percentages, money in yuan with two decimals).
//
// The item names are the wording of the federation's own report forms, so they live here with the
// report rather than in the web front end's catalogues: the file is a document, not a screen.
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "casework/monthly_stats.hpp"
#include "core/error.hpp"

namespace hl::casework {

struct ReportLine {
  enum class Kind { text, count, rate, yuan, days };
  std::string label;
  Kind kind = Kind::count;
  std::string text;                  // Kind::text
  std::int64_t count = 0;            // Kind::count; Kind::yuan holds fen here
  std::optional<double> real;        // Kind::rate (0..1) and Kind::days; nullopt prints empty
};

// The report's lines in print order, starting with the month, the office and the scope.
std::vector<ReportLine> monthly_report_lines(const MonthlyStats& stats);

// "项目,数值" then one line per item; a rate as "97.50%", money as "1234.56" (yuan). Text values that a
// spreadsheet would run as a formula (an office named "=HYPERLINK(…)") get a leading "'"; numbers,
// negative ones included, are written as numbers (core/csv_writer.hpp).
std::string monthly_report_csv(const MonthlyStats& stats);

// The .xlsx file's bytes. internal when libxlsxwriter or the temporary file fails.
Result<std::string> monthly_report_xlsx(const MonthlyStats& stats);

// An ASCII file name without extension, e.g. "monthly-431023-2026-10" ("…-office-only" when the
// report counts the office alone).
std::string monthly_report_basename(const MonthlyStats& stats);

}  // namespace hl::casework
