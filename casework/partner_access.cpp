#include "casework/partner_access.hpp"

#include <array>
#include <charconv>

namespace hl::casework {
namespace {

constexpr std::string_view kAccess =
    "SELECT max(CASE WHEN status IN ('sent','accepted','in_progress') THEN 2"
    " WHEN status IN ('declined','completed') THEN 1 ELSE 0 END)"
    " FROM referrals WHERE case_id = ?1 AND partner_id = ?2";
constexpr std::string_view kOwnReferrals = "SELECT id FROM referrals WHERE case_id = ?1 AND partner_id = ?2";
constexpr std::string_view kPartnerType = "SELECT type FROM partners WHERE id = ?1";
constexpr std::string_view kNamedOrders =
    "SELECT id FROM dv_protection_orders WHERE case_id = ?1 AND court_partner_id = ?2";
constexpr std::string_view kNamedLetters =
    "SELECT id FROM dv_warning_letters WHERE case_id = ?1 AND police_partner_id = ?2";

enum class Sees {
  case_step,         // a step of the case anyone working on it may know of (live access only)
  own_referral,      // the organisation's own referral: `id_key` names it (a partner or referral id)
  own_organisation,  // only when one of the organisation's own users acted
  dv_fact,           // a DV measure of kind `fact`: kPartnerDvFacts decides (live access only)
};

struct EventRule {
  std::string_view event;
  Sees sees;
  std::string_view id_key = {};  // payload key of the referral, partner or DV record the event is about
  std::string_view fact = {};
};

// What a partner sees on the timeline. An event not listed here is never shown to a partner.
constexpr std::array<EventRule, 18> kPartnerEvents = {{
    {"register", Sees::case_step},
    {"accept", Sees::case_step},
    {"approve_closure", Sees::case_step},
    {"reopen", Sees::case_step},
    {"refer", Sees::own_referral, "partner_id"},
    {"referral_accept", Sees::own_referral, "referral_id"},
    {"referral_decline", Sees::own_referral, "referral_id"},
    {"referral_progress", Sees::own_referral, "referral_id"},
    {"referral_complete", Sees::own_referral, "referral_id"},
    {"referral_withdraw", Sees::own_referral, "referral_id"},
    {"attachment_added", Sees::own_organisation},
    {"protection_order_applied", Sees::dv_fact, "order_id", "protection_order"},
    {"protection_order_granted", Sees::dv_fact, "order_id", "protection_order"},
    {"protection_order_denied", Sees::dv_fact, "order_id", "protection_order"},
    {"protection_order_withdrawn", Sees::dv_fact, "order_id", "protection_order"},
    {"protection_order_extended", Sees::dv_fact, "order_id", "protection_order"},
    {"protection_order_violation", Sees::dv_fact, "order_id", "protection_order"},
    {"warning_letter", Sees::dv_fact, "warning_letter_id", "warning_letter"},
}};

struct DvFactRule {
  std::string_view partner_type;
  std::string_view fact;
  bool named_only;  // only the records naming the organisation (the order's court, the letter's station)
};

// Which DV facts each kind of partner works with; other kinds see none.
constexpr std::array<DvFactRule, 3> kPartnerDvFacts = {{
    {"court", "protection_order", true},   // the orders applied for at that court
    {"police", "protection_order", false},  // every order of the case: the police enforce them
    {"police", "warning_letter", true},     // the letters that station issued
}};

std::optional<std::int64_t> as_id(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || ptr != text->data() + text->size()) return std::nullopt;
  return v;
}

void load_ids(db::Connection& conn, std::string_view sql, std::int64_t case_id, std::int64_t partner_id,
              std::set<std::int64_t>& out) {
  auto st = conn.prepare(sql);
  st.bind_all(case_id, partner_id);
  while (st.step()) out.insert(st.int64(0));
}

}  // namespace

std::optional<std::string> payload_value(std::string_view json, std::string_view key) {
  // json_object() writes {"k":"v",...} without spaces and escapes every quote inside a string, so
  // `{"key":"` or `,"key":"` can only be a key of the object itself, never part of a value.
  const std::string needle = "\"" + std::string(key) + "\":\"";
  for (std::size_t at = json.find(needle); at != std::string_view::npos; at = json.find(needle, at + 1)) {
    if (at == 0 || (json[at - 1] != '{' && json[at - 1] != ',')) continue;
    std::string out;
    for (std::size_t i = at + needle.size(); i < json.size(); ++i) {
      if (json[i] == '"') return out;
      if (json[i] == '\\' && i + 1 < json.size()) out.push_back(json[i++]);
      out.push_back(json[i]);
    }
    return std::nullopt;
  }
  return std::nullopt;
}

PartnerAccess partner_access(db::Connection& conn, std::int64_t case_id, std::int64_t partner_id) {
  auto st = conn.prepare(kAccess);
  st.bind_all(case_id, partner_id);
  if (!st.step() || st.is_null(0)) return PartnerAccess::none;
  switch (st.int64(0)) {
    case 2: return PartnerAccess::live;
    case 1: return PartnerAccess::ended;
    default: return PartnerAccess::none;
  }
}

PartnerTimelineFilter PartnerTimelineFilter::load(db::Connection& conn, std::int64_t case_id, const Actor& actor,
                                                  PartnerAccess access) {
  PartnerTimelineFilter f;
  if (!actor.partner_id || access == PartnerAccess::none) return f;
  f.partner_id_ = *actor.partner_id;
  f.live_ = access == PartnerAccess::live;
  load_ids(conn, kOwnReferrals, case_id, f.partner_id_, f.own_referrals_);
  if (!f.live_) return f;
  auto type = conn.prepare(kPartnerType);
  type.bind_all(f.partner_id_);
  const std::string partner_type = type.step() ? type.text(0) : "";
  for (const auto& rule : kPartnerDvFacts) {
    if (rule.partner_type != partner_type) continue;
    f.facts_.insert(std::string(rule.fact));
    if (rule.named_only) f.named_only_facts_.insert(std::string(rule.fact));
  }
  if (f.named_only_facts_.contains("protection_order")) load_ids(conn, kNamedOrders, case_id, f.partner_id_, f.named_orders_);
  if (f.named_only_facts_.contains("warning_letter")) load_ids(conn, kNamedLetters, case_id, f.partner_id_, f.named_letters_);
  return f;
}

PartnerTimelineFilter::Show PartnerTimelineFilter::event(std::string_view event, const std::string& payload,
                                                         std::optional<std::int64_t> actor_partner_id) const {
  const EventRule* rule = nullptr;
  for (const auto& r : kPartnerEvents)
    if (r.event == event) rule = &r;
  if (rule == nullptr || partner_id_ < 0) return Show::nothing;
  const auto id = as_id(payload_value(payload, rule->id_key));
  switch (rule->sees) {
    case Sees::case_step:
      return live_ ? Show::bare : Show::nothing;
    case Sees::own_referral:
      if (rule->id_key == "partner_id") return id == partner_id_ ? Show::with_data : Show::nothing;
      return id && own_referrals_.contains(*id) ? Show::with_data : Show::nothing;
    case Sees::own_organisation:
      return actor_partner_id == partner_id_ ? Show::with_data : Show::nothing;
    case Sees::dv_fact: {
      const std::string fact(rule->fact);
      if (!live_ || !facts_.contains(fact)) return Show::nothing;
      if (!named_only_facts_.contains(fact)) return Show::with_data;
      const auto& named = fact == "protection_order" ? named_orders_ : named_letters_;
      return id && named.contains(*id) ? Show::with_data : Show::nothing;
    }
  }
  return Show::nothing;
}

}  // namespace hl::casework
