#include "core/audit/audit_chain.hpp"

#include <sodium.h>

#include <stdexcept>
#include <string_view>

namespace hl::audit {
namespace {

constexpr std::size_t kHashSize = 32;

constexpr std::string_view kLastRow = "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1";
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

AuditChain::AuditChain(const std::array<unsigned char, 32>& key) : hash_(key) {}

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
    auto last = conn.prepare(kLastRow);
    if (last.step()) {
      id = last.int64(0) + 1;
      prev = last.blob(1);
    }
  }
  conn.prepare(kInsert)
      .bind_all(id, e.at, e.actor_id, e.action, e.object_type, e.object_id, e.detail, e.ip)
      .bind_blob(9, row_hash(prev, id, e))
      .run();
  return id;
}

VerifyReport AuditChain::verify(db::Connection& conn) const {
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
    prev = std::move(stored);
    ++expected_id;
  }
  return report;
}

}  // namespace hl::audit
