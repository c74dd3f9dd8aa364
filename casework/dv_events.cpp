#include "casework/dv_events.hpp"

#include <map>

#include "casework/dv_support.hpp"
#include "casework/dv_vocabulary.hpp"
#include "casework/vocabulary.hpp"
#include "core/local_time.hpp"

namespace hl::casework {
namespace {

// Times typed on a client may run a little ahead of the server's clock.
constexpr TimeMs kClockSkewMs = 5 * 60'000;

constexpr std::string_view kInsertLetter =
    "INSERT INTO dv_warning_letters(case_id, police_partner_id, issued_at, note, created_by, created_at, document_no)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
constexpr std::string_view kLetters =
    "SELECT w.id, w.case_id, w.police_partner_id, p.name, w.issued_at, w.note, w.created_by, w.created_at, w.document_no"
    " FROM dv_warning_letters w JOIN partners p ON p.id = w.police_partner_id WHERE w.case_id = ?1"
    " ORDER BY w.issued_at, w.id";
constexpr std::string_view kInsertStay =
    "INSERT INTO dv_shelter_stays(case_id, partner_id, from_at, to_at, note, created_by, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
constexpr std::string_view kStays =
    "SELECT s.id, s.case_id, s.partner_id, p.name, s.from_at, s.to_at, s.note, s.created_by, s.created_at"
    " FROM dv_shelter_stays s JOIN partners p ON p.id = s.partner_id WHERE s.case_id = ?1 ORDER BY s.from_at, s.id";
constexpr std::string_view kStay =
    "SELECT s.id, s.case_id, s.partner_id, p.name, s.from_at, s.to_at, s.note, s.created_by, s.created_at"
    " FROM dv_shelter_stays s JOIN partners p ON p.id = s.partner_id WHERE s.id = ?1";
constexpr std::string_view kEndStay = "UPDATE dv_shelter_stays SET to_at = ?2 WHERE id = ?1 AND to_at IS NULL";
constexpr std::string_view kInsertReport =
    "INSERT INTO dv_mandatory_reports(case_id, reporter_type, reporter_name, reported_at, police_partner_id, note,"
    " created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr std::string_view kReports =
    "SELECT r.id, r.case_id, r.reporter_type, r.reporter_name, r.reported_at, r.police_partner_id, p.name, r.note,"
    " r.created_by, r.created_at FROM dv_mandatory_reports r LEFT JOIN partners p ON p.id = r.police_partner_id"
    " WHERE r.case_id = ?1 ORDER BY r.reported_at, r.id";

std::optional<std::int64_t> user_of(const Actor& a) {
  return a.user_id > 0 ? std::optional(a.user_id) : std::nullopt;
}

void check_past(std::map<std::string, std::string>& bad, const char* field, TimeMs t, TimeMs now) {
  if (t <= 0) bad[field] = "required";
  else if (t > now + kClockSkewMs) bad[field] = "must not be in the future";
}

void check_note(std::map<std::string, std::string>& bad, const std::string& note) {
  if (note.size() > 5000) bad["note"] = "at most 5000 bytes";
}

}  // namespace

Result<WarningLetter> DvEventService::add_warning_letter(db::Connection& conn, std::int64_t case_id,
                                                         const NewWarningLetter& in, const Actor& actor) const {
  if (auto c = dv_writable_case(conn, case_id, actor, DvWrite::measure); !c) return std::unexpected(c.error());
  const TimeMs now = clock_.now_ms();
  std::map<std::string, std::string> bad;
  const auto police = active_partner_name(conn, in.police_partner_id, "police");
  if (!police) bad["police_partner_id"] = "not an active police partner";
  check_past(bad, "issued_at", in.issued_at, now);
  check_note(bad, in.note);
  if (in.document_no.size() > 200) bad["document_no"] = "at most 200 bytes";
  if (!bad.empty()) return fail(Errc::invalid_input, "the warning letter cannot be recorded", std::move(bad));
  conn.prepare(kInsertLetter)
      .bind_all(case_id, in.police_partner_id, in.issued_at, in.note, user_of(actor), now, in.document_no)
      .run();
  const auto id = conn.last_insert_rowid();
  append_dv_event(conn, case_id, "warning_letter", actor, now,
                  {{"warning_letter_id", std::to_string(id)}, {"police", *police}, {"issued_at", format_iso8601(in.issued_at)}},
                  in.note);
  return WarningLetter{id, case_id, in.police_partner_id, *police, in.issued_at, in.note, in.document_no, user_of(actor), now};
}

Result<ShelterStay> DvEventService::add_shelter_stay(db::Connection& conn, std::int64_t case_id, const NewShelterStay& in,
                                                     const Actor& actor) const {
  if (auto c = dv_writable_case(conn, case_id, actor, DvWrite::measure); !c) return std::unexpected(c.error());
  const TimeMs now = clock_.now_ms();
  std::map<std::string, std::string> bad;
  const auto shelter = active_partner_name(conn, in.partner_id, "civil_affairs");
  if (!shelter) bad["partner_id"] = "not an active civil-affairs partner";
  if (in.from <= 0) bad["from"] = "required";
  if (in.to && in.from > 0 && *in.to < in.from) bad["to"] = "must not be before from";
  check_note(bad, in.note);
  if (!bad.empty()) return fail(Errc::invalid_input, "the shelter stay cannot be recorded", std::move(bad));
  conn.prepare(kInsertStay).bind_all(case_id, in.partner_id, in.from, in.to, in.note, user_of(actor), now).run();
  const auto id = conn.last_insert_rowid();
  std::map<std::string, std::string> payload{
      {"shelter_stay_id", std::to_string(id)}, {"shelter", *shelter}, {"from", format_iso8601(in.from)}};
  if (in.to) payload["to"] = format_iso8601(*in.to);
  append_dv_event(conn, case_id, "shelter_stay", actor, now, payload, in.note);
  return ShelterStay{id, case_id, in.partner_id, *shelter, in.from, in.to, in.note, user_of(actor), now};
}

Result<ShelterStay> DvEventService::end_shelter_stay(db::Connection& conn, std::int64_t stay_id, TimeMs to,
                                                     const Actor& actor) const {
  auto st = conn.prepare(kStay);
  st.bind_all(stay_id);
  if (!st.step()) return fail(Errc::not_found, "no such shelter stay");
  ShelterStay stay{st.int64(0), st.int64(1), st.int64(2), st.text(3), st.int64(4), st.opt_int64(5), st.text(6),
                   st.opt_int64(7), st.int64(8)};
  // Scope and state as for any DV write on its case. Another office's stay answers exactly like a
  // missing one: "no such case" here would tell that the id exists.
  if (auto c = dv_writable_case(conn, stay.case_id, actor, DvWrite::measure); !c) {
    if (c.error().code == Errc::not_found) return fail(Errc::not_found, "no such shelter stay");
    return std::unexpected(c.error());
  }
  if (stay.to) return fail(Errc::transition_not_allowed, "the shelter stay has already ended", {{"to", "already ended"}});
  const TimeMs now = clock_.now_ms();
  std::map<std::string, std::string> bad;
  check_past(bad, "to", to, now);
  if (to > 0 && to < stay.from) bad["to"] = "must not be before from";
  if (!bad.empty()) return fail(Errc::invalid_input, "the shelter stay cannot be ended", std::move(bad));
  conn.prepare(kEndStay).bind_all(stay_id, to).run();
  if (conn.changes() != 1) return fail(Errc::conflict, "the shelter stay was ended by someone else; reload it");
  append_dv_event(conn, stay.case_id, "shelter_stay_ended", actor, now,
                  {{"shelter_stay_id", std::to_string(stay_id)}, {"shelter", stay.partner_name}, {"to", format_iso8601(to)}}, "");
  stay.to = to;
  return stay;
}

Result<MandatoryReport> DvEventService::add_mandatory_report(db::Connection& conn, std::int64_t case_id,
                                                             const NewMandatoryReport& in, const Actor& actor) const {
  if (auto c = dv_writable_case(conn, case_id, actor, DvWrite::measure); !c) return std::unexpected(c.error());
  const TimeMs now = clock_.now_ms();
  std::map<std::string, std::string> bad;
  if (!is_one_of(dv_reporter_types(), in.reporter_type))
    bad["reporter_type"] = "one of school, kindergarten, hospital, residents_committee, villagers_committee, social_work,"
                           " relief_agency, welfare_agency, other";
  if (in.reporter_name.size() > 200) bad["reporter_name"] = "at most 200 bytes";
  check_past(bad, "reported_at", in.reported_at, now);
  std::optional<std::string> police;
  if (in.police_partner_id) {
    police = active_partner_name(conn, *in.police_partner_id, "police");
    if (!police) bad["police_partner_id"] = "not an active police partner";
  }
  check_note(bad, in.note);
  if (!bad.empty()) return fail(Errc::invalid_input, "the mandatory report cannot be recorded", std::move(bad));
  conn.prepare(kInsertReport)
      .bind_all(case_id, in.reporter_type, in.reporter_name, in.reported_at, in.police_partner_id, in.note,
                user_of(actor), now)
      .run();
  const auto id = conn.last_insert_rowid();
  std::map<std::string, std::string> payload{{"mandatory_report_id", std::to_string(id)},
                                             {"reporter_type", in.reporter_type},
                                             {"reported_at", format_iso8601(in.reported_at)}};
  if (police) payload["police"] = *police;
  append_dv_event(conn, case_id, "mandatory_report", actor, now, payload, in.note);
  return MandatoryReport{id,      case_id, in.reporter_type, in.reporter_name, in.reported_at, in.police_partner_id,
                         police,  in.note, user_of(actor),   now};
}

Result<std::vector<WarningLetter>> DvEventService::warning_letters(db::Connection& conn, std::int64_t case_id,
                                                                   const Actor& actor) {
  if (auto c = dv_case(conn, case_id, actor); !c) return std::unexpected(c.error());
  std::vector<WarningLetter> out;
  auto st = conn.prepare(kLetters);
  st.bind_all(case_id);
  while (st.step())
    out.push_back({st.int64(0), st.int64(1), st.int64(2), st.text(3), st.int64(4), st.text(5), st.text(8), st.opt_int64(6),
                    st.int64(7)});
  return out;
}

Result<std::vector<ShelterStay>> DvEventService::shelter_stays(db::Connection& conn, std::int64_t case_id,
                                                               const Actor& actor) {
  if (auto c = dv_case(conn, case_id, actor); !c) return std::unexpected(c.error());
  std::vector<ShelterStay> out;
  auto st = conn.prepare(kStays);
  st.bind_all(case_id);
  while (st.step())
    out.push_back({st.int64(0), st.int64(1), st.int64(2), st.text(3), st.int64(4), st.opt_int64(5), st.text(6),
                   st.opt_int64(7), st.int64(8)});
  return out;
}

Result<std::vector<MandatoryReport>> DvEventService::mandatory_reports(db::Connection& conn, std::int64_t case_id,
                                                                       const Actor& actor) {
  if (auto c = dv_case(conn, case_id, actor); !c) return std::unexpected(c.error());
  std::vector<MandatoryReport> out;
  auto st = conn.prepare(kReports);
  st.bind_all(case_id);
  while (st.step())
    out.push_back({st.int64(0), st.int64(1), st.text(2), st.text(3), st.int64(4), st.opt_int64(5), st.opt_text(6),
                   st.text(7), st.opt_int64(8), st.int64(9)});
  return out;
}

}  // namespace hl::casework
