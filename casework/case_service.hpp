#pragma once
// Case writes. Every method runs inside the single writer's per-command savepoint (pass it to
// db::Writer::post/submit): the case row, its case_events row and any side records change together
// or not at all. The status is never written anywhere else.
#include <cstdint>
#include <optional>
#include <string>

#include "casework/actor.hpp"
#include "casework/case_procedure.hpp"
#include "casework/case_record.hpp"
#include "casework/deadline_policy.hpp"
#include "casework/event_data.hpp"
#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

struct NewCase {
  std::int64_t office_id = 0;
  std::string category;
  std::string channel = "hotline";
  std::string urgency = "normal";
  std::string summary;
  std::string narrative;
  TimeMs received_at = 0;
  std::optional<std::int64_t> assignee_id;
  std::optional<std::int64_t> transferred_from_case_id;
  // false when the caller adds people to the case and builds the search document itself afterwards
  // (intake), so it is built once per case rather than twice.
  bool build_search_document = true;
};

// A case as a legacy ledger (台账) recorded it, to be written as it stood then.
struct ImportedCase {
  std::int64_t office_id = 0;
  std::string office_path;  // the office's path, checked by the caller (writable by the actor)
  CaseStatus status = CaseStatus::registered;  // registered, in_progress or closed
  std::string category, channel, summary, narrative;
  TimeMs received_at = 0;
  std::optional<TimeMs> closed_at;               // closed only; default the received date
  std::optional<std::string> closure_summary;    // closed only
  std::optional<std::int64_t> losses_avoided_fen, losses_recovered_fen;
  EventData source;  // the import event's payload: where the row came from
};

class CaseService {
 public:
  explicit CaseService(const Clock& clock) : clock_(clock) {}

  // The `register` event: numbers the case, sets its acceptance deadline, records the event.
  // invalid_input names bad fields (unknown category/channel/urgency, office outside the actor's scope).
  Result<CaseRecord> open_case(db::Connection& conn, const NewCase& input, const Actor& actor) const;

  // Applies a workflow event to the case at `expected_version`. not_found outside the actor's scope;
  // conflict when the version is stale; transition_not_allowed naming the state, role or fields.
  Result<CaseRecord> apply(db::Connection& conn, std::int64_t case_id, std::int64_t expected_version,
                           CaseEvent event, const Actor& actor, const EventData& data,
                           const std::string& note = {}) const;

  // Writes an imported case (case_service_import.cpp): numbered in the year it was received; past
  // registration it counts as accepted on its received date and its deadlines run from then (an old
  // in_progress row is overdue at once, as it should be); a closed one has outcome "imported". One
  // `import` event with `source` as payload. Returns the new case's id; the caller validated the row
  // and builds the search document once the people are linked.
  std::int64_t import_case(db::Connection& conn, const ImportedCase& input, const DeadlinePolicy& policy,
                           const Actor& actor) const;

  // Returns a `referred` case to `in_progress` when none of its referrals is still open (the system's
  // referral_done event). Does nothing and returns the case unchanged otherwise.
  Result<CaseRecord> settle_referrals(db::Connection& conn, std::int64_t case_id) const;

 private:
  // What an event changed beside the case row, for its running deadline and the recorded payload.
  struct Effects {
    bool has_reply = false, report_in = false;
    std::optional<TimeMs> report_due;
    std::optional<EventData> recorded;  // the event's data as recorded, when the engine adds to it
    // A step the other side of a 交办 takes in the same savepoint once this case is written.
    std::optional<std::int64_t> then_case;
    CaseEvent then_event = CaseEvent::report_received;
    EventData then_data;
  };
  // case_routing.cpp: 转送 / 交办 (opens the receiving office's case) and the 交办 report's steps.
  Status route(db::Connection& conn, CaseRecord& c, CaseEvent event, const EventData& data, const DeadlinePolicy& policy,
               const CaseProcedure& proc, const Actor& actor, TimeMs now, Effects& fx) const;
  Status report_step(db::Connection& conn, CaseRecord& c, CaseEvent event, const EventData& data,
                     const DeadlinePolicy& policy, const CaseProcedure& proc, const Actor& actor, TimeMs now,
                     Effects& fx) const;

  const Clock& clock_;
};

}  // namespace hl::casework
