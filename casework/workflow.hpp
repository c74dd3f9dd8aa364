#pragma once
// The case workflow as data: one table of (event, from-states, to-state, roles, required fields,
// extra guard) and one pure function that decides whether an event may be applied.
//
//   register        ∅ → registered                  operator, supervisor (from intake)
//   answer          registered → closed             operator, supervisor   answer
//   accept          registered → in_progress        operator, supervisor
//   decline         registered → closed             operator, supervisor   reason, referred_to
//   refer           in_progress|referred → referred operator, supervisor   partner_id, service, consent
//   referral_done   referred → in_progress          system                 (no referral still open)
//   start_mediation in_progress → mediation         operator, supervisor   mediator, scheduled_at
//   end_mediation   mediation → in_progress         operator, supervisor   outcome: agreement|failed
//   request_closure in_progress → pending_closure   operator, supervisor   outcome, summary, losses_avoided_fen
//   approve_closure pending_closure → closed        supervisor
//   reject_closure  pending_closure → in_progress   supervisor             reason
//   reopen          closed → in_progress            supervisor             reason
//   transfer        registered|in_progress → closed operator, supervisor   target_office_id
//   extend_handling in_progress|referred|mediation → (same)  supervisor    days (1..max), once
#include <span>
#include <vector>
#include <string_view>

#include "casework/actor.hpp"
#include "casework/event_data.hpp"
#include "casework/vocabulary.hpp"
#include "core/error.hpp"

namespace hl::casework {

// What a required field must look like.
enum class FieldKind { text, id, datetime, money_fen, positive_int, one_of, flag };

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
};

struct Transition {
  CaseEvent event;
  unsigned from_mask;  // bit per CaseStatus; 0 = the case does not exist yet
  bool keeps_status;   // true: `to` is ignored and the status stays (extend_handling)
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
