#include "casework/period_report_export.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <xlsxwriter.h>

#include "casework/report_filing.hpp"
#include "casework/user_repository.hpp"
#include "core/csv_writer.hpp"

namespace hl::casework {
namespace {

using Kind = SheetCell::Kind;

SheetCell text(std::string s) { return {Kind::text, std::move(s), 0}; }
SheetCell integer(std::int64_t n) { return {Kind::integer, {}, static_cast<double>(n)}; }
SheetCell decimals(double d) { return {Kind::two_decimals, {}, d}; }
SheetCell empty() { return {}; }

SheetCell value_cell(const FigureValue& v) {
  const auto value = v.value();
  if (!value) return empty();
  if (v.def->unit == FigureUnit::yuan || v.def->unit == FigureUnit::percent) return decimals(*value);
  return integer(v.amount);
}

std::string kind_zh(PeriodKind k) {
  switch (k) {
    case PeriodKind::month: return "月报";
    case PeriodKind::quarter: return "季报";
    case PeriodKind::half: return "半年报";
    case PeriodKind::year: return "年报";
    case PeriodKind::range: return "统计表";
  }
  return "统计表";
}

std::string datetime_text(TimeMs t) {
  const LocalDate d = local_date(t);
  const TimeMs in_day = t - start_of_local_day(d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s %02lld:%02lld", format_date(d).c_str(), static_cast<long long>(in_day / 3600000),
                static_cast<long long>(in_day / 60000 % 60));
  return buf;
}

std::size_t codepoints(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string number_text(const SheetCell& c) {
  char buf[48];
  if (c.kind == Kind::integer) std::snprintf(buf, sizeof buf, "%.0f", c.number);
  else std::snprintf(buf, sizeof buf, "%.2f", c.number);
  return buf;
}

}  // namespace

std::string period_report_title(const PeriodReport& r) {
  const auto& p = r.period;
  std::string when;
  switch (p.kind) {
    case PeriodKind::month: when = std::to_string(p.first.year) + "年" + std::to_string(p.first.month) + "月"; break;
    case PeriodKind::quarter:
      when = std::to_string(p.first.year) + "年第" + std::to_string((p.first.month + 2) / 3) + "季度";
      break;
    case PeriodKind::half: when = std::to_string(p.first.year) + (p.first.month == 1 ? "年上半年" : "年下半年"); break;
    case PeriodKind::year: when = std::to_string(p.first.year) + "年"; break;
    case PeriodKind::range: when = format_date(p.first) + "至" + format_date(p.last); break;
  }
  return when + "妇联信访统计" + kind_zh(p.kind);
}

std::vector<SheetRow> period_report_sheet(const ReportDocument& d) {
  using Style = SheetRow::Style;
  const PeriodReport& r = d.report;
  std::vector<SheetRow> rows;
  auto row = [&rows](Style style, std::vector<SheetCell> cells) { rows.push_back({style, std::move(cells)}); };
  row(Style::title, {text(period_report_title(r))});
  row(Style::plain, {text("填报单位"), text(r.office.name)});
  row(Style::plain, {text("统计期间"), text(format_date(r.period.first) + " 至 " + format_date(r.period.last))});
  row(Style::plain, {text("统计范围"), text(r.scope == ReportScope::office ? "本级" : "本级及下级")});
  row(Style::plain, {text("报表日期"), text(datetime_text(r.as_of))});
  // Footnote numbers follow the definitions table's order over all sections. Every column's
  // report has the same figures in the same order (one definitions table).
  for (const auto& section : report_sections()) {
    row(Style::plain, {});
    row(Style::section, {text(std::string(section.name_zh))});
    std::vector<SheetCell> head{text("指标"), text("单位"), text(d.columns.empty() ? "数值" : "合计")};
    for (const auto& [name, column] : d.columns) head.push_back(text(name));
    head.push_back(text("注"));
    row(Style::head, std::move(head));
    for (std::size_t i = 0; i < r.figures.size(); ++i) {
      const auto& v = r.figures[i];
      if (v.def->section != section.key) continue;
      std::vector<SheetCell> cells{text(std::string(v.def->name_zh)), text(std::string(unit_zh(v.def->unit))),
                                   value_cell(v)};
      for (const auto& [name, column] : d.columns) cells.push_back(value_cell(column.figures[i]));
      cells.push_back(text("[" + std::to_string(i + 1) + "]"));
      row(Style::cells, std::move(cells));
    }
  }
  // Category × channel, contacts then cases (件), for the report's whole scope.
  for (int pass = 0; pass < 2; ++pass) {
    row(Style::plain, {});
    row(Style::section, {text(pass == 0 ? "按问题类别和渠道：来信来访来电（件）" : "按问题类别和渠道：登记案件（件）")});
    std::vector<SheetCell> head{text("问题类别")};
    for (const auto& ch : r.channels) head.push_back(text(std::string(channel_name_zh(ch))));
    head.push_back(text("合计"));
    row(Style::head, std::move(head));
    for (const auto& c : r.categories) {
      std::vector<SheetCell> cells{text((c.level == 2 ? "　" : "") + c.name)};
      const auto& counts = pass == 0 ? c.contacts : c.cases;
      for (auto n : counts) cells.push_back(integer(n));
      cells.push_back(integer(pass == 0 ? c.contacts_total : c.cases_total));
      row(Style::cells, std::move(cells));
    }
  }
  row(Style::plain, {});
  row(Style::section, {text("按月来信来访来电")});
  row(Style::head, {text("月份"), text("件"), text("人次")});
  for (const auto& m : r.series) row(Style::cells, {text(m.month), integer(m.items), integer(m.person_times)});
  row(Style::plain, {});
  row(Style::plain, {text("注：")});
  for (std::size_t i = 0; i < r.figures.size(); ++i) {
    const auto& v = r.figures[i];
    row(Style::note, {text("[" + std::to_string(i + 1) + "] " + std::string(v.def->name_zh) + "：" +
                           std::string(v.def->definition))});
  }
  row(Style::note, {text("[*] 办结率、按期办结率以报表日期为准；其余数字按事件发生日期计入所属期间，重新统计过去期间结果不变。")});
  if (!d.columns.empty())
    row(Style::note, {text("[*] 各下级单位列为该单位本级及下级的数字，“本级”列为本单位自身的数字；单位之间交办、转送的同一事项"
                            "在合计中只计一次，故各列之和可能大于合计；比率不相加。")});
  row(Style::plain, {});
  std::string filed = "报送日期：";
  if (d.filed_at) filed += format_date(local_date(*d.filed_at)) + "（第" + std::to_string(d.filed_version) + "版）";
  row(Style::plain, {text("制表人：" + d.prepared_by), empty(), text("审核人："), empty(), text(filed)});
  return rows;
}

std::string period_report_csv(const ReportDocument& d) {
  std::string out = "\xEF\xBB\xBF";
  for (const auto& row : period_report_sheet(d)) {
    for (std::size_t i = 0; i < row.cells.size(); ++i) {
      if (i > 0) out += ',';
      const auto& c = row.cells[i];
      if (c.kind == Kind::text) append_csv_text(out, c.text);
      else if (c.kind != Kind::empty) append_csv_number(out, number_text(c));
    }
    out += "\r\n";
  }
  return out;
}

Result<std::string> period_report_xlsx(const ReportDocument& d) {
  std::string path = (std::filesystem::temp_directory_path() / "hotline-period-XXXXXX").string();
  const int fd = mkstemp(path.data());
  if (fd < 0) return fail(Errc::internal, "cannot create a temporary file for the workbook");
  ::close(fd);
  struct Remove {
    std::string p;
    ~Remove() { std::remove(p.c_str()); }
  } remove_after{path};
  lxw_workbook* wb = workbook_new(path.c_str());
  if (!wb) return fail(Errc::internal, "libxlsxwriter could not start a workbook");
  lxw_worksheet* ws = workbook_add_worksheet(wb, "统计表");
  const auto rows = period_report_sheet(d);
  // Formats: a bordered table cell (text, count, two decimals), its bold grey head, the title, a section.
  auto format = [wb](bool border) {
    lxw_format* f = workbook_add_format(wb);
    format_set_font_name(f, "宋体");
    format_set_font_size(f, 11);
    if (border) format_set_border(f, LXW_BORDER_THIN);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    return f;
  };
  lxw_format* plain = format(false);
  lxw_format* cell_text = format(true);
  format_set_text_wrap(cell_text);
  lxw_format* cell_count = format(true);
  format_set_num_format(cell_count, "0");
  lxw_format* cell_two = format(true);
  format_set_num_format(cell_two, "0.00");
  lxw_format* head = format(true);
  format_set_bold(head);
  format_set_bg_color(head, 0xD9D9D9);
  format_set_align(head, LXW_ALIGN_CENTER);
  format_set_text_wrap(head);
  lxw_format* title = format(false);
  format_set_bold(title);
  format_set_font_size(title, 16);
  format_set_align(title, LXW_ALIGN_CENTER);
  lxw_format* section = format(false);
  format_set_bold(section);
  format_set_font_size(section, 12);

  lxw_format* note = format(false);
  format_set_text_wrap(note);
  format_set_align(note, LXW_ALIGN_VERTICAL_TOP);

  std::size_t width = 1;
  for (const auto& row : rows)
    if (row.style == SheetRow::Style::head) width = std::max(width, row.cells.size());
  const double line_units = 34 + 11.0 * static_cast<double>(width - 1) - 4;
  worksheet_set_column(ws, 0, 0, 34, nullptr);
  worksheet_set_column(ws, 1, static_cast<lxw_col_t>(width - 1), 11, nullptr);
  worksheet_set_landscape(ws);
  worksheet_set_paper(ws, 9);  // A4
  worksheet_fit_to_pages(ws, 1, 0);
  worksheet_set_footer(ws, "&C第 &P 页，共 &N 页");

  lxw_row_t y = 0;
  for (const auto& row : rows) {
    if (row.style == SheetRow::Style::title || row.style == SheetRow::Style::note) {
      const bool is_title = row.style == SheetRow::Style::title;
      const std::string& s = row.cells.at(0).text;
      worksheet_merge_range(ws, y, 0, y, static_cast<lxw_col_t>(width - 1), s.c_str(), is_title ? title : note);
      // A merged cell does not grow with its wrapped text: give it the lines it needs (a Chinese
      // character is about two width units).
      const double units = 2.0 * static_cast<double>(codepoints(s));
      worksheet_set_row(ws, y, is_title ? 28 : 15 * std::ceil(units / line_units), nullptr);
      ++y;
      continue;
    }
    for (std::size_t x = 0; x < row.cells.size(); ++x) {
      const auto& c = row.cells[x];
      const auto col = static_cast<lxw_col_t>(x);
      const bool table = row.style == SheetRow::Style::cells;
      lxw_format* text_format = row.style == SheetRow::Style::head      ? head
                                : row.style == SheetRow::Style::section ? section
                                : table                                 ? cell_text
                                                                        : plain;
      switch (c.kind) {
        case Kind::empty:
          if (table) worksheet_write_blank(ws, y, col, cell_text);
          break;
        case Kind::text: worksheet_write_string(ws, y, col, c.text.c_str(), text_format); break;
        case Kind::integer: worksheet_write_number(ws, y, col, c.number, table ? cell_count : plain); break;
        case Kind::two_decimals: worksheet_write_number(ws, y, col, c.number, cell_two); break;
      }
    }
    ++y;
  }
  if (workbook_close(wb) != LXW_NO_ERROR) return fail(Errc::internal, "libxlsxwriter could not write the workbook");
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Errc::internal, "cannot read the workbook back");
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Result<ReportDocument> ReportDocumentService::compose(db::Connection& conn, const Actor& actor,
                                                      std::optional<std::int64_t> office_id, const ReportPeriod& period,
                                                      ReportScope scope, TimeMs now) {
  auto report = PeriodReportService::compute(conn, actor, office_id, period, scope, now);
  if (!report) return std::unexpected(report.error());
  ReportDocument d{std::move(*report), {}, UserRepository::display_name(conn, actor.user_id).value_or(""), {}, 0};
  const ScopeOffice& office = d.report.office;
  if (scope == ReportScope::subtree && office.id != 0) {
    auto below = offices_directly_below(conn, office.id);
    if (!below.empty()) {
      d.columns.emplace_back("本级", PeriodReportService::compute_for(conn, office, period, ReportScope::office, now));
      for (const auto& child : below)
        d.columns.emplace_back(child.name, PeriodReportService::compute_for(conn, child, period, ReportScope::subtree, now));
    }
  }
  if (auto filed = ReportFilingService::in_force(conn, office.id, period.key, scope)) {
    d.filed_at = filed->filed_at;
    d.filed_version = filed->version;
  }
  return d;
}

std::string period_report_basename(const PeriodReport& r) {
  return "report-" + (r.office.region_code.empty() ? std::string("all") : r.office.region_code) + "-" + r.period.key +
         "-" + std::string(to_string(r.scope));
}

}  // namespace hl::casework
