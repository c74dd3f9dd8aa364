#include "casework/referral_service.hpp"

#include <array>

#include "casework/case_event_log.hpp"
#include "casework/case_repository.hpp"
#include "casework/case_service.hpp"
#include "casework/deadline_policy.hpp"
#include "core/json_text.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kSelect =
    "SELECT r.id, r.case_id, c.case_no, r.partner_id, p.name, p.type, r.service, r.reason, r.status, r.consent_given,"
    " r.override_reason, r.sent_at, r.response_due, r.feedback_due, r.responded_at, r.completed_at, r.outcome,"
    " r.decline_reason, r.version, c.office_path, r.outcome_kind, r.outcome_on, r.outcome_until,"
    " r.outcome_document_no, r.outcome_record"
    " FROM referrals r JOIN cases c ON c.id = r.case_id JOIN partners p ON p.id = r.partner_id WHERE 1 = 1";

constexpr std::string_view kUpdate =
    "UPDATE referrals SET status = ?3, responded_at = ?4, feedback_due = ?5, completed_at = ?6, outcome = ?7,"
    " decline_reason = ?8, version = version + 1 WHERE id = ?1 AND version = ?2";
constexpr std::string_view kSetResult =
    "UPDATE referrals SET outcome_kind = ?2, outcome_on = ?3, outcome_until = ?4, outcome_document_no = ?5,"
    " outcome_record = ?6 WHERE id = ?1";
constexpr std::string_view kNote = "INSERT INTO notes(case_id, author_id, at, text) VALUES (?1, ?2, ?3, ?4)";
constexpr std::string_view kLatestForCase = "SELECT max(id) FROM referrals WHERE case_id = ?1";

enum : unsigned { kSent = 1, kAccepted = 2, kInProgress = 4 };

struct Step {
  std::string_view action;
  unsigned from;
  std::string_view to;
  bool by_partner;             // else by office staff
  std::string_view required;   // "" | note | outcome | decline_reason
};

constexpr std::array<Step, 5> kSteps = {{
    {"accept", kSent, "accepted", true, ""},
    {"decline", kSent, "declined", true, "decline_reason"},
    {"progress", kAccepted | kInProgress, "in_progress", true, "note"},
    {"complete", kAccepted | kInProgress, "completed", true, "outcome"},
    {"withdraw", kSent | kAccepted | kInProgress, "withdrawn", false, "note"},
}};

unsigned bit(const std::string& status) {
  if (status == "sent") return kSent;
  if (status == "accepted") return kAccepted;
  if (status == "in_progress") return kInProgress;
  return 0;
}

ReferralRecord read(db::Statement& st) {
  ReferralRecord r;
  r.id = st.int64(0);
  r.case_id = st.int64(1);
  r.case_no = st.text(2);
  r.partner_id = st.int64(3);
  r.partner_name = st.text(4);
  r.partner_type = st.text(5);
  r.service = st.text(6);
  r.reason = st.text(7);
  r.status = st.text(8);
  r.consent_given = st.int64(9) != 0;
  r.override_reason = st.opt_text(10);
  r.sent_at = st.int64(11);
  r.response_due = st.opt_int64(12);
  r.feedback_due = st.opt_int64(13);
  r.responded_at = st.opt_int64(14);
  r.completed_at = st.opt_int64(15);
  r.outcome = st.opt_text(16);
  r.decline_reason = st.opt_text(17);
  r.version = st.int64(18);
  r.result.kind = st.opt_text(20).value_or("");
  r.result.date = st.opt_int64(21);
  r.result.until = st.opt_int64(22);
  r.result.document_no = st.opt_text(23).value_or("");
  r.outcome_record = st.opt_text(24).value_or("");
  return r;
}

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

}  // namespace

std::optional<TimeMs> ReferralRecord::due() const {
  if (status == "sent") return response_due;
  if (status == "accepted" || status == "in_progress") return feedback_due;
  return std::nullopt;
}

