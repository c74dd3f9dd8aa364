#include "casework/case_procedure.hpp"

#include "core/local_time.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kNotices =
    "SELECT id, kind, decision, told_at, method, document_no, on_the_spot, due_at FROM case_notices"
    " WHERE case_id = ?1 ORDER BY id";
constexpr std::string_view kReply =
    "SELECT id, replied_at, method, opinion, basis, document_no, handling_due, from_case_id, recorded_by, recorded_at"
    " FROM case_replies WHERE case_id = ?1 AND superseded = 0 ORDER BY id DESC LIMIT 1";
constexpr std::string_view kExtension =
    "SELECT days, reason, approved_by, granted_at, previous_due, new_due FROM case_extensions WHERE case_id = ?1";
#define HL_TRANSFER_COLUMNS                                                                                   \
  "SELECT id, from_case_id, to_case_id, mode, from_office_id, to_office_id, sent_at, first_received_at,"    \
  " report_due, report_state, reported_at, returns, last_return_reason, settled_at FROM case_transfers"
constexpr std::string_view kSent = HL_TRANSFER_COLUMNS " WHERE from_case_id = ?1 ORDER BY id DESC LIMIT 1";
constexpr std::string_view kReceived = HL_TRANSFER_COLUMNS " WHERE to_case_id = ?1";

constexpr std::string_view kInsertNotice =
    "INSERT INTO case_notices(case_id, kind, decision, told_at, method, document_no, on_the_spot, due_at,"
    " recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
constexpr std::string_view kSupersede = "UPDATE case_replies SET superseded = 1 WHERE case_id = ?1 AND superseded = 0";
constexpr std::string_view kInsertReply =
    "INSERT INTO case_replies(case_id, replied_at, method, opinion, basis, document_no, handling_due, from_case_id,"
    " recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
constexpr std::string_view kInsertExtension =
    "INSERT INTO case_extensions(case_id, days, reason, approved_by, granted_at, previous_due, new_due)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
constexpr std::string_view kInsertTransfer =
    "INSERT INTO case_transfers(from_case_id, to_case_id, mode, from_office_id, to_office_id, sent_at,"
    " first_received_at, report_due, report_state) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
constexpr std::string_view kReportSent =
    "UPDATE case_transfers SET report_state = 'reported', reported_at = ?2 WHERE id = ?1";
constexpr std::string_view kReportAccepted =
    "UPDATE case_transfers SET report_state = 'accepted', settled_at = ?2 WHERE id = ?1";
constexpr std::string_view kReportReturned =
    "UPDATE case_transfers SET report_state = 'awaited', report_due = ?2, returns = returns + 1,"
    " last_return_reason = ?3 WHERE id = ?1";

std::optional<std::string> present(const EventData& d, const char* name) {
  auto it = d.find(name);
  if (it == d.end() || it->second.find_first_not_of(" \t\r\n") == std::string::npos) return std::nullopt;
  return it->second;
}

std::optional<std::int64_t> user_of(const Actor& a) {
  return a.user_id > 0 ? std::optional(a.user_id) : std::nullopt;
}

std::optional<TransferRecord> read_transfer(db::Connection& conn, std::string_view sql, std::int64_t case_id) {
  auto st = conn.prepare(sql);
  st.bind_all(case_id);
  if (!st.step()) return std::nullopt;
  return TransferRecord{st.int64(0), st.int64(1), st.int64(2), st.text(3), st.int64(4), st.int64(5), st.int64(6),
                        st.int64(7), st.opt_int64(8), st.opt_text(9), st.opt_int64(10),
                        static_cast<int>(st.int64(11)), st.opt_text(12), st.opt_int64(13)};
}

}  // namespace

CaseProcedure ProcedureRepository::load(db::Connection& conn, std::int64_t case_id) {
  CaseProcedure p;
  auto n = conn.prepare(kNotices);
  n.bind_all(case_id);
  while (n.step())
    p.notices.push_back({n.int64(0), n.text(1), n.opt_text(2), n.int64(3), n.text(4), n.opt_text(5), n.int64(6) != 0,
                         n.opt_int64(7)});
  auto r = conn.prepare(kReply);
  r.bind_all(case_id);
  if (r.step())
    p.reply = ReplyRecord{r.int64(0), r.int64(1), r.text(2), r.text(3), r.text(4), r.opt_text(5), r.opt_int64(6),
                          r.opt_int64(7), r.opt_int64(8), r.int64(9)};
  auto e = conn.prepare(kExtension);
  e.bind_all(case_id);
  if (e.step())
    p.extension = ExtensionRecord{static_cast<int>(e.int64(0)), e.text(1), e.opt_int64(2), e.int64(3), e.opt_int64(4),
                                  e.int64(5)};
  p.sent = read_transfer(conn, kSent, case_id);
  p.received = read_transfer(conn, kReceived, case_id);
  return p;
}

