#include "casework/case_numbering.hpp"

#include <cstdio>

#include "core/db/db_error.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kNext =
    "INSERT INTO case_counters(office_id, year, last_no) VALUES (?1, ?2, 1)"
    " ON CONFLICT(office_id, year) DO UPDATE SET last_no = last_no + 1 RETURNING last_no";
constexpr std::string_view kRegion = "SELECT region_code FROM offices WHERE id = ?1";

}  // namespace

std::string next_case_no(db::Connection& conn, std::int64_t office_id, int year) {
  auto region = conn.prepare(kRegion);
  region.bind_all(office_id);
  if (!region.step()) throw db::DbError(0, "no office " + std::to_string(office_id));
  const std::string code = region.text(0);
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
