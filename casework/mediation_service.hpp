#pragma once
// Mediation sessions (调解). A case enters `mediation` when its first session is scheduled and leaves
// it only through a session's result: agreement or failure return it to `in_progress` (the
// workflow's start_mediation / end_mediation events); a postponement schedules the next session and
// the case stays in mediation. Writes run on the single writer.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "casework/actor.hpp"
#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

struct MediationRecord {
  std::int64_t id = 0;
  std::int64_t case_id = 0;
  std::string mediator;
  std::optional<std::int64_t> partner_id;
  TimeMs scheduled_at = 0;
  std::string place;
  std::optional<std::string> result, agreement_summary;
  std::optional<TimeMs> next_session_at;
  std::int64_t version = 1;
};

struct NewMediation {
  std::string mediator;                   // own staff member or the committee's mediator
  std::optional<std::int64_t> partner_id;  // a mediation_committee partner, when it mediates
  TimeMs scheduled_at = 0;
  std::string place;
};

class MediationService {
 public:
  explicit MediationService(const Clock& clock) : clock_(clock) {}

  // Schedules a session: from in_progress this is start_mediation; a case already in mediation
  // gets another session. invalid_input names the field (partner not a mediation committee, …).
  Result<MediationRecord> schedule(db::Connection& conn, std::int64_t case_id, const NewMediation& in, const Actor& actor) const;

  // result: agreement (needs agreement_summary) | failed | postponed (needs next_session_at in the future).
  Result<MediationRecord> record_result(db::Connection& conn, std::int64_t mediation_id, std::int64_t expected_version,
                                        const std::string& result, const std::string& agreement_summary,
                                        std::optional<TimeMs> next_session_at, const Actor& actor) const;

  static Result<MediationRecord> get(db::Connection& conn, std::int64_t mediation_id, const Actor& actor);

 private:
  const Clock& clock_;
};

}  // namespace hl::casework