Result<ReferralRecord> ReferralService::get(db::Connection& conn, std::int64_t id, const Actor& actor) {
  auto st = conn.prepare(std::string(kSelect) + " AND r.id = ?1");
  st.bind_all(id);
  if (!st.step()) return fail(Errc::not_found, "no such referral");
  auto r = read(st);
  const std::string office_path = st.text(19);
  const bool visible = actor.role == Role::partner ? (actor.partner_id == r.partner_id && r.status != "withdrawn")
                       : actor.is_staff()          ? office_path.starts_with(actor.office_path)
                                                   : actor.role == Role::system;
  if (!visible) return fail(Errc::not_found, "no such referral");
  return r;
}

Result<std::vector<ReferralRecord>> ReferralService::list(db::Connection& conn, const ReferralFilter& f, const Actor& actor,
                                                          TimeMs now) {
  std::string sql(kSelect);
  if (actor.role == Role::partner) sql += " AND r.partner_id = ?1 AND r.status <> 'withdrawn'";
  else if (actor.is_staff()) sql += " AND c.office_path >= ?2 AND c.office_path < ?3";
  else return fail(Errc::forbidden, "administrators do not see referrals");
  sql += " AND (?4 IS NULL OR r.status = ?4) AND (?5 IS NULL OR r.partner_id = ?5) AND (?6 IS NULL OR r.case_id = ?6)";
  sql += " ORDER BY CASE WHEN r.status IN ('sent','accepted','in_progress') THEN 0 ELSE 1 END,"
         " coalesce(CASE r.status WHEN 'sent' THEN r.response_due ELSE r.feedback_due END, r.sent_at), r.id LIMIT 500";
  auto st = conn.prepare(sql);
  st.bind_all(actor.partner_id.value_or(-1), actor.office_path, subtree_upper_bound(actor.office_path), f.status,
              f.partner_id, f.case_id);
  std::vector<ReferralRecord> out;
  while (st.step()) {
    auto r = read(st);
    if (!f.overdue_only || r.overdue(now)) out.push_back(std::move(r));
  }
  return out;
}

Result<ReferralRecord> ReferralService::create(db::Connection& conn, std::int64_t case_id, const NewReferral& in,
                                               const Actor& actor) const {
  auto c = CaseRepository::get(conn, case_id, actor);
  if (!c) return std::unexpected(c.error());
  EventData data{{"partner_id", std::to_string(in.partner_id)},
                 {"service", in.service},
                 {"consent_given", in.consent_given ? "true" : "false"}};
  if (!in.reason.empty()) data["reason"] = in.reason;
  if (!in.override_reason.empty()) data["override_reason"] = in.override_reason;
  if (in.consent_contact_id) data["consent_contact_id"] = std::to_string(*in.consent_contact_id);
  auto referred = CaseService(clock_).apply(conn, case_id, in.case_version.value_or(c->version), CaseEvent::refer, actor, data);
  if (!referred) return std::unexpected(referred.error());
  auto latest = conn.prepare(kLatestForCase);
  latest.bind_all(case_id);
  latest.step();
  const auto id = latest.int64(0);
  if (in.response_due && *in.response_due > clock_.now_ms())
    conn.prepare("UPDATE referrals SET response_due = min(response_due, ?2) WHERE id = ?1").bind_all(id, *in.response_due).run();
  return get(conn, id, Actor::system());
}

