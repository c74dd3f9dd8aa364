#pragma once
// What a partner organisation may see of a case, and for how long. The rules are data (the tables
// in partner_access.cpp), like the workflow and the referral lifecycle.
//
// Access follows the referral. While one of the organisation's referrals to the case is live (sent,
// accepted, in progress) its users read the partner view of the case and add notes and attachments.
// Once all of them have ended (declined or completed) they keep only a read-only view of what the
// organisation itself wrote: its referral and its users' notes and actions on the timeline. No case
// view, no victim contact data, no writes: everything else answers as for a case they never had
// (404). A withdrawn referral gives nothing.
//
// On the timeline a partner sees only what its referral needs (kPartnerEvents): a few steps of the
// case, its own referral's steps, what its own users did, and the DV facts its kind of organisation
// works with (kPartnerDvFacts: a court the protection orders applied for at that court; the police
// every order of the case, which they enforce, and the warning letters that station issued). Risk
// assessments, shelter stays, safety plans, mandatory reports, the DV record, mediation, other
// partners' referrals and notes, and any event added later stay with the office.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "casework/actor.hpp"
#include "core/db/connection.hpp"

namespace hl::casework {

enum class PartnerAccess {
  none,   // no referral, or only withdrawn ones
  ended,  // only declined or completed referrals: a read-only view of its own writing
  live,   // a referral sent, accepted or in progress
};

// The organisation's access to the case, from its referrals.
PartnerAccess partner_access(db::Connection& conn, std::int64_t case_id, std::int64_t partner_id);

// Which timeline entries of one case a partner user sees. Built once per case read.
class PartnerTimelineFilter {
 public:
  enum class Show {
    nothing,
    bare,       // the event's name, time and actor: no note, no data
    with_data,  // also its data (the facts themselves); the note only when its own user wrote it
  };

  // `actor` is a partner user; `access` is its organisation's access to the case (not none).
  static PartnerTimelineFilter load(db::Connection& conn, std::int64_t case_id, const Actor& actor, PartnerAccess access);

  // An event with its stored payload (JSON text) and the partner organisation of the user who
  // applied it (nullopt for staff and the system).
  Show event(std::string_view event, const std::string& payload_json, std::optional<std::int64_t> actor_partner_id) const;
  // A note, by the partner organisation of its author.
  bool note(std::optional<std::int64_t> author_partner_id) const { return author_partner_id == partner_id_; }
  // A referral item.
  bool referral(std::int64_t referral_partner_id) const { return referral_partner_id == partner_id_; }

 private:
  std::int64_t partner_id_ = -1;
  bool live_ = false;
  std::set<std::string> facts_;                // "protection_order", "warning_letter": what its kind may see
  std::set<std::string> named_only_facts_;     // of those, only the records that name the organisation
  std::set<std::int64_t> own_referrals_, named_orders_, named_letters_;
};

// The string value of `key` in a flat JSON object written by json_object() (event payloads), or
// nullopt. Exposed for tests.
std::optional<std::string> payload_value(std::string_view payload_json, std::string_view key);

}  // namespace hl::casework
