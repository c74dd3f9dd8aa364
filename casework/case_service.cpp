#include "casework/case_service.hpp"
#include "casework/case_archive.hpp"

#include <algorithm>

#include "casework/case_event_log.hpp"
#include "casework/case_numbering.hpp"
#include "casework/contact_repository.hpp"
#include "casework/case_repository.hpp"
#include "casework/case_search.hpp"
#include "casework/deadline_policy.hpp"
#include "casework/workflow.hpp"
#include "core/json_text.hpp"
#include "core/local_time.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kInsertCase =
    "INSERT INTO cases(case_no, office_id, office_path, status, category, channel, urgency, summary, narrative,"
    " assignee_id, received_at, acceptance_due, next_due, transferred_from_case_id, created_by, created_at,"
    " updated_at) VALUES (?1, ?2, ?3, 'registered', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12, ?13, ?14, ?14)";

constexpr std::string_view kUpdateCase =
    "UPDATE cases SET status = ?3, assignee_id = ?4, accepted_at = ?5, closed_at = ?6, acceptance_due = ?7,"
    " handling_due = ?8, next_due = ?9, extension_days = ?10, outcome = ?11, closure_summary = ?12,"
    " decline_reason = ?13, losses_avoided_fen = ?14, transferred_to_case_id = ?15, updated_at = ?16,"
    " version = version + 1 WHERE id = ?1 AND version = ?2";

constexpr std::string_view kSetLossesRecovered = "UPDATE cases SET losses_recovered_fen = ?2 WHERE id = ?1";
constexpr std::string_view kOffice = "SELECT path FROM offices WHERE id = ?1 AND active = 1";
constexpr std::string_view kCategoryExists =
    "SELECT 1 FROM categories WHERE code = ?1 AND parent_code IS NOT NULL AND active = 1";
constexpr std::string_view kActivePartner = "SELECT 1 FROM partners WHERE id = ?1 AND active = 1";
constexpr std::string_view kUserInOffice =
    "SELECT 1 FROM users u JOIN offices o ON o.id = u.office_id WHERE u.id = ?1 AND u.disabled = 0"
    " AND u.role IN ('operator','supervisor') AND substr(o.path, 1, length(?2)) = ?2";

constexpr std::string_view kInsertReferral =
    "INSERT INTO referrals(case_id, partner_id, service, reason, status, consent_given, consent_contact_id,"
    " override_reason, sent_at, response_due, created_by) VALUES (?1, ?2, ?3, ?4, 'sent', ?5, ?6, ?7, ?8, ?9, ?10)";
constexpr std::string_view kInsertMediation =
    "INSERT INTO mediations(case_id, mediator, partner_id, scheduled_at, place, created_by, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
constexpr std::string_view kCloseMediation =
    "UPDATE mediations SET result = ?2, agreement_summary = ?3, version = version + 1"
    " WHERE id = (SELECT max(id) FROM mediations WHERE case_id = ?1 AND result IS NULL)";

