#include "casework/case_numbering.hpp"

#include <cstdio>
#include <optional>

#include "core/db/db_error.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kNext =
    "INSERT INTO case_counters(office_id, year, last_no) VALUES (?1, ?2, 1)"
    " ON CONFLICT(office_id, year) DO UPDATE SET last_no = last_no + 1 RETURNING last_no";
// "<prefix>-<year>-<serial>": the prefix is the office's region code or, without one, its nearest
// ancestor's code and "S" with its id (schema 022 keeps the same in offices.case_prefix for searches).
constexpr std::string_view kRegion = "SELECT region_code, parent_id FROM offices WHERE id = ?1";

std::string prefix_of(db::Connection& conn, std::int64_t office_id) {
  std::optional<std::int64_t> at = office_id;
  while (at) {
    auto st = conn.prepare(kRegion);
    st.bind_all(*at);
    if (!st.step()) throw db::DbError(0, "no office " + std::to_string(*at));
    if (auto code = st.opt_text(0); code && !code->empty())
      return *at == office_id ? *code : *code + "-S" + std::to_string(office_id);
    at = st.opt_int64(1);
  }
  return "000000-S" + std::to_string(office_id);
}

}  // namespace

std::string next_case_no(db::Connection& conn, std::int64_t office_id, int year) {
  const std::string code = prefix_of(conn, office_id);
  auto st = conn.prepare(kNext);
  st.bind_all(office_id, year);
  st.step();
  const auto serial = st.int64(0);
  st.run();  // finish the statement so the upsert is complete
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s-%04d-%06lld", code.c_str(), year, static_cast<long long>(serial));
  return buf;
}

}  // namespace hl::casework
