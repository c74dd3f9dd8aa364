#include "web/app/import_command.hpp"

#include <cstdio>
#include <fstream>
#include <iterator>

#include "casework/database_keys.hpp"
#include "casework/ledger_import.hpp"
#include "casework/office_repository.hpp"
#include "core/audit/audit_chain.hpp"
#include "core/crypto/field_cipher.hpp"
#include "core/crypto/keyed_hash.hpp"
#include "core/db/transaction.hpp"

namespace hl::web {

int import_command(const std::string& file, const std::string& office_code, db::Connection& conn,
                   const std::string& keys_path, const Clock& clock) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "hotline: cannot read %s\n", file.c_str());
    return 1;
  }
  const std::string csv((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto keys = casework::open_database_keys(conn, keys_path);
  if (!keys) {
    std::fprintf(stderr, "hotline: %s\n", keys.error().message.c_str());
    return 1;
  }
  auto office = casework::OfficeRepository::by_region_code(conn, office_code);
  if (!office) {
    std::fprintf(stderr, "hotline: no office with region code %s\n", office_code.c_str());
    return 1;
  }
  const crypto::FieldCipher cipher(keys->field_key, keys->suite);
  const crypto::KeyedHash hash(keys->lookup_key, keys->suite);
  const casework::PersonIdentity identity(cipher, hash);
  const casework::LedgerImporter importer(clock, identity);
  auto report = importer.run(conn, csv, office->id, casework::Actor::system(), casework::kLedgerBatchRows,
                             [](std::size_t done, std::size_t total) {
                               std::fprintf(stderr, "\rimporting: %zu / %zu rows (%zu%%)", done, total,
                                            total ? done * 100 / total : 100);
                             });
  if (!report) {
    std::fprintf(stderr, "hotline: %s\n", report.error().message.c_str());
    return 1;
  }
  std::fputc('\n', stderr);
  for (const auto& r : report->rejected) std::printf("  line %d: %s\n", r.line, r.reason.c_str());
  for (const auto& d : report->duplicates) std::printf("  line %d: %s\n", d.line, casework::duplicate_reason(d).c_str());
  std::printf("%s: %d rows, %d imported into %s, %zu rejected, %zu duplicates not imported (%d of %d batches failed)%s\n",
              file.c_str(), report->data_rows, report->imported, office->name.c_str(), report->rejected.size(),
              report->duplicates.size(), report->failed_batches, report->batches,
              report->ignored_columns.empty() ? "" : "; ignored columns:");
  for (const auto& c : report->ignored_columns) std::printf("  %s\n", c.c_str());
  db::Transaction tx(conn);
  audit::AuditChain(keys->audit_key, keys->suite)
      .append(conn, {clock.now_ms(), std::nullopt, "ledger.import", "office", office->id,
                      "via command line: " + std::to_string(report->imported) + " imported, " +
                          std::to_string(report->rejected.size()) + " rejected, " +
                          std::to_string(report->duplicates.size()) + " duplicates",
                      ""});
  tx.commit();
  return report->rejected.empty() ? 0 : 1;
}

}  // namespace hl::web