Result<ReferralRecord> ReferralService::respond(db::Connection& conn, std::int64_t id, std::int64_t expected_version,
                                                const std::string& action, const std::string& note,
                                                const std::string& outcome, const std::string& decline_reason,
                                                const Actor& actor, const ReferralOutcome& result) const {
  auto loaded = get(conn, id, actor);
  if (!loaded) return std::unexpected(loaded.error());
  ReferralRecord r = std::move(*loaded);
  const Step* step = nullptr;
  for (const auto& s : kSteps)
    if (s.action == action) step = &s;
  if (step == nullptr) return fail(Errc::invalid_input, "unknown action", {{"action", "accept, decline, progress, complete or withdraw"}});
  if (r.version != expected_version)
    return fail(Errc::conflict, "the referral was changed by someone else (version " + std::to_string(r.version) + "); reload it");
  if ((step->from & bit(r.status)) == 0)
    return fail(Errc::transition_not_allowed, "cannot " + action + " a referral that is " + r.status);
  if (step->by_partner != (actor.role == Role::partner))
    return fail(Errc::transition_not_allowed, std::string("only ") + (step->by_partner ? "the partner organisation" : "the referring office") +
                                                  " may " + action + " a referral");
  const std::map<std::string, std::string> given{{"note", note}, {"outcome", outcome}, {"decline_reason", decline_reason}};
  const bool structured = action == "complete" && has_structured_outcome(r.service);
  if (action == "complete") {
    auto bad = check_referral_outcome(r.service, result, clock_.now_ms());
    if (!bad.empty()) return fail(Errc::invalid_input, "the outcome does not fit the service " + r.service, std::move(bad));
  } else if (!result.kind.empty()) {
    return fail(Errc::invalid_input, "only a completion has a result", {{"result.kind", "only when completing"}});
  }
  if (!step->required.empty() && !structured && blank(given.at(std::string(step->required))))
    return fail(Errc::transition_not_allowed, action + " needs " + std::string(step->required),
                {{std::string(step->required), "required"}});
  for (const auto& [k, v] : given)
    if (v.size() > 10000) return fail(Errc::invalid_input, "too long", {{k, "at most 10000 bytes"}});

  const TimeMs now = clock_.now_ms();
  const auto policy = load_deadline_policy(conn, CaseRepository::get_unscoped(conn, r.case_id)->office_id);
  if (action == "accept" || action == "decline") r.responded_at = now;
  if (action == "accept") r.feedback_due = policy.referral_feedback_due(now);
  if (action == "complete") {
    r.completed_at = now;
    if (!blank(outcome)) r.outcome = outcome;
  }
  if (action == "decline") r.decline_reason = decline_reason;
  r.status = std::string(step->to);
  // The DV record first: when its service refuses it, nothing of the completion is written.
  std::string record;
  if (structured) {
    auto written = record_referral_outcome(conn, clock_, r.case_id, r.partner_id, r.sent_at, result, outcome, actor.user_id);
    if (!written) return std::unexpected(written.error());
    record = std::move(*written);
  }
  conn.prepare(kUpdate)
      .bind_all(r.id, expected_version, r.status, r.responded_at, r.feedback_due, r.completed_at, r.outcome, r.decline_reason)
      .run();
  if (conn.changes() != 1) return fail(Errc::conflict, "the referral was changed by someone else; reload it");
  if (structured)
    conn.prepare(kSetResult)
        .bind_all(r.id, result.kind, result.date, result.until,
                  result.document_no.empty() ? std::nullopt : std::optional(result.document_no),
                  record.empty() ? std::nullopt : std::optional(record))
        .run();

  std::map<std::string, std::string> payload{{"referral_id", std::to_string(r.id)}, {"partner", r.partner_name},
                                             {"status", r.status}};
  if (!outcome.empty()) payload["outcome"] = outcome;
  if (!result.kind.empty()) payload["outcome_kind"] = result.kind;
  if (!decline_reason.empty()) payload["decline_reason"] = decline_reason;
  CaseEventLog::append_in_place(conn, r.case_id, "referral_" + action, actor, now, payload, note);
  if (action == "progress") conn.prepare(kNote).bind_all(r.case_id, actor.user_id, now, note).run();
  if (!r.open()) {
    auto settled = CaseService(clock_).settle_referrals(conn, r.case_id);
    if (!settled) return std::unexpected(settled.error());
  }
  return get(conn, r.id, Actor::system());
}

}  // namespace hl::casework
