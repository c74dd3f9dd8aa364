#pragma once
// Route registration, one function per resource group (each in its own *_routes.cpp).
#include "web/app/services.hpp"
#include "web/http/router.hpp"

namespace hl::web {

void add_session_routes(Router& router, Services& s);
// /api/v1/session/second-factor: two-step verification of one's own account.
void add_second_factor_routes(Router& router, Services& s);
void add_case_routes(Router& router, Services& s);
void add_intake_routes(Router& router, Services& s);
void add_reference_routes(Router& router, Services& s);
void add_admin_routes(Router& router, Services& s);
void add_account_routes(Router& router, Services& s);
void add_audit_routes(Router& router, Services& s);
void add_referral_routes(Router& router, Services& s);
void add_attachment_routes(Router& router, Services& s);
// 复查 / 复核 of a case's reply: /api/v1/cases/{id}/reviews.
void add_review_routes(Router& router, Services& s);
// POST /api/v1/cases/{id}/supervisions and …/{sid}/answer: 督办 and its answer.
void add_case_supervision_routes(Router& router, Services& s);
// POST /api/v1/imports: a legacy ledger imported into an office (or previewed).
void add_import_routes(Router& router, Services& s);
// POST/DELETE /api/v1/cases/{id}/legal-hold: a supervisor stops retention from anonymising a case.
void add_legal_hold_routes(Router& router, Services& s);
// GET /api/v1/events: the live stream of changes in the caller's scope (Server-Sent Events).
void add_event_routes(Router& router, Services& s);
// POST /api/v1/telephony/calls and …/{call_id}/end: a call-centre system's calls (its bearer token).
void add_telephony_routes(Router& router, Services& s);

}  // namespace hl::web
