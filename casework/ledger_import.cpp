// Reading a legacy ledger (header mapping, row validation); writing its rows is in
// ledger_import_write.cpp, the cell values' spellings in ledger_values.cpp, the batching through the
// server in ledger_import_run.cpp.
#include "casework/ledger_import.hpp"

#include <algorithm>
#include <array>
#include <map>

#include "casework/case_search.hpp"
#include "casework/case_service.hpp"
#include "casework/contact_repository.hpp"
#include "casework/deadline_policy.hpp"
#include "casework/ledger_values.hpp"
#include "casework/person_numbers.hpp"
#include "casework/vocabulary.hpp"
#include "core/db/db_error.hpp"
#include "core/crypto/sha256.hpp"
#include "core/csv_reader.hpp"
#include "core/db/transaction.hpp"
#include "core/local_time.hpp"
#include "core/text_rules.hpp"
#include "core/xlsx_reader.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kCategories =
    "SELECT c.code, c.name_zh, coalesce(p.name_zh, '') FROM categories c LEFT JOIN categories p ON p.code = c.parent_code"
    " WHERE c.parent_code IS NOT NULL AND c.active = 1 ORDER BY c.sort, c.code";


constexpr std::size_t kMaxSummary = kLedgerMaxSummary;
constexpr std::size_t kMaxName = 100;
constexpr std::size_t kMaxText = 20000;
constexpr int kMaxPersons = 1000;

enum class Column {
  received_at, channel, category, summary, name, phone, id_number, handling, status, closed_at, persons, losses_avoided, losses_recovered,
  consultation_kind
};

struct ColumnNames {
  Column column;
  std::string_view label;  // how reasons name it
  std::array<std::string_view, 8> aliases;
};

// Header names, normalised (ASCII lower case, parentheses full-width). Unused slots are "".
constexpr std::array<ColumnNames, 14> kColumns = {{
    {Column::received_at, "登记日期", {"登记日期", "日期", "来电日期", "来访日期", "接待日期", "受理日期", "received_at"}},
    {Column::channel, "来源", {"来源", "来源渠道", "渠道", "反映渠道", "channel"}},
    {Column::category, "问题类别", {"问题类别", "问题类型", "类别", "category"}},
    {Column::summary, "诉求", {"诉求", "主要诉求", "反映问题", "问题摘要", "摘要", "summary"}},
    {Column::name, "姓名", {"姓名", "当事人", "来访人", "求助人", "name"}},
    {Column::phone, "电话", {"电话", "联系电话", "手机", "手机号", "phone"}},
    {Column::id_number, "身份证号", {"身份证号", "身份证号码", "证件号码", "id_number"}},
    {Column::handling, "处理情况", {"处理情况", "处理结果", "办理情况", "handling"}},
    {Column::status, "状态", {"状态", "办理状态", "status"}},
    {Column::closed_at, "办结日期", {"办结日期", "结案日期", "closed_at"}},
    {Column::persons, "人数", {"人数", "来访人数", "persons"}},
    // Two figures of the reports, never one mapped onto the other (issue #14).
    {Column::losses_avoided, "避免经济损失（元）", {"避免经济损失（元）", "避免经济损失", "避免损失", "losses_avoided_yuan"}},
    {Column::losses_recovered, "挽回经济损失（元）",
     {"挽回经济损失（元）", "挽回经济损失", "挽回损失", "losses_recovered_yuan"}},
    // What a consultation ledger (咨询台账) keeps: the report counts consultations by kind (issue #14).
    {Column::consultation_kind, "咨询类别", {"咨询类别", "咨询类型", "consultation_kind"}},
}};
constexpr std::array kRequired = {Column::received_at, Column::channel, Column::category, Column::summary};

// A column's field key: its English name, the last alias ("received_at", …).
std::string_view key_of(const ColumnNames& c) {
  std::string_view key;
  for (auto a : c.aliases)
    if (!a.empty()) key = a;
  return key;
}


struct Categories {
  std::map<std::string, std::string> by_name;  // name_zh → code (second level; first one wins)
  std::map<std::string, std::string> by_both;  // "婚姻家庭/家庭暴力" → code
  std::map<std::string, std::string> codes;    // code → code

  std::optional<std::string> find(const std::string& raw) const {
    if (auto it = codes.find(raw); it != codes.end()) return it->second;
    if (auto it = by_name.find(raw); it != by_name.end()) return it->second;
    std::string s = raw;
    for (std::string_view sep : {"／", "－", "—", "-"}) s = replace_all(std::move(s), sep, "/");
    if (auto it = by_both.find(s); it != by_both.end()) return it->second;
    return std::nullopt;
  }
};

