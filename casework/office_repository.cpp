#include "casework/office_repository.hpp"

#include <algorithm>
#include <array>

namespace hl::casework {
namespace {

constexpr std::string_view kColumns = "SELECT id, name, region_code, parent_id, path, level, active, phone FROM offices ";
constexpr std::array<std::string_view, 6> kLevels = {"national", "province", "city", "county", "township", "village"};

Office read(db::Statement& st) {
  return {st.int64(0), st.text(1), st.opt_text(2).value_or(""), st.opt_int64(3), st.text(4), st.text(5), st.int64(6) != 0,
          st.text(7)};
}

bool all_digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// What is wrong with `code` for an office of `level` under `parent` ("" when it fits). Province to
// county: a six-digit GB/T 2260 code. Township and village: the twelve-digit statistical code (county
// six digits, township three, village three; a township's village part is 000) or none; a twelve-digit
// code continues its parent's (the county's six digits, a village its township's nine).
std::string code_problem(const std::string& code, const std::string& level, const std::optional<Office>& parent) {
  const bool below_county = level == "township" || level == "village";
  if (!below_county) {
    if (code.size() != 6 || !all_digits(code) || code[0] == '0') return "must be a six-digit administrative division code";
    return "";
  }
  if (code.empty()) return "";
  if (code.size() != 12 || !all_digits(code))
    return "a township or village takes the twelve-digit statistical division code (统计用区划代码), or none";
  const bool village_part = code.substr(9) != "000";
  if (level == "township" && (village_part || code.substr(6, 3) == "000"))
    return "a township's code ends in its three digits and 000";
  if (level == "village" && !village_part) return "a village's code ends in its own three digits, not 000";
  if (parent && !parent->region_code.empty()) {
    const std::size_t shared = parent->region_code.size() == 12 ? 9 : 6;
    if (code.compare(0, shared, parent->region_code, 0, shared) != 0)
      return "must begin with the parent office's code (" + parent->region_code.substr(0, shared) + ")";
  }
  return "";
}

// The nearest ancestor's region code, for the case numbers of an office without one (as
// case_numbering.cpp computes it).
std::string inherited_prefix(db::Connection& conn, std::optional<std::int64_t> parent_id) {
  while (parent_id) {
    auto st = conn.prepare("SELECT region_code, parent_id FROM offices WHERE id = ?1");
    st.bind_all(*parent_id);
    if (!st.step()) break;
    if (auto p = st.opt_text(0); p && !p->empty()) return *p;
    parent_id = st.opt_int64(1);
  }
  return "000000";
}

std::optional<Office> one(db::Connection& conn, std::string_view where, auto value) {
  auto st = conn.prepare(std::string(kColumns) + std::string(where));
  st.bind_all(value);
  if (!st.step()) return std::nullopt;
  return read(st);
}

}  // namespace

Result<Office> OfficeRepository::create(db::Connection& conn, const std::string& name, const std::string& region_code,
                                        std::optional<std::int64_t> parent_id, const std::string& level, TimeMs now) {
  std::map<std::string, std::string> bad;
  if (name.empty() || name.size() > 200) bad["name"] = "required, at most 200 bytes";
  std::string parent_path = "/";
  std::optional<Office> parent;
  if (parent_id) {
    parent = get(conn, *parent_id);
    if (!parent) bad["parent_id"] = "no such office";
    else parent_path = parent->path;
  }
  const auto level_at = std::find(kLevels.begin(), kLevels.end(), level);
  if (level_at == kLevels.end()) bad["level"] = "unknown level";
  else if (parent) {
    const auto parent_at = std::find(kLevels.begin(), kLevels.end(), parent->level);
    if (parent_at != kLevels.end() && parent_at >= level_at) bad["level"] = "must be below the parent office's level";
  } else if (level == "township" || level == "village") {
    bad["parent_id"] = "a township or village office belongs to an office above it";
  }
  if (level_at != kLevels.end()) {
    if (auto problem = code_problem(region_code, level, parent); !problem.empty()) bad["region_code"] = problem;
    else if (!region_code.empty() && by_region_code(conn, region_code)) bad["region_code"] = "already used by another office";
  }
  if (!bad.empty()) return fail(Errc::invalid_input, "the office cannot be created", std::move(bad));
  const std::optional<std::string> code = region_code.empty() ? std::nullopt : std::optional(region_code);
  // The path (and a code-less office's case prefix) need the new id: insert with placeholders first.
  conn.prepare("INSERT INTO offices(name, region_code, parent_id, path, level, created_at, case_prefix)"
               " VALUES (?1, ?2, ?3, 'pending:' || (SELECT coalesce(max(id), 0) + 1 FROM offices), ?4, ?5, ?2)")
      .bind_all(name, code, parent_id, level, now)
      .run();
  const auto id = conn.last_insert_rowid();
  conn.prepare("UPDATE offices SET path = ?2 WHERE id = ?1").bind_all(id, parent_path + std::to_string(id) + "/").run();
  if (!code)
    conn.prepare("UPDATE offices SET case_prefix = ?2 WHERE id = ?1")
        .bind_all(id, inherited_prefix(conn, parent_id) + "-S" + std::to_string(id))
        .run();
  return *get(conn, id);
}

Result<Office> OfficeRepository::set_phone(db::Connection& conn, std::int64_t id, const std::string& phone) {
  std::size_t digits = 0;
  bool ok = phone.size() <= 32;
  for (std::size_t i = 0; ok && i < phone.size(); ++i) {
    const char c = phone[i];
    if (c >= '0' && c <= '9') ++digits;
    else ok = c == '-' || c == ' ' || (c == '+' && i == 0);
  }
  if (!ok || (!phone.empty() && (digits < 3 || digits > 20)))
    return fail(Errc::invalid_input, "invalid office phone", {{"phone", "3 to 20 digits, with - or spaces, e.g. 0735-5123456"}});
  if (!get(conn, id)) return fail(Errc::not_found, "no such office");
  conn.prepare("UPDATE offices SET phone = ?2 WHERE id = ?1").bind_all(id, phone).run();
  return *get(conn, id);
}

std::optional<Office> OfficeRepository::get(db::Connection& conn, std::int64_t id) {
  return one(conn, "WHERE id = ?1", id);
}

std::optional<Office> OfficeRepository::by_region_code(db::Connection& conn, const std::string& code) {
  return one(conn, "WHERE region_code = ?1", code);
}

std::vector<Office> OfficeRepository::list(db::Connection& conn) {
  std::vector<Office> out;
  auto st = conn.prepare(std::string(kColumns) + "ORDER BY path");
  while (st.step()) out.push_back(read(st));
  return out;
}

}  // namespace hl::casework
