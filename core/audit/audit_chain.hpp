#pragma once
// The tamper-evident audit log: every row of audit_log carries
//   hash = keyed BLAKE2b-256 (HMAC-SM3 in the sm suite)(audit_key, length-prefixed(prev_hash, id, at, actor_id, action,
//                                                        object_type, object_id, detail, ip))
// where prev_hash is the previous row's hash (32 zero bytes before the first row). The key lives
// outside the database, so someone who can edit the database file cannot recompute the chain.
//
// What verify() detects: any changed column of any row (its hash no longer matches), any inserted
// or reordered row, and any deleted row that has a successor (ids are assigned 1, 2, 3, … by
// append() and covered by the hash, so a gap or a first id other than 1 is reported).
// Ids are never reused: append() continues from audit_head, the high-water mark written with every
// row, so rows appended after a deletion of the newest rows leave a gap that verify() reports.
// What the chain cannot detect on its own: deletion of the newest rows with nothing appended since
// (and audit_head rewritten), an emptied log, or the whole database replaced by an older copy. For
// those, verify() takes the anchor kept outside the database (audit_anchor.hpp): the anchored row
// must still be there, with the anchored hash.
//
// Shared between threads: safe, the object is immutable; each call uses the caller's connection.
#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "core/audit/audit_anchor.hpp"
#include "core/audit/audit_entry.hpp"
#include "core/crypto/keyed_hash.hpp"
#include "core/db/connection.hpp"

namespace hl::audit {

// verify()'s answer. rows_checked counts the rows read, including the broken one when !ok.
struct VerifyReport {
  bool ok = true;
  std::int64_t rows_checked = 0;
  std::optional<std::int64_t> first_broken_id;  // the altered row, or the row after a gap
  std::string reason;                           // for the administrator; empty when ok
  std::int64_t last_id = 0;                     // the newest row seen (0: empty log)
};

class AuditChain {
 public:
  explicit AuditChain(const std::array<unsigned char, 32>& key, crypto::Suite suite = crypto::Suite::sodium);

  // Appends e after the current last row and returns its id. Must run inside the caller's
  // transaction (the single Writer's batch): reading the last hash and inserting must not interleave
  // with another append, and the entry must commit or roll back with the change it records. Throws
  // std::logic_error outside a transaction, DbError on SQLite failure.
  std::int64_t append(db::Connection& conn, const AuditEntry& e) const;

  // Walks the whole log in id order, one row at a time (constant memory for any number of rows),
  // and stops at the first row that breaks the chain. Throws DbError on SQLite failure.
  // With `anchor`: also fails when the anchored row is missing (the tail was cut, the log emptied,
  // or the database replaced by an older copy) or differs from the anchored hash.
  VerifyReport verify(db::Connection& conn, const std::optional<Anchor>& anchor = std::nullopt) const;

  // The newest row present (row_id 0 for an empty log), for anchoring; `at` is left 0.
  static Anchor newest_row(db::Connection& conn);

 private:
  std::string row_hash(const std::string& prev_hash, std::int64_t id, const AuditEntry& e) const;

  crypto::KeyedHash hash_;
};

}  // namespace hl::audit
