#pragma once
// The checks an intake must pass before anything is stored, without a database: allowed values,
// sizes, formats, and which fields each kind of contact needs. Category existence and case scope
// need the database and are checked by IntakeService.
#include "core/clock.hpp"
#include "core/error.hpp"
#include "intake/intake_request.hpp"

namespace hl::intake {

// Calls that carry no matter to handle (silent, hang-up, abusive, wrong number): they need no
// personal data and no summary and never open a case, but are still counted.
bool is_non_data_call(const IntakeRequest& request);

// Returns success, or invalid_input ("the intake has invalid fields") whose `fields` names every
// problem at once, keyed by the API field path ("complainant.phone", "victim.safe_contact.note"),
// so the operator can fix the whole form in one go. `now` bounds received_at and birth dates.
Status validate(const IntakeRequest& request, TimeMs now);

}  // namespace hl::intake
