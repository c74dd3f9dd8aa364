#include "casework/period_report_export.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <xlsxwriter.h>

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

std::vector<SheetRow> period_report_sheet(const PeriodReport& r) {
  std::vector<SheetRow> rows;
  rows.push_back({text(period_report_title(r))});
  rows.push_back({text("填报单位"), text(r.office.name)});
  rows.push_back({text("统计期间"), text(format_date(r.period.first) + " 至 " + format_date(r.period.last))});
  rows.push_back({text("统计范围"), text(r.scope == ReportScope::office ? "本级" : "本级及下级")});
  rows.push_back({text("报表日期"), text(datetime_text(r.as_of))});
  // Footnote numbers follow the definitions table's order over all sections.
  for (const auto& section : report_sections()) {
    rows.push_back({});
    rows.push_back({text(std::string(section.name_zh))});
    rows.push_back({text("指标"), text("单位"), text("数值"), text("注")});
    int note = 0;
    for (const auto& v : r.figures) {
      ++note;
      if (v.def->section != section.key) continue;
      rows.push_back({text(std::string(v.def->name_zh)), text(std::string(unit_zh(v.def->unit))), value_cell(v),
                      text("[" + std::to_string(note) + "]")});
    }
  }
  // Category × channel, contacts then cases (件).
  for (int pass = 0; pass < 2; ++pass) {
    rows.push_back({});
    rows.push_back({text(pass == 0 ? "按问题类别和渠道：来信来访来电（件）" : "按问题类别和渠道：登记案件（件）")});
    SheetRow head{text("问题类别")};
    for (const auto& ch : r.channels) head.push_back(text(std::string(channel_name_zh(ch))));
    head.push_back(text("合计"));
    rows.push_back(head);
    for (const auto& c : r.categories) {
      SheetRow row{text((c.level == 2 ? "　" : "") + c.name)};
      const auto& counts = pass == 0 ? c.contacts : c.cases;
      for (auto n : counts) row.push_back(integer(n));
      row.push_back(integer(pass == 0 ? c.contacts_total : c.cases_total));
      rows.push_back(row);
    }
  }
  rows.push_back({});
  rows.push_back({text("按月来信来访来电")});
  rows.push_back({text("月份"), text("件"), text("人次")});
  for (const auto& m : r.series) rows.push_back({text(m.month), integer(m.items), integer(m.person_times)});
  rows.push_back({});
  rows.push_back({text("注：")});
  int note = 0;
  for (const auto& v : r.figures) {
    ++note;
    rows.push_back({text("[" + std::to_string(note) + "] " + std::string(v.def->name_zh) + "：" +
                         std::string(v.def->definition))});
  }
  rows.push_back({text("[*] 办结率、按期办结率以报表日期为准；其余数字按事件发生日期计入所属期间，重新统计过去期间结果不变。")});
  rows.push_back({});
  rows.push_back({text("填报人："), empty(), text("审核人："), empty(), text("填报日期：")});
  return rows;
}

std::string period_report_csv(const PeriodReport& r) {
  std::string out = "\xEF\xBB\xBF";
  for (const auto& row : period_report_sheet(r)) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i > 0) out += ',';
      const auto& c = row[i];
      if (c.kind == Kind::text) append_csv_text(out, c.text);
      else if (c.kind != Kind::empty) append_csv_number(out, number_text(c));
    }
    out += "\r\n";
  }
  return out;
}

Result<std::string> period_report_xlsx(const PeriodReport& r) {
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
  lxw_format* two = workbook_add_format(wb);
  format_set_num_format(two, "0.00");
  worksheet_set_column(ws, 0, 0, 36, nullptr);
  worksheet_set_column(ws, 1, 8, 12, nullptr);
  lxw_row_t y = 0;
  for (const auto& row : period_report_sheet(r)) {
    for (std::size_t x = 0; x < row.size(); ++x) {
      const auto& c = row[x];
      const auto col = static_cast<lxw_col_t>(x);
      switch (c.kind) {
        case Kind::empty: break;
        case Kind::text: worksheet_write_string(ws, y, col, c.text.c_str(), nullptr); break;
        case Kind::integer: worksheet_write_number(ws, y, col, c.number, nullptr); break;
        case Kind::two_decimals: worksheet_write_number(ws, y, col, c.number, two); break;
      }
    }
    ++y;
  }
  if (workbook_close(wb) != LXW_NO_ERROR) return fail(Errc::internal, "libxlsxwriter could not write the workbook");
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Errc::internal, "cannot read the workbook back");
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string period_report_basename(const PeriodReport& r) {
  return "report-" + (r.office.region_code.empty() ? std::string("all") : r.office.region_code) + "-" + r.period.key +
         "-" + std::string(to_string(r.scope));
}

}  // namespace hl::casework
