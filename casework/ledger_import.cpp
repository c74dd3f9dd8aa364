#include "casework/ledger_import.hpp"

#include "core/csv_reader.hpp"
#include "core/xlsx_reader.hpp"

#include <algorithm>
#include <charconv>
#include <array>
#include <map>

#include "casework/case_numbering.hpp"
#include "casework/case_search.hpp"
#include "casework/deadline_policy.hpp"
#include "casework/vocabulary.hpp"
#include "core/db/db_error.hpp"
#include "core/db/transaction.hpp"
#include "core/json_text.hpp"
#include "core/local_time.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kCategories =
    "SELECT c.code, c.name_zh, coalesce(p.name_zh, '') FROM categories c LEFT JOIN categories p ON p.code = c.parent_code"
    " WHERE c.parent_code IS NOT NULL AND c.active = 1 ORDER BY c.sort, c.code";
constexpr std::string_view kOffice = "SELECT path FROM offices WHERE id = ?1 AND active = 1";

constexpr std::string_view kInsertCase =
    "INSERT INTO cases(case_no, office_id, office_path, status, category, channel, urgency, summary, narrative,"
    " received_at, accepted_at, closed_at, acceptance_due, handling_due, next_due, outcome, closure_summary,"
    " losses_avoided_fen, created_by, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'normal', ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?19)";
constexpr std::string_view kInsertContact =
    "INSERT INTO contacts(office_id, case_id, channel, received_at, persons, category, resolution, summary,"
    " operator_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'open_case', ?7, ?8, ?9)";
constexpr std::string_view kInsertPerson =
    "INSERT INTO persons(contact_id, case_id, role, name, phone_enc, phone_hash) VALUES (?1, ?2, 'complainant', ?3, ?4, ?5)";
constexpr std::string_view kInsertEvent =
    "INSERT INTO case_events(case_id, event, from_status, to_status, actor_id, at, note, payload)"
    " VALUES (?1, 'import', NULL, ?2, ?3, ?4, '', ?5)";

constexpr std::size_t kMaxSummary = 500;  // as intake; a longer 诉求 is kept whole in the narrative
constexpr std::size_t kMaxName = 100;
constexpr std::size_t kMaxText = 20000;
constexpr int kMaxPersons = 1000;

enum class Column { received_at, channel, category, summary, name, phone, handling, status, closed_at, persons, losses };

struct ColumnNames {
  Column column;
  std::string_view label;  // how reasons name it
  std::array<std::string_view, 8> aliases;
};

// Header names, normalised (ASCII lower case, parentheses full-width). Unused slots are "".
constexpr std::array<ColumnNames, 11> kColumns = {{
    {Column::received_at, "登记日期", {"登记日期", "日期", "来电日期", "来访日期", "接待日期", "受理日期", "received_at"}},
    {Column::channel, "来源", {"来源", "来源渠道", "渠道", "反映渠道", "channel"}},
    {Column::category, "问题类别", {"问题类别", "问题类型", "类别", "category"}},
    {Column::summary, "诉求", {"诉求", "主要诉求", "反映问题", "问题摘要", "摘要", "summary"}},
    {Column::name, "姓名", {"姓名", "当事人", "来访人", "求助人", "name"}},
    {Column::phone, "电话", {"电话", "联系电话", "手机", "手机号", "phone"}},
    {Column::handling, "处理情况", {"处理情况", "处理结果", "办理情况", "handling"}},
    {Column::status, "状态", {"状态", "办理状态", "status"}},
    {Column::closed_at, "办结日期", {"办结日期", "结案日期", "closed_at"}},
    {Column::persons, "人数", {"人数", "来访人数", "persons"}},
    {Column::losses, "挽回经济损失（元）",
     {"挽回经济损失（元）", "避免经济损失（元）", "挽回损失", "避免经济损失", "挽回经济损失", "losses_avoided_yuan"}},
}};
constexpr std::array kRequired = {Column::received_at, Column::channel, Column::category, Column::summary};

// A column's field key: its English name, the last alias ("received_at", …).
std::string_view key_of(const ColumnNames& c) {
  std::string_view key;
  for (auto a : c.aliases)
    if (!a.empty()) key = a;
  return key;
}

