#pragma once
// The legal time limits in force for one office (defaults from DOMAIN.md, overridable per office in
// the deadline_config table), and the one place that turns them into due times.
#include <cstdint>

#include "core/clock.hpp"
#include "core/db/connection.hpp"

namespace hl::casework {

struct DeadlinePolicy {
  int acceptance_days = 15;
  int handling_days = 60;
  int max_extension_days = 30;
  int referral_response_days = 5;
  int referral_feedback_days = 30;
  int po_ruling_hours = 72;
  int po_ruling_emergency_hours = 24;
  int review_request_days = 30;  // 复查 / 复核 asked within 30 days of the reply / of the review's answer
  int review_answer_days = 30;   // and answered within 30 days
  int archive_after_days = 90;   // a closed case is archived this long after closure at the latest

  // Day-counted limits end at the last millisecond of the Nth Shanghai calendar day after the
  // starting day (the starting day itself is not counted, as in the Petitions Work Regulations).
  TimeMs acceptance_due(TimeMs received_at) const;
  TimeMs handling_due(TimeMs accepted_at) const;
  TimeMs extended_handling_due(TimeMs handling_due, int days) const;
  TimeMs referral_response_due(TimeMs sent_at) const;
  TimeMs referral_feedback_due(TimeMs accepted_at) const;
  // A 交办 completion report set `days` after it was sent (or returned for more work).
  TimeMs report_due(TimeMs sent_at, int days) const;
  // The last moment to ask for 复查 (复核) after a reply (a review's answer) given at `answered_at`.
  TimeMs review_request_until(TimeMs answered_at) const;
  // The answer to a 复查 / 复核 requested at `requested_at` is due.
  TimeMs review_answer_due(TimeMs requested_at) const;
  // Hour-counted: a protection-order ruling is due 72 h (24 h in an emergency) after acceptance.
  TimeMs protection_order_ruling_due(TimeMs applied_at, bool emergency) const;
};

// The policy for an office: its own rows, else the nearest ancestor's, else the defaults (office 0).
DeadlinePolicy load_deadline_policy(db::Connection& conn, std::int64_t office_id);

}  // namespace hl::casework
