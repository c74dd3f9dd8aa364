#include "casework/ledger_import_run.hpp"

#include <algorithm>
#include <string>

namespace hl::casework {

LedgerImportRun::LedgerImportRun(ParsedLedger parsed, std::int64_t office_id)
    : parsed_(std::move(parsed)), office_id_(office_id), report_(LedgerImporter::report_for(parsed_)) {
  const std::span<const LedgerRow> rows(parsed_.rows);
  for (std::size_t start = 0; start < rows.size(); start += kLedgerBatchRows)
    batches_.push_back(rows.subspan(start, std::min(kLedgerBatchRows, rows.size() - start)));
}

bool LedgerImportRun::settle(std::span<const LedgerRow> batch, const Result<int>& written) {
  ++report_.batches;
  if (written) {
    report_.imported += *written;
  } else {
    // A database failure's details are for the log, not for the report the user reads.
    const std::string why = written.error().code == Errc::internal ? std::string("database error") : written.error().message;
    LedgerImporter::reject_batch(report_, batch, "batch not imported, none of its rows were written: " + why);
  }
  return ++answered_ == batches_.size();
}

}  // namespace hl::casework
