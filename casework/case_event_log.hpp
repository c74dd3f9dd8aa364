#pragma once
// The case's history: every change to a case, to its status or beside it (a note on a referral, an
// attachment, a DV measure), leaves one row in case_events, and this is the only code that writes
// them. CaseService::apply is the only caller that changes a status; everything else appends an
// event "in place" (from = to = the case's current status).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "casework/actor.hpp"
#include "casework/event_data.hpp"
#include "core/clock.hpp"
#include "core/db/connection.hpp"

namespace hl::casework {

struct CaseEventEntry {
  std::int64_t case_id = 0;
  std::string_view event;
  std::optional<std::string_view> from_status;  // nullopt for the event that creates the case
  std::string_view to_status;
  TimeMs at = 0;
  std::string_view note;
  const EventData* payload = nullptr;  // nullptr: {}
};

class CaseEventLog {
 public:
  // Appends a row written by `actor` (the system and unknown users are stored as no user). Runs in
  // the caller's transaction or savepoint; throws db::DbError like any write.
  static void append(db::Connection& conn, const CaseEventEntry& entry, const Actor& actor);

  // Appends an event that leaves the status as it is. Nothing is written for a case that does not
  // exist; the caller has loaded it already.
  static void append_in_place(db::Connection& conn, std::int64_t case_id, std::string_view event, const Actor& actor,
                              TimeMs at, const EventData& payload = {}, std::string_view note = {});
};

}  // namespace hl::casework
