#pragma once
// Who may hear of a change: the office subtree it happened in and the partner organisations with a
// referral to the case. The live event stream (web/) publishes each committed change to the
// subscribers whose scope includes it; what decides the scope is domain, and lives here.
#include <cstdint>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

#include "core/db/connection.hpp"

namespace hl::casework {

struct ChangeScope {
  std::int64_t case_id = 0;     // 0 for a contact without a case
  std::int64_t contact_id = 0;  // 0 for a case
  std::string office_path;
  std::vector<std::int64_t> partner_ids;  // organisations with a live referral (sent/accepted/in_progress)
};

// The scope of a change to object `object_type` ("case" or "contact") `object_id`, read on the
// connection that wrote it; nullopt for other objects and for one that does not exist.
std::optional<ChangeScope> scope_of_change(db::Connection& conn, std::string_view object_type, std::int64_t object_id);

}  // namespace hl::casework
