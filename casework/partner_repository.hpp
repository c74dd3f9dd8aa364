#pragma once
// The partner directory: courts, police, legal aid, mediation committees, civil affairs, ...
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

struct Partner {
  std::int64_t id = 0;
  std::string name, type;
  std::vector<std::string> region_codes, services;
  std::string phone, contact_person, working_hours;
  bool active = true;
  std::int64_t version = 1;
};

// Fields of a create (all required but the optional ones) or a patch (only those given change).
struct PartnerFields {
  std::optional<std::string> name, type, phone, contact_person, working_hours;
  std::optional<std::vector<std::string>> region_codes, services;
  std::optional<bool> active;
};

class PartnerRepository {
 public:
  static std::vector<Partner> list(db::Connection& conn, const std::optional<std::string>& type, bool active_only);
  static std::optional<Partner> get(db::Connection& conn, std::int64_t id);
  // invalid_input naming fields: unknown type or service, bad region code, missing name.
  static Result<Partner> create(db::Connection& conn, const PartnerFields& fields, TimeMs now);
  // conflict when `expected_version` is stale; not_found for an unknown id.
  static Result<Partner> update(db::Connection& conn, std::int64_t id, std::int64_t expected_version,
                                const PartnerFields& fields);
};

}  // namespace hl::casework
