#pragma once
// Edits that do not move a case through the workflow: correcting its descriptive fields,
// (re)assigning it, and notes. Each runs on the writer, is version-checked where the case row
// changes, and leaves a case_events row ("update"/"assign") so the history shows who changed what.
#include <cstdint>
#include <optional>
#include <string>

#include "casework/actor.hpp"
#include "casework/case_record.hpp"
#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

struct CasePatch {
  std::optional<std::string> summary, narrative, category, urgency;
  std::optional<std::int64_t> assignee_id;
  bool empty() const { return !summary && !narrative && !category && !urgency && !assignee_id; }
};

struct Note {
  std::int64_t id = 0;
  std::int64_t case_id = 0;
  std::optional<std::int64_t> author_id;
  TimeMs at = 0;
  std::string text;
};

class CaseEdits {
 public:
  explicit CaseEdits(const Clock& clock) : clock_(clock) {}

  // Staff only. not_found out of scope; conflict when stale; invalid_input naming bad fields;
  // transition_not_allowed for a closed case (reopen it first); assigning needs a supervisor unless
  // operators take an unassigned case for themselves.
  Result<CaseRecord> patch(db::Connection& conn, std::int64_t case_id, std::int64_t expected_version,
                           const CasePatch& patch, const Actor& actor) const;

  // Staff in scope, or a partner with a live referral to the case. invalid_input for empty/oversize text.
  Result<Note> add_note(db::Connection& conn, std::int64_t case_id, const std::string& text, const Actor& actor) const;

 private:
  const Clock& clock_;
};

}  // namespace hl::casework
