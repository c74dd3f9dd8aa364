#include "casework/monthly_stats_export.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <xlsxwriter.h>

#include "core/csv_writer.hpp"

namespace hl::casework {
namespace {

using Kind = ReportLine::Kind;

// The channel names of the report forms (来信 / 来访 / 来电 / 网访 …), by vocabulary code.
std::string channel_name(const std::string& code) {
  if (code == "hotline") return "来电";
  if (code == "walk_in") return "来访";
  if (code == "letter") return "来信";
  if (code == "online") return "网访";
  if (code == "agent") return "信访代理";
  if (code == "screening") return "排查发现";
  if (code == "transfer_in") return "转入";
  return code;
}

ReportLine text(std::string label, std::string value) { return {std::move(label), Kind::text, std::move(value), 0, {}}; }
ReportLine count(std::string label, std::int64_t n) { return {std::move(label), Kind::count, {}, n, {}}; }
ReportLine rate(std::string label, std::optional<double> r) { return {std::move(label), Kind::rate, {}, 0, r}; }

std::string yuan_text(std::int64_t fen) {
  const bool negative = fen < 0;
  const std::uint64_t abs = negative ? 0 - static_cast<std::uint64_t>(fen) : static_cast<std::uint64_t>(fen);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s%llu.%02llu", negative ? "-" : "", static_cast<unsigned long long>(abs / 100),
                static_cast<unsigned long long>(abs % 100));
  return buf;
}

std::string value_text(const ReportLine& l) {
  char buf[32];
  switch (l.kind) {
    case Kind::text: return l.text;
    case Kind::count: return std::to_string(l.count);
    case Kind::yuan: return yuan_text(l.count);
    case Kind::rate:
      if (!l.real) return {};
      std::snprintf(buf, sizeof buf, "%.2f%%", *l.real * 100.0);
      return buf;
    case Kind::days:
      if (!l.real) return {};
      std::snprintf(buf, sizeof buf, "%.1f", *l.real);
      return buf;
  }
  return {};
}

}  // namespace

std::vector<ReportLine> monthly_report_lines(const MonthlyStats& m) {
  std::vector<ReportLine> lines;
  char month[16];
  std::snprintf(month, sizeof month, "%04d-%02u", m.year, m.month);
  lines.push_back(text("统计月份", month));
  lines.push_back(text("统计单位", m.office.name));
  lines.push_back(text("统计范围", m.subtree ? "本级及下级" : "仅本级"));
  for (const auto& c : m.by_channel) {
    lines.push_back(count(channel_name(c.channel) + "（件）", c.count.matters));
    lines.push_back(count(channel_name(c.channel) + "（人次）", c.count.person_times));
  }
  lines.push_back(count("来信来访来电合计（件）", m.contacts_total.matters));
  lines.push_back(count("来信来访来电合计（人次）", m.contacts_total.person_times));
  lines.push_back(count("法律咨询（件）", m.consultations.matters));
  lines.push_back(count("法律咨询（人次）", m.consultations.person_times));
  lines.push_back(count("新登记个案（件）", m.cases_opened));
  lines.push_back(count("受理个案（件）", m.cases_accepted));
  lines.push_back(count("办结个案（件）", m.cases_closed));
  lines.push_back(count("其中不予受理（件）", m.cases_declined));
  lines.push_back(count("本月受理个案中已办结（件）", m.closure.numerator));
  lines.push_back(rate("案结率", m.closure.rate()));
  lines.push_back(count("需处理的来信来访来电（件）", m.handling.denominator));
  lines.push_back(count("已处理（件）", m.handling.numerator));
  lines.push_back(rate("处理率", m.handling.rate()));
  lines.push_back(count("法律援助转介（件）", m.legal_aid_referrals));
  lines.push_back({"避免经济损失（元）", Kind::yuan, {}, m.losses_avoided_fen, {}});
  lines.push_back({"平均办结天数", Kind::days, {}, 0, m.avg_days_to_close});
  lines.push_back(count("申请人身安全保护令（件）", m.protection_orders_applied));
  lines.push_back(count("签发人身安全保护令（件）", m.protection_orders_granted));
  lines.push_back(count("家庭暴力告诫书（件）", m.warning_letters));
  lines.push_back(count("临时庇护（件）", m.shelter_stays));
  lines.push_back(count("强制报告（件）", m.mandatory_reports));
  lines.push_back(count("回访（件）", m.follow_ups));
  lines.push_back(count("满意（件）", m.satisfied));
  lines.push_back(count("基本满意（件）", m.basically_satisfied));
  lines.push_back(count("不满意（件）", m.dissatisfied));
  lines.push_back(rate("满意率", m.satisfaction.rate()));
  return lines;
}

