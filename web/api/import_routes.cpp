// POST /api/v1/imports: a legacy ledger (台账, CSV or .xlsx) imported into an office, or with
// ?dry_run=true previewed (columns, missing fields, rows that would be rejected or are duplicates). Thin: parse the
// parameters, casework::LedgerImporter parses and writes, casework::LedgerImportRun batches.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "casework/ledger_import.hpp"
#include "casework/ledger_import_run.hpp"
#include "casework/aging.hpp"
#include "web/api/handler_support.hpp"
#include "web/api/query_params.hpp"
#include "web/api/routes.hpp"

namespace hl::web {
namespace {

using nlohmann::json;

constexpr std::size_t kImportBodyLimit = 10u << 20;  // 10 MiB of CSV

// ---- ledger import ----

json rejected_json(const std::vector<casework::LedgerRejection>& list) {
  json out = json::array();
  for (const auto& x : list) out.push_back({{"line", x.line}, {"reason", x.reason}});
  return out;
}

json duplicates_json(const std::vector<casework::LedgerDuplicate>& list) {
  json out = json::array();
  for (const auto& d : list)
    out.push_back({{"line", d.line},
                   {"match", d.match},
                   {"case_no", d.case_no.empty() ? json(nullptr) : json(d.case_no)},
                   {"reason", casework::duplicate_reason(d)}});
  return out;
}

// The rows not written as a CSV to fix and import again, or null when every row was fine.
json rejected_csv_json(const std::vector<std::string>& header, const std::vector<casework::LedgerRejection>& rejected,
                       const std::vector<casework::LedgerDuplicate>& duplicates) {
  std::string csv = casework::rejected_rows_csv(header, rejected, duplicates);
  return csv.empty() ? json(nullptr) : json(std::move(csv));
}

json import_report_json(const casework::ImportReport& rep) {
  return {{"rows", rep.data_rows},
          {"imported", rep.imported},
          {"rejected", rejected_json(rep.rejected)},
          {"duplicates", duplicates_json(rep.duplicates)},
          {"rejected_csv", rejected_csv_json(rep.header, rep.rejected, rep.duplicates)},
          {"batches", rep.batches},
          {"failed_batches", rep.failed_batches},
          {"ignored_columns", rep.ignored_columns}};
}

json columns_json(const casework::LedgerHeader& h) {
  json columns = json::array();
  for (const auto& c : h.columns) columns.push_back({{"header", c.header}, {"field", c.field}});
  return columns;
}

// ?map={"来电时间":"received_at","备注":""}: the user's column map (see casework::ColumnMap).
std::optional<casework::ColumnMap> column_map(const HttpRequest& r, std::map<std::string, std::string>& bad) {
  casework::ColumnMap map;
  auto text = query(r, "map");
  if (!text) return map;
  const json j = json::parse(*text, nullptr, false);
  if (!j.is_object()) {
    bad["map"] = "a JSON object of column header → field";
    return std::nullopt;
  }
  for (const auto& [header, field] : j.items()) {
    if (!field.is_string()) {
      bad["map"] = "each field is a string (\"\" to leave a column out)";
      return std::nullopt;
    }
    map[header] = field.get<std::string>();
  }
  return map;
}

// ?dry_run=true: what the import would do, nothing written: the columns as mapped, the required
// fields missing, and (when none is) the rows that would be imported and those rejected.
void preview_ledger(Services& s, HttpRequest& r, Reply reply, const Session& session, std::optional<std::int64_t> office_id,
                    casework::ColumnMap map) {
  read_then(
      s, std::move(reply),
      [&s, office_id, map = std::move(map), file = std::move(r.body), actor = session.actor](db::Connection& conn) -> Result<json> {
        const casework::LedgerImporter importer(s.clock, s.identity);
        auto scope = casework::supervision_scope(conn, actor, office_id);
        if (!scope) return std::unexpected(scope.error());
        auto header = importer.read_header(file, map);
        if (!header) return std::unexpected(header.error());
        json out = {{"dry_run", true},           {"columns", columns_json(*header)}, {"missing", header->missing},
                    {"rows", header->data_rows}, {"fields", casework::ledger_field_keys()}};
        if (!header->missing.empty()) return out;
        auto parsed = importer.parse(conn, file, map);
        if (!parsed) return std::unexpected(parsed.error());
        casework::LedgerImporter::find_duplicates(conn, *parsed, scope->id);
        out["valid"] = parsed->rows.size();
        out["rejected"] = rejected_json(parsed->rejected);
        out["duplicates"] = duplicates_json(parsed->duplicates);
        out["rejected_csv"] = rejected_csv_json(parsed->header, parsed->rejected, parsed->duplicates);
        out["ignored_columns"] = parsed->ignored_columns;
        return out;
      },
      [](const json& preview) { return json_ok(preview); });
}

void import_ledger(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  std::map<std::string, std::string> bad;
  const auto office_id = integer_query(r, "office_id", bad);
  auto map = column_map(r, bad);
  const auto dry_run = query(r, "dry_run");
  if (dry_run && *dry_run != "true" && *dry_run != "false") bad["dry_run"] = "true or false";
  if (!bad.empty()) return reply(error_response({Errc::invalid_input, "invalid parameters", bad}));
  if (dry_run == "true") return preview_ledger(s, r, std::move(reply), session, office_id, std::move(*map));
  // Parsed on a read worker; then each batch is one writer command with its audit entry in the same
  // savepoint, so a failing batch leaves neither rows nor a record of them.
  s.reads.post(
      [&s, office_id, map = std::move(*map), csv = std::move(r.body), actor = session.actor](
          db::Connection& conn) -> Result<std::shared_ptr<casework::LedgerImportRun>> {
        auto scope = casework::supervision_scope(conn, actor, office_id);
        if (!scope) return std::unexpected(scope.error());
        auto parsed = casework::LedgerImporter(s.clock, s.identity).parse(conn, csv, map);
        if (!parsed) return std::unexpected(parsed.error());
        casework::LedgerImporter::find_duplicates(conn, *parsed, scope->id);
        return std::make_shared<casework::LedgerImportRun>(std::move(*parsed), scope->id);
      },
      [&s, &r, reply = std::move(reply), session](Result<std::shared_ptr<casework::LedgerImportRun>> run) mutable {
        if (!run) return reply(error_response(run.error()));
        auto job = *run;
        if (job->batches().empty()) return reply(json_ok(import_report_json(job->report())));
        auto shared_reply = std::make_shared<Reply>(std::move(reply));
        for (const auto batch : job->batches()) {
          auto entry = audit_entry(s, session, r, "ledger.import", "office", job->office_id(),
                                   "lines " + std::to_string(batch.front().line) + "-" + std::to_string(batch.back().line));
          s.writer.post(
              [&s, job, batch, entry, actor = session.actor](db::Connection& conn) -> Result<int> {
                auto written = casework::LedgerImporter(s.clock, s.identity).write_batch(conn, batch, job->office_id(), actor);
                if (written) s.audit.append(conn, entry);
                return written;
              },
              [job, batch, shared_reply](Result<int> written) {
                if (job->settle(batch, written)) (*shared_reply)(json_ok(import_report_json(job->report())));
              });
        }
      });
}

}  // namespace

void add_import_routes(Router& router, Services& s) {
  router.add("POST", "/api/v1/imports", authed(s, Access::supervisor, bind<import_ledger>(s)),
             RouteOptions{.body_limit = kImportBodyLimit, .json_body = false});
}

}  // namespace hl::web
