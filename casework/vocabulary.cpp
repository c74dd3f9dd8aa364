#include "casework/vocabulary.hpp"

#include <algorithm>
#include <array>

namespace hl::casework {
namespace {

constexpr std::array<std::string_view, 8> kStatuses = {"registered", "in_progress", "referred", "mediation",
                                                        "pending_closure", "closed", "delegated", "forwarded"};
// "transfer" (the first version's single 交办/转送 event) is gone: its rows in case_events stay as
// text; the engine offers forward (转送) and delegate (交办) instead.
constexpr std::array<std::string_view, 21> kEvents = {
    "register", "answer", "accept", "decline", "refer", "referral_done", "start_mediation",
    "end_mediation", "request_closure", "approve_closure", "reject_closure", "reopen", "extend_handling",
    "reply", "forward", "delegate", "submit_report", "report_received", "accept_report", "return_report",
    "report_returned"};
constexpr std::array<std::string_view, 7> kRoles = {"operator", "supervisor", "partner", "sysadmin",
                                                     "secadmin", "auditor",  "system"};
constexpr std::array<std::string_view, 7> kChannels = {"hotline", "walk_in", "letter", "online",
                                                        "agent", "screening", "transfer_in"};
constexpr std::array<std::string_view, 6> kCallTypes = {"consultation", "help_request", "silent",
                                                         "hang_up", "abusive", "wrong_number"};
constexpr std::array<std::string_view, 3> kUrgencies = {"normal", "urgent", "emergency"};
constexpr std::array<std::string_view, 5> kRiskLevels = {"none", "general", "elevated", "high", "extreme"};
constexpr std::array<std::string_view, 12> kServices = {
    "protection_order", "police_response", "warning_letter", "legal_aid", "litigation_support", "mediation",
    "shelter", "relief", "injury_exam", "labour", "schooling", "other"};
constexpr std::array<std::string_view, 12> kPartnerTypes = {
    "court", "police", "procuratorate", "justice", "legal_aid", "mediation_committee", "civil_affairs",
    "health", "labour", "education", "federation", "other"};

constexpr std::array<std::string_view, 4> kNoticeMethods = {"in_person", "phone", "written", "sms"};
constexpr std::array<std::string_view, 3> kReplyOpinions = {"support", "explain", "not_support"};

template <class E, std::size_t N>
std::optional<E> parse(const std::array<std::string_view, N>& names, std::string_view s) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == s) return static_cast<E>(i);
  return std::nullopt;
}

}  // namespace

std::string_view to_string(CaseStatus s) { return kStatuses[static_cast<std::size_t>(s)]; }
std::string_view to_string(CaseEvent e) { return kEvents[static_cast<std::size_t>(e)]; }
bool is_administrator(Role r) { return r == Role::sysadmin || r == Role::secadmin || r == Role::auditor; }
std::string_view to_string(Role r) { return kRoles[static_cast<std::size_t>(r)]; }
std::optional<CaseStatus> parse_status(std::string_view s) { return parse<CaseStatus>(kStatuses, s); }
std::optional<CaseEvent> parse_event(std::string_view s) { return parse<CaseEvent>(kEvents, s); }
std::optional<Role> parse_role(std::string_view s) {
  auto r = parse<Role>(kRoles, s);
  if (r == Role::system) return std::nullopt;  // never accepted from outside
  return r;
}

std::span<const std::string_view> channels() { return kChannels; }
std::span<const std::string_view> call_types() { return kCallTypes; }
std::span<const std::string_view> urgencies() { return kUrgencies; }
std::span<const std::string_view> risk_levels() { return kRiskLevels; }
std::span<const std::string_view> referral_services() { return kServices; }
std::span<const std::string_view> partner_types() { return kPartnerTypes; }
std::span<const std::string_view> notice_methods() { return kNoticeMethods; }
std::span<const std::string_view> reply_opinions() { return kReplyOpinions; }
bool is_ended(CaseStatus s) { return s == CaseStatus::closed || s == CaseStatus::forwarded; }
bool is_one_of(std::span<const std::string_view> set, std::string_view v) {
  return std::find(set.begin(), set.end(), v) != set.end();
}

}  // namespace hl::casework