void ProcedureRepository::add_notice(db::Connection& conn, std::int64_t case_id, std::string_view kind,
                                     std::string_view decision, const EventData& d, std::optional<TimeMs> due_at,
                                     const Actor& actor, TimeMs now) {
  const bool on_the_spot = present(d, "notice_on_the_spot") == "true";
  TimeMs told_at = now;
  if (auto at = present(d, "notice_at")) told_at = parse_iso8601(*at).value_or(now);
  conn.prepare(kInsertNotice)
      .bind_all(case_id, kind, decision, told_at, d.at("notice_method"), present(d, "notice_document_no"),
                on_the_spot ? 1 : 0, due_at, user_of(actor), now)
      .run();
}

void ProcedureRepository::add_reply(db::Connection& conn, std::int64_t case_id, const EventData& d,
                                    std::optional<TimeMs> handling_due, const Actor& actor, TimeMs now) {
  supersede_replies(conn, case_id);
  conn.prepare(kInsertReply)
      .bind_all(case_id, *parse_iso8601(d.at("replied_at")), d.at("method"), d.at("opinion"), d.at("basis"),
                present(d, "document_no"), handling_due, std::optional<std::int64_t>(), user_of(actor), now)
      .run();
}

void ProcedureRepository::copy_reply(db::Connection& conn, const ReplyRecord& r, std::int64_t from_case_id,
                                     std::int64_t to_case_id, const Actor& actor, TimeMs now) {
  supersede_replies(conn, to_case_id);
  conn.prepare(kInsertReply)
      .bind_all(to_case_id, r.replied_at, r.method, r.opinion, r.basis, r.document_no, r.handling_due, from_case_id,
                user_of(actor), now)
      .run();
}

void ProcedureRepository::supersede_replies(db::Connection& conn, std::int64_t case_id) {
  conn.prepare(kSupersede).bind_all(case_id).run();
}

void ProcedureRepository::add_extension(db::Connection& conn, std::int64_t case_id, const ExtensionRecord& e) {
  conn.prepare(kInsertExtension)
      .bind_all(case_id, e.days, e.reason, e.approved_by, e.granted_at, e.previous_due, e.new_due)
      .run();
}

void ProcedureRepository::add_transfer(db::Connection& conn, const TransferRecord& t) {
  conn.prepare(kInsertTransfer)
      .bind_all(t.from_case_id, t.to_case_id, t.mode, t.from_office_id, t.to_office_id, t.sent_at, t.first_received_at,
                t.report_due, t.report_state)
      .run();
}

void ProcedureRepository::report_sent(db::Connection& conn, std::int64_t id, TimeMs now) {
  conn.prepare(kReportSent).bind_all(id, now).run();
}
void ProcedureRepository::report_accepted(db::Connection& conn, std::int64_t id, TimeMs now) {
  conn.prepare(kReportAccepted).bind_all(id, now).run();
}
void ProcedureRepository::report_returned(db::Connection& conn, std::int64_t id, TimeMs new_due,
                                          const std::string& reason) {
  conn.prepare(kReportReturned).bind_all(id, new_due, reason).run();
}

CaseFacts procedure_facts(const CaseRecord& c, const CaseProcedure& p, int max_extension_days, int open_referrals,
                          TimeMs now) {
  CaseFacts f;
  f.status = c.status;
  f.extension_days = c.extension_days;
  f.max_extension_days = max_extension_days;
  f.open_referrals = open_referrals;
  f.has_reply = p.reply.has_value();
  f.report_owed = p.received && p.received->mode == "delegate" && p.received->report_state == "awaited" &&
                  p.received->to_office_id == c.office_id;
  f.report_in = c.status == CaseStatus::delegated && p.sent && p.sent->report_state == "reported";
  f.received_at = c.received_at;
  f.now = now;
  return f;
}

std::optional<TimeMs> running_due(const CaseRecord& c, bool has_reply, bool report_in, std::optional<TimeMs> report_due) {
  switch (c.status) {
    case CaseStatus::registered: return c.acceptance_due;
    case CaseStatus::closed:
    case CaseStatus::forwarded: return std::nullopt;
    case CaseStatus::delegated: return report_in ? std::nullopt : report_due;
    default: return has_reply ? std::nullopt : c.handling_due;
  }
}

}  // namespace hl::casework
