// 转送 (forward) and 交办 (delegate), and the 交办 completion report going back and forth. Part of
// CaseService::apply: each function changes the case being applied (`c`) and writes the side
// records; apply() then writes the row, the event and, through Effects::then_case, the other side.
#include "casework/case_service.hpp"

#include "casework/case_repository.hpp"
#include "casework/case_search.hpp"
#include "casework/contact_repository.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kOfficePath = "SELECT path FROM offices WHERE id = ?1 AND active = 1";
// Read access both ways (see schema/007_case_access.sql): the senders follow the new case, the
// receiver reads the original and whatever the sending office could read as a receiver.
constexpr std::string_view kGrantSender =
    "INSERT OR IGNORE INTO case_access(case_id, office_id, reason, granted_at) VALUES (?1, ?2, 'sender', ?3)";
constexpr std::string_view kGrantEarlierSenders =
    "INSERT OR IGNORE INTO case_access(case_id, office_id, reason, granted_at)"
    " SELECT ?1, office_id, 'sender', ?3 FROM case_access WHERE case_id = ?2 AND reason = 'sender'";
constexpr std::string_view kGrantReceiver =
    "INSERT OR IGNORE INTO case_access(case_id, office_id, reason, granted_at) VALUES (?1, ?2, 'receiver', ?3)";
constexpr std::string_view kGrantEarlierOriginals =
    "INSERT OR IGNORE INTO case_access(case_id, office_id, reason, granted_at)"
    " SELECT case_id, ?2, 'receiver', ?3 FROM case_access WHERE office_id = ?1 AND reason = 'receiver'";

// The persons (人次) of the matter: those of the contact that first brought it to the sending office.
constexpr std::string_view kMatterPersons =
    "SELECT coalesce((SELECT persons FROM contacts WHERE case_id = ?1 ORDER BY received_at, id LIMIT 1), 1)";

}  // namespace

Status CaseService::route(db::Connection& conn, CaseRecord& c, CaseEvent event, const EventData& data,
                          const DeadlinePolicy& policy, const CaseProcedure& proc, const Actor& actor, TimeMs now,
                          Effects& fx) const {
  const bool delegate = event == CaseEvent::delegate;
  const std::int64_t target = std::stoll(data.at("target_office_id"));
  if (target == c.office_id)
    return fail(Errc::transition_not_allowed, "a case cannot be sent to its own office",
                {{"target_office_id", "choose another office"}});
  auto office = conn.prepare(kOfficePath);
  office.bind_all(target);
  if (!office.step())
    return fail(Errc::transition_not_allowed, "no such active office", {{"target_office_id", "no such office"}});

  ProcedureRepository::add_notice(conn, c.id, "decision", to_string(event), data,
                                  c.status == CaseStatus::registered ? c.acceptance_due : std::nullopt, actor, now);
  // The receiving office registers its own case, and its 15 days start on the day it receives it;
  // the day the matter first reached any office stays on the transfer for reference.
  NewCase copy{target, c.category, "transfer_in", c.urgency, c.summary, c.narrative, now, std::nullopt, c.id};
  auto created = open_case(conn, copy, Actor::system());
  if (!created) {
    Error e = created.error();
    e.code = Errc::transition_not_allowed;
    e.fields = {{"target_office_id", "no such office"}};
    return std::unexpected(e);
  }
  // The receiving office needs the people too (to call back, to match repeat callers).
  ContactRepository::copy_persons(conn, c.id, created->id);
  // Its register records the matter's arrival as a 转入 contact (件) on its new case, as it would a
  // paper transfer, so its own report counts what it received by every channel; in a report whose
  // scope holds the sender too, the contact is recognised as the copy's and not counted again.
  NewContact arrival;
  arrival.office_id = target;
  arrival.case_id = created->id;
  arrival.channel = "transfer_in";
  arrival.received_at = now;
  auto persons = conn.prepare(kMatterPersons);
  persons.bind_all(c.id);
  arrival.persons = persons.step() ? static_cast<int>(persons.int64(0)) : 1;
  arrival.category = c.category;
  arrival.urgency = c.urgency;
  arrival.resolution = "open_case";
  arrival.summary = c.summary;
  arrival.created_at = now;
  ContactRepository::insert(conn, arrival);
  refresh_search_document(conn, created->id);
  conn.prepare(kGrantSender).bind_all(created->id, c.office_id, now).run();
  conn.prepare(kGrantEarlierSenders).bind_all(created->id, c.id, now).run();
  conn.prepare(kGrantReceiver).bind_all(c.id, target, now).run();
  conn.prepare(kGrantEarlierOriginals).bind_all(c.office_id, target, now).run();

  TransferRecord t;
  t.from_case_id = c.id;
  t.to_case_id = created->id;
  t.mode = delegate ? "delegate" : "forward";
  t.from_office_id = c.office_id;
  t.to_office_id = target;
  t.sent_at = now;
  t.first_received_at = proc.received ? proc.received->first_received_at : c.received_at;
  if (delegate) {
    t.report_due = policy.report_due(now, std::stoi(data.at("report_due_days")));
    t.report_state = "awaited";
  }
  ProcedureRepository::add_transfer(conn, t);

  c.transferred_to_case_id = created->id;
  c.acceptance_due.reset();
  fx.recorded = data;
  (*fx.recorded)["to_case_id"] = std::to_string(created->id);
  if (delegate) {
    // 交办: the case stays open here (交办中) until the report is accepted.
    fx.report_due = t.report_due;
    fx.report_in = false;
    (*fx.recorded)["report_due"] = std::to_string(*t.report_due);
  } else {
    // 转送: it ends here, as 已转送 rather than 办结.
    c.closed_at = now;
    c.outcome = "forwarded";
  }
  return {};
}

