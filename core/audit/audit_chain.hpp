#pragma once
// The tamper-evident audit log: every row of audit_log carries
//   hash = keyed BLAKE2b-256(audit_key, length-prefixed(prev_hash, id, at, actor_id, action,
//                                                        object_type, object_id, detail, ip))
// where prev_hash is the previous row's hash (32 zero bytes before the first row). The key lives
// outside the database, so someone who can edit the database file cannot recompute the chain.
//
// What verify() detects: any changed column of any row (its hash no longer matches), any inserted
// or reordered row, and any deleted row that has a successor (ids are assigned 1, 2, 3, … by
// append() and covered by the hash, so a gap or a first id other than 1 is reported).
// What it cannot detect on its own: deletion of the newest rows (truncating the tail leaves a valid,
// shorter chain). Catching that needs an anchor kept elsewhere — e.g. periodically recording the
// latest (id, hash) outside the database — and is out of scope here.
//
// Shared between threads: safe, the object is immutable; each call uses the caller's connection.
#include <array>
#include <cstdint>
#include <optional>
#include <string>

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
};

class AuditChain {
 public:
  explicit AuditChain(const std::array<unsigned char, 32>& key);

  // Appends e after the current last row and returns its id. Must run inside the caller's
  // transaction (the single Writer's batch): reading the last hash and inserting must not interleave
  // with another append, and the entry must commit or roll back with the change it records. Throws
  // std::logic_error outside a transaction, DbError on SQLite failure.
  std::int64_t append(db::Connection& conn, const AuditEntry& e) const;

  // Walks the whole log in id order, one row at a time (constant memory for any number of rows),
  // and stops at the first row that breaks the chain. Throws DbError on SQLite failure.
  VerifyReport verify(db::Connection& conn) const;

 private:
  std::string row_hash(const std::string& prev_hash, std::int64_t id, const AuditEntry& e) const;

  crypto::KeyedHash hash_;
};

}  // namespace hl::audit