struct Alias {
  std::string_view text, code;
};
constexpr std::array<Alias, 26> kChannelAliases = {{
    {"来电", "hotline"}, {"电话", "hotline"}, {"12338", "hotline"}, {"热线", "hotline"},
    {"来访", "walk_in"}, {"接待", "walk_in"}, {"来信", "letter"}, {"信件", "letter"},
    {"网访", "online"}, {"网上信访", "online"}, {"网络", "online"}, {"网上", "online"},
    {"信访代理", "agent"}, {"代理", "agent"}, {"排查", "screening"}, {"排查发现", "screening"},
    {"转入", "transfer_in"}, {"转办", "transfer_in"},
    {"hotline", "hotline"}, {"walk_in", "walk_in"}, {"letter", "letter"}, {"online", "online"},
    {"agent", "agent"}, {"screening", "screening"}, {"transfer_in", "transfer_in"}, {"call", "hotline"},
}};
constexpr std::array<Alias, 19> kStatusAliases = {{
    {"登记", "registered"}, {"待受理", "registered"}, {"未受理", "registered"},
    {"受理", "in_progress"}, {"已受理", "in_progress"}, {"办理中", "in_progress"}, {"处理中", "in_progress"},
    {"在办", "in_progress"}, {"办结", "closed"}, {"已办结", "closed"}, {"结案", "closed"}, {"已结案", "closed"},
    {"已解答", "closed"}, {"已处理", "closed"}, {"完成", "closed"}, {"已完成", "closed"}, {"in_progress", "in_progress"},
    {"registered", "registered"}, {"closed", "closed"},
}};

std::optional<std::string_view> lookup(std::span<const Alias> table, std::string_view text) {
  for (const auto& a : table)
    if (a.text == text) return a.code;
  return std::nullopt;
}

// ---- text helpers ----

bool valid_utf8(std::string_view s, std::size_t& bad_at) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size() || (len == 2 && c < 0xC2) || (len == 4 && c > 0xF4)) {
      bad_at = i;
      return false;
    }
    for (std::size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) {
        bad_at = i;
        return false;
      }
    }
    i += len;
  }
  return true;
}

// Trims ASCII white space and the ideographic space U+3000 at both ends.
std::string trim(std::string_view s) {
  constexpr std::string_view kIdeoSpace = "\xE3\x80\x80";
  for (bool again = true; again;) {
    again = false;
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) s.remove_prefix(1), again = true;
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1), again = true;
    if (s.starts_with(kIdeoSpace)) s.remove_prefix(3), again = true;
    if (s.ends_with(kIdeoSpace)) s.remove_suffix(3), again = true;
  }
  return std::string(s);
}

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
  for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) s.replace(pos, from.size(), to);
  return s;
}

std::string normalise_header(std::string_view raw) {
  std::string s = trim(raw);
  for (char& ch : s)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  s = replace_all(std::move(s), "(", "（");
  return replace_all(std::move(s), ")", "）");
}

std::string lower_ascii(std::string s) {
  for (char& ch : s)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  return s;
}

// The longest prefix of s of at most max bytes that ends on a character boundary.
std::string utf8_prefix(const std::string& s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

// ---- values ----

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

// An Excel date cell as an .xlsx stores it: days since 1899-12-30 (the 1900 date system, whose
// phantom 1900-02-29 lies before any ledger), a fraction for the time of day; Shanghai wall time.
// Only plausible ledger dates (1990–2100) are taken, so an ordinary number is not read as a date.
std::optional<TimeMs> parse_excel_serial(const std::string& raw) {
  // Digits with at most one point inside them: "46303", "46303.5" (not ".", "1.", ".5").
  const auto point = raw.find('.');
  if (raw.empty() || raw.size() > 24 || raw.find_first_not_of("0123456789.") != std::string::npos ||
      raw.front() == '.' || raw.back() == '.' || (point != std::string::npos && raw.find('.', point + 1) != std::string::npos))
    return std::nullopt;
  double serial = 0;
  const auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), serial);
  if (ec != std::errc() || end != raw.data() + raw.size()) return std::nullopt;
  if (serial < 32874 || serial >= 73051) return std::nullopt;  // 1990-01-01 … 2099-12-31
  const auto days = static_cast<int>(serial);
  const auto day = add_days(LocalDate{1899, 12, 30}, days);
  const auto ms_of_day = static_cast<TimeMs>((serial - days) * 86'400'000.0 + 0.5);
  return start_of_local_day(day) + std::min<TimeMs>(ms_of_day, 86'399'999);
}