std::string monthly_report_csv(const MonthlyStats& m) {
  std::string out = "\xEF\xBB\xBF";  // BOM: Excel reads the file as UTF-8
  out += "项目,数值\r\n";
  for (const auto& l : monthly_report_lines(m)) {
    append_csv_text(out, l.label);
    out += ',';
    // Text (the office's name) may come from a person: formula-escaped. Numbers were formatted here
    // and stay numbers, a negative amount included (core/csv_writer.hpp).
    if (l.kind == Kind::text) append_csv_text(out, value_text(l));
    else append_csv_number(out, value_text(l));
    out += "\r\n";
  }
  return out;
}

Result<std::string> monthly_report_xlsx(const MonthlyStats& m) {
  std::string path = (std::filesystem::temp_directory_path() / "hotline-report-XXXXXX").string();
  const int fd = mkstemp(path.data());
  if (fd < 0) return fail(Errc::internal, "cannot create a temporary file for the workbook");
  ::close(fd);
  struct Remove {
    std::string p;
    ~Remove() { std::remove(p.c_str()); }
  } remove_after{path};

  lxw_workbook* wb = workbook_new(path.c_str());
  if (!wb) return fail(Errc::internal, "libxlsxwriter could not start a workbook");
  lxw_worksheet* ws = workbook_add_worksheet(wb, "月报");
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_format* percent = workbook_add_format(wb);
  format_set_num_format(percent, "0.00%");
  lxw_format* money = workbook_add_format(wb);
  format_set_num_format(money, "0.00");
  lxw_format* one_decimal = workbook_add_format(wb);
  format_set_num_format(one_decimal, "0.0");
  worksheet_set_column(ws, 0, 0, 34, nullptr);
  worksheet_set_column(ws, 1, 1, 18, nullptr);
  worksheet_write_string(ws, 0, 0, "项目", bold);
  worksheet_write_string(ws, 0, 1, "数值", bold);
  lxw_row_t row = 1;
  for (const auto& l : monthly_report_lines(m)) {
    worksheet_write_string(ws, row, 0, l.label.c_str(), nullptr);
    switch (l.kind) {
      case Kind::text: worksheet_write_string(ws, row, 1, l.text.c_str(), nullptr); break;
      case Kind::count: worksheet_write_number(ws, row, 1, static_cast<double>(l.count), nullptr); break;
      case Kind::yuan: worksheet_write_number(ws, row, 1, static_cast<double>(l.count) / 100.0, money); break;
      case Kind::rate:
        if (l.real) worksheet_write_number(ws, row, 1, *l.real, percent);
        break;
      case Kind::days:
        if (l.real) worksheet_write_number(ws, row, 1, *l.real, one_decimal);
        break;
    }
    ++row;
  }
  if (workbook_close(wb) != LXW_NO_ERROR) return fail(Errc::internal, "libxlsxwriter could not write the workbook");
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Errc::internal, "cannot read the workbook back");
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string monthly_report_basename(const MonthlyStats& m) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "monthly-%s-%04d-%02u%s", m.office.region_code.empty() ? "all" : m.office.region_code.c_str(),
                m.year, m.month, m.subtree ? "" : "-office-only");
  return buf;
}

}  // namespace hl::casework
