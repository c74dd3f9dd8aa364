#pragma once
// The domestic-violence endpoints (/api/v1/cases/{id}/dv, risk assessments, safety plan,
// protection orders, warning letters, shelter stays, mandatory reports, repeat victimisation, and
// /api/v1/dv/{instrument,breaches,expiring}). Office staff only: partner users get 404 as for a
// case they cannot see, administrators 403. Every read and write is audited.
#include "web/app/services.hpp"
#include "web/http/router.hpp"

namespace hl::web {

void add_dv_routes(Router& router, Services& s);
// The measures' part of them (dv_measure_routes.cpp); add_dv_routes calls it.
void add_dv_measure_routes(Router& router, Services& s);

}  // namespace hl::web
