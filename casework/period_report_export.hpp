#pragma once
// The period report as a document: one sheet model built from the definitions table (title,
// office, period, scope, report date, the sections with a footnote number on every figure, the
// category × channel tables, the monthly series, the footnotes with every definition, and the
// signature lines 填报人 / 审核人 / 填报日期), written as CSV (UTF-8 with BOM, CRLF, RFC 4180 via
// core/csv_writer) or as XLSX (libxlsxwriter). Both print the same cells: counts as integers,
// yuan and percentages with two decimals (a percentage as the number 97.50 under the unit "%").
#include <optional>
#include <string>
#include <vector>

#include "casework/period_report.hpp"
#include "core/error.hpp"

namespace hl::casework {

struct SheetCell {
  enum class Kind { empty, text, integer, two_decimals } kind = Kind::empty;
  std::string text;
  double number = 0;
};
using SheetRow = std::vector<SheetCell>;

std::vector<SheetRow> period_report_sheet(const PeriodReport& r);
std::string period_report_csv(const PeriodReport& r);
Result<std::string> period_report_xlsx(const PeriodReport& r);

// "report-431023-2026-Q3-subtree" (ASCII) and "季报-永兴县妇联-2026-Q3" (the Chinese file name).
std::string period_report_basename(const PeriodReport& r);
std::string period_report_title(const PeriodReport& r);  // "2026年第3季度妇联信访统计季报"

}  // namespace hl::casework
