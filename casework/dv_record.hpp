#pragma once
// The DV record of a case (家暴情况): forms of violence (the legal list, multi-select), first and
// latest incident dates, frequency, injuries, children present or harmed, weapons, the victim's
// relationship to the abuser and whether they live together. One per case, replaced as a whole
// (PUT) with optimistic versions; version 0 means "not recorded yet". Staff only.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "casework/actor.hpp"
#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

// Empty strings mean "not known"; incident dates are the first ms of a Shanghai calendar day.
struct DvRecordFields {
  std::vector<std::string> forms;  // dv_violence_forms(), no duplicates
  std::optional<TimeMs> first_incident_at, latest_incident_at;
  std::string frequency;           // dv_frequencies() or ""
  std::string injuries;
  std::optional<bool> children_present, children_harmed, weapons_used;
  std::string weapons;             // what was used or threatened
  std::string relationship;        // dv_relationships() or ""
  std::string cohabitation;        // cohabiting | separated | ""
};

struct DvRecord {
  std::int64_t case_id = 0;
  DvRecordFields fields;
  std::optional<std::int64_t> updated_by;
  std::optional<std::string> updated_by_name;
  std::optional<TimeMs> updated_at;
  std::int64_t version = 0;  // 0: nothing recorded yet
};

class DvRecordService {
 public:
  explicit DvRecordService(const Clock& clock) : clock_(clock) {}

  // The case's record, or an empty one with version 0. not_found outside the staff actor's scope.
  static Result<DvRecord> get(db::Connection& conn, std::int64_t case_id, const Actor& actor);

  // Replaces the record at `expected_version` (0 creates it) and leaves a `dv_record_updated` case
  // event naming the changed fields. conflict when stale; invalid_input naming bad fields (unknown
  // form or vocabulary value, incident date in the future, first after latest, text too long);
  // transition_not_allowed for a closed case.
  Result<DvRecord> put(db::Connection& conn, std::int64_t case_id, std::int64_t expected_version,
                       const DvRecordFields& fields, const Actor& actor) const;

 private:
  const Clock& clock_;
};

}  // namespace hl::casework