Status CaseService::report_step(db::Connection& conn, CaseRecord& c, CaseEvent event, const EventData& data,
                                const DeadlinePolicy& policy, const CaseProcedure& proc, const Actor& actor, TimeMs now,
                                Effects& fx) const {
  switch (event) {
    case CaseEvent::submit_report: {
      // decide() checked a report is owed by this case's office; the sender's case learns it next.
      const auto& t = *proc.received;
      ProcedureRepository::report_sent(conn, t.id, now);
      fx.then_case = t.from_case_id;
      fx.then_event = CaseEvent::report_received;
      fx.then_data = {{"from_case_id", std::to_string(c.id)}};
      return {};
    }
    case CaseEvent::report_received:
      fx.report_in = true;
      return {};
    case CaseEvent::accept_report: {
      // The sender closes with the receiver's reply as its own answer to the person.
      const auto& t = *proc.sent;
      auto theirs = ProcedureRepository::load(conn, t.to_case_id);
      auto receiver = CaseRepository::get_unscoped(conn, t.to_case_id);
      if (!theirs.reply || !receiver)
        return fail(Errc::transition_not_allowed, "the receiving office's case has no reply to accept");
      ProcedureRepository::copy_reply(conn, *theirs.reply, t.to_case_id, c.id, actor, now);
      ProcedureRepository::report_accepted(conn, t.id, now);
      c.closed_at = now;
      c.outcome = receiver->outcome.value_or("resolved");
      c.closure_summary = receiver->closure_summary;
      c.losses_avoided_fen = receiver->losses_avoided_fen;
      fx.has_reply = true;
      return {};
    }
    case CaseEvent::return_report: {
      // 退回重办: the receiver's case goes back to handling with the reason and a new due date.
      const auto& t = *proc.sent;
      const TimeMs due = policy.report_due(now, std::stoi(data.at("report_due_days")));
      ProcedureRepository::report_returned(conn, t.id, due, data.at("reason"));
      fx.report_in = false;
      fx.report_due = due;
      fx.recorded = data;
      (*fx.recorded)["report_due"] = std::to_string(due);
      fx.then_case = t.to_case_id;
      fx.then_event = CaseEvent::report_returned;
      fx.then_data = {{"reason", data.at("reason")}, {"due_at", std::to_string(due)}};
      return {};
    }
    case CaseEvent::report_returned: {
      ProcedureRepository::supersede_replies(conn, c.id);
      fx.has_reply = false;
      c.closed_at.reset();
      c.handling_due = static_cast<TimeMs>(std::stoll(data.at("due_at")));
      return {};
    }
    default:
      return {};
  }
}

}  // namespace hl::casework
