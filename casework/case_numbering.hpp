#pragma once
// Case numbers: "<office region code>-<year>-<6-digit serial>", e.g. 431023-2026-000123, unique per
// office and year. The serial comes from case_counters, which only the single writer updates, so
// concurrent creations queue up there and can never draw the same number.
#include <cstdint>
#include <string>

#include "core/db/connection.hpp"

namespace hl::casework {

// Must run inside the writer's transaction. Throws DbError when the office does not exist.
std::string next_case_no(db::Connection& conn, std::int64_t office_id, int year);

}  // namespace hl::casework
