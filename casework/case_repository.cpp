#include "casework/case_repository.hpp"

namespace hl::casework {
namespace {

#define HL_CASE_COLUMNS                                                                                        \
  "c.id, c.case_no, c.office_id, c.office_path, c.status, c.category, c.channel, c.urgency, c.risk_level, c.summary," \
  " c.narrative, c.assignee_id, c.received_at, c.accepted_at, c.closed_at, c.acceptance_due, c.handling_due,"     \
  " c.next_due, c.extension_days, c.outcome, c.closure_summary, c.decline_reason, c.losses_avoided_fen,"         \
  " c.transferred_to_case_id, c.transferred_from_case_id, c.created_by, c.created_at, c.updated_at, c.version,"   \
  " c.archived_at, c.anonymised_at, c.legal_hold_at, c.legal_hold_by, c.legal_hold_reason"

constexpr std::string_view kSelectCase = "SELECT " HL_CASE_COLUMNS " FROM cases c WHERE c.id = ?1";

constexpr std::string_view kPartnerHasLiveReferral =
    "SELECT 1 FROM referrals WHERE case_id = ?1 AND partner_id = ?2 AND status IN ('sent','accepted','in_progress') LIMIT 1";

constexpr std::string_view kReadGrant =
    "SELECT 1 FROM case_access a JOIN offices o ON o.id = a.office_id"
    " WHERE a.case_id = ?1 AND o.path >= ?2 AND o.path < ?3 LIMIT 1";

constexpr std::string_view kOpenReferrals =
    "SELECT count(*) FROM referrals WHERE case_id = ?1 AND status IN ('sent','accepted','in_progress')";

constexpr std::string_view kEvents =
    "SELECT id, case_id, event, from_status, to_status, actor_id, at, note, payload FROM case_events"
    " WHERE case_id = ?1 ORDER BY id";

}  // namespace

const std::string_view kCaseColumns = HL_CASE_COLUMNS;

std::string select_case_columns() { return "SELECT " HL_CASE_COLUMNS; }

CaseRecord read_case_row(const db::Statement& st) {
  CaseRecord c;
  c.id = st.int64(0);
  c.case_no = st.text(1);
  c.office_id = st.int64(2);
  c.office_path = st.text(3);
  c.status = parse_status(st.text(4)).value_or(CaseStatus::registered);
  c.category = st.text(5);
  c.channel = st.text(6);
  c.urgency = st.text(7);
  c.risk_level = st.text(8);
  c.summary = st.text(9);
  c.narrative = st.text(10);
  c.assignee_id = st.opt_int64(11);
  c.received_at = st.int64(12);
  c.accepted_at = st.opt_int64(13);
  c.closed_at = st.opt_int64(14);
  c.acceptance_due = st.opt_int64(15);
  c.handling_due = st.opt_int64(16);
  c.next_due = st.opt_int64(17);
  c.extension_days = static_cast<int>(st.int64(18));
  c.outcome = st.opt_text(19);
  c.closure_summary = st.opt_text(20);
  c.decline_reason = st.opt_text(21);
  c.losses_avoided_fen = st.opt_int64(22);
  c.transferred_to_case_id = st.opt_int64(23);
  c.transferred_from_case_id = st.opt_int64(24);
  c.created_by = st.opt_int64(25);
  c.created_at = st.int64(26);
  c.updated_at = st.int64(27);
  c.version = st.int64(28);
  c.archived_at = st.opt_int64(29);
  c.anonymised_at = st.opt_int64(30);
  c.legal_hold_at = st.opt_int64(31);
  c.legal_hold_by = st.opt_int64(32);
  c.legal_hold_reason = st.opt_text(33);
  return c;
}

std::string subtree_upper_bound(const std::string& path) {
  // Paths end in '/', and '0' is the character after '/', so this bounds exactly the subtree.
  std::string upper = path;
  if (!upper.empty()) upper.back() = static_cast<char>(upper.back() + 1);
  return upper;
}

std::optional<CaseRecord> CaseRepository::get_unscoped(db::Connection& conn, std::int64_t id) {
  auto st = conn.prepare(kSelectCase);
  st.bind_all(id);
  if (!st.step()) return std::nullopt;
  return read_case_row(st);
}

bool CaseRepository::in_scope(db::Connection& conn, const CaseRecord& c, const Actor& actor) {
  switch (actor.role) {
    case Role::system:
      return true;
    case Role::operator_:
    case Role::supervisor:
      return !actor.office_path.empty() && c.office_path.starts_with(actor.office_path);
    case Role::partner: {
      if (!actor.partner_id) return false;
      auto st = conn.prepare(kPartnerHasLiveReferral);
      st.bind_all(c.id, *actor.partner_id);
      return st.step();
    }
    case Role::sysadmin:
    case Role::secadmin:
    case Role::auditor:
      return false;
  }
  return false;
}

Result<CaseRecord> CaseRepository::get(db::Connection& conn, std::int64_t id, const Actor& actor) {
  auto c = get_unscoped(conn, id);
  if (!c || !in_scope(conn, *c, actor)) return fail(Errc::not_found, "no such case");
  return std::move(*c);
}

bool CaseRepository::has_read_grant(db::Connection& conn, std::int64_t case_id, const Actor& actor) {
  if ((actor.role != Role::operator_ && actor.role != Role::supervisor) || actor.office_path.empty()) return false;
  auto st = conn.prepare(kReadGrant);
  st.bind_all(case_id, actor.office_path, subtree_upper_bound(actor.office_path));
  return st.step();
}

Result<ReadableCase> CaseRepository::get_readable(db::Connection& conn, std::int64_t id, const Actor& actor) {
  auto c = get_unscoped(conn, id);
  if (!c) return fail(Errc::not_found, "no such case");
  if (in_scope(conn, *c, actor)) return ReadableCase{std::move(*c), false};
  if (has_read_grant(conn, id, actor)) return ReadableCase{std::move(*c), true};
  return fail(Errc::not_found, "no such case");
}

Result<std::vector<CaseEventRecord>> CaseRepository::events(db::Connection& conn, std::int64_t case_id,
                                                           const Actor& actor) {
  if (auto c = get(conn, case_id, actor); !c) return std::unexpected(c.error());
  std::vector<CaseEventRecord> out;
  auto st = conn.prepare(kEvents);
  st.bind_all(case_id);
  while (st.step()) {
    out.push_back({st.int64(0), st.int64(1), st.text(2), st.opt_text(3), st.text(4), st.opt_int64(5), st.int64(6),
                   st.text(7), st.text(8)});
  }
  return out;
}

int CaseRepository::open_referrals(db::Connection& conn, std::int64_t case_id) {
  auto st = conn.prepare(kOpenReferrals);
  st.bind_all(case_id);
  st.step();
  return static_cast<int>(st.int64(0));
}

}  // namespace hl::casework