// 2026-10-08 · 2026/10/8 · 2026.10.8 · 2026年10月8日, optionally " HH:MM[:SS]", Shanghai time; or
// an Excel date serial (an .xlsx date cell).
std::optional<TimeMs> parse_ledger_time(const std::string& raw) {
  if (auto serial = parse_excel_serial(raw)) return serial;
  std::string s = replace_all(replace_all(replace_all(raw, "年", "-"), "月", "-"), "日", "");
  for (char& c : s)
    if (c == '/' || c == '.') c = '-';
  std::string date = s, time;
  if (auto sp = s.find_first_of(" T"); sp != std::string::npos) {
    date = s.substr(0, sp);
    time = trim(s.substr(sp + 1));
  }
  const auto d1 = date.find('-');
  const auto d2 = d1 == std::string::npos ? std::string::npos : date.find('-', d1 + 1);
  if (d2 == std::string::npos) return std::nullopt;
  const std::string y = date.substr(0, d1), m = date.substr(d1 + 1, d2 - d1 - 1), d = date.substr(d2 + 1);
  if (y.size() != 4 || !all_digits(y) || m.empty() || m.size() > 2 || !all_digits(m) || d.empty() || d.size() > 2 ||
      !all_digits(d))
    return std::nullopt;
  char iso[16];
  std::snprintf(iso, sizeof iso, "%04d-%02d-%02d", to_int(y), to_int(m), to_int(d));
  auto day = parse_date(iso);
  if (!day) return std::nullopt;
  TimeMs t = start_of_local_day(*day);
  if (time.empty()) return t;
  int parts[3] = {0, 0, 0};
  int count = 0;
  std::size_t pos = 0;
  while (count < 3) {
    const auto colon = time.find(':', pos);
    const std::string part = time.substr(pos, colon == std::string::npos ? std::string::npos : colon - pos);
    if (part.empty() || part.size() > 2 || !all_digits(part)) return std::nullopt;
    parts[count++] = to_int(part);
    if (colon == std::string::npos) break;
    pos = colon + 1;
  }
  if (count < 2 || parts[0] > 23 || parts[1] > 59 || parts[2] > 59) return std::nullopt;
  return t + parts[0] * kMsPerHour + parts[1] * 60'000 + parts[2] * 1000;
}

// "1,200.50" / "1200.5" / "300" / "300元" → fen.
std::optional<std::int64_t> parse_yuan(std::string s) {
  s = replace_all(replace_all(std::move(s), ",", ""), "元", "");
  s = replace_all(std::move(s), "，", "");
  const auto dot = s.find('.');
  const std::string whole = s.substr(0, dot);
  const std::string frac = dot == std::string::npos ? "" : s.substr(dot + 1);
  if (!all_digits(whole) || whole.size() > 13 || frac.size() > 2 || (!frac.empty() && !all_digits(frac)))
    return std::nullopt;
  std::int64_t fen = 0;
  for (char c : whole) fen = fen * 10 + (c - '0');
  fen *= 100;
  if (frac.size() >= 1) fen += (frac[0] - '0') * 10;
  if (frac.size() == 2) fen += frac[1] - '0';
  return fen;
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

void bind_blob(db::Statement& st, int index, const std::optional<std::string>& bytes) {
  if (bytes) st.bind_blob(index, *bytes);
  else st.bind(index, nullptr);
}

Result<std::string> writable_office(db::Connection& conn, std::int64_t office_id, const Actor& actor) {
  if (!actor.is_staff() && actor.role != Role::system) return fail(Errc::forbidden, "only office staff import ledgers");
  auto st = conn.prepare(kOffice);
  st.bind_all(office_id);
  if (!st.step()) return fail(Errc::not_found, "no such active office");
  std::string path = st.text(0);
  if (actor.role != Role::system && (actor.office_path.empty() || !path.starts_with(actor.office_path)))
    return fail(Errc::not_found, "no such active office");
  return path;
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
          if (std::size_t bad_at = 0; !valid_utf8(f, bad_at))
            return fail(Errc::invalid_input, "the workbook holds text that is not UTF-8", {{"file", "not UTF-8"}});
    }
  } else {
    if (file.starts_with("\xEF\xBB\xBF")) file.remove_prefix(3);
    std::size_t bad_at = 0;
    if (!valid_utf8(file, bad_at))
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

  const Categories categories = load_categories(conn);
  const TimeMs now = clock_.now_ms();
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
    else if (auto code = lookup(kChannelAliases, lower_ascii(text))) row.channel = *code;
    else problems.push_back("来源 \"" + text + "\" is not a known channel (来电, 来访, 来信, 网访, 信访代理, 排查, 转入)");
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
      row.phone = protect_phone_ ? protect_phone_(phone) : std::nullopt;
      if (!row.phone) problems.push_back("电话 \"" + phone + "\" is not a phone number (mobile, or landline with area code)");
    }
    row.handling = cell(Column::handling);
    if (row.handling.size() > kMaxText) problems.push_back("处理情况 is too long (at most 20000 bytes)");

    if (const auto text = cell(Column::status); text.empty()) {
      row.status = row.handling.empty() ? "registered" : "closed";
    } else if (auto code = lookup(kStatusAliases, lower_ascii(text))) {
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
    if (const auto text = cell(Column::losses); !text.empty()) {
      if (auto fen = parse_yuan(text)) row.losses_fen = *fen;
      else problems.push_back("挽回经济损失 \"" + text + "\" is not an amount in yuan (e.g. 1200.50)");
    }

    if (problems.empty()) {
      out.rows.push_back(std::move(row));
    } else {
      std::string reason;
      for (const auto& p : problems) reason += (reason.empty() ? "" : "; ") + p;
      out.rejected.push_back({rec.line, reason});
    }
  }
  return out;
}