Categories load_categories(db::Connection& conn) {
  Categories c;
  auto st = conn.prepare(kCategories);
  while (st.step()) {
    const std::string code = st.text(0), name = st.text(1), parent = st.text(2);
    c.codes.emplace(code, code);
    c.by_name.emplace(name, code);
    c.by_both.emplace(parent + "/" + name, code);
  }
  return c;
}


}  // namespace

std::vector<std::string> ledger_field_keys() {
  std::vector<std::string> out;
  for (const auto& c : kColumns) out.emplace_back(key_of(c));
  return out;
}

namespace {

// The file's records: a workbook's first sheet or the CSV, refusing text that is not UTF-8.
Result<std::vector<CsvRecord>> load_records(std::string_view file) {
  Result<std::vector<CsvRecord>> records;
  if (looks_like_xlsx(file)) {
    // An Excel workbook as it is: its first worksheet, rows numbered as Excel numbers them.
    records = read_xlsx_first_sheet(file);
    if (records) {
      for (const auto& r : *records)
        for (const auto& f : r.fields)
          if (!valid_utf8(f))
            return fail(Errc::invalid_input, "the workbook holds text that is not UTF-8", {{"file", "not UTF-8"}});
    }
  } else {
    if (file.starts_with("\xEF\xBB\xBF")) file.remove_prefix(3);
    if (const auto bad_at = valid_utf8_prefix(file); bad_at != file.size())
      return fail(Errc::invalid_input, "the file is not UTF-8 text (byte " + std::to_string(bad_at) +
                                           "); in Excel save it as \"CSV UTF-8\" or import the .xlsx itself",
                  {{"file", "not UTF-8"}});
    records = read_csv(file);
  }
  if (!records) return std::unexpected(records.error());
  if (records->empty()) return fail(Errc::invalid_input, "the file is empty", {{"file", "no header row"}});
  return records;
}

// The header mapped to columns: by name (any alias), or as the caller's map says (header text as
// written → field key, or "" to leave the column out). Fills `at` and `header_out`; `bad` gets a
// duplicate column, an unknown key in the map, and the required columns nobody maps.
void map_header(const CsvRecord& header, const ColumnMap& map, std::map<Column, std::size_t>& at, LedgerHeader& header_out,
                std::map<std::string, std::string>& bad) {
  for (const auto& [text, key] : map) {
    bool known = key.empty();
    for (const auto& c : kColumns) known = known || key_of(c) == key;
    if (!known) bad["map"] = "unknown field \"" + key + "\" for column \"" + text + "\"";
  }
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    const std::string written = trim(header.fields[i]);
    std::string name = normalise_header(written);
    if (auto m = map.find(written); m != map.end()) name = m->second;
    std::optional<Column> found;
    if (!name.empty())
      for (const auto& c : kColumns)
        for (auto alias : c.aliases)
          if (!alias.empty() && alias == name) found = c.column;
    if (written.empty()) continue;
    if (!found) {
      header_out.columns.push_back({written, ""});
      continue;
    }
    for (const auto& c : kColumns)
      if (c.column == *found) header_out.columns.push_back({written, std::string(key_of(c))});
    if (at.contains(*found)) bad["file"] = "column \"" + written + "\" duplicates another column";
    at[*found] = i;
  }
  for (auto required : kRequired) {
    if (at.contains(required)) continue;
    for (const auto& c : kColumns)
      if (c.column == required) header_out.missing.emplace_back(key_of(c));
  }
}

// A valid row's values as read, one string: what makes two ledger rows the same row. Numbers enter as
// their keyed fingerprints, so the key derived from it reveals nothing the database keeps encrypted.
std::string row_values(const LedgerRow& r) {
  const auto opt = [](const auto& v) { return v ? std::to_string(*v) : std::string(); };
  const std::string fields[] = {std::to_string(r.received_at), r.channel, r.category, r.summary, r.name,
                                r.phone ? r.phone->fingerprint : "", r.id_number ? r.id_number->fingerprint : "",
                                r.handling, r.status, opt(r.closed_at), std::to_string(r.persons),
                                opt(r.losses_avoided_fen), opt(r.losses_recovered_fen), r.consultation_kind};
  std::string out;
  for (const auto& f : fields) out += f + '\x1f';
  return out;
}

std::string label_of_key(const std::string& key) {
  for (const auto& c : kColumns)
    if (key_of(c) == key) return std::string(c.label);
  return key;
}

}  // namespace

Result<LedgerHeader> LedgerImporter::read_header(std::string_view file, const ColumnMap& map) const {
  auto records = load_records(file);
  if (!records) return std::unexpected(records.error());
  std::map<Column, std::size_t> at;
  LedgerHeader out;
  std::map<std::string, std::string> bad;
  map_header(records->front(), map, at, out, bad);
  if (bad.contains("map")) return fail(Errc::invalid_input, bad["map"], {{"map", bad["map"]}});
  out.data_rows = static_cast<int>(records->size()) - 1;
  return out;
}

