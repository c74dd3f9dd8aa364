#include "core/audit/audit_chain.hpp"

#include <sodium.h>

#include <stdexcept>

#include "core/local_time.hpp"
#include <string_view>

namespace hl::audit {
namespace {

constexpr std::size_t kHashSize = 32;

constexpr std::string_view kLastRow = "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1";
constexpr std::string_view kHead = "SELECT last_id, last_hash FROM audit_head WHERE id = 1";
constexpr std::string_view kSetHead =
    "INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, ?1, ?2) "
    "ON CONFLICT (id) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash";
constexpr std::string_view kInsert =
    "INSERT INTO audit_log (id, at, actor_id, action, object_type, object_id, detail, ip, hash) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
constexpr std::string_view kAllRows =
    "SELECT id, at, actor_id, action, object_type, object_id, detail, ip, hash "
    "FROM audit_log ORDER BY id";

// Versioned so that a future change of encoding can coexist with old rows.
constexpr std::string_view kDomain = "hl.audit.v1";

void put_u64(std::string& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xFF));
}
void put_i64(std::string& out, std::int64_t v) { put_u64(out, static_cast<std::uint64_t>(v)); }
// Length-prefixed, so ("ab", "c") and ("a", "bc") encode differently.
void put_bytes(std::string& out, std::string_view s) {
  put_u64(out, s.size());
  out.append(s);
}
// A presence byte keeps NULL distinct from every number, 0 included.
void put_opt(std::string& out, const std::optional<std::int64_t>& v) {
  out.push_back(v ? 1 : 0);
  put_i64(out, v.value_or(0));
}

}  // namespace

AuditChain::AuditChain(const std::array<unsigned char, 32>& key, crypto::Suite suite) : hash_(key, suite) {}

std::string AuditChain::row_hash(const std::string& prev_hash, std::int64_t id, const AuditEntry& e) const {
  std::string msg;
  msg.reserve(128 + e.action.size() + e.object_type.size() + e.detail.size() + e.ip.size());
  put_bytes(msg, kDomain);
  put_bytes(msg, prev_hash);
  put_i64(msg, id);
  put_i64(msg, e.at);
  put_opt(msg, e.actor_id);
  put_bytes(msg, e.action);
  put_bytes(msg, e.object_type);
  put_opt(msg, e.object_id);
  put_bytes(msg, e.detail);
  put_bytes(msg, e.ip);
  return hash_.digest(msg);
}

std::int64_t AuditChain::append(db::Connection& conn, const AuditEntry& e) const {
  // Outside a transaction another connection could append between our read and our insert,
  // forking the chain; the insert would then fail on the id or, worse, succeed after a deletion.
  if (!conn.in_transaction()) throw std::logic_error("AuditChain::append needs an open transaction");
  std::int64_t id = 1;
  std::string prev(kHashSize, '\0');  // genesis
  {
    // The high-water mark, not the newest row present: ids of deleted rows are never handed out again.
    auto head = conn.prepare(kHead);
    if (head.step()) {
      id = head.int64(0) + 1;
      prev = head.blob(1);
    }
  }
  const std::string hash = row_hash(prev, id, e);
  conn.prepare(kInsert)
      .bind_all(id, e.at, e.actor_id, e.action, e.object_type, e.object_id, e.detail, e.ip)
      .bind_blob(9, hash)
      .run();
  conn.prepare(kSetHead).bind_all(id).bind_blob(2, hash).run();
  return id;
}

Anchor AuditChain::newest_row(db::Connection& conn) {
  Anchor a;
  auto last = conn.prepare(kLastRow);
  if (last.step()) {
    a.row_id = last.int64(0);
    a.row_hash = last.blob(1);
  }
  return a;
}

VerifyReport AuditChain::verify(db::Connection& conn, const std::optional<Anchor>& anchor) const {
  VerifyReport report;
  std::string prev(kHashSize, '\0');
  std::int64_t expected_id = 1;
  AuditEntry e;  // reused across rows so strings keep their capacity
  // One statement is one read snapshot: rows appended while we walk are not half-seen.
  auto rows = conn.prepare(kAllRows);
  while (rows.step()) {
    ++report.rows_checked;
    const std::int64_t id = rows.int64(0);
    auto broken = [&](std::string reason) {
      report.ok = false;
      report.first_broken_id = id;
      report.reason = std::move(reason);
      return report;
    };
    if (id != expected_id)
      return broken(expected_id == 1 ? "the log starts at id " + std::to_string(id) + " instead of 1: rows were deleted"
                                     : "rows " + std::to_string(expected_id) + " to " + std::to_string(id - 1) +
                                           " are missing: deleted before row " + std::to_string(id));
    e.at = rows.int64(1);
    e.actor_id = rows.opt_int64(2);
    e.action = rows.text(3);
    e.object_type = rows.text(4);
    e.object_id = rows.opt_int64(5);
    e.detail = rows.text(6);
    e.ip = rows.text(7);
    std::string stored = rows.blob(8);
    const std::string computed = row_hash(prev, id, e);
    if (stored.size() != computed.size() || sodium_memcmp(stored.data(), computed.data(), computed.size()) != 0)
      return broken("row " + std::to_string(id) + " does not match its hash: it was altered, or the key is wrong");
    if (anchor && id == anchor->row_id &&
        (stored.size() != anchor->row_hash.size() ||
         sodium_memcmp(stored.data(), anchor->row_hash.data(), stored.size()) != 0))
      return broken("row " + std::to_string(id) + " differs from the anchor written at " + format_iso8601(anchor->at) +
                    ": the log from this row back was rewritten");
    prev = std::move(stored);
    report.last_id = id;
    ++expected_id;
  }
  if (anchor && report.last_id < anchor->row_id) {
    report.ok = false;
    report.first_broken_id = report.last_id + 1;
    report.reason = (report.last_id == 0 ? std::string("the log is empty")
                                         : "the log ends at row " + std::to_string(report.last_id)) +
                    " but the anchor written at " + format_iso8601(anchor->at) + " records row " +
                    std::to_string(anchor->row_id) + ": rows " + std::to_string(report.last_id + 1) + " to " +
                    std::to_string(anchor->row_id) +
                    " are missing (the newest rows were deleted, or the database was replaced by an older copy)";
  }
  return report;
}

}  // namespace hl::audit
