#pragma once
// The case workflow as data: one table of (event, from-states, to-state, roles, required fields,
// extra guard) and one pure function that decides whether an event may be applied.
//
//   register        ∅ → registered                  operator, supervisor (from intake)
//   answer          registered → closed             operator, supervisor   answer (当场解答, no case work)
//   accept          registered → in_progress        operator, supervisor   notice
//   decline         registered → closed             operator, supervisor   reason, referred_to, notice
//   refer           in_progress|referred → referred operator, supervisor   partner_id, service, consent
//   referral_done   referred → in_progress          system                 (no referral still open)
//   start_mediation in_progress → mediation         operator, supervisor   mediator, scheduled_at
//   end_mediation   mediation → in_progress         operator, supervisor   outcome: agreement|failed
//   reply           in_progress|referred|mediation → (same)  staff         replied_at, method, opinion, basis
//   request_closure in_progress → pending_closure   operator, supervisor   outcome, summary, losses_avoided_fen;
//                                                                          a recorded reply
//   approve_closure pending_closure → closed        supervisor
//   reject_closure  pending_closure → in_progress   supervisor             reason
//   reopen          closed → in_progress            supervisor             reason (the office's own mistake;
//                                                                          the reply is withdrawn, a new
//                                                                          handling limit recorded)
//   extend_handling in_progress|referred|mediation → (same)  supervisor    days (1..max), reason, notice; once
//   forward  (转送)  registered|in_progress → forwarded      staff          target_office_id, reason, notice
//   delegate (交办)  registered|in_progress → delegated      staff          target_office_id, reason,
//                                                                          report_due_days, notice
//   submit_report   closed → (same)                 staff   the receiver's case, replied, with a report owed
//   report_received delegated → (same)              system  the sender's side of submit_report
//   accept_report   delegated → closed              supervisor             (a report has arrived)
//   return_report   delegated → (same)              supervisor             reason, report_due_days
//   report_returned closed → in_progress            system  the receiver's side of return_report
//
// "notice" (告知) = notice_method (in_person|phone|written|sms) and notice_at (a date or time), or
// notice_on_the_spot=true (当场告知, notice_at defaults to now); a written notice needs
// notice_document_no. A reply (答复) made in writing needs document_no likewise.
#include <span>
#include <vector>
#include <string_view>

#include "casework/actor.hpp"
#include "casework/event_data.hpp"
#include "casework/vocabulary.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"

namespace hl::casework {

// What a required field must look like.
enum class FieldKind { text, id, datetime, money_fen, positive_int, one_of, flag };

// Longest a 交办 report may be set due, in days (the receiver has 15 + 60 days, plus an extension).
inline constexpr int kMaxReportDueDays = 120;

struct FieldRule {
  std::string_view name;
  FieldKind kind = FieldKind::text;
  std::span<const std::string_view> allowed = {};  // for one_of
};

// What the guards may look at besides the event data.
struct CaseFacts {
  CaseStatus status = CaseStatus::registered;
  int extension_days = 0;        // handling extensions already granted
  int max_extension_days = 30;   // from the deadline policy
  int open_referrals = 0;
  bool has_reply = false;        // a reply (答复) stands since the case last came back to handling
  bool report_owed = false;      // received by 交办 and its 办结报告 not yet sent
  bool report_in = false;        // delegated (交办中) and the receiver's report has arrived
  TimeMs received_at = 0;        // for the notice's date: not before receipt (0: not checked)
  TimeMs now = 0;                // ... and not in the future (0: not checked)
};

struct Transition {
  CaseEvent event;
  unsigned from_mask;  // bit per CaseStatus; 0 = the case does not exist yet
  bool keeps_status;   // true: `to` is ignored and the status stays (extend_handling, reply, …)
  CaseStatus to;
  unsigned roles_mask;  // bit per Role
  std::span<const FieldRule> required;
  // Cross-field rules (e.g. consent or an override reason); nullptr when none.
  Status (*guard)(const CaseFacts&, const EventData&);
};

std::span<const Transition> transition_table();
const Transition* find_transition(CaseEvent event);

// Decides whether `event` may be applied to a case in the state `facts` by `actor` with `data`.
// Returns the status the case moves to, or transition_not_allowed naming the reason: the wrong
// state, the wrong role, or each missing/invalid field in Error::fields.
Result<CaseStatus> decide(const CaseFacts& facts, CaseEvent event, const Actor& actor, const EventData& data);

// The events `actor` could apply to a case in `facts` right now, ignoring data (for UI buttons).
std::vector<CaseEvent> available_events(const CaseFacts& facts, const Actor& actor);

// Field-level validation shared with other services: problem text, or "" when the value is fine.
std::string check_field(const FieldRule& rule, const EventData& data);

}  // namespace hl::casework
