#pragma once
// Recording a contact (call, visit, letter, screening row) and, when help is needed, opening its case;
// and the repeat-caller lookup behind the screen-pop.
//
// Phone and ID numbers are written only as ciphertext plus a keyed fingerprint of the normalised
// number (casework::PersonIdentity): the database never holds them readably, yet the same caller is
// recognised however the number was typed.
//
// Shared between threads: safe, the object holds only references to immutable (Clock: thread-safe)
// collaborators; each call uses the connection its caller owns.
#include <optional>
#include <string>
#include <string_view>

#include "casework/actor.hpp"
#include "core/clock.hpp"
#include "casework/person_identity.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"
#include "intake/caller_history.hpp"
#include "intake/intake_request.hpp"

namespace hl::intake {

class IntakeService {
 public:
  IntakeService(const Clock& clock, const casework::PersonIdentity& identity) : clock_(clock), identity_(identity) {}

  // Stores the contact in the actor's office with its persons, and opens a case (status registered)
  // for resolution open_case or links everything to `case_id` for a follow-up. Runs inside the
  // writer's per-command savepoint and opens no transaction; every check is made before the first
  // write, so a failure writes nothing. `repeat` describes earlier contacts from the same complainant
  // or victim phone / ID number that the actor may see (this contact excluded).
  // A repeat (repeat_of_case_id) opens no case: the contact joins that case (case_id too when it is
  // the actor's office's own). The server does not insist on a repeat when the caller has a candidate
  // and the request says neither repeat_of_case_id nor new_matter: only the operator can tell whether
  // today's matter is the earlier one (web/API.md).
  // Fails with forbidden (not operator or supervisor), invalid_input (see validate(); also an unknown
  // or inactive category, a repeat_of_case_id outside the actor's scope, a jurisdiction_office_id not
  // strictly below the actor's office), not_found (case_id missing or outside the actor's scope),
  // conflict (the repeated case ended more than 12 months ago: repeat_rules.hpp).
  Result<IntakeResult> record(db::Connection& conn, const IntakeRequest& request, const casework::Actor& actor) const;

  // Read-only: earlier contacts and cases of this phone number within the actor's scope, the latest
  // contacts themselves and the name given with the number, for the screen-pop while the phone
  // rings. Fails with forbidden (not staff) or invalid_input "phone".
  Result<CallerHistory> lookup_caller(db::Connection& conn, std::string_view raw_phone, const casework::Actor& actor) const;

 private:
  const Clock& clock_;
  const casework::PersonIdentity& identity_;
};

}  // namespace hl::intake
