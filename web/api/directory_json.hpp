#pragma once
// JSON shapes of offices and partners, shared by the reference and admin routes.
#include <nlohmann/json.hpp>

#include "casework/office_repository.hpp"
#include "casework/partner_repository.hpp"

namespace hl::web {

nlohmann::json office_json(const casework::Office& o);
nlohmann::json partner_to_json(const casework::Partner& p);

}  // namespace hl::web
