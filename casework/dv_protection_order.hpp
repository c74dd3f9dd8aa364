#pragma once
// Personal safety protection orders (人身安全保护令, Anti-Domestic Violence Law arts. 23–32):
//
//   apply      → applied     applied_at (kept), and court_accepted_at once the court accepts the
//                            application (受理; given at once or later by update): the ruling is due
//                            72 h after the acceptance, 24 h in an emergency
//                            (DeadlinePolicy::protection_order_ruling_due, per office); no ruling
//                            deadline runs before the acceptance
//   applied    → granted     ruled_at (not before the acceptance), expires_at: the order's last day,
//                            at most 6 months after the ruling
//              → denied      ruled_at
//              → withdrawn   the applicant withdrew
//   granted    extend        a new expires_at at most 6 months after the extension date
//   granted    violations    logged with date, description and the police response
//   granted / denied  复议     once, by the applicant or the respondent, to the court that ruled
//                            (Art. 31; dv_order_reconsideration.hpp); a granted order stays in force
//                            meanwhile, and a revoked one (撤销) is not in force from the decision on
//
// An order is in force through the whole of its last day (民法典 Art. 203: a period ends at 24:00 of
// its last day): expires_at is always the last millisecond of that day in Beijing time, whatever time
// of day the client sent. "6 months" are Beijing calendar months counted from the ruling day (民法典
// Art. 202, see dv_calendar.hpp): ruled 2026-11-23 10:00, the last day may be 2027-05-23, in force
// until 2027-05-23 23:59:59.999. Every step is a case event.
// Staff only; writes run on the single writer.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "casework/actor.hpp"
#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"
#include "core/local_time.hpp"

namespace hl::casework {

struct OrderViolation {
  std::int64_t id = 0;
  TimeMs occurred_at = 0;
  std::string description, police_response;
  std::optional<std::int64_t> recorded_by;
  TimeMs recorded_at = 0;
};

struct OrderExtension {
  TimeMs extended_at = 0;
  TimeMs previous_expires_at = 0, expires_at = 0;
  std::optional<std::int64_t> actor_id;
};

// 复议 of the ruling: at most one per order.
struct OrderReconsideration {
  TimeMs applied_at = 0;
  std::string applied_by;              // applicant | respondent
  std::optional<std::string> result;   // upheld (维持) | revoked (撤销) | varied (变更); none while pending
  std::optional<TimeMs> decided_at;
  std::string note;
  TimeMs recorded_at = 0;
};

struct ProtectionOrder {
  std::int64_t id = 0;
  std::int64_t case_id = 0;
  std::string case_no;
  std::int64_t court_partner_id = 0;
  std::string court_name;
  bool emergency = false;
  std::string applied_by = "victim";  // victim (本人申请) | federation (妇联代为申请)
  TimeMs applied_at = 0;
  std::optional<TimeMs> court_accepted_at;  // the court's acceptance (受理); the ruling clock starts here
  std::optional<TimeMs> ruling_due;         // none until the court has accepted the application
  std::string status;  // applied | granted | denied | withdrawn
  std::optional<TimeMs> ruled_at, expires_at;
  TimeMs updated_at = 0;
  std::int64_t version = 1;
  std::vector<OrderExtension> extensions;
  std::vector<OrderViolation> violations;
  std::optional<OrderReconsideration> reconsideration;

  bool ruling_overdue(TimeMs now) const { return status == "applied" && ruling_due && *ruling_due < now; }
  // The last moment a party may ask for 复议 of the ruling (反家庭暴力法 Art. 31: within 5 days of it, its
  // own day not counted, to 24:00 Beijing time of the last day, 民法典 Arts. 201 and 203); none unruled.
  std::optional<TimeMs> reconsideration_due() const {
    if ((status != "granted" && status != "denied") || !ruled_at) return std::nullopt;
    return end_of_local_day(add_days(local_date(*ruled_at), 5));
  }
  // When the court revoked the grant on 复议 (in force until then); nullopt otherwise.
  std::optional<TimeMs> revoked_at() const {
    if (status != "granted" || !reconsideration || reconsideration->result != "revoked") return std::nullopt;
    return reconsideration->decided_at;
  }
  // A pending 复议 does not suspend it (Art. 31); a revocation ends it.
  bool in_force(TimeMs now) const {
    const auto revoked = revoked_at();
    return status == "granted" && expires_at && *expires_at >= now && !(revoked && *revoked <= now);
  }
};

struct NewProtectionOrder {
  std::int64_t court_partner_id = 0;
  TimeMs applied_at = 0;
  bool emergency = false;
  std::optional<TimeMs> court_accepted_at;
  std::string applied_by = "victim";  // victim | federation (the federation applies on her behalf)
};

struct NewViolation {
  TimeMs occurred_at = 0;
  std::string description, police_response;
};

struct OrderUpdate {
  std::optional<TimeMs> court_accepted_at;  // the court's acceptance, once, while the order is applied
  std::optional<std::string> status;  // granted | denied | withdrawn; absent or unchanged: no change
  std::optional<TimeMs> ruled_at;     // default: now
  std::optional<TimeMs> expires_at;   // required to grant
  std::vector<NewViolation> violations;
};

class ProtectionOrderService {
 public:
  explicit ProtectionOrderService(const Clock& clock) : clock_(clock) {}

  // Records the application with its ruling deadline and a `protection_order_applied` event.
  // invalid_input: court_partner_id not an active court, applied_at missing or in the future;
  // not_found out of scope; transition_not_allowed for a closed case.
  Result<ProtectionOrder> apply(db::Connection& conn, std::int64_t case_id, const NewProtectionOrder& in,
                                const Actor& actor) const;

  // Records the court's acceptance, the ruling (or withdrawal) and/or appends violations. conflict
  // when stale; transition_not_allowed for a status change from anything but applied; invalid_input
  // naming "court_accepted_at" (before the application, in the future, already recorded),
  // "expires_at" (missing, before the ruling day, beyond 6 months), "ruled_at" (before the
  // application or the acceptance; a ruling with no acceptance recorded is allowed: the clock never ran), "violations[i].…".
  Result<ProtectionOrder> update(db::Connection& conn, std::int64_t order_id, std::int64_t expected_version,
                                 const OrderUpdate& update, const Actor& actor) const;

  // Extends a granted order that is still in force (its last day included). invalid_input
  // "expires_at" unless its day is later than the current last day and at most 6 months after today
  // (the extension date).
  Result<ProtectionOrder> extend(db::Connection& conn, std::int64_t order_id, std::int64_t expected_version,
                                 TimeMs new_expires_at, const Actor& actor) const;

  static Result<ProtectionOrder> get(db::Connection& conn, std::int64_t order_id, const Actor& actor);
  static Result<std::vector<ProtectionOrder>> for_case(db::Connection& conn, std::int64_t case_id, const Actor& actor);
  // Granted orders in the staff actor's scope expiring between now and now + days, soonest first.
  static Result<std::vector<ProtectionOrder>> expiring(db::Connection& conn, int days, const Actor& actor, TimeMs now);

  // The latest expiry a granted order may have: the end of the day 6 Beijing calendar months after
  // `from`'s day.
  static TimeMs max_expiry(TimeMs from);
  // The last millisecond (Beijing time) of the day holding t: how every expiry is stored.
  static TimeMs end_of_day(TimeMs t);

 private:
  const Clock& clock_;
};

}  // namespace hl::casework