Result<ParsedLedger> LedgerImporter::parse(db::Connection& conn, std::string_view csv, const ColumnMap& map) const {
  auto records = load_records(csv);
  if (!records) return std::unexpected(records.error());

  // Map the header.
  const CsvRecord& header = records->front();
  std::map<Column, std::size_t> at;
  ParsedLedger out;
  std::map<std::string, std::string> bad;
  LedgerHeader mapped;
  map_header(header, map, at, mapped, bad);
  for (const auto& c : mapped.columns)
    if (c.field.empty()) out.ignored_columns.push_back(c.header);
  std::string missing;
  for (const auto& key : mapped.missing) missing += (missing.empty() ? "\"" : ", \"") + label_of_key(key) + "\"";
  if (!missing.empty()) bad["file"] = "the header has no " + missing + " column";
  if (!bad.empty()) {
    const std::string message = bad.contains("map") ? bad["map"] : bad["file"];
    return fail(Errc::invalid_input, message, std::move(bad));
  }

  out.header = header.fields;
  const Categories categories = load_categories(conn);
  const TimeMs now = clock_.now_ms();
  std::map<std::string, int> seen;  // a valid row's values → how many rows had them so far
  const TimeMs earliest = start_of_local_day({1990, 1, 1});
  for (std::size_t r = 1; r < records->size(); ++r) {
    const CsvRecord& rec = (*records)[r];
    ++out.data_rows;
    auto cell = [&](Column c) -> std::string {
      auto it = at.find(c);
      if (it == at.end() || it->second >= rec.fields.size()) return {};
      return trim(rec.fields[it->second]);
    };
    std::vector<std::string> problems;
    LedgerRow row;
    row.line = rec.line;
    row.cells = rec.fields;
    for (std::size_t k = header.fields.size(); k < rec.fields.size(); ++k)
      if (!trim(rec.fields[k]).empty()) {
        problems.push_back("more fields than the header has columns");
        break;
      }

    if (const auto text = cell(Column::received_at); text.empty()) {
      problems.push_back("登记日期 is empty");
    } else if (auto t = parse_ledger_time(text); !t) {
      problems.push_back("登记日期 \"" + text + "\" is not a date (2026-10-08, 2026/10/8 or 2026年10月8日)");
    } else if (*t > now) {
      problems.push_back("登记日期 " + text + " is in the future");
    } else if (*t < earliest) {
      problems.push_back("登记日期 " + text + " is before 1990");
    } else {
      row.received_at = *t;
    }
    if (const auto text = cell(Column::channel); text.empty()) problems.push_back("来源 is empty");
    else if (auto code = ledger_channel(text)) row.channel = *code;
    else problems.push_back("来源 \"" + text + "\" is not a known channel (来电, 来访, 来信, 网上信访, 信访代理, 排查, 转入)");
    if (const auto text = cell(Column::category); text.empty()) problems.push_back("问题类别 is empty");
    else if (auto code = categories.find(text)) row.category = *code;
    else problems.push_back("问题类别 \"" + text + "\" is not a second-level category (e.g. 家庭暴力)");

    const std::string summary = cell(Column::summary);
    if (summary.empty()) problems.push_back("诉求 is empty");
    if (summary.size() > kMaxText) problems.push_back("诉求 is too long (at most 20000 bytes)");
    row.summary = summary;
    row.name = cell(Column::name);
    if (row.name.size() > kMaxName) problems.push_back("姓名 is too long (at most 100 bytes)");
    if (const auto phone = cell(Column::phone); !phone.empty()) {
      // Intake's rule and words (person_numbers.hpp): "12345" is no one's phone.
      row.phone = identity_.protect_typed_phone(phone);
      if (!row.phone) problems.push_back("电话 \"" + phone + "\" is " + std::string(kPersonPhoneProblem));
    }
    if (const auto id = cell(Column::id_number); !id.empty()) {
      if (auto problem = id_number_problem(id, local_date(now))) problems.push_back("身份证号 \"" + id + "\": " + *problem);
      else row.id_number = identity_.protect_id_number(normalize_id_number(id));
    }
    row.handling = cell(Column::handling);
    if (row.handling.size() > kMaxText) problems.push_back("处理情况 is too long (at most 20000 bytes)");

    if (const auto text = cell(Column::status); text.empty()) {
      row.status = row.handling.empty() ? "registered" : "closed";
    } else if (auto code = ledger_status(text)) {
      row.status = *code;
    } else {
      problems.push_back("状态 \"" + text + "\" cannot be imported (登记, 办理中 or 办结)");
    }
    if (const auto text = cell(Column::closed_at); !text.empty()) {
      auto t = parse_ledger_time(text);
      if (!t) problems.push_back("办结日期 \"" + text + "\" is not a date");
      else if (row.status != "closed" && !row.status.empty()) problems.push_back("办结日期 is given but the row is not closed");
      else if (*t > now) problems.push_back("办结日期 " + text + " is in the future");
      else if (row.received_at && *t < start_of_local_day(local_date(row.received_at)))
        problems.push_back("办结日期 " + text + " is before 登记日期");
      else row.closed_at = std::max(*t, row.received_at);
    }
    if (const auto text = cell(Column::persons); !text.empty()) {
      if (!all_digits(text) || text.size() > 4 || to_int(text) < 1 || to_int(text) > kMaxPersons)
        problems.push_back("人数 \"" + text + "\" must be a whole number from 1 to 1000");
      else row.persons = to_int(text);
    }
    if (const auto text = cell(Column::losses_avoided); !text.empty()) {
      if (auto fen = parse_yuan(text)) row.losses_avoided_fen = *fen;
      else problems.push_back("避免经济损失 \"" + text + "\" is not an amount in yuan (e.g. 1200.50)");
    }
    if (const auto text = cell(Column::losses_recovered); !text.empty()) {
      if (auto fen = parse_yuan(text)) row.losses_recovered_fen = *fen;
      else problems.push_back("挽回经济损失 \"" + text + "\" is not an amount in yuan (e.g. 1200.50)");
    }

    if (const auto text = cell(Column::consultation_kind); !text.empty()) {
      // Answered on the spot: a contact without a case, so none of the case's columns may be filled.
      if (auto kind = ledger_consultation_kind(text)) row.consultation_kind = *kind;
      else problems.push_back("咨询类别 \"" + text + "\" is not a kind of consultation (法律, 婚姻家庭, 心理, 其他)");
      if (!cell(Column::status).empty() && row.status != "closed")
        problems.push_back("a consultation answered on the spot (咨询类别) opens no case: 状态 must be empty or 已解答");
      if (!cell(Column::closed_at).empty() || row.losses_avoided_fen || row.losses_recovered_fen)
        problems.push_back("a consultation answered on the spot (咨询类别) has no 办结日期 and no losses");
    }

    if (problems.empty()) {
      const std::string values = row_values(row);
      row.key = crypto::sha256_hex(values + "\x1e" + std::to_string(++seen[values]));
      out.rows.push_back(std::move(row));
    } else {
      std::string reason;
      for (const auto& p : problems) reason += (reason.empty() ? "" : "; ") + p;
      out.rejected.push_back({rec.line, reason, rec.fields});
    }
  }
  return out;
}

