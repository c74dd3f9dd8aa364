#pragma once
// Retention (等保: personal data kept no longer than needed): a case archived (存档) longer than the
// configured retention period (config retention_days_after_archive; 0 keeps everything) has its
// personal data anonymised — names, phone and ID numbers and their fingerprints, addresses and
// safe-contact rules, narratives, notes, answers, attachments, safety plans and every other free
// text — while what the statistics count stays: the case, its dates, category, channel, statuses,
// events (without their free text), referrals, measures and money. A supervisor's legal hold (a case
// before a court, a complaint about its handling) stops it until released. The audit log is never
// touched (kept at least 6 months by policy: nothing deletes it).
//
// Runs in the background with the archive sweep (anonymise_due, in batches on the writer); each case
// gets an `anonymise` event. Hold and release are audited by the caller.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "casework/actor.hpp"
#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

struct LegalHold {
  TimeMs at = 0;
  std::int64_t by = 0;
  std::string reason;
};

class CaseRetention {
 public:
  // Anonymises up to `batch` cases archived before now − retention_days, not on hold and not yet
  // anonymised, oldest archive first. Returns their ids. retention_days ≤ 0: none.
  static std::vector<std::int64_t> anonymise_due(db::Connection& conn, TimeMs now, int retention_days, int batch = 100);
  // One case, whatever its age (the sweep's step; tests).
  static void anonymise(db::Connection& conn, std::int64_t case_id, TimeMs now);

  // A supervisor of the case's office or above puts it on hold / releases it. not_found outside her
  // scope, forbidden for other roles, invalid_input without a reason, conflict when already
  // anonymised (nothing left to hold) or already held / not held.
  static Result<LegalHold> hold(db::Connection& conn, const Actor& actor, std::int64_t case_id, const std::string& reason,
                                TimeMs now);
  static Status release(db::Connection& conn, const Actor& actor, std::int64_t case_id, TimeMs now);
  static std::optional<LegalHold> hold_of(db::Connection& conn, std::int64_t case_id);
};

}  // namespace hl::casework
