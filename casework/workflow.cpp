#include "casework/workflow.hpp"

#include <array>
#include <charconv>
#include <vector>

#include "core/local_time.hpp"

namespace hl::casework {
namespace {

constexpr unsigned bit(CaseStatus s) { return 1u << static_cast<unsigned>(s); }
constexpr unsigned bit(Role r) { return 1u << static_cast<unsigned>(r); }

constexpr unsigned kStaff = bit(Role::operator_) | bit(Role::supervisor);
constexpr unsigned kSupervisor = bit(Role::supervisor);
constexpr unsigned kSystem = bit(Role::system);

constexpr std::array<std::string_view, 2> kMediationOutcomes = {"agreement", "failed"};
constexpr std::array<std::string_view, 2> kFlag = {"true", "false"};

constexpr std::array<FieldRule, 0> kNone{};
constexpr std::array kAnswer = {FieldRule{"answer"}};
constexpr std::array kDecline = {FieldRule{"reason"}, FieldRule{"referred_to"}};
constexpr std::array kStartMediation = {FieldRule{"mediator"}, FieldRule{"scheduled_at", FieldKind::datetime}};
constexpr std::array kEndMediation = {FieldRule{"outcome", FieldKind::one_of, kMediationOutcomes}};
constexpr std::array kRequestClosure = {FieldRule{"outcome"}, FieldRule{"summary"},
                                        FieldRule{"losses_avoided_fen", FieldKind::money_fen}};
constexpr std::array kReason = {FieldRule{"reason"}};
constexpr std::array kTransfer = {FieldRule{"target_office_id", FieldKind::id}, FieldRule{"reason"}};
constexpr std::array kExtend = {FieldRule{"days", FieldKind::positive_int}};

Status consent_or_override(const CaseFacts&, const EventData& d) {
  auto given = d.find("consent_given");
  if (given != d.end() && given->second == "false") {
    auto r = d.find("override_reason");
    if (r == d.end() || r->second.find_first_not_of(" \t\r\n") == std::string::npos)
      return fail(Errc::transition_not_allowed, "without the person's consent an override reason is required",
                  {{"override_reason", "required when consent is not given"}});
  }
  return {};
}

// 交办 (assign_down: to an office below this one) or 转送 (forward: to another office). Optional:
// the engine derives it from where the target is, and refuses a mode that contradicts it.
Status transfer_mode(const CaseFacts&, const EventData& d) {
  auto m = d.find("mode");
  if (m != d.end() && m->second != "assign_down" && m->second != "forward")
    return fail(Errc::transition_not_allowed, "mode is assign_down or forward", {{"mode", "assign_down or forward"}});
  return {};
}

Status no_open_referral(const CaseFacts& f, const EventData&) {
  if (f.open_referrals > 0)
    return fail(Errc::transition_not_allowed,
                std::to_string(f.open_referrals) + " referral(s) are still open");
  return {};
}

Status extension_allowed(const CaseFacts& f, const EventData& d) {
  if (f.extension_days > 0)
    return fail(Errc::transition_not_allowed, "the handling deadline was already extended once");
  const int days = std::stoi(d.at("days"));
  if (days > f.max_extension_days)
    return fail(Errc::transition_not_allowed, "an extension is at most " + std::to_string(f.max_extension_days) + " days",
                {{"days", "at most " + std::to_string(f.max_extension_days)}});
  return {};
}

using S = CaseStatus;
using E = CaseEvent;

// The service list lives in vocabulary.cpp, so this table is built at first use, not constexpr.
const std::array<FieldRule, 3>& refer_rules() {
  static const std::array<FieldRule, 3> rules = {FieldRule{"partner_id", FieldKind::id},
                                                 FieldRule{"service", FieldKind::one_of, referral_services()},
                                                 FieldRule{"consent_given", FieldKind::flag, kFlag}};
  return rules;
}

const std::array<Transition, 14>& table() {
  static const std::array<Transition, 14> t = {{
      {E::register_case, 0, false, S::registered, kStaff, kNone, nullptr},
      {E::answer, bit(S::registered), false, S::closed, kStaff, kAnswer, nullptr},
      {E::accept, bit(S::registered), false, S::in_progress, kStaff, kNone, nullptr},
      {E::decline, bit(S::registered), false, S::closed, kStaff, kDecline, nullptr},
      {E::refer, bit(S::in_progress) | bit(S::referred), false, S::referred, kStaff, refer_rules(), consent_or_override},
      {E::referral_done, bit(S::referred), false, S::in_progress, kSystem, kNone, no_open_referral},
      {E::start_mediation, bit(S::in_progress), false, S::mediation, kStaff, kStartMediation, nullptr},
      {E::end_mediation, bit(S::mediation), false, S::in_progress, kStaff, kEndMediation, nullptr},
      {E::request_closure, bit(S::in_progress), false, S::pending_closure, kStaff, kRequestClosure, nullptr},
      {E::approve_closure, bit(S::pending_closure), false, S::closed, kSupervisor, kNone, nullptr},
      {E::reject_closure, bit(S::pending_closure), false, S::in_progress, kSupervisor, kReason, nullptr},
      {E::reopen, bit(S::closed), false, S::in_progress, kSupervisor, kReason, nullptr},
      {E::transfer, bit(S::registered) | bit(S::in_progress), false, S::closed, kStaff, kTransfer, transfer_mode},
      {E::extend_handling, bit(S::in_progress) | bit(S::referred) | bit(S::mediation), true, S::in_progress,
       kSupervisor, kExtend, extension_allowed},
  }};
  return t;
}

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

template <class T>
bool parse_int(const std::string& s, T& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

std::span<const Transition> transition_table() { return table(); }

const Transition* find_transition(CaseEvent event) {
  for (const auto& t : table())
    if (t.event == event) return &t;
  return nullptr;
}

std::string check_field(const FieldRule& rule, const EventData& data) {
  auto it = data.find(std::string(rule.name));
  if (it == data.end() || blank(it->second)) return "required";
  const std::string& v = it->second;
  std::int64_t n = 0;
  switch (rule.kind) {
    case FieldKind::text:
      return v.size() > 20000 ? "too long (at most 20000 bytes)" : "";
    case FieldKind::id:
      return parse_int(v, n) && n > 0 ? "" : "must be a positive id";
    case FieldKind::positive_int:
      return parse_int(v, n) && n > 0 && n < 100000 ? "" : "must be a positive whole number";
    case FieldKind::money_fen:
      return parse_int(v, n) && n >= 0 ? "" : "must be a non-negative amount in fen";
    case FieldKind::datetime:
      return parse_iso8601(v) ? "" : "must be an ISO 8601 time with offset";
    case FieldKind::flag:
    case FieldKind::one_of:
      for (auto a : rule.allowed)
        if (a == v) return "";
      return "not one of the allowed values";
  }
  return "";
}

Result<CaseStatus> decide(const CaseFacts& facts, CaseEvent event, const Actor& actor, const EventData& data) {
  const Transition* t = find_transition(event);
  if (t == nullptr || t->from_mask == 0)
    return fail(Errc::transition_not_allowed, "'" + std::string(to_string(event)) + "' is not a transition of an existing case");
  if ((t->from_mask & bit(facts.status)) == 0)
    return fail(Errc::transition_not_allowed, "cannot " + std::string(to_string(event)) + " a case that is " +
                                                  std::string(to_string(facts.status)));
  if ((t->roles_mask & bit(actor.role)) == 0)
    return fail(Errc::transition_not_allowed, "the " + std::string(to_string(actor.role)) + " role may not " +
                                                  std::string(to_string(event)) + " a case");
  std::map<std::string, std::string> problems;
  for (const auto& rule : t->required) {
    std::string p = check_field(rule, data);
    if (!p.empty()) problems.emplace(std::string(rule.name), std::move(p));
  }
  if (!problems.empty()) {
    std::string names;
    for (const auto& [k, _] : problems) names += (names.empty() ? "" : ", ") + k;
    return fail(Errc::transition_not_allowed, std::string(to_string(event)) + " needs: " + names, std::move(problems));
  }
  if (t->guard != nullptr) {
    if (auto g = t->guard(facts, data); !g) return std::unexpected(g.error());
  }
  return t->keeps_status ? facts.status : t->to;
}

std::vector<CaseEvent> available_events(const CaseFacts& facts, const Actor& actor) {
  std::vector<CaseEvent> out;
  for (const auto& t : table()) {
    if (t.from_mask & bit(facts.status) && t.roles_mask & bit(actor.role)) {
      if (t.event == CaseEvent::extend_handling && facts.extension_days > 0) continue;
      out.push_back(t.event);
    }
  }
  return out;
}

}  // namespace hl::casework
