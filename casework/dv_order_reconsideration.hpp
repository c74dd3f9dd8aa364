#pragma once
// 复议 of a protection-order ruling (反家庭暴力法 Art. 31): a party dissatisfied with the ruling — the
// order granted, or the application rejected — may ask the court that ruled to reconsider it once.
// Recorded on the order (schema 023): when and by whom it was asked (the applicant, or the respondent
// the order is against), then the court's result — 维持 upheld, 撤销 revoked, 变更 varied — and its date.
// A granted order is not suspended while the 复议 is pending; a revoked grant is not in force from the
// decision on (ProtectionOrder::in_force). A varied order keeps its dates here: a new last day is an
// extension (ProtectionOrderService::extend), what else changed goes in the note.
//
// Staff of the case's office subtree only, like every order write (partners and administrators get
// not_found from the DV services, as for a case outside their scope); allowed on closed and archived
// cases (DV measures outlive the case), refused on a forwarded one. Each step bumps the order's
// version and leaves a case event. Writes run on the single writer.
#include <cstdint>
#include <string>

#include "casework/actor.hpp"
#include "casework/dv_protection_order.hpp"
#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

struct NewReconsideration {
  TimeMs applied_at = 0;
  std::string applied_by;  // applicant | respondent
  std::string note;
};

struct ReconsiderationDecision {
  std::string result;  // upheld | revoked | varied
  TimeMs decided_at = 0;
  std::string note;
};

class OrderReconsiderationService {
 public:
  explicit OrderReconsiderationService(const Clock& clock) : clock_(clock) {}

  // Records the request and a `protection_order_reconsideration_requested` event. Fails with
  // transition_not_allowed unless the order was ruled on (granted or denied); conflict when the
  // version is stale or a 复议 was asked already (once only); invalid_input naming "applied_at" (missing,
  // before the ruling's day, after the 5th day after it, in the future), "applied_by" or "note".
  Result<ProtectionOrder> request(db::Connection& conn, std::int64_t order_id, std::int64_t expected_version,
                                  const NewReconsideration& in, const Actor& actor) const;

  // Records the court's result and a `protection_order_reconsideration_decided` event. Fails with
  // transition_not_allowed when no 复议 was asked; conflict when stale or decided already;
  // invalid_input naming "result", "decided_at" (missing, before the request, in the future) or "note".
  Result<ProtectionOrder> decide(db::Connection& conn, std::int64_t order_id, std::int64_t expected_version,
                                 const ReconsiderationDecision& in, const Actor& actor) const;

 private:
  const Clock& clock_;
};

}  // namespace hl::casework
