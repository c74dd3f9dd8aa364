#include "casework/office_repository.hpp"

#include <algorithm>
#include <array>

namespace hl::casework {
namespace {

constexpr std::string_view kColumns = "SELECT id, name, region_code, parent_id, path, level, active FROM offices ";
constexpr std::array<std::string_view, 5> kLevels = {"national", "province", "city", "county", "township"};

Office read(db::Statement& st) {
  return {st.int64(0), st.text(1), st.text(2), st.opt_int64(3), st.text(4), st.text(5), st.int64(6) != 0};
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
  if (region_code.size() != 6 || !std::all_of(region_code.begin(), region_code.end(), [](char c) { return c >= '0' && c <= '9'; }))
    bad["region_code"] = "must be a six-digit administrative division code";
  else if (by_region_code(conn, region_code))
    bad["region_code"] = "already used by another office";
  if (std::find(kLevels.begin(), kLevels.end(), level) == kLevels.end()) bad["level"] = "unknown level";
  std::string parent_path = "/";
  if (parent_id) {
    auto parent = get(conn, *parent_id);
    if (!parent) bad["parent_id"] = "no such office";
    else parent_path = parent->path;
  }
  if (!bad.empty()) return fail(Errc::invalid_input, "the office cannot be created", std::move(bad));
  // The path needs the new id, so insert with a unique placeholder first.
  conn.prepare("INSERT INTO offices(name, region_code, parent_id, path, level, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
      .bind_all(name, region_code, parent_id, "pending:" + region_code, level, now)
      .run();
  const auto id = conn.last_insert_rowid();
  conn.prepare("UPDATE offices SET path = ?2 WHERE id = ?1").bind_all(id, parent_path + std::to_string(id) + "/").run();
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
