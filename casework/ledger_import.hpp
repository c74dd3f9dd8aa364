#pragma once
// Importing an office's legacy case ledger (台账) from CSV: every row becomes a contact, its
// complainant and a case in the importing office, with an `import` event on the case's timeline.
//
// The file: RFC 4180 CSV (commas, fields in double quotes may hold commas, quotes doubled, line
// breaks), UTF-8 with or without a BOM, CRLF or LF. The first line is the header; columns are
// recognised by name (surrounding spaces ignored, English names case-insensitive), unknown columns
// are ignored and listed in the report:
//   received_at   登记日期 日期 来电日期 来访日期 接待日期 受理日期 received_at      required
//                 2026-10-08, 2026/10/8, 2026.10.8, 2026年10月8日, optionally followed by a time
//                 "HH:MM[:SS]"; Shanghai time; not in the future, not before 1990
//   channel       来源 来源渠道 渠道 反映渠道 channel                                 required
//                 来电/电话/12338 来访/接待 来信 网访/网上信访/网络 信访代理/代理 排查/排查发现
//                 转入/转办, or the API codes (hotline, walk_in, …)
//   category      问题类别 问题类型 类别 category                                       required
//                 a second-level name of the categories table (家庭暴力), optionally after its
//                 first-level name and "/" or "-" (婚姻家庭/家庭暴力), or a code
//   summary       诉求 主要诉求 反映问题 问题摘要 摘要 summary                           required
//   name          姓名 当事人 来访人 求助人 name
//   phone         电话 联系电话 手机 手机号 phone         intake's rule (normalize_person_phone: a mobile, or
//                 a landline with area code; not a service number such as 12345), stored like intake:
//                 encrypted + keyed hash
//   id_number     身份证号 身份证号码 证件号码 id_number  intake's rule (id_number_problem), stored likewise
//   handling      处理情况 处理结果 办理情况 handling     becomes the closure summary
//   status        状态 办理状态 status                    登记/待受理 → registered; 受理/办理中/处理中/
//                 在办 → in_progress; 办结/已办结/结案/已结案/已解答/已处理/完成 → closed; or the codes.
//                 Empty: closed when 处理情况 is given, else registered
//   closed_at     办结日期 结案日期 closed_at             closed rows only; default the received date
//   persons       人数 来访人数 persons                    1–1000, default 1 (人次 of the contact)
//   losses avoided    避免经济损失（元） 避免经济损失 避免损失 losses_avoided_yuan
//   losses recovered  挽回经济损失（元） 挽回经济损失 挽回损失 losses_recovered_yuan
//                     two figures, never one mapped onto the other; yuan, up to two decimals ("1,200.50")
//   consultation kind 咨询类别 咨询类型 consultation_kind  法律/婚姻家庭/心理/其他 (with or without 咨询),
//                 or the codes. A row with it is a consultation answered on the spot (当场解答): a
//                 contact with that kind and 处理情况 as the answer, and its complainant, but no case;
//                 状态 empty or closed, no 办结日期 and no losses (they belong to cases)
// Imported cases (every row without 咨询类别): in_progress and closed ones count as accepted on the received date (deadlines
// run from it: an old in_progress row is overdue at once, as it should be); closed ones carry
// outcome "imported" and the 处理情况 text as closure summary.
//
// Every row is validated before anything is written and every rejected row is reported with its
// line number (the physical line where the record starts, the header being line 1) and reason. The
// accepted rows are written in batches, each batch in one transaction (or one writer savepoint):
// a batch that fails leaves none of its rows, and its rows are reported as rejected.
//
// Duplicates (issue #15): a valid row is not written, and is reported with the case it duplicates,
// when the office already has
//   - the same ledger row ("row"): a row imported before with the same values as read (date, channel,
//     category, 诉求, name, phone/ID fingerprints, 处理情况, status, dates, amounts, kind) and the same
//     occurrence among identical rows of its file. Kept in ledger_import_rows (schema 025), so it holds
//     for a file renamed, re-saved as .xlsx, reordered, or with rows added or fixed elsewhere; two
//     identical lines of one file stay two contacts. Chosen over the file's hash + line number, which
//     any edit of the file (fixing a rejected row) would change for every row; or
//   - the same person on the same day about the same thing ("person"): a contact of the office (imported
//     or taken at intake) on the row's received date (Shanghai day) with the same 诉求 (as stored, the
//     first 500 bytes) naming a person with the row's phone or ID fingerprint — matched by keyed hash,
//     never by decrypting.
// The dry run reports them too. The rejected rows and the duplicates can be had as a CSV (the file's
// own columns and a 原因 column) to fix and import again: rejected_rows_csv.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "casework/actor.hpp"
#include "casework/person_identity.hpp"
#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

struct LedgerRow {
  int line = 0;
  TimeMs received_at = 0;
  std::string channel, category, summary, name, handling;
  std::optional<ProtectedNumber> phone, id_number;
  std::string status;  // registered | in_progress | closed
  std::optional<TimeMs> closed_at;
  int persons = 1;
  std::optional<std::int64_t> losses_avoided_fen, losses_recovered_fen;
  std::string consultation_kind;  // legal | marriage_family | psychological | other; "" for a case
  std::string key;                 // the row's key in ledger_import_rows (see above)
  std::vector<std::string> cells;  // the record as written, for the rejected-rows file
};

struct LedgerRejection {
  int line = 0;
  std::string reason;
  std::vector<std::string> cells;  // the record as written
};

