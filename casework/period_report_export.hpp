#pragma once
// The period report as a filing-ready document: one sheet model built from the definitions table
// (title, office, period, scope, report date, the sections with a footnote number on every figure,
// for a 本级及下级 report of an office with offices below one column per office beside the total,
// the category × channel tables, the monthly series, the footnotes with every definition, and the
// lines 制表人 / 审核人 / 报送日期), written as CSV (UTF-8 with BOM, CRLF, RFC 4180 via
// core/csv_writer) or as XLSX (libxlsxwriter, laid out for printing on A4). Both print the same
// cells: counts as integers, yuan and percentages with two decimals (a percentage as the number 97.50
// under the unit "%"). Labels are the desk's: both read the definitions table.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "casework/actor.hpp"
#include "casework/period_report.hpp"
#include "core/error.hpp"

namespace hl::casework {

struct SheetCell {
  enum class Kind { empty, text, integer, two_decimals } kind = Kind::empty;
  std::string text;
  double number = 0;
};

struct SheetRow {
  // How the XLSX sets the row (the CSV has no styles): the title across the table, a section's
  // name, a table's column heads, a table row (bordered), a footnote (wrapped across the table's
  // width), or plain text (the heading lines, the signature line).
  enum class Style { plain, title, section, head, cells, note } style = Style::plain;
  std::vector<SheetCell> cells;
};

// Everything a printed form carries beside the figures.
struct ReportDocument {
  PeriodReport report;
  // A 本级及下级 report of an office with active offices below: its own figures (本级) and each
  // office directly below (its 本级及下级), printed beside the total. Empty otherwise.
  std::vector<std::pair<std::string, PeriodReport>> columns;
  std::string prepared_by;          // 制表人: who made the export
  std::optional<TimeMs> filed_at;   // 报送日期: the filing in force, if the report was filed
  int filed_version = 0;
};

class ReportDocumentService {
 public:
  // The report in the actor's scope (as PeriodReportService::compute), with its office columns,
  // the actor's name and the filing in force.
  static Result<ReportDocument> compose(db::Connection& conn, const Actor& actor, std::optional<std::int64_t> office_id,
                                        const ReportPeriod& period, ReportScope scope, TimeMs now);
};

std::vector<SheetRow> period_report_sheet(const ReportDocument& d);
std::string period_report_csv(const ReportDocument& d);
Result<std::string> period_report_xlsx(const ReportDocument& d);

// "report-431023-2026-Q3-subtree" (ASCII) and "季报-永兴县妇联-2026-Q3" (the Chinese file name).
std::string period_report_basename(const PeriodReport& r);
std::string period_report_title(const PeriodReport& r);  // "2026年第3季度妇联信访统计季报"

}  // namespace hl::casework
