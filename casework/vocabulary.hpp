#pragma once
// The closed sets of the domain (case statuses, workflow events, roles, channels) and their wire
// names. Parsing returns nullopt for unknown names so callers can answer "unknown enum" precisely.
#include <optional>
#include <span>
#include <string_view>

namespace hl::casework {

enum class CaseStatus { registered, in_progress, referred, mediation, pending_closure, closed };
enum class CaseEvent {
  register_case, answer, accept, decline, refer, referral_done, start_mediation, end_mediation,
  request_closure, approve_closure, reject_closure, reopen, transfer, extend_handling,
};
// `system` is the engine itself (e.g. returning a case when its last referral ends); no user has it.
enum class Role { operator_, supervisor, partner, admin, system };

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
bool is_one_of(std::span<const std::string_view> set, std::string_view value);

}  // namespace hl::casework
