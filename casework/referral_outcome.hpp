#pragma once
// The structured outcome a partner records when completing a referral (issue #15 point 4), so the
// period report counts what free text hid ("已出具家庭暴力告诫书" left dv.warning_letters at 0).
// The kinds allowed depend on the referral's service:
//
//   police_response, warning_letter  warning_letter_issued (date, document_no) | warning_letter_not_issued
//                                    | handled_otherwise
//   protection_order                 order_granted (date = ruling, until = the order's last day)
//                                    | order_denied (date = ruling)
//   legal_aid                        legal_aid_granted | legal_aid_refused
//   shelter                          shelter_provided (date = from, until = to, optional) | shelter_not_provided
//   any other service                none: the free-text outcome, as before
//
// Each kind that is a DV measure creates its record through the DV service that owns it — one home
// for each figure: a dv_warning_letters row (DvEventService), the ruling of the case's pending order at
// that court (ProtectionOrderService; an application is recorded first when the office never did),
// a dv_shelter_stays row. The record is written for the partner by the system (partners may not
// write DV content themselves), in the caller's savepoint.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "casework/actor.hpp"
#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

struct ReferralOutcome {
  std::string kind = {};                  // "" when none was given
  std::optional<TimeMs> date = {};        // issued / ruled / shelter from
  std::optional<TimeMs> until = {};       // the order's last day / shelter to
  std::string document_no = {};           // the warning letter's number
};

// True when the service takes a structured outcome (then one is required to complete).
bool has_structured_outcome(const std::string& service);

// The problems of `outcome` for `service`, keyed "result.kind", "result.date", "result.until",
// "result.document_no"; empty when it is valid. `now` bounds the dates (none in the future but an
// order's last day).
std::map<std::string, std::string> check_referral_outcome(const std::string& service, const ReferralOutcome& outcome,
                                                          TimeMs now);

// Writes the DV record the outcome stands for, if any, and returns its reference ("warning_letter:12",
// "protection_order:3", "shelter_stay:5") or "" when the kind records none. Fails as the DV service
// does (e.g. invalid_input naming police_partner_id when the partner is not a police partner).
Result<std::string> record_referral_outcome(db::Connection& conn, const Clock& clock, std::int64_t case_id,
                                            std::int64_t partner_id, TimeMs referral_sent_at,
                                            const ReferralOutcome& outcome, const std::string& note,
                                            std::int64_t partner_user_id);

}  // namespace hl::casework
