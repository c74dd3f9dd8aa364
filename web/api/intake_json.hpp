#pragma once
// The body of POST /api/v1/intakes → intake::IntakeRequest. Kept apart from the route (no Services,
// no Beast) so that the JSON mapping can be tested and fuzzed on its own (tests/fuzz/fuzz_intake.cpp).
#include <string>

#include "core/error.hpp"
#include "intake/intake_request.hpp"

namespace hl::web {

// 400 bad_request for malformed JSON, a non-object body or wrongly typed fields (each named);
// the values themselves are checked later by intake::validate (called by IntakeService::record).
Result<intake::IntakeRequest> parse_intake(const std::string& raw);

}  // namespace hl::web
