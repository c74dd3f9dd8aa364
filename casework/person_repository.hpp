#pragma once
// The people named in a case's contacts (complainant, victim, respondent), with phone and ID numbers
// and the safe-contact rules still encrypted: only the web layer, holding the key (PersonIdentity),
// decides whether to reveal, mask or leave them out (a partner never sees the rules).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/db/connection.hpp"

namespace hl::casework {

struct PersonRecord {
  std::int64_t id = 0;
  std::int64_t contact_id = 0;
  std::string role;
  std::string name;
  std::optional<std::string> gender;
  std::optional<std::int64_t> age;
  std::optional<std::string> region_code;
  std::string relationship;
  std::optional<std::string> phone_enc, id_number_enc;
  std::optional<bool> ok_to_call;
  std::optional<std::string> safe_times_enc, safe_note_enc;  // PersonIdentity::reveal_safe_times / _note
};

class PersonRepository {
 public:
  // Callers check the case's scope first.
  static std::vector<PersonRecord> for_case(db::Connection& conn, std::int64_t case_id);
  // True when a live referral (sent, accepted, in progress) of this case to `partner_id` was sent
  // with the person's consent: an ended referral reveals nothing any more.
  static bool partner_has_consent(db::Connection& conn, std::int64_t case_id, std::int64_t partner_id);
};

}  // namespace hl::casework
