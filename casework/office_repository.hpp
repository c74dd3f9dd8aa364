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
  std::string region_code;  // six digits (province to county), twelve (township, village) or "" for none
  std::optional<std::int64_t> parent_id;
  std::string path;
  std::string level;
  bool active = true;
  std::string phone;  // the number it answers for its cases ("" until set)
};

class OfficeRepository {
 public:
  // Writes (run on the writer). invalid_input names the field: a region code that does not fit the
  // level (six digits province to county; twelve digits or none for a township or village, continuing
  // the parent's code) or is already used, an unknown parent, an unknown level or one not below the
  // parent's, a township or village without a parent.
  static Result<Office> create(db::Connection& conn, const std::string& name, const std::string& region_code,
                               std::optional<std::int64_t> parent_id, const std::string& level, TimeMs now);
  // Sets the office's phone: digits with an optional leading '+', '-' and spaces, 3 to 20 digits
  // (0735-5123456, 12338, 400-…); "" clears it. invalid_input naming "phone"; not_found.
  static Result<Office> set_phone(db::Connection& conn, std::int64_t id, const std::string& phone);
  static std::optional<Office> get(db::Connection& conn, std::int64_t id);
  static std::optional<Office> by_region_code(db::Connection& conn, const std::string& region_code);
  static std::vector<Office> list(db::Connection& conn);
};

}  // namespace hl::casework
