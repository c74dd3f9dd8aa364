#pragma once
// DV risk assessments: the answers to one version of the instrument, scored (sum of the weights of
// the items answered yes) and mapped to a level. The case's risk_level always follows its latest
// assessment and changes in the same transaction, with a `risk_assessed` case event. Staff only;
// writes run on the single writer.
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

struct RiskAssessment {
  std::int64_t id = 0;
  std::int64_t case_id = 0;
  int instrument_version = 0;
  int score = 0;
  std::string level;
  std::string note;
  std::optional<std::int64_t> assessor_id;
  std::optional<std::string> assessor_name;
  TimeMs assessed_at = 0;
  std::map<std::string, bool> answers;  // the items answered, by code
};

struct NewRiskAssessment {
  std::map<std::string, bool> answers;
  std::optional<int> instrument_version;  // the version the answers were given to; default: the active one
  std::string note;
};

class RiskAssessmentService {
 public:
  explicit RiskAssessmentService(const Clock& clock) : clock_(clock) {}

  // Scores and stores the assessment, sets the case's risk_level and appends `risk_assessed`.
  // invalid_input naming "answers.<code>" for unknown items, "instrument_version" when the answers
  // are for a version that is not the active one (retired or unknown), "note" when too long;
  // not_found outside the staff actor's scope; transition_not_allowed for a closed case.
  Result<RiskAssessment> assess(db::Connection& conn, std::int64_t case_id, const NewRiskAssessment& in,
                                const Actor& actor) const;

  // The case's assessments, oldest first (the reassessment chart).
  static Result<std::vector<RiskAssessment>> history(db::Connection& conn, std::int64_t case_id, const Actor& actor);
  static Result<RiskAssessment> get(db::Connection& conn, std::int64_t assessment_id, const Actor& actor);

 private:
  const Clock& clock_;
};

}  // namespace hl::casework
