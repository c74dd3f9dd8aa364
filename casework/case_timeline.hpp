#pragma once
// A case's history in time order: workflow and edit events, notes, contacts, referrals and
// mediations, each with the acting user's name. Scoped like every case read.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "casework/actor.hpp"
#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

struct TimelineItem {
  std::string kind;  // event | note | contact | referral | mediation
  std::int64_t id = 0;
  TimeMs at = 0;
  std::optional<std::int64_t> actor_id;
  std::optional<std::string> actor_name;
  // Kind-specific fields as text; `payload_json` holds an event's data as a JSON object. A contact's
  // repeat, level_skipping and group_visit are "true" or "false" (booleans on the wire).
  std::map<std::string, std::string> fields;
  std::string payload_json;
  // Set on the history a transferred case brought with it: the earlier case the item belongs to.
  std::int64_t from_case_id = 0;
  std::string from_case_no;
};

class CaseTimeline {
 public:
  // Partners see what their organisation's referral gives them (casework/partner_access.hpp): with a
  // live referral some case steps, their own referral, their own users' notes and actions and the
  // DV facts their kind works with; once it ended only their own referral, notes and actions.
  // Staff also see the history of the case(s) this one was transferred from (交办 / 转送), marked
  // with the earlier case's id and number; a read-only grant (case_access) is enough to read it.
  static Result<std::vector<TimelineItem>> load(db::Connection& conn, std::int64_t case_id, const Actor& actor);
};

}  // namespace hl::casework
