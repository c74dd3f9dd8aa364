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

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

std::string value(const EventData& d, const char* name) {
  auto it = d.find(name);
  return it == d.end() ? std::string() : it->second;
}

// The notice (告知) that goes with a decision, a routing or an extension: how and when the person was
// told. Told on the spot (当场告知) the date defaults to the event's; otherwise it is required, not
// before the day of receipt nor after today. A written notice carries its document number.
Status notice_given(const CaseFacts& f, const EventData& d) {
  std::map<std::string, std::string> bad;
  const std::string at = value(d, "notice_at");
  const bool on_the_spot = value(d, "notice_on_the_spot") == "true";
  if (auto spot = d.find("notice_on_the_spot"); spot != d.end() && spot->second != "true" && spot->second != "false")
    bad["notice_on_the_spot"] = "true or false";
  if (blank(at)) {
    if (!on_the_spot) bad["notice_at"] = "required unless told on the spot";
  } else if (auto t = parse_iso8601(at); !t) {
    bad["notice_at"] = "a date YYYY-MM-DD or an ISO 8601 time with offset";
  } else if (f.now > 0 && *t > end_of_local_day(local_date(f.now))) {
    bad["notice_at"] = "not in the future";
  } else if (f.received_at > 0 && *t < start_of_local_day(local_date(f.received_at))) {
    bad["notice_at"] = "not before the day the matter was received";
  }
  if (value(d, "notice_method") == "written" && blank(value(d, "notice_document_no")))
    bad["notice_document_no"] = "required for a written notice";
  if (!bad.empty()) return fail(Errc::transition_not_allowed, "the notice to the person is incomplete", std::move(bad));
  return {};
}

Status reply_complete(const CaseFacts& f, const EventData& d) {
  std::map<std::string, std::string> bad;
  if (f.now > 0 && *parse_iso8601(d.at("replied_at")) > end_of_local_day(local_date(f.now)))
    bad["replied_at"] = "not in the future";
  if (d.at("method") == "written" && blank(value(d, "document_no"))) bad["document_no"] = "required for a written reply";
  if (!bad.empty()) return fail(Errc::transition_not_allowed, "the reply is incomplete", std::move(bad));
  return {};
}

Status reply_recorded(const CaseFacts& f, const EventData&) {
  if (!f.has_reply)
    return fail(Errc::transition_not_allowed, "record the reply to the person (答复) before closing",
                {{"reply", "required before closing"}});
  return {};
}

Status consent_or_override(const CaseFacts&, const EventData& d) {
  auto given = d.find("consent_given");
  if (given != d.end() && given->second == "false") {
    auto r = d.find("override_reason");
    if (r == d.end() || blank(r->second))
      return fail(Errc::transition_not_allowed, "without the person's consent an override reason is required",
                  {{"override_reason", "required when consent is not given"}});
  }
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
  return notice_given(f, d);
}

Status report_due_in_range(const EventData& d) {
  if (std::stoi(d.at("report_due_days")) > kMaxReportDueDays)
    return fail(Errc::transition_not_allowed, "a report is due within " + std::to_string(kMaxReportDueDays) + " days",
                {{"report_due_days", "at most " + std::to_string(kMaxReportDueDays)}});
  return {};
}

Status delegation_allowed(const CaseFacts& f, const EventData& d) {
  if (auto r = report_due_in_range(d); !r) return r;
  return notice_given(f, d);
}

Status report_can_be_sent(const CaseFacts& f, const EventData&) {
  if (!f.report_owed)
    return fail(Errc::transition_not_allowed,
                "no 交办 awaits a completion report from this case (it was not assigned to this office, or the report was sent)");
  if (!f.has_reply) return fail(Errc::transition_not_allowed, "the case has no reply to report", {{"reply", "required"}});
  return {};
}

Status report_arrived(const CaseFacts& f, const EventData&) {
  if (!f.report_in) return fail(Errc::transition_not_allowed, "no completion report (办结报告) has arrived yet");
  return {};
}

Status report_returnable(const CaseFacts& f, const EventData& d) {
  if (auto r = report_arrived(f, d); !r) return r;
  return report_due_in_range(d);
}

constexpr std::array<FieldRule, 0> kNone{};
constexpr std::array kAnswer = {FieldRule{"answer"}};
constexpr std::array kStartMediation = {FieldRule{"mediator"}, FieldRule{"scheduled_at", FieldKind::datetime}};
constexpr std::array kEndMediation = {FieldRule{"outcome", FieldKind::one_of, kMediationOutcomes}};
constexpr std::array kRequestClosure = {FieldRule{"outcome"}, FieldRule{"summary"},
                                        FieldRule{"losses_avoided_fen", FieldKind::money_fen}};
constexpr std::array kReason = {FieldRule{"reason"}};
constexpr std::array kReturnReport = {FieldRule{"reason"}, FieldRule{"report_due_days", FieldKind::positive_int}};

using S = CaseStatus;
using E = CaseEvent;

// The vocabularies live in vocabulary.cpp, so these rule sets are built at first use, not constexpr.
FieldRule notice_method() { return {"notice_method", FieldKind::one_of, notice_methods()}; }

