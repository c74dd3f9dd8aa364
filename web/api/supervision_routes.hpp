#pragma once
// Supervision and statistics: GET /dashboard/aging, GET /dashboard/workload, GET /follow-ups,
// GET|POST /cases/{id}/follow-ups, GET /reports/monthly(.csv|.xlsx), POST /imports (web/API.md).
#include "web/app/services.hpp"
#include "web/http/router.hpp"

namespace hl::web {

void add_supervision_routes(Router& router, Services& s);

}  // namespace hl::web
