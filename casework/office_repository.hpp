#pragma once
// Federation offices (a tree: national → province → city → county → township).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

struct Office {
  std::int64_t id = 0;
  std::string name;
  std::string region_code;
  std::optional<std::int64_t> parent_id;
  std::string path;
  std::string level;
  bool active = true;
};

class OfficeRepository {
 public:
  // Writes (run on the writer). invalid_input names the field: a region code that is not six digits
  // or already used, an unknown parent, an unknown level.
  static Result<Office> create(db::Connection& conn, const std::string& name, const std::string& region_code,
                               std::optional<std::int64_t> parent_id, const std::string& level, TimeMs now);
  static std::optional<Office> get(db::Connection& conn, std::int64_t id);
  static std::optional<Office> by_region_code(db::Connection& conn, const std::string& region_code);
  static std::vector<Office> list(db::Connection& conn);
};

}  // namespace hl::casework
