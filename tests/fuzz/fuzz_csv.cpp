// libFuzzer target: CSV files as the ledger (台账) and partner-directory imports read them —
// hl::read_csv (RFC 4180 with the lenient rules of core/csv_reader.hpp), then the ledger's header
// mapping and row validation, casework::LedgerImporter::parse, against an in-memory database that
// holds only the migrated schema (parse reads the categories table; nothing is written).
// Besides the sanitizers' findings, it traps on a broken contract: a record whose line number goes
// backwards or past the input's line count, a parse error that is not invalid_input naming "file",
// or a row that is neither accepted nor rejected, or accepted with a value out of its range.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "casework/ledger_import.hpp"
#include "casework/schema_setup.hpp"
#include "core/clock.hpp"
#include "core/csv_reader.hpp"
#include "core/db/connection.hpp"
#include "core/local_time.hpp"

namespace {

// Fixed keys: the fuzzer needs the real normalisation, not secrecy.
constexpr std::array<unsigned char, 32> kKey{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                             17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
const hl::crypto::FieldCipher cipher{kKey};
const hl::crypto::KeyedHash hash{kKey};
const hl::casework::PersonIdentity identity{cipher, hash};

struct Ledger {
  hl::db::Connection conn = hl::db::Connection::open(":memory:");
  hl::FakeClock clock{*hl::parse_iso8601("2026-11-23T09:30:00+08:00")};
  hl::casework::LedgerImporter importer{clock, identity};
  Ledger() {
    if (!hl::casework::migrate_database(conn)) __builtin_trap();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Ledger ledger;
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  auto records = hl::read_csv(text);
  if (!records) {
    if (records.error().code != hl::Errc::invalid_input || !records.error().fields.contains("file")) __builtin_trap();
  } else {
    int lines = 1;
    for (char c : text) lines += c == '\n' || c == '\r';
    int previous = 0;
    for (const auto& r : *records) {
      if (r.line < 1 || r.line < previous || r.line > lines || r.fields.empty()) __builtin_trap();
      previous = r.line;
    }
  }

  auto parsed = ledger.importer.parse(ledger.conn, text);
  if (!parsed) {
    if (parsed.error().code != hl::Errc::invalid_input || !parsed.error().fields.contains("file")) __builtin_trap();
    return 0;
  }
  if (static_cast<std::size_t>(parsed->data_rows) != parsed->rows.size() + parsed->rejected.size()) __builtin_trap();
  for (const auto& row : parsed->rows) {
    if (row.channel.empty() || row.category.empty() || row.summary.empty()) __builtin_trap();
    if (row.persons < 1 || row.persons > 1000) __builtin_trap();
    if (row.status != "registered" && row.status != "in_progress" && row.status != "closed") __builtin_trap();
    if (row.losses_avoided_fen && *row.losses_avoided_fen < 0) __builtin_trap();
    if (row.losses_recovered_fen && *row.losses_recovered_fen < 0) __builtin_trap();
    if (row.received_at > ledger.clock.now_ms()) __builtin_trap();
  }
  (void)hl::casework::LedgerImporter::report_for(*parsed);
  return 0;
}