Result<int> LedgerImporter::write_batch(db::Connection& conn, std::span<const LedgerRow> rows, std::int64_t office_id,
                                        const Actor& actor) const {
  auto office_path = writable_office(conn, office_id, actor);
  if (!office_path) return std::unexpected(office_path.error());
  const DeadlinePolicy policy = load_deadline_policy(conn, office_id);
  const TimeMs now = clock_.now_ms();
  std::optional<std::int64_t> by;
  if (actor.user_id > 0) by = actor.user_id;
  int written = 0;
  for (const LedgerRow& row : rows) {
    const bool closed = row.status == "closed", registered = row.status == "registered";
    std::optional<TimeMs> accepted_at, closed_at, acceptance_due, handling_due, next_due;
    if (!registered) accepted_at = row.received_at;
    if (registered) next_due = acceptance_due = policy.acceptance_due(row.received_at);
    else if (!closed) next_due = handling_due = policy.handling_due(row.received_at);
    else closed_at = row.closed_at.value_or(row.received_at);
    const std::string summary = utf8_prefix(row.summary, kMaxSummary);
    std::string narrative = summary.size() < row.summary.size() ? row.summary : std::string();
    if (!closed && !row.handling.empty()) narrative += (narrative.empty() ? "" : "\n") + row.handling;
    std::optional<std::string> outcome, closure_summary;
    if (closed) {
      outcome = "imported";
      if (!row.handling.empty()) closure_summary = row.handling;
    }

    const std::string case_no = next_case_no(conn, office_id, local_date(row.received_at).year);
    conn.prepare(kInsertCase)
        .bind_all(case_no, office_id, *office_path, row.status, row.category, row.channel, summary, narrative,
                  row.received_at, accepted_at, closed_at, acceptance_due, handling_due, next_due, outcome,
                  closure_summary, row.losses_fen, by, now)
        .run();
    const std::int64_t case_id = conn.last_insert_rowid();
    conn.prepare(kInsertContact)
        .bind_all(office_id, case_id, row.channel, row.received_at, row.persons, row.category, summary, by, now)
        .run();
    const std::int64_t contact_id = conn.last_insert_rowid();
    if (!row.name.empty() || row.phone) {
      auto st = conn.prepare(kInsertPerson);
      st.bind_all(contact_id, case_id, row.name);
      bind_blob(st, 4, row.phone ? std::optional(row.phone->ciphertext) : std::nullopt);
      bind_blob(st, 5, row.phone ? std::optional(row.phone->fingerprint) : std::nullopt);
      st.run();
    }
    conn.prepare(kInsertEvent)
        .bind_all(case_id, row.status, by, now, json_object({{"source", "ledger"}, {"line", std::to_string(row.line)}}))
        .run();
    refresh_search_document(conn, case_id);
    ++written;
  }
  return written;
}

ImportReport LedgerImporter::report_for(const ParsedLedger& parsed) {
  ImportReport report;
  report.data_rows = parsed.data_rows;
  report.rejected = parsed.rejected;
  report.ignored_columns = parsed.ignored_columns;
  return report;
}

void LedgerImporter::reject_batch(ImportReport& report, std::span<const LedgerRow> rows, const std::string& why) {
  ++report.failed_batches;
  for (const auto& row : rows) report.rejected.push_back({row.line, why});
  std::stable_sort(report.rejected.begin(), report.rejected.end(),
                   [](const LedgerRejection& a, const LedgerRejection& b) { return a.line < b.line; });
}

Result<ImportReport> LedgerImporter::run(db::Connection& conn, std::string_view csv, std::int64_t office_id,
                                         const Actor& actor, std::size_t batch_rows,
                                         const std::function<void(std::size_t, std::size_t)>& progress) const {
  if (auto office = writable_office(conn, office_id, actor); !office) return std::unexpected(office.error());
  auto parsed = parse(conn, csv);
  if (!parsed) return std::unexpected(parsed.error());
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
