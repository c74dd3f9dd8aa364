#include "casework/case_retention.hpp"

#include <array>
#include <vector>

#include "casework/case_event_log.hpp"
#include "casework/vocabulary.hpp"
#include "core/db/erasure.hpp"

namespace hl::casework {
namespace {

constexpr TimeMs kDay = 86'400'000;

// The keys of an event's payload that are not free text (codes, ids, dates, amounts, document
// numbers): kept, so the timeline and the statistics (money at closure, outcomes) still read them.
// Any other key — reason, summary, answer, basis, reply, agreement, mediator, referred_to … — goes.
#define HL_KEPT_PAYLOAD                                                                                   \
  "('days','document_no','notice_document_no','notice_method','notice_at','notice_on_the_spot',"           \
  "'losses_avoided_fen','losses_recovered_fen','method','opinion','outcome','partner_id','service',"        \
  "'target_office_id','consent_given','scheduled_at','replied_at','report_due_days','supervision_id',"    \
  "'decision','decided_at','to','from','due_at','kind','required','written','office','referral_id',"       \
  "'order_id','status','level','result','why')"

// Every statement takes ?1 = the case id. Personal data and free text only; what is counted stays.
constexpr std::array kAnonymise = std::to_array<std::string_view>({
    // The people: no name, number, fingerprint or safe-contact rule; the county of the place only.
    "UPDATE persons SET name = '', relationship = '', phone_enc = NULL, phone_hash = NULL, id_number_enc = NULL,"
    " id_number_hash = NULL, safe_times_enc = NULL, safe_note_enc = NULL, region_code = substr(region_code, 1, 6)"
    " WHERE case_id = ?1 OR contact_id IN (SELECT id FROM contacts WHERE case_id = ?1)",
    "UPDATE contacts SET summary = '', narrative = '', answer = '' WHERE case_id = ?1",
    "UPDATE cases SET summary = '（已匿名化）', narrative = '', closure_summary = CASE WHEN closure_summary IS NULL"
    " THEN NULL ELSE '' END, decline_reason = CASE WHEN decline_reason IS NULL THEN NULL ELSE '' END WHERE id = ?1",
    "UPDATE case_events SET note = '', payload = coalesce((SELECT json_group_object(j.key, j.value) FROM"
    " json_each(case_events.payload) j WHERE j.key IN " HL_KEPT_PAYLOAD "), '{}') WHERE case_id = ?1",
    "DELETE FROM notes WHERE case_id = ?1",
    "DELETE FROM attachments WHERE case_id = ?1",
    "UPDATE referrals SET reason = '', override_reason = CASE WHEN override_reason IS NULL THEN NULL ELSE '' END,"
    " outcome = CASE WHEN outcome IS NULL THEN NULL ELSE '' END,"
    " decline_reason = CASE WHEN decline_reason IS NULL THEN NULL ELSE '' END WHERE case_id = ?1",
    "UPDATE mediations SET mediator = '', place = '', agreement_summary = CASE WHEN agreement_summary IS NULL THEN NULL"
    " ELSE '' END WHERE case_id = ?1",
    "UPDATE follow_ups SET note = '' WHERE case_id = ?1",
    "UPDATE follow_up_attempts SET note = '' WHERE case_id = ?1",
    "UPDATE case_replies SET basis = '' WHERE case_id = ?1",
    "UPDATE case_extensions SET reason = '' WHERE case_id = ?1",
    "UPDATE case_supervisions SET note = '', answer = CASE WHEN answer IS NULL THEN NULL ELSE '' END WHERE case_id = ?1",
    "UPDATE case_reviews SET request = '', basis = CASE WHEN basis IS NULL THEN NULL ELSE '' END WHERE case_id = ?1",
    "UPDATE case_transfers SET last_return_reason = CASE WHEN last_return_reason IS NULL THEN NULL ELSE '' END"
    " WHERE from_case_id = ?1 OR to_case_id = ?1",
    // Domestic violence: the counted facts stay (forms, frequency, risk level, orders, letters, stays).
    "UPDATE dv_records SET injuries = '', weapons = '' WHERE case_id = ?1",
    "UPDATE dv_risk_assessments SET note = '' WHERE case_id = ?1",
    "DELETE FROM dv_safety_plan_steps WHERE plan_id IN (SELECT id FROM dv_safety_plans WHERE case_id = ?1)",
    "DELETE FROM dv_safety_plan_contacts WHERE plan_id IN (SELECT id FROM dv_safety_plans WHERE case_id = ?1)",
    "DELETE FROM dv_safety_plan_places WHERE plan_id IN (SELECT id FROM dv_safety_plans WHERE case_id = ?1)",
    "UPDATE dv_safety_plans SET code_word_enc = NULL, safe_times_enc = NULL WHERE case_id = ?1",
    "UPDATE dv_protection_order_violations SET description = '', police_response = ''"
    " WHERE order_id IN (SELECT id FROM dv_protection_orders WHERE case_id = ?1)",
    "UPDATE dv_protection_order_reconsiderations SET note = ''"
    " WHERE order_id IN (SELECT id FROM dv_protection_orders WHERE case_id = ?1)",
    "UPDATE dv_warning_letters SET note = '' WHERE case_id = ?1",
    "UPDATE dv_shelter_stays SET note = '' WHERE case_id = ?1",
    "UPDATE dv_mandatory_reports SET reporter_name = '', note = '' WHERE case_id = ?1",
    // Not found by text any more (its number still finds it).
    "DELETE FROM case_search WHERE rowid = ?1",
});

struct Scoped {
  std::string office_path;
  std::optional<TimeMs> anonymised_at, hold_at;
};

Result<Scoped> scoped_case(db::Connection& conn, const Actor& actor, std::int64_t case_id) {
  if (actor.role != Role::supervisor || actor.office_path.empty())
    return fail(Errc::forbidden, "a legal hold is set by a supervisor");
  auto st = conn.prepare("SELECT office_path, anonymised_at, legal_hold_at FROM cases WHERE id = ?1");
  st.bind_all(case_id);
  if (!st.step() || !st.text(0).starts_with(actor.office_path)) return fail(Errc::not_found, "no such case");
  return Scoped{st.text(0), st.opt_int64(1), st.opt_int64(2)};
}

}  // namespace

void CaseRetention::anonymise(db::Connection& conn, std::int64_t case_id, TimeMs now) {
  // What is overwritten or deleted is zeroed, not left in the pages' free space (the WAL's older
  // page images are emptied by the caller: db::truncate_wal).
  const db::SecureDelete erasing(conn);
  for (auto sql : kAnonymise) conn.prepare(sql).bind_all(case_id).run();
  conn.prepare("UPDATE cases SET anonymised_at = ?2 WHERE id = ?1").bind_all(case_id, now).run();
  CaseEventLog::append_in_place(conn, case_id, "anonymise", Actor::system(), now, {}, "");
}

std::vector<std::int64_t> CaseRetention::anonymise_due(db::Connection& conn, TimeMs now, int retention_days, int batch) {
  if (retention_days <= 0) return {};
  std::vector<std::int64_t> due;
  {
    auto st = conn.prepare(
        "SELECT id FROM cases WHERE archived_at IS NOT NULL AND anonymised_at IS NULL AND legal_hold_at IS NULL"
        " AND archived_at < ?1 ORDER BY archived_at, id LIMIT ?2");
    st.bind_all(now - static_cast<TimeMs>(retention_days) * kDay, batch);
    while (st.step()) due.push_back(st.int64(0));
  }
  for (auto id : due) anonymise(conn, id, now);
  return due;
}

Result<LegalHold> CaseRetention::hold(db::Connection& conn, const Actor& actor, std::int64_t case_id,
                                      const std::string& reason, TimeMs now) {
  auto c = scoped_case(conn, actor, case_id);
  if (!c) return std::unexpected(c.error());
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos)
    return fail(Errc::invalid_input, "say why the case is held", {{"reason", "required"}});
  if (reason.size() > 2000) return fail(Errc::invalid_input, "the reason is too long", {{"reason", "at most 2000 bytes"}});
  if (c->anonymised_at) return fail(Errc::conflict, "the case is already anonymised");
  if (c->hold_at) return fail(Errc::conflict, "the case is already on legal hold");
  conn.prepare("UPDATE cases SET legal_hold_at = ?2, legal_hold_by = ?3, legal_hold_reason = ?4 WHERE id = ?1")
      .bind_all(case_id, now, actor.user_id, reason)
      .run();
  CaseEventLog::append_in_place(conn, case_id, "legal_hold", actor, now, {}, reason);
  return LegalHold{now, actor.user_id, reason};
}

Status CaseRetention::release(db::Connection& conn, const Actor& actor, std::int64_t case_id, TimeMs now) {
  auto c = scoped_case(conn, actor, case_id);
  if (!c) return std::unexpected(c.error());
  if (!c->hold_at) return fail(Errc::conflict, "the case is not on legal hold");
  conn.prepare("UPDATE cases SET legal_hold_at = NULL, legal_hold_by = NULL, legal_hold_reason = NULL WHERE id = ?1")
      .bind_all(case_id)
      .run();
  CaseEventLog::append_in_place(conn, case_id, "legal_hold_released", actor, now, {}, "");
  return {};
}

std::optional<LegalHold> CaseRetention::hold_of(db::Connection& conn, std::int64_t case_id) {
  auto st = conn.prepare("SELECT legal_hold_at, legal_hold_by, legal_hold_reason FROM cases WHERE id = ?1 AND legal_hold_at IS NOT NULL");
  st.bind_all(case_id);
  if (!st.step()) return std::nullopt;
  return LegalHold{st.int64(0), st.opt_int64(1).value_or(0), st.opt_text(2).value_or("")};
}

}  // namespace hl::casework
