#pragma once
// What every DV service shares: the staff-only, scoped access to a case, the timeline event each DV
// write leaves, and the partner checks. DV content is for office staff only: partner users and
// administrators get not_found, as for a case outside their scope.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "casework/actor.hpp"
#include "casework/case_record.hpp"
#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

// The case for a DV read: not_found unless the actor is staff (or the system) with the case in scope.
Result<CaseRecord> dv_case(db::Connection& conn, std::int64_t case_id, const Actor& actor);
// What a DV write records. DV measures outlive the case (DOMAIN.md, "The handling process"): an order
// lasts up to 6 months after the ruling, so protection orders (their acceptance, ruling, extensions
// and violations), warning letters, shelter stays, mandatory reports and safety plans are recorded on
// a closed case without reopening it. The DV record and risk assessments describe the matter itself
// and close with the case.
enum class DvWrite { measure, case_facts };
// As dv_case, for a DV write: also transition_not_allowed for a forwarded case (已转送: the matter is
// the receiving office's now), and for case facts on a closed case (reopen it first).
Result<CaseRecord> dv_writable_case(db::Connection& conn, std::int64_t case_id, const Actor& actor, DvWrite what);
// Appends a case event that leaves the status as it is (from = to = the current status). The
// payload must hold nothing a partner with a referral should not read on the timeline.
void append_dv_event(db::Connection& conn, std::int64_t case_id, std::string_view event, const Actor& actor, TimeMs at,
                     const std::map<std::string, std::string>& payload, const std::string& note = {});
// The name of an active partner of `type`, or nullopt when there is none with that id.
std::optional<std::string> active_partner_name(db::Connection& conn, std::int64_t partner_id, std::string_view type);
// True when the text is empty or only white space.
bool dv_blank(std::string_view text);

}  // namespace hl::casework
