#include "casework/referral_outcome.hpp"

#include <array>
#include <span>
#include <string_view>

#include "casework/dv_events.hpp"
#include "casework/dv_protection_order.hpp"
#include "core/local_time.hpp"

namespace hl::casework {
namespace {

// Dates come as the start of a Beijing day, so today's is never ahead of now; allow a client's clock
// a little ahead, as the DV services do.
constexpr TimeMs kClockSkewMs = 5 * 60'000;

constexpr std::array<std::string_view, 3> kPoliceKinds = {"warning_letter_issued", "warning_letter_not_issued",
                                                          "handled_otherwise"};
constexpr std::array<std::string_view, 2> kCourtKinds = {"order_granted", "order_denied"};
constexpr std::array<std::string_view, 2> kLegalAidKinds = {"legal_aid_granted", "legal_aid_refused"};
constexpr std::array<std::string_view, 2> kShelterKinds = {"shelter_provided", "shelter_not_provided"};

std::span<const std::string_view> kinds_for(const std::string& service) {
  if (service == "police_response" || service == "warning_letter") return kPoliceKinds;
  if (service == "protection_order") return kCourtKinds;
  if (service == "legal_aid") return kLegalAidKinds;
  if (service == "shelter") return kShelterKinds;
  return {};
}

std::string joined(std::span<const std::string_view> kinds) {
  std::string out;
  for (auto k : kinds) out += (out.empty() ? "" : ", ") + std::string(k);
  return out;
}

// The partner's own user stands behind the record (created_by, the event's actor id), with the
// system's right to write DV content, which partners lack.
Actor on_behalf_of(std::int64_t partner_user_id) {
  Actor a = Actor::system();
  a.user_id = partner_user_id;
  return a;
}

Result<std::string> rule_order(db::Connection& conn, const Clock& clock, std::int64_t case_id, std::int64_t court_id,
                               TimeMs sent_at, const ReferralOutcome& o, const Actor& actor) {
  ProtectionOrderService orders(clock);
  auto existing = ProtectionOrderService::for_case(conn, case_id, actor);
  if (!existing) return std::unexpected(existing.error());
  std::optional<ProtectionOrder> pending;
  for (const auto& order : *existing)  // the latest application still waiting at this court
    if (order.court_partner_id == court_id && order.status == "applied") pending = order;
  if (!pending) {
    // The office referred the application without recording it: the referral is the application.
    NewProtectionOrder apply{court_id, std::min(sent_at, *o.date), false, std::nullopt, "victim"};
    auto applied = orders.apply(conn, case_id, apply, actor);
    if (!applied) return std::unexpected(applied.error());
    pending = std::move(*applied);
  }
  OrderUpdate u;
  u.status = o.kind == "order_granted" ? "granted" : "denied";
  u.ruled_at = std::max(*o.date, pending->court_accepted_at.value_or(pending->applied_at));
  if (o.kind == "order_granted") u.expires_at = o.until;
  auto ruled = orders.update(conn, pending->id, pending->version, u, actor);
  if (!ruled) return std::unexpected(ruled.error());
  return "protection_order:" + std::to_string(ruled->id);
}

Result<std::string> write_record(db::Connection& conn, const Clock& clock, std::int64_t case_id, std::int64_t partner_id,
                                 TimeMs sent_at, const ReferralOutcome& o, const std::string& note, const Actor& actor);

// The DV services name their own fields; the partner filled in result.*.
Error as_result_fields(Error e) {
  static const std::map<std::string, std::string> kField{
      {"issued_at", "result.date"},       {"ruled_at", "result.date"},       {"from", "result.date"},
      {"applied_at", "result.date"},      {"expires_at", "result.until"},    {"to", "result.until"},
      {"document_no", "result.document_no"}, {"police_partner_id", "result.kind"}, {"partner_id", "result.kind"},
      {"court_partner_id", "result.kind"}, {"note", "outcome"}};
  std::map<std::string, std::string> fields;
  for (auto& [k, v] : e.fields) {
    auto it = kField.find(k);
    const bool partner = k.ends_with("partner_id");  // the referral went to a partner of another kind
    fields[it == kField.end() ? k : it->second] = partner ? "this partner cannot record this outcome" : v;
  }
  e.fields = std::move(fields);
  return e;
}

}  // namespace

bool has_structured_outcome(const std::string& service) { return !kinds_for(service).empty(); }

std::map<std::string, std::string> check_referral_outcome(const std::string& service, const ReferralOutcome& o, TimeMs now) {
  std::map<std::string, std::string> bad;
  const auto kinds = kinds_for(service);
  if (kinds.empty()) {
    if (!o.kind.empty()) bad["result.kind"] = "this service takes no structured outcome: describe it in outcome";
    return bad;
  }
  bool known = false;
  for (auto k : kinds) known = known || k == o.kind;
  if (!known) {
    bad["result.kind"] = "choose an outcome of this service: " + joined(kinds);
    return bad;
  }
  const bool dated = o.kind == "warning_letter_issued" || o.kind == "order_granted" || o.kind == "order_denied" ||
                     o.kind == "shelter_provided";
  if (dated && !o.date) bad["result.date"] = "required";
  else if (dated && *o.date > now + kClockSkewMs) bad["result.date"] = "must not be in the future";
  else if (!dated && o.date) bad["result.date"] = "not for this outcome";
  if (o.kind == "order_granted" && !o.until) bad["result.until"] = "required";
  else if ((o.kind == "order_granted" || o.kind == "shelter_provided") && o.until && o.date && *o.until < *o.date)
    bad["result.until"] = "must not be before the date";
  else if (o.kind != "order_granted" && o.kind != "shelter_provided" && o.until) bad["result.until"] = "not for this outcome";
  else if (o.kind == "order_granted" && o.date && ProtectionOrderService::end_of_day(*o.until) > ProtectionOrderService::max_expiry(*o.date))
    bad["result.until"] = "an order lasts at most 6 months: its last day at the latest " +
                          format_date(local_date(ProtectionOrderService::max_expiry(*o.date)));
  if (o.kind == "warning_letter_issued" && o.document_no.find_first_not_of(" \t") == std::string::npos)
    bad["result.document_no"] = "required";
  else if (o.document_no.size() > 200) bad["result.document_no"] = "at most 200 bytes";
  else if (o.kind != "warning_letter_issued" && !o.document_no.empty()) bad["result.document_no"] = "not for this outcome";
  return bad;
}

Result<std::string> record_referral_outcome(db::Connection& conn, const Clock& clock, std::int64_t case_id,
                                            std::int64_t partner_id, TimeMs sent_at, const ReferralOutcome& o,
                                            const std::string& note, std::int64_t partner_user_id) {
  auto written = write_record(conn, clock, case_id, partner_id, sent_at, o, note, on_behalf_of(partner_user_id));
  if (!written) return std::unexpected(as_result_fields(written.error()));
  return written;
}

namespace {

Result<std::string> write_record(db::Connection& conn, const Clock& clock, std::int64_t case_id, std::int64_t partner_id,
                                 TimeMs sent_at, const ReferralOutcome& o, const std::string& note, const Actor& actor) {
  if (o.kind == "warning_letter_issued") {
    auto letter = DvEventService(clock).add_warning_letter(conn, case_id, {partner_id, *o.date, note, o.document_no}, actor);
    if (!letter) return std::unexpected(letter.error());
    return "warning_letter:" + std::to_string(letter->id);
  }
  if (o.kind == "shelter_provided") {
    auto stay = DvEventService(clock).add_shelter_stay(conn, case_id, {partner_id, *o.date, o.until, note}, actor);
    if (!stay) return std::unexpected(stay.error());
    return "shelter_stay:" + std::to_string(stay->id);
  }
  if (o.kind == "order_granted" || o.kind == "order_denied") return rule_order(conn, clock, case_id, partner_id, sent_at, o, actor);
  return std::string();
}

}  // namespace
}  // namespace hl::casework
