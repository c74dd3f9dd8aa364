#pragma once
// The screen-pop's history of a caller: her latest contacts (date, channel, what it was about, how it
// ended, the case it belongs to) and the name she gave, so the operator sees at a glance what was
// said before and need not ask her name again. Read by the phone's keyed hash (persons_phone_hash),
// never by decrypting, and only as far as the actor's office subtree reaches.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "intake/intake_request.hpp"

namespace hl::intake {

// The case a prior contact belongs to; absent when it has none or the case is outside the scope.
struct PriorContactCase {
  std::int64_t id = 0;
  std::string case_no, status;
  std::optional<std::string> outcome;  // set once closed
};

struct PriorContact {
  std::int64_t id = 0;
  TimeMs received_at = 0;
  std::string channel;
  std::optional<std::string> call_type;
  std::string summary, resolution, answer;  // resolution: answered | open_case | none
  std::optional<PriorContactCase> case_ref;
  int persons = 1;
  std::optional<std::int64_t> repeat_of_case_id;  // a repeat (重复访) of this case
  bool level_skipping = false;
};

// The repeat-caller answer (counts and cases) plus the history.
struct CallerHistory : RepeatInfo {
  std::string caller_name;             // the latest non-empty name given with this number; "" if none
  std::vector<PriorContact> contacts;  // newest first, at most kMaxHistoryContacts
};

inline constexpr std::size_t kMaxHistoryContacts = 10;

// Fills history.contacts and history.caller_name from the contacts naming a person with this phone
// fingerprint, taken by an office in [scope_lo, scope_hi).
void read_caller_history(db::Connection& conn, const std::string& phone_fingerprint, const std::string& scope_lo,
                         const std::string& scope_hi, CallerHistory& history);

}  // namespace hl::intake
