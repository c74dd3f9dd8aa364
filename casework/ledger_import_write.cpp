// Writing a ledger's parsed rows: a case with its contact and complainant per row, or, for a row of
// a consultation ledger (咨询类别), the contact answered on the spot without a case.
#include "casework/case_search.hpp"
#include "casework/case_service.hpp"
#include "casework/contact_repository.hpp"
#include "casework/deadline_policy.hpp"
#include "casework/ledger_import.hpp"
#include "casework/vocabulary.hpp"
#include "core/text_rules.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kOffice = "SELECT path FROM offices WHERE id = ?1 AND active = 1";
constexpr std::size_t kMaxSummary = kLedgerMaxSummary;
// The row as imported: its primary key (office, key) refuses the same row a second time.
constexpr std::string_view kRecordRow =
    "INSERT INTO ledger_import_rows(office_id, row_key, contact_id, case_id, line, imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

void record_row(db::Connection& conn, std::int64_t office_id, const LedgerRow& row, std::int64_t contact_id,
                std::optional<std::int64_t> case_id, TimeMs now) {
  conn.prepare(kRecordRow).bind_all(office_id, row.key, contact_id, case_id, row.line, now).run();
}

void insert_complainant(db::Connection& conn, const LedgerRow& row, std::int64_t contact_id, std::optional<std::int64_t> case_id) {
  if (row.name.empty() && !row.phone && !row.id_number) return;
  NewPerson person;
  person.role = "complainant";
  person.name = row.name;
  person.phone = row.phone;
  person.id_number = row.id_number;
  ContactRepository::insert_person(conn, contact_id, case_id, person);
}

// A 咨询台账 row: the consultation answered on the spot, as intake records one (resolution answered,
// its kind, 处理情况 as the answer), with its complainant; no case.
void write_consultation(db::Connection& conn, const LedgerRow& row, std::int64_t office_id, const Actor& actor, TimeMs now) {
  NewContact contact;
  contact.office_id = office_id;
  contact.channel = row.channel;
  contact.received_at = row.received_at;
  contact.persons = row.persons;
  contact.category = row.category;
  contact.resolution = "answered";
  contact.consultation_kind = row.consultation_kind;
  contact.summary = utf8_prefix(row.summary, kMaxSummary);
  if (contact.summary.size() < row.summary.size()) contact.narrative = row.summary;
  contact.answer = row.handling;
  if (actor.user_id > 0) contact.operator_id = actor.user_id;
  contact.created_at = now;
  const std::int64_t contact_id = ContactRepository::insert(conn, contact);
  insert_complainant(conn, row, contact_id, std::nullopt);
  record_row(conn, office_id, row, contact_id, std::nullopt, now);
}

}  // namespace

Result<std::string> LedgerImporter::writable_office(db::Connection& conn, std::int64_t office_id, const Actor& actor) {
  if (!actor.is_staff() && actor.role != Role::system) return fail(Errc::forbidden, "only office staff import ledgers");
  auto st = conn.prepare(kOffice);
  st.bind_all(office_id);
  if (!st.step()) return fail(Errc::not_found, "no such active office");
  std::string path = st.text(0);
  if (actor.role != Role::system && (actor.office_path.empty() || !path.starts_with(actor.office_path)))
    return fail(Errc::not_found, "no such active office");
  return path;
}

Result<int> LedgerImporter::write_batch(db::Connection& conn, std::span<const LedgerRow> rows, std::int64_t office_id,
                                        const Actor& actor) const {
  auto office_path = writable_office(conn, office_id, actor);
  if (!office_path) return std::unexpected(office_path.error());
  const DeadlinePolicy policy = load_deadline_policy(conn, office_id);
  const CaseService cases(clock_);
  const TimeMs now = clock_.now_ms();
  int written = 0;
  for (const LedgerRow& row : rows) {
    if (!row.consultation_kind.empty()) {
      write_consultation(conn, row, office_id, actor, now);
      ++written;
      continue;
    }
    const bool closed = row.status == "closed";
    ImportedCase in;
    in.office_id = office_id;
    in.office_path = *office_path;
    in.status = *parse_status(row.status);
    in.category = row.category;
    in.channel = row.channel;
    in.summary = utf8_prefix(row.summary, kMaxSummary);
    if (in.summary.size() < row.summary.size()) in.narrative = row.summary;
    if (!closed && !row.handling.empty()) in.narrative += (in.narrative.empty() ? "" : "\n") + row.handling;
    in.received_at = row.received_at;
    in.closed_at = row.closed_at;
    if (closed && !row.handling.empty()) in.closure_summary = row.handling;
    in.losses_avoided_fen = row.losses_avoided_fen;
    in.losses_recovered_fen = row.losses_recovered_fen;
    in.source = {{"source", "ledger"}, {"line", std::to_string(row.line)}};
    const std::int64_t case_id = cases.import_case(conn, in, policy, actor);

    NewContact contact;
    contact.office_id = office_id;
    contact.case_id = case_id;
    contact.channel = row.channel;
    contact.received_at = row.received_at;
    contact.persons = row.persons;
    contact.category = row.category;
    contact.resolution = "open_case";
    contact.summary = in.summary;
    if (actor.user_id > 0) contact.operator_id = actor.user_id;
    contact.created_at = now;
    const std::int64_t contact_id = ContactRepository::insert(conn, contact);
    insert_complainant(conn, row, contact_id, case_id);
    record_row(conn, office_id, row, contact_id, case_id, now);
    refresh_search_document(conn, case_id);
    ++written;
  }
  return written;
}

}  // namespace hl::casework
