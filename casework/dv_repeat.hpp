#pragma once
// Repeat victimisation: the same victim — recognised by the keyed hash of a complainant's or
// victim's phone or ID number — in another domestic-violence case (category
// marriage_family.domestic_violence) received in the last 12 months (Shanghai calendar months back
// from now, inclusive: see dv_calendar.hpp), within the actor's scope. Answers both the case page
// (by case) and intake (by the hashes of the numbers being typed). Read-only; staff only.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "casework/actor.hpp"
#include "casework/person_identity.hpp"
#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

// Raw KeyedHash digests as stored in persons.phone_hash / persons.id_number_hash.
struct VictimKeys {
  std::vector<std::string> phone_hashes, id_number_hashes;
  bool empty() const { return phone_hashes.empty() && id_number_hashes.empty(); }
};

struct RepeatCase {
  std::int64_t id = 0;
  std::string case_no, status, risk_level;
  TimeMs received_at = 0;
};

struct RepeatVictimisation {
  bool repeat = false;
  std::vector<RepeatCase> previous_cases;  // most recent first, at most 20
};

class RepeatVictimisationFinder {
 public:
  // Other DV cases sharing a complainant/victim phone or ID hash with this case's complainant or
  // victim. The case itself and the cases it was transferred from or to (the same matter) are left
  // out. not_found when the case is outside the staff actor's scope.
  static Result<RepeatVictimisation> for_case(db::Connection& conn, std::int64_t case_id, const Actor& actor, TimeMs now);

  // The same search by hashes, for intake before a case exists (or excluding `exclude_case_id`).
  // not_found for anyone but staff.
  static Result<RepeatVictimisation> by_keys(db::Connection& conn, const VictimKeys& keys, const Actor& actor, TimeMs now,
                                             std::optional<std::int64_t> exclude_case_id = std::nullopt);

  // The keys of the numbers being typed at intake, fingerprinted exactly as intake stores them.
  // invalid_input naming `phone` or `id_number` for a number that is not one, and `phone` when
  // neither is given.
  static Result<VictimKeys> keys_typed(const PersonIdentity& identity, std::string_view phone, std::string_view id_number);

  // The earliest received_at that still counts: now minus 12 Shanghai calendar months.
  static TimeMs window_start(TimeMs now);
};

}  // namespace hl::casework