// A valid row the office has already: match "row" (imported before) or "person" (same person, day and
// 诉求); the case it duplicates ("" for a consultation answered on the spot, which has none).
struct LedgerDuplicate {
  int line = 0;
  std::string match;
  std::string case_no;
  std::vector<std::string> cells;
};

struct ParsedLedger {
  std::vector<std::string> header;        // as written
  std::vector<LedgerRow> rows;            // valid rows, in file order
  std::vector<LedgerRejection> rejected;  // invalid rows, in file order
  std::vector<LedgerDuplicate> duplicates;  // valid rows already in the office (find_duplicates)
  std::vector<std::string> ignored_columns;
  int data_rows = 0;                      // records after the header (blank lines not counted)
};

// A column map chosen by the user: the header text as written in the file → the field key it holds
// ("received_at", "channel", "category", "summary", "name", "phone", "handling", "status",
// "closed_at", "persons", "losses_avoided_yuan", "losses_recovered_yuan", "consultation_kind"), or "" to leave the column out. Columns not in the
// map are recognised by their names (Chinese or English, several usual spellings).
using ColumnMap = std::map<std::string, std::string>;

struct LedgerColumn {
  std::string header;  // as written
  std::string field;   // its field key, "" when it is not imported
};

// What an import would make of a file's header, before any row is read.
struct LedgerHeader {
  std::vector<LedgerColumn> columns;
  std::vector<std::string> missing;  // keys of required fields no column holds
  int data_rows = 0;                 // records after the header
};

// Every field key, in the order of the columns table.
std::vector<std::string> ledger_field_keys();

struct ImportReport {
  int data_rows = 0;
  int imported = 0;
  int batches = 0, failed_batches = 0;
  std::vector<LedgerRejection> rejected;  // by line
  std::vector<LedgerDuplicate> duplicates;  // by line, not written
  std::vector<std::string> ignored_columns;
  std::vector<std::string> header;
};

// The rejected rows and the duplicates, in line order, as a CSV to fix and import again: the file's
// header and each record as written, plus a last column 原因 (the reason, or "duplicate of case …").
// UTF-8 with BOM, CRLF, formula-escaped (core/csv_writer.hpp). "" when there is no such row.
std::string rejected_rows_csv(const std::vector<std::string>& header, const std::vector<LedgerRejection>& rejected,
                              const std::vector<LedgerDuplicate>& duplicates);
// The reason a duplicate is given in the API and the CSV.
std::string duplicate_reason(const LedgerDuplicate& d);

inline constexpr std::size_t kLedgerBatchRows = 500;
// As intake; a longer 诉求 is kept whole in the narrative.
inline constexpr std::size_t kLedgerMaxSummary = 500;

class LedgerImporter {
 public:
  // Phones are stored exactly as intake stores them (`identity`), so a legacy caller is recognised
  // when she calls again.
  LedgerImporter(const Clock& clock, const PersonIdentity& identity) : clock_(clock), identity_(identity) {}

  // Parses and validates the whole file (reads the categories table). invalid_input when the file as
  // a whole cannot be read: not UTF-8 (e.g. a GBK export: save as "CSV UTF-8"), an unterminated
  // quote, no header, a required column missing or a column named twice.
  // A workbook (.xlsx, its first sheet) is read like the CSV. `map`: see ColumnMap; an unknown field
  // key is invalid_input naming "map".
  Result<ParsedLedger> parse(db::Connection& conn, std::string_view csv, const ColumnMap& map = {}) const;

  // Moves the valid rows that the office already has (see "Duplicates" above) from parsed.rows to
  // parsed.duplicates. Reads only; `run`, the server's import and its dry run all call it.
  static void find_duplicates(db::Connection& conn, ParsedLedger& parsed, std::int64_t office_id);

  // Only the header: which column holds which field, which required fields are missing.
  Result<LedgerHeader> read_header(std::string_view file, const ColumnMap& map = {}) const;

  // Writes rows into the office as `actor` inside the caller's transaction or savepoint, and returns
  // how many; each row's key goes into ledger_import_rows, whose primary key refuses a row imported
  // meanwhile (two imports of one file at once): the batch fails whole, nothing is written twice.
  // Throws db::DbError (or returns an error) on failure; the caller rolls the batch back.
  // forbidden when the actor may not open cases in that office; not_found for an unknown office.
  Result<int> write_batch(db::Connection& conn, std::span<const LedgerRow> rows, std::int64_t office_id,
                          const Actor& actor) const;

  // Parse, then write each batch of `batch_rows` in its own db::Transaction on `conn` (the command
  // line: a connection of its own, not the server's writer). `progress(done_rows, total_rows)` is
  // called after each batch. Fails only when the file cannot be read or the office is not writable.
  Result<ImportReport> run(db::Connection& conn, std::string_view csv, std::int64_t office_id, const Actor& actor,
                           std::size_t batch_rows = kLedgerBatchRows,
                           const std::function<void(std::size_t, std::size_t)>& progress = {}) const;

  // Adds the rows of a failed batch to the report's rejections (kept in line order) with `why`.
  static void reject_batch(ImportReport& report, std::span<const LedgerRow> rows, const std::string& why);
  // Starts a report from a parse: counts, rejections, ignored columns.
  static ImportReport report_for(const ParsedLedger& parsed);

 private:
  // The office's path when `actor` may write into it: forbidden for non-staff, not_found outside her scope.
  static Result<std::string> writable_office(db::Connection& conn, std::int64_t office_id, const Actor& actor);

  const Clock& clock_;
  const PersonIdentity& identity_;
};

}  // namespace hl::casework