ImportReport LedgerImporter::report_for(const ParsedLedger& parsed) {
  ImportReport report;
  report.data_rows = parsed.data_rows;
  report.rejected = parsed.rejected;
  report.duplicates = parsed.duplicates;
  report.ignored_columns = parsed.ignored_columns;
  report.header = parsed.header;
  return report;
}

void LedgerImporter::reject_batch(ImportReport& report, std::span<const LedgerRow> rows, const std::string& why) {
  ++report.failed_batches;
  for (const auto& row : rows) report.rejected.push_back({row.line, why, row.cells});
  std::stable_sort(report.rejected.begin(), report.rejected.end(),
                   [](const LedgerRejection& a, const LedgerRejection& b) { return a.line < b.line; });
}

Result<ImportReport> LedgerImporter::run(db::Connection& conn, std::string_view csv, std::int64_t office_id,
                                         const Actor& actor, std::size_t batch_rows,
                                         const std::function<void(std::size_t, std::size_t)>& progress) const {
  if (auto office = writable_office(conn, office_id, actor); !office) return std::unexpected(office.error());
  auto parsed = parse(conn, csv);
  if (!parsed) return std::unexpected(parsed.error());
  find_duplicates(conn, *parsed, office_id);
  ImportReport report = report_for(*parsed);
  const std::span<const LedgerRow> all(parsed->rows);
  batch_rows = std::max<std::size_t>(batch_rows, 1);
  for (std::size_t start = 0; start < all.size(); start += batch_rows) {
    const auto batch = all.subspan(start, std::min(batch_rows, all.size() - start));
    ++report.batches;
    try {
      db::Transaction tx(conn);
      auto written = write_batch(conn, batch, office_id, actor);
      if (written) {
        tx.commit();
        report.imported += *written;
      } else {
        reject_batch(report, batch, "batch not imported: " + written.error().message);
      }
    } catch (const db::DbError& e) {
      reject_batch(report, batch, std::string("batch not imported (database error: ") + e.what() + ")");
    }
    if (progress) progress(start + batch.size(), all.size());
  }
  return report;
}

}  // namespace hl::casework