std::optional<std::string> field(const EventData& d, const char* name) {
  auto it = d.find(name);
  if (it == d.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

std::optional<std::int64_t> int_field(const EventData& d, const char* name) {
  auto v = field(d, name);
  if (!v) return std::nullopt;
  try {
    return std::stoll(*v);
  } catch (...) {
    return std::nullopt;
  }
}

void record_event(db::Connection& conn, std::int64_t case_id, CaseEvent event, std::optional<CaseStatus> from,
                  CaseStatus to, const Actor& actor, TimeMs at, const std::string& note, const EventData& data) {
  std::optional<std::string_view> from_text;
  if (from) from_text = to_string(*from);
  CaseEventLog::append(conn, {case_id, to_string(event), from_text, to_string(to), at, note, &data}, actor);
}

bool exists(db::Connection& conn, std::string_view sql, std::int64_t id) {
  auto st = conn.prepare(sql);
  st.bind_all(id);
  return st.step();
}

}  // namespace

Result<CaseRecord> CaseService::open_case(db::Connection& conn, const NewCase& in, const Actor& actor) const {
  if (!actor.is_staff() && actor.role != Role::system)
    return fail(Errc::forbidden, "only hotline staff open cases");
  std::map<std::string, std::string> bad;
  auto office = conn.prepare(kOffice);
  office.bind_all(in.office_id);
  std::string office_path;
  if (office.step()) office_path = office.text(0);
  if (office_path.empty() || (actor.role != Role::system && !office_path.starts_with(actor.office_path)))
    bad["office_id"] = "no such office in your scope";
  auto cat = conn.prepare(kCategoryExists);
  cat.bind_all(in.category);
  if (!cat.step()) bad["category"] = "unknown category";
  if (!is_one_of(channels(), in.channel)) bad["channel"] = "unknown channel";
  if (!is_one_of(urgencies(), in.urgency)) bad["urgency"] = "unknown urgency";
  if (in.received_at <= 0) bad["received_at"] = "required";
  if (in.assignee_id && !office_path.empty()) {
    auto u = conn.prepare(kUserInOffice);
    u.bind_all(*in.assignee_id, office_path);
    if (!u.step()) bad["assignee_id"] = "no such active staff member in that office";
  }
  if (!bad.empty()) return fail(Errc::invalid_input, "the case cannot be opened", std::move(bad));

  const TimeMs now = clock_.now_ms();
  const DeadlinePolicy policy = load_deadline_policy(conn, in.office_id);
  const std::string case_no = next_case_no(conn, in.office_id, local_date(now).year);
  const TimeMs acceptance_due = policy.acceptance_due(in.received_at);
  std::optional<std::int64_t> created_by;
  if (actor.user_id > 0) created_by = actor.user_id;
  conn.prepare(kInsertCase)
      .bind_all(case_no, in.office_id, office_path, in.category, in.channel, in.urgency, in.summary, in.narrative,
                in.assignee_id, in.received_at, acceptance_due, in.transferred_from_case_id, created_by, now)
      .run();
  const std::int64_t id = conn.last_insert_rowid();
  record_event(conn, id, CaseEvent::register_case, std::nullopt, CaseStatus::registered, actor, now, {},
               {{"channel", in.channel}, {"category", in.category}});
  if (in.build_search_document) refresh_search_document(conn, id);
  return *CaseRepository::get_unscoped(conn, id);
}

Result<CaseRecord> CaseService::apply(db::Connection& conn, std::int64_t case_id, std::int64_t expected_version,
                                      CaseEvent event, const Actor& actor, const EventData& data,
                                      const std::string& note) const {
  auto loaded = CaseRepository::get(conn, case_id, actor);
  if (!loaded) return std::unexpected(loaded.error());
  CaseRecord c = std::move(*loaded);
  if (auto archived = CaseArchive::refuse_if_archived(conn, c.id); !archived) return std::unexpected(archived.error());
  if (c.version != expected_version)
    return fail(Errc::conflict, "the case was changed by someone else (version " + std::to_string(c.version) +
                                    ", you sent " + std::to_string(expected_version) + "); reload it");

  const DeadlinePolicy policy = load_deadline_policy(conn, c.office_id);
  const TimeMs now = clock_.now_ms();
  const CaseProcedure proc = ProcedureRepository::load(conn, c.id);
  const CaseFacts facts =
      procedure_facts(c, proc, policy.max_extension_days, CaseRepository::open_referrals(conn, c.id), now);
  auto to = decide(facts, event, actor, data);
  if (!to) return std::unexpected(to.error());

  const CaseStatus from = c.status;
  c.status = *to;
  Effects fx;
  fx.has_reply = facts.has_reply;
  fx.report_in = facts.report_in;
  if (proc.sent) fx.report_due = proc.sent->report_due;
  switch (event) {
    case CaseEvent::accept:
      ProcedureRepository::add_notice(conn, c.id, "decision", "accept", data, c.acceptance_due, actor, now);
      c.accepted_at = now;
      c.acceptance_due.reset();
      c.handling_due = policy.handling_due(now);
      if (!c.assignee_id && actor.user_id > 0) c.assignee_id = actor.user_id;
      break;
    case CaseEvent::answer:
      c.closed_at = now;
      c.acceptance_due.reset();
      c.outcome = "answered";
      c.closure_summary = data.at("answer");
      break;
    case CaseEvent::decline:
      ProcedureRepository::add_notice(conn, c.id, "decision", "decline", data, c.acceptance_due, actor, now);
      c.closed_at = now;
      c.acceptance_due.reset();
      c.outcome = "declined";
      c.decline_reason = data.at("reason") + " / " + data.at("referred_to");
      break;
    case CaseEvent::refer: {
      const auto partner = *int_field(data, "partner_id");
      if (!exists(conn, kActivePartner, partner))
        return fail(Errc::transition_not_allowed, "refer needs an active partner",
                    {{"partner_id", "no such active partner"}});
      const bool consent = data.at("consent_given") == "true";
      conn.prepare(kInsertReferral)
          .bind_all(c.id, partner, data.at("service"), field(data, "reason").value_or(""), consent ? 1 : 0,
                    int_field(data, "consent_contact_id"), consent ? std::nullopt : field(data, "override_reason"),
                    now, policy.referral_response_due(now), actor.user_id > 0 ? std::optional(actor.user_id) : std::nullopt)
          .run();
      break;
    }
    case CaseEvent::referral_done:
      break;
    case CaseEvent::start_mediation:
      conn.prepare(kInsertMediation)
          .bind_all(c.id, data.at("mediator"), int_field(data, "partner_id"), *parse_iso8601(data.at("scheduled_at")),
                    field(data, "place").value_or(""), actor.user_id > 0 ? std::optional(actor.user_id) : std::nullopt, now)
          .run();
      break;
    case CaseEvent::end_mediation:
      conn.prepare(kCloseMediation).bind_all(c.id, data.at("outcome"), field(data, "agreement_summary")).run();
      break;
    case CaseEvent::reply:
      // The reply meets the handling limit (not the closure approval): the clock stops here.
      ProcedureRepository::add_reply(conn, c.id, data, c.handling_due, actor, now);
      fx.has_reply = true;
      break;
    case CaseEvent::request_closure:
      c.outcome = data.at("outcome");
      c.closure_summary = data.at("summary");
      c.losses_avoided_fen = *int_field(data, "losses_avoided_fen");
      // Losses recovered (挽回经济损失) is optional and apart from losses avoided, validated alike;
      // the period report reads both from this event's payload.
      if (auto it = data.find("losses_recovered_fen"); it != data.end()) {
        static constexpr FieldRule kRecovered{"losses_recovered_fen", FieldKind::money_fen};
        if (auto problem = check_field(kRecovered, data); !problem.empty())
          return fail(Errc::transition_not_allowed, "request_closure needs: losses_recovered_fen",
                      {{"losses_recovered_fen", problem}});
        conn.prepare(kSetLossesRecovered).bind_all(c.id, *int_field(data, "losses_recovered_fen")).run();
      }
      break;
    case CaseEvent::approve_closure:
      c.closed_at = now;
      break;
    case CaseEvent::reject_closure:
      break;
    case CaseEvent::reopen: {
      // Only to correct the office's own mistake (a person dissatisfied with the reply asks the office
      // above for 复查 instead): the reply in force is withdrawn and a new one is owed within a new
      // handling limit. Nothing silent: the recorded event says what became of each deadline.
      ProcedureRepository::supersede_replies(conn, c.id);
      fx.has_reply = false;
      c.closed_at.reset();
      const auto before = c.handling_due;
      c.handling_due = policy.handling_due(now);
      fx.recorded = data;
      (*fx.recorded)["reply_withdrawn"] = "true";
      if (before) (*fx.recorded)["previous_handling_due"] = format_iso8601(*before);
      (*fx.recorded)["handling_due"] = format_iso8601(*c.handling_due);
      break;
    }
    case CaseEvent::extend_handling: {
      // The supervisor applying it is the office head approving it (recorded as approved_by).
      const int days = static_cast<int>(*int_field(data, "days"));
      ExtensionRecord e{days, data.at("reason"), actor.user_id > 0 ? std::optional(actor.user_id) : std::nullopt, now,
                        c.handling_due, policy.extended_handling_due(c.handling_due.value_or(now), days)};
      ProcedureRepository::add_extension(conn, c.id, e);
      ProcedureRepository::add_notice(conn, c.id, "extension", "extend_handling", data, std::nullopt, actor, now);
      c.extension_days = days;
      c.handling_due = e.new_due;
      break;
    }
    case CaseEvent::forward:
    case CaseEvent::delegate:
      if (auto r = route(conn, c, event, data, policy, proc, actor, now, fx); !r) return std::unexpected(r.error());
      break;
    case CaseEvent::submit_report:
    case CaseEvent::report_received:
    case CaseEvent::accept_report:
    case CaseEvent::return_report:
    case CaseEvent::report_returned:
      if (auto r = report_step(conn, c, event, data, policy, proc, actor, now, fx); !r)
        return std::unexpected(r.error());
      break;
    case CaseEvent::register_case:
      break;  // decide() refuses it for an existing case
  }
  c.next_due = running_due(c, fx.has_reply, fx.report_in, fx.report_due);
  auto st = conn.prepare(kUpdateCase);
  st.bind_all(c.id, expected_version, to_string(c.status), c.assignee_id, c.accepted_at, c.closed_at, c.acceptance_due,
              c.handling_due, c.next_due, c.extension_days, c.outcome, c.closure_summary, c.decline_reason,
              c.losses_avoided_fen, c.transferred_to_case_id, now)
      .run();
  if (conn.changes() != 1) return fail(Errc::conflict, "the case was changed by someone else; reload it");
  record_event(conn, c.id, event, from, c.status, actor, now, note, fx.recorded ? *fx.recorded : data);
  if (fx.then_case) {
    // The other side of a 交办 moves in the same savepoint: both change or neither does.
    auto other = CaseRepository::get_unscoped(conn, *fx.then_case);
    if (!other) return fail(Errc::not_found, "the other case of the 交办 is gone");
    auto moved = apply(conn, other->id, other->version, fx.then_event, Actor::system(), fx.then_data, note);
    if (!moved) return std::unexpected(moved.error());
  }
  return *CaseRepository::get_unscoped(conn, c.id);
}

Result<CaseRecord> CaseService::settle_referrals(db::Connection& conn, std::int64_t case_id) const {
  auto c = CaseRepository::get_unscoped(conn, case_id);
  if (!c) return fail(Errc::not_found, "no such case");
  if (c->status != CaseStatus::referred || CaseRepository::open_referrals(conn, case_id) > 0) return std::move(*c);
  return apply(conn, case_id, c->version, CaseEvent::referral_done, Actor::system(), {}, {});
}

}  // namespace hl::casework
