#pragma once
// The period reports (issue #14): GET /reports(.csv|.xlsx), POST|GET /reports/filings (web/API.md).
#include "web/app/services.hpp"
#include "web/http/router.hpp"

namespace hl::web {

void add_report_routes(Router& router, Services& s);

}  // namespace hl::web
