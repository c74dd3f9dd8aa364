#pragma once
// The closed sets of the domain (case statuses, workflow events, roles, channels) and their wire
// names. Parsing returns nullopt for unknown names so callers can answer "unknown enum" precisely.
#include <optional>
#include <span>
#include <string_view>

namespace hl::casework {

// delegated (交办中): assigned with report-back, waiting for the receiving office's 办结报告.
// forwarded (已转送): sent to the office with jurisdiction; it ends here without being 办结.
enum class CaseStatus { registered, in_progress, referred, mediation, pending_closure, closed, delegated, forwarded };
enum class CaseEvent {
  register_case, answer, accept, decline, refer, referral_done, start_mediation, end_mediation,
  request_closure, approve_closure, reject_closure, reopen, extend_handling,
  reply, forward, delegate, submit_report, report_received, accept_report, return_report, report_returned,
};
// True for the statuses in which a case is over at its office (办结 or 已转送).
bool is_ended(CaseStatus s);
// `system` is the engine itself (e.g. returning a case when its last referral ends); no user has it.
// The administrators are three (三员分立, 等保): sysadmin (系统管理员: accounts, offices, partners,
// settings), secadmin (安全管理员: roles and grants, approving account changes) and auditor (审计管理员:
// reads the audit log). None of them reads case content.
enum class Role { operator_, supervisor, partner, sysadmin, secadmin, auditor, system };
bool is_administrator(Role r);

std::string_view to_string(CaseStatus s);
std::string_view to_string(CaseEvent e);
std::string_view to_string(Role r);
std::optional<CaseStatus> parse_status(std::string_view s);
std::optional<CaseEvent> parse_event(std::string_view s);
std::optional<Role> parse_role(std::string_view s);

// Valid values of the closed text sets stored on cases and contacts.
std::span<const std::string_view> channels();
std::span<const std::string_view> call_types();
std::span<const std::string_view> urgencies();
std::span<const std::string_view> risk_levels();
std::span<const std::string_view> referral_services();
std::span<const std::string_view> partner_types();
std::span<const std::string_view> notice_methods();   // 告知 / 答复 methods: in_person, phone, written, sms
std::span<const std::string_view> reply_opinions();   // support, explain, not_support
// A walk-in of 5 persons or more is a group visit (集体访, DOMAIN.md): derived from contacts.persons,
// never stored.
inline constexpr int kGroupVisitPersons = 5;
inline bool is_group_visit(std::string_view channel, int persons) {
  return channel == "walk_in" && persons >= kGroupVisitPersons;
}
bool is_one_of(std::span<const std::string_view> set, std::string_view value);

}  // namespace hl::casework
