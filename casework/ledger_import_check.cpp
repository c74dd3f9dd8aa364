// What a ledger import checks against the office before writing (the rows it already has) and the
// file it gives back (the rows not written, to fix and import again). See ledger_import.hpp.
#include <algorithm>
#include <string>

#include "casework/ledger_import.hpp"
#include "core/csv_writer.hpp"
#include "core/local_time.hpp"
#include "core/text_rules.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kImportedRow =
    "SELECT coalesce(c.case_no, '') FROM ledger_import_rows r LEFT JOIN cases c ON c.id = r.case_id"
    " WHERE r.office_id = ?1 AND r.row_key = ?2";
// A contact of the office on that Shanghai day with that summary, naming a person with that phone or
// ID fingerprint (persons_phone_hash / persons_id_hash; ?4 and ?5 are NULL when the row has none).
constexpr std::string_view kSamePerson =
    "SELECT coalesce(ca.case_no, '') FROM persons p JOIN contacts c ON c.id = p.contact_id"
    " LEFT JOIN cases ca ON ca.id = c.case_id"
    " WHERE (p.phone_hash = ?4 OR p.id_number_hash = ?5) AND c.office_id = ?1"
    " AND c.received_at >= ?2 AND c.received_at < ?3 AND c.summary = ?6 ORDER BY c.id LIMIT 1";

}  // namespace

void LedgerImporter::find_duplicates(db::Connection& conn, ParsedLedger& parsed, std::int64_t office_id) {
  std::vector<LedgerRow> fresh;
  auto imported = conn.prepare(kImportedRow);
  auto same_person = conn.prepare(kSamePerson);
  for (auto& row : parsed.rows) {
    std::optional<LedgerDuplicate> dup;
    imported.reset();
    imported.bind_all(office_id, row.key);
    if (imported.step()) dup = LedgerDuplicate{row.line, "row", imported.text(0), row.cells};
    if (!dup && (row.phone || row.id_number)) {
      const LocalDate day = local_date(row.received_at);
      same_person.reset();
      same_person.bind_all(office_id, start_of_local_day(day), start_of_local_day(add_days(day, 1)), nullptr, nullptr,
                           utf8_prefix(row.summary, kLedgerMaxSummary));
      // Fingerprints are bytes, stored as blobs (a text parameter would never equal them).
      if (row.phone) same_person.bind_blob(4, row.phone->fingerprint);
      if (row.id_number) same_person.bind_blob(5, row.id_number->fingerprint);
      if (same_person.step()) dup = LedgerDuplicate{row.line, "person", same_person.text(0), row.cells};
    }
    if (dup) parsed.duplicates.push_back(std::move(*dup));
    else fresh.push_back(std::move(row));
  }
  parsed.rows = std::move(fresh);
}

std::string duplicate_reason(const LedgerDuplicate& d) {
  const std::string of = d.case_no.empty() ? std::string("a consultation answered on the spot") : "case " + d.case_no;
  if (d.match == "row") return "duplicate: this row was imported before as " + of;
  return "duplicate: the same person (电话 or 身份证号), 登记日期 and 诉求 as " + of;
}

std::string rejected_rows_csv(const std::vector<std::string>& header, const std::vector<LedgerRejection>& rejected,
                              const std::vector<LedgerDuplicate>& duplicates) {
  struct Line {
    int line;
    const std::vector<std::string>* cells;
    std::string reason;
  };
  std::vector<Line> lines;
  for (const auto& r : rejected) lines.push_back({r.line, &r.cells, r.reason});
  for (const auto& d : duplicates) lines.push_back({d.line, &d.cells, duplicate_reason(d)});
  if (lines.empty()) return {};
  std::stable_sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) { return a.line < b.line; });
  std::string out = "\xEF\xBB\xBF";
  const auto write = [&out, width = header.size()](const std::vector<std::string>& cells, const std::string& last) {
    // The file's own columns (a short record padded, a long one's extra cells kept), then 原因.
    for (std::size_t i = 0; i < std::max(width, cells.size()); ++i) {
      append_csv_text(out, i < cells.size() ? cells[i] : std::string());
      out += ',';
    }
    append_csv_text(out, last);
    out += "\r\n";
  };
  write(header, "原因");
  for (const auto& l : lines) write(*l.cells, l.reason);
  return out;
}

}  // namespace hl::casework