const std::array<FieldRule, 3>& refer_rules() {
  static const std::array<FieldRule, 3> rules = {FieldRule{"partner_id", FieldKind::id},
                                                 FieldRule{"service", FieldKind::one_of, referral_services()},
                                                 FieldRule{"consent_given", FieldKind::flag, kFlag}};
  return rules;
}
const std::array<FieldRule, 1>& accept_rules() {
  static const std::array<FieldRule, 1> rules = {notice_method()};
  return rules;
}
const std::array<FieldRule, 3>& decline_rules() {
  static const std::array<FieldRule, 3> rules = {FieldRule{"reason"}, FieldRule{"referred_to"}, notice_method()};
  return rules;
}
const std::array<FieldRule, 4>& reply_rules() {
  static const std::array<FieldRule, 4> rules = {FieldRule{"replied_at", FieldKind::datetime},
                                                 FieldRule{"method", FieldKind::one_of, notice_methods()},
                                                 FieldRule{"opinion", FieldKind::one_of, reply_opinions()},
                                                 FieldRule{"basis"}};
  return rules;
}
const std::array<FieldRule, 3>& extend_rules() {
  static const std::array<FieldRule, 3> rules = {FieldRule{"days", FieldKind::positive_int}, FieldRule{"reason"},
                                                 notice_method()};
  return rules;
}
const std::array<FieldRule, 3>& forward_rules() {
  static const std::array<FieldRule, 3> rules = {FieldRule{"target_office_id", FieldKind::id}, FieldRule{"reason"},
                                                 notice_method()};
  return rules;
}
const std::array<FieldRule, 4>& delegate_rules() {
  static const std::array<FieldRule, 4> rules = {FieldRule{"target_office_id", FieldKind::id}, FieldRule{"reason"},
                                                 FieldRule{"report_due_days", FieldKind::positive_int}, notice_method()};
  return rules;
}

constexpr unsigned kHandling = bit(S::in_progress) | bit(S::referred) | bit(S::mediation);

const std::array<Transition, 21>& table() {
  static const std::array<Transition, 21> t = {{
      {E::register_case, 0, false, S::registered, kStaff, kNone, nullptr},
      {E::answer, bit(S::registered), false, S::closed, kStaff, kAnswer, nullptr},
      {E::accept, bit(S::registered), false, S::in_progress, kStaff, accept_rules(), notice_given},
      {E::decline, bit(S::registered), false, S::closed, kStaff, decline_rules(), notice_given},
      {E::refer, bit(S::in_progress) | bit(S::referred), false, S::referred, kStaff, refer_rules(), consent_or_override},
      {E::referral_done, bit(S::referred), false, S::in_progress, kSystem, kNone, no_open_referral},
      {E::start_mediation, bit(S::in_progress), false, S::mediation, kStaff, kStartMediation, nullptr},
      {E::end_mediation, bit(S::mediation), false, S::in_progress, kStaff, kEndMediation, nullptr},
      {E::reply, kHandling, true, S::in_progress, kStaff, reply_rules(), reply_complete},
      {E::request_closure, bit(S::in_progress), false, S::pending_closure, kStaff, kRequestClosure, reply_recorded},
      {E::approve_closure, bit(S::pending_closure), false, S::closed, kSupervisor, kNone, nullptr},
      {E::reject_closure, bit(S::pending_closure), false, S::in_progress, kSupervisor, kReason, nullptr},
      {E::reopen, bit(S::closed), false, S::in_progress, kSupervisor, kReason, nullptr},
      {E::extend_handling, kHandling, true, S::in_progress, kSupervisor, extend_rules(), extension_allowed},
      {E::forward, bit(S::registered) | bit(S::in_progress), false, S::forwarded, kStaff, forward_rules(), notice_given},
      {E::delegate, bit(S::registered) | bit(S::in_progress), false, S::delegated, kStaff, delegate_rules(),
       delegation_allowed},
      {E::submit_report, bit(S::closed), true, S::closed, kStaff, kNone, report_can_be_sent},
      {E::report_received, bit(S::delegated), true, S::delegated, kSystem, kNone, nullptr},
      {E::accept_report, bit(S::delegated), false, S::closed, kSupervisor, kNone, report_arrived},
      {E::return_report, bit(S::delegated), true, S::delegated, kSupervisor, kReturnReport, report_returnable},
      {E::report_returned, bit(S::closed), false, S::in_progress, kSystem, kReason, nullptr},
  }};
  return t;
}


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
      // Offered only when the facts allow it; the data is checked when the event is applied.
      if (t.event == CaseEvent::extend_handling && facts.extension_days > 0) continue;
      if (t.event == CaseEvent::request_closure && !facts.has_reply) continue;
      if (t.event == CaseEvent::submit_report && !(facts.report_owed && facts.has_reply)) continue;
      if ((t.event == CaseEvent::accept_report || t.event == CaseEvent::return_report) && !facts.report_in) continue;
      out.push_back(t.event);
    }
  }
  return out;
}

}  // namespace hl::casework
