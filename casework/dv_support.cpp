#include "casework/dv_support.hpp"

#include "casework/case_event_log.hpp"
#include "casework/case_repository.hpp"
#include "core/json_text.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kActivePartner = "SELECT name FROM partners WHERE id = ?1 AND type = ?2 AND active = 1";

}  // namespace

Result<CaseRecord> dv_case(db::Connection& conn, std::int64_t case_id, const Actor& actor) {
  if (!actor.is_staff() && actor.role != Role::system) return fail(Errc::not_found, "no such case");
  return CaseRepository::get(conn, case_id, actor);
}

Result<CaseRecord> dv_writable_case(db::Connection& conn, std::int64_t case_id, const Actor& actor, DvWrite what) {
  auto c = dv_case(conn, case_id, actor);
  if (c && c->status == CaseStatus::forwarded)
    return fail(Errc::transition_not_allowed, "the case was forwarded (已转送); record it on the receiving office's case");
  if (c && c->status == CaseStatus::closed && what == DvWrite::case_facts)
    return fail(Errc::transition_not_allowed, "the case is closed; reopen it first");
  return c;
}

void append_dv_event(db::Connection& conn, std::int64_t case_id, std::string_view event, const Actor& actor, TimeMs at,
                     const std::map<std::string, std::string>& payload, const std::string& note) {
  CaseEventLog::append_in_place(conn, case_id, event, actor, at, payload, note);
}

std::optional<std::string> active_partner_name(db::Connection& conn, std::int64_t partner_id, std::string_view type) {
  auto st = conn.prepare(kActivePartner);
  st.bind_all(partner_id, type);
  if (!st.step()) return std::nullopt;
  return st.text(0);
}

bool dv_blank(std::string_view text) { return text.find_first_not_of(" \t\r\n") == std::string_view::npos; }

}  // namespace hl::casework
