#pragma once
// Supervision and statistics: GET /dashboard/aging, GET /dashboard/workload, GET /follow-ups,
// GET|POST /cases/{id}/follow-ups, GET /reports/monthly(.csv|.xlsx), POST /imports (web/API.md).
#include "casework/ledger_import.hpp"
#include "core/crypto/field_cipher.hpp"
#include "core/crypto/keyed_hash.hpp"
#include "web/app/services.hpp"
#include "web/http/router.hpp"

namespace hl::web {

void add_supervision_routes(Router& router, Services& s);

// Phones of imported ledger rows stored exactly as intake stores them (intake::normalize_phone,
// then FieldCipher under intake::kPhoneContext and the KeyedHash fingerprint "phone:<digits>"), so a
// legacy caller is recognised when she calls again. Holds references: both must outlive it.
casework::PhoneProtector ledger_phone_protector(const crypto::FieldCipher& cipher, const crypto::KeyedHash& hash);

}  // namespace hl::web
