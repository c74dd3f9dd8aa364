#pragma once
// One ledger import through the server's single writer: the parsed rows cut into batches of
// kLedgerBatchRows, each written as one writer command (its own savepoint: a batch is written whole
// or not at all), and the report completed as the batches are answered. The command line does the
// same in one process with LedgerImporter::run.
//
// Not shared between threads: the writer answers the batches one after another on its thread, and
// nothing else touches the run meanwhile.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "casework/ledger_import.hpp"

namespace hl::casework {

class LedgerImportRun {
 public:
  LedgerImportRun(ParsedLedger parsed, std::int64_t office_id);

  std::int64_t office_id() const { return office_id_; }
  // The rows of each batch, in file order; empty when no row is valid.
  const std::vector<std::span<const LedgerRow>>& batches() const { return batches_; }
  // Records the writer's answer for one batch; true once every batch has been answered.
  bool settle(std::span<const LedgerRow> batch, const Result<int>& written);
  const ImportReport& report() const { return report_; }

 private:
  ParsedLedger parsed_;
  std::int64_t office_id_;
  std::vector<std::span<const LedgerRow>> batches_;
  std::size_t answered_ = 0;
  ImportReport report_;
};

}  // namespace hl::casework
