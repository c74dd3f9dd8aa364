// libFuzzer target: the body of POST /api/v1/intakes, through exactly what the server does with it
// before touching the database — web::parse_intake (JSON → IntakeRequest; malformed JSON and wrong
// types are a 400), then intake::validate (values; a 422 naming every bad field), then for a valid
// request the phone / ID normalisation that IntakeService::record applies to the people.
// Besides the sanitizers' findings, it traps on a broken contract: an error of the wrong kind, a 422
// naming no field, or a phone / ID number that validate accepted but the normalisation refuses.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/local_time.hpp"
#include "intake/intake_validator.hpp"
#include "casework/person_numbers.hpp"
#include "web/api/intake_json.hpp"

namespace {

// A fixed "now", so that a crash reproduces on any day.
const hl::TimeMs kNow = *hl::parse_iso8601("2026-11-23T09:30:00+08:00");

void check_person(const hl::intake::PersonInput& p) {
  if (!p.phone.empty()) {
    auto phone = hl::casework::normalize_phone(p.phone);
    if (!phone) __builtin_trap();
    (void)hl::casework::mask_phone(*phone);
  }
  if (!p.id_number.empty()) {
    const std::string id = hl::casework::normalize_id_number(p.id_number);
    if (!hl::casework::valid_id_number(id) || !hl::casework::id_birth_date(id)) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  auto request = hl::web::parse_intake(body);
  if (!request) {
    if (request.error().code != hl::Errc::bad_request) __builtin_trap();
    return 0;
  }
  auto valid = hl::intake::validate(*request, kNow);
  if (!valid) {
    if (valid.error().code != hl::Errc::invalid_input || valid.error().fields.empty()) __builtin_trap();
    return 0;
  }
  if (request->complainant) check_person(*request->complainant);
  if (request->victim) check_person(*request->victim);
  (void)hl::intake::is_non_data_call(*request);
  return 0;
}
