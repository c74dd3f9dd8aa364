#pragma once
// The referral loop: a case is referred to a partner organisation (court, police, legal aid, ...),
// which accepts or declines, reports progress and completes with an outcome; the office may
// withdraw. The lifecycle is a table (data) like the case workflow:
//
//   accept    sent → accepted                     partner of that organisation
//   decline   sent → declined                     partner            decline_reason
//   progress  accepted|in_progress → in_progress  partner            note
//   complete  accepted|in_progress → completed    partner            outcome: a structured result for
//                                                                       the services that have one
//                                                                       (referral_outcome.hpp; the text
//                                                                       is then an optional note), else text
//   withdraw  sent|accepted|in_progress → withdrawn  operator, supervisor  note (the reason)
//
// Every step is an event on the case's timeline, in the same transaction; when the last open
// referral of a `referred` case ends, the case returns to `in_progress` (the engine's referral_done).
// All writes run on the single writer.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "casework/actor.hpp"
#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"
#include "casework/referral_outcome.hpp"

namespace hl::casework {

struct ReferralRecord {
  std::int64_t id = 0;
  std::int64_t case_id = 0;
  std::string case_no;
  std::int64_t partner_id = 0;
  std::string partner_name, partner_type;
  std::string service, reason, status;
  bool consent_given = false;
  std::optional<std::string> override_reason;
  TimeMs sent_at = 0;
  std::optional<TimeMs> response_due, feedback_due, responded_at, completed_at;
  std::optional<std::string> outcome, decline_reason;
  // The structured outcome (referral_outcome.hpp); kind empty for free text only. outcome_record names
  // the DV record it created ("warning_letter:12"), empty when none.
  ReferralOutcome result;
  std::string outcome_record;
  std::int64_t version = 1;

  bool open() const { return status == "sent" || status == "accepted" || status == "in_progress"; }
  // The deadline now running: the response while sent, the feedback once accepted.
  std::optional<TimeMs> due() const;
  bool overdue(TimeMs now) const { return open() && due() && *due() < now; }
};

struct NewReferral {
  std::int64_t partner_id = 0;
  std::string service, reason;
  bool consent_given = false;
  std::optional<std::int64_t> consent_contact_id;
  std::string override_reason;
  std::optional<TimeMs> response_due;  // earlier than the policy's, if the office needs it sooner
  std::optional<std::int64_t> case_version;  // optimistic check when given
};

struct ReferralFilter {
  std::optional<std::string> status;
  std::optional<std::int64_t> partner_id, case_id;
  bool overdue_only = false;
};

class ReferralService {
 public:
  explicit ReferralService(const Clock& clock) : clock_(clock) {}

  // Refers the case (the workflow's `refer` event) and returns the new referral. The case must be
  // in_progress or referred; consent or an override reason is required; the partner must be active.
  Result<ReferralRecord> create(db::Connection& conn, std::int64_t case_id, const NewReferral& in, const Actor& actor) const;

  // action: accept | decline | progress | complete | withdraw. not_found when the actor may not see
  // the referral (another organisation's, or withdrawn for partners); conflict when stale;
  // transition_not_allowed naming the wrong state, role or missing field; invalid_input naming
  // result.kind / result.date / result.until / result.document_no for a result that does not fit the
  // service. Completing with a result writes its DV record in the same savepoint.
  Result<ReferralRecord> respond(db::Connection& conn, std::int64_t referral_id, std::int64_t expected_version,
                                 const std::string& action, const std::string& note, const std::string& outcome,
                                 const std::string& decline_reason, const Actor& actor,
                                 const ReferralOutcome& result = {}) const;

  static Result<ReferralRecord> get(db::Connection& conn, std::int64_t referral_id, const Actor& actor);
  // Partners see their organisation's live referrals; staff those of cases in their subtree.
  static Result<std::vector<ReferralRecord>> list(db::Connection& conn, const ReferralFilter& filter, const Actor& actor,
                                                  TimeMs now);

 private:
  const Clock& clock_;
};

}  // namespace hl::casework
