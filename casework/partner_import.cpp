#include "casework/partner_import.hpp"

#include <array>
#include <map>

#include "casework/partner_repository.hpp"
#include "core/csv_reader.hpp"
#include "core/db/savepoint.hpp"
#include "core/text_rules.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kSameNameAndType = "SELECT id, version FROM partners WHERE name = ?1 AND type = ?2 ORDER BY id LIMIT 1";

using Alias = std::pair<std::string_view, std::string_view>;

constexpr std::array<Alias, 16> kColumns = {{
    {"名称", "name"}, {"name", "name"}, {"类型", "type"}, {"type", "type"}, {"辖区", "region_codes"},
    {"region_codes", "region_codes"}, {"服务", "services"}, {"services", "services"}, {"电话", "phone"},
    {"phone", "phone"}, {"联系人", "contact_person"}, {"contact_person", "contact_person"},
    {"办公时间", "working_hours"}, {"working_hours", "working_hours"}, {"启用", "active"}, {"active", "active"},
}};

constexpr std::array<Alias, 13> kTypes = {{
    {"法院", "court"}, {"公安", "police"}, {"派出所", "police"}, {"检察院", "procuratorate"}, {"司法局", "justice"},
    {"法律援助", "legal_aid"}, {"调解委员会", "mediation_committee"}, {"民政", "civil_affairs"}, {"卫健", "health"},
    {"人社", "labour"}, {"教育", "education"}, {"妇联", "federation"}, {"其他", "other"},
}};

constexpr std::array<Alias, 13> kServices = {{
    {"保护令", "protection_order"}, {"出警处置", "police_response"}, {"告诫书", "warning_letter"},
    {"法律援助", "legal_aid"}, {"支持起诉", "litigation_support"}, {"诉讼支持", "litigation_support"}, {"调解", "mediation"}, {"庇护", "shelter"},
    {"救助", "relief"}, {"验伤", "injury_exam"}, {"劳动", "labour"}, {"入学", "schooling"}, {"其他", "other"},
}};

template <std::size_t N>
std::string translate(const std::array<Alias, N>& table, const std::string& value) {
  for (const auto& [from, to] : table)
    if (from == value) return std::string(to);
  return value;  // an API code, or something the repository will refuse by name
}

std::vector<std::string> split_list(const std::string& s) {
  // Separators: ';' ',' ' ' and the full-width '；' and '、' typed by Chinese input methods.
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) out.push_back(cur);
    cur.clear();
  };
  for (std::size_t i = 0; i < s.size();) {
    const std::string_view rest(s.data() + i, s.size() - i);
    if (rest.starts_with("\xEF\xBC\x9B") || rest.starts_with("\xE3\x80\x81")) {
      flush();
      i += 3;
    } else if (s[i] == ';' || s[i] == ',' || s[i] == ' ') {
      flush();
      ++i;
    } else {
      cur.push_back(s[i++]);
    }
  }
  flush();
  return out;
}

}  // namespace

Result<PartnerImportReport> import_partners(db::Connection& conn, std::string_view csv, TimeMs now) {
  if (csv.starts_with("\xEF\xBB\xBF")) csv.remove_prefix(3);  // a spreadsheet's UTF-8 BOM
  auto records = read_csv(csv);
  if (!records) return std::unexpected(records.error());
  if (records->empty()) return fail(Errc::invalid_input, "the file is empty", {{"file", "no header row"}});
  std::map<std::string, std::size_t> column;
  const auto& header = records->front().fields;
  for (std::size_t i = 0; i < header.size(); ++i) {
    const auto name = trim(header[i]);
    for (const auto& [alias, field] : kColumns)
      if (alias == name) column[std::string(field)] = i;
  }
  if (!column.contains("name") || !column.contains("type"))
    return fail(Errc::invalid_input, "the header row needs 名称/name and 类型/type columns", {{"file", "missing columns"}});

  PartnerImportReport report;
  for (std::size_t r = 1; r < records->size(); ++r) {
    const auto& rec = (*records)[r];
    ++report.rows;
    auto cell = [&](const char* field) -> std::optional<std::string> {
      auto it = column.find(field);
      if (it == column.end() || it->second >= rec.fields.size()) return std::nullopt;
      return trim(rec.fields[it->second]);
    };
    PartnerFields f;
    f.name = cell("name");
    if (auto t = cell("type")) f.type = translate(kTypes, *t);
    if (auto v = cell("region_codes")) f.region_codes = split_list(*v);
    if (auto v = cell("services")) {
      std::vector<std::string> services;
      for (const auto& item : split_list(*v)) services.push_back(translate(kServices, item));
      f.services = services;
    }
    f.phone = cell("phone");
    f.contact_person = cell("contact_person");
    f.working_hours = cell("working_hours");
    if (auto v = cell("active"); v && !v->empty()) f.active = !(*v == "0" || *v == "否" || *v == "false" || *v == "停用");
    // Each row in its own savepoint, so a row that fails midway leaves nothing behind. A partner of
    // the same name and type is updated (the columns given replace its values), so importing a
    // corrected directory again does not duplicate it.
    db::Savepoint sp(conn);
    std::optional<std::pair<std::int64_t, std::int64_t>> existing;  // id, version
    if (f.name && f.type) {
      auto same = conn.prepare(kSameNameAndType);
      same.bind_all(*f.name, *f.type);
      if (same.step()) existing = std::pair{same.int64(0), same.int64(1)};
    }
    auto written = existing ? PartnerRepository::update(conn, existing->first, existing->second, f)
                            : PartnerRepository::create(conn, f, now);
    if (!written) {
      std::string reason = written.error().message;
      for (const auto& [k, v] : written.error().fields) reason += "; " + k + ": " + v;
      report.rejected.emplace_back(rec.line, reason);
      continue;  // the savepoint rolls back on destruction
    }
    sp.release();
    ++(existing ? report.updated : report.imported);
  }
  return report;
}

}  // namespace hl::casework
