#pragma once
// The ONE definitions table of the offices' statistics (DOMAIN.md "Statistics the offices report").
// Every figure of the period report — JSON, CSV, XLSX, the desk, a filing — comes from this table:
// its key, names, unit, section, the definition printed as a footnote, and the query that computes it.
//
// Queries: a figure's `select` is its column expression(s) over the rows its `from` reads (one row).
// Counts and money select one integer column (money in fen); rates select two, numerator and
// denominator. Figures with the same `from` are computed by one statement (the columns side by side),
// so a year's contacts are read once, not once per figure; the statements are joined at compile time
// (figure_statements). Parameters: ?1 the scope office's path, ?2..?3 the period [from, to), ?4 the
// report date (as_of; 督办逾期 reads it), ?5 1 for 本级及下级 and 0 for 本级 alone. Each figure is
// attributed to the period of the event that defines it (a contact's receipt, a case_events row, an
// order's ruling …), never to a case's current status, so a past period gives the same numbers when
// re-run.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "casework/report_period.hpp"

namespace hl::casework {

enum class FigureUnit { items, person_times, persons, batches, yuan, percent };
std::string_view unit_zh(FigureUnit u);   // 件 人次 人 批次 元 %
std::string_view unit_key(FigureUnit u);  // items person_times persons batches yuan percent

struct SectionDef {
  std::string_view key, name_zh, name_en;
};

struct FigureDef {
  std::string_view key;         // "contacts.hotline.items"
  std::string_view name_zh, name_en;
  FigureUnit unit;
  std::string_view section;     // a SectionDef key
  std::string_view definition;  // Chinese, printed as the footnote
  std::string_view select;      // the column expression(s), see above
  std::string_view from;        // " FROM … WHERE …", shared by the figures read from the same rows
};

std::span<const SectionDef> report_sections();
std::span<const FigureDef> report_figures();
const FigureDef* find_figure(std::string_view key);

// The channel names of the report forms (来信 / 来访 / 来电 / 网上信访 …) by vocabulary code: the
// column heads of the category × channel table.
std::string_view channel_name_zh(std::string_view code);

// The statements that compute the figures, each one constant text (parameters above), and for
// report_figures()[i] the index of its statement here; a statement's columns are those of its figures
// in table order (two for a rate).
std::span<const std::string_view> figure_statements();
std::size_t figure_statement_of(std::size_t figure);

// The category × channel table, one row per data contact (category or '' for none, channel,
// received_at, persons — the monthly series is summed from the same rows) and per case opened
// (category, channel); the same parameters and counting rules as the figures above. Its rows: the
// categories (code, parent code or '', name), in order.
std::string_view category_contacts_sql();
std::string_view category_cases_sql();
std::string_view category_list_sql();

}  // namespace hl::casework
