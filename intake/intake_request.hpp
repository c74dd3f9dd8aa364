#pragma once
// The body of POST /api/v1/intakes as plain values, and what recording it answers. The web layer maps
// JSON to and from these; nothing here knows about JSON. An empty string means "not given".
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "casework/case_record.hpp"
#include "core/clock.hpp"

namespace hl::intake {

// How (and whether) the hotline may call a person back without endangering her.
struct SafeContact {
  std::optional<bool> ok_to_call;
  std::string safe_times, note;
};

// A complainant or victim. Phone and ID number arrive as typed; the service normalises them and
// stores them only encrypted plus a keyed hash.
struct PersonInput {
  std::string name, phone, gender, region_code, id_number, relationship_to_victim;
  std::optional<int> age;
  SafeContact safe_contact;
};

struct RespondentInput {
  std::string name, relationship;
};

struct IntakeRequest {
  std::string channel;    // casework::channels()
  std::string call_type;  // casework::call_types(); hotline only
  std::optional<TimeMs> received_at;  // defaults to now
  std::optional<int> duration_s;
  int persons = 1;  // person-times (人次) of this contact, e.g. 5 for a group visit
  std::optional<PersonInput> complainant, victim;
  std::optional<RespondentInput> respondent;
  std::string category, summary, narrative, urgency = "normal", resolution, answer;
  std::optional<std::int64_t> case_id;  // a follow-up contact about an existing case
  // Issue #13/#14: what the offices' reports count about the contact (schema 015).
  std::string consultation_kind;  // kConsultationKinds; required exactly when resolution is answered
  // A repeat (重复访) of this case: no case is opened, the contact is linked to it instead.
  std::optional<std::int64_t> repeat_of_case_id;
  bool new_matter = false;  // the operator decided the matter is new although the caller has a candidate
  // Level-skipping (越级访): the matter belongs to jurisdiction_office_id, an office below the operator's.
  bool level_skipping = false;
  std::optional<std::int64_t> jurisdiction_office_id;
  // The call (calls.id, from the call.ringing event) this contact records: linked to it, when it
  // rang at this operator's desk and has no contact yet (casework/call_log.hpp).
  std::optional<std::int64_t> call_id;
};

inline constexpr std::string_view kConsultationKinds[] = {"legal", "marriage_family", "psychological", "other"};
using casework::is_group_visit;

// A case the caller (by phone or ID number) appeared in before, as far as the actor may see.
struct PriorCase {
  std::int64_t id = 0;
  std::string case_no, status, category, risk_level;
  TimeMs received_at = 0;
  std::optional<TimeMs> closed_at;
  // Why a new contact about this case would be a repeat (repeat_candidate_reason()): "open" or
  // "closed_within_12_months"; empty when it would not (closed longer ago).
  std::string repeat_reason;
  // The re-review (复核) of the reply is answered: the same matter is not accepted again (不再受理).
  bool no_further_acceptance = false;
};

struct RepeatInfo {
  int prior_contacts = 0;
  std::vector<PriorCase> prior_cases;  // most recent first, at most 10
};

struct IntakeResult {
  std::int64_t contact_id = 0;
  std::optional<casework::CaseRecord> opened_case;  // set when resolution was open_case (and not a repeat)
  std::optional<std::int64_t> linked_case_id;       // the case the contact was linked to (follow-up or repeat)
  bool group_visit = false;
  RepeatInfo repeat;                                // computed before this contact was stored
};

}  // namespace hl::intake
