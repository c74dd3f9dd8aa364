#include "core/db/backup_manifest.hpp"

#include <sodium.h>

#include <filesystem>

#include "core/audit/audit_chain.hpp"
#include "core/crypto/key_fingerprint.hpp"
#include "core/crypto/keyed_hash.hpp"
#include "core/db/backup_files.hpp"
#include "core/db/db_error.hpp"
#include "core/json_text.hpp"
#include "core/local_time.hpp"

namespace hl::db {
namespace {

constexpr std::string_view kHasMigrations = "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'";
constexpr std::string_view kSchemaVersion = "SELECT coalesce(max(version), 0) FROM schema_migrations";

std::string to_hex(const std::string& bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  out.pop_back();
  return out;
}

int schema_version_of(Connection& conn) {
  auto has = conn.prepare(kHasMigrations);
  has.step();
  if (has.int64(0) == 0) return 0;
  auto st = conn.prepare(kSchemaVersion);
  st.step();
  return static_cast<int>(st.int64(0));
}

std::int64_t count_rows(Connection& conn, std::string_view table) {
  // An identifier cannot be a bound parameter; the names come from code (see the header), quoted.
  auto st = conn.prepare("SELECT count(*) FROM \"" + std::string(table) + "\"");
  st.step();
  return st.int64(0);
}

}  // namespace

std::string manifest_path_for(const std::string& backup_path) { return backup_path + ".manifest.json"; }

BackupManifest describe_backup(const std::string& backup_path, const BackupCopy& copy, TimeMs created_at,
                               std::span<const std::string_view> tables, const crypto::Keys& keys) {
  BackupManifest m;
  m.file = std::filesystem::path(backup_path).filename().string();
  m.created_at = created_at;
  m.page_count = copy.pages;
  m.page_size = copy.page_size;
  m.bytes = copy.bytes;
  m.sha256 = copy.sha256;
  auto conn = Connection::open(backup_path, {.read_only = true});
  m.schema_version = schema_version_of(conn);
  for (const auto table : tables) m.rows[std::string(table)] = count_rows(conn, table);
  const auto newest = audit::AuditChain::newest_row(conn);
  m.audit_last_id = newest.row_id;
  m.audit_last_hash = to_hex(newest.row_hash);
  m.key_fingerprint = crypto::key_fingerprint(keys);
  m.mac = manifest_mac(m, keys);
  return m;
}

std::string canonical_text(const BackupManifest& m) {
  std::string text = "hl.backup.manifest.v1|" + m.format + "|" + m.file + "|" + std::to_string(m.created_at) + "|" +
                     std::to_string(m.schema_version) + "|" + std::to_string(m.page_count) + "|" +
                     std::to_string(m.page_size) + "|" + std::to_string(m.bytes) + "|" + m.sha256 + "|";
  for (const auto& [table, n] : m.rows) text += table + "=" + std::to_string(n) + ",";
  text += "|" + std::to_string(m.audit_last_id) + "|" + m.audit_last_hash + "|" + m.key_fingerprint;
  return text;
}

std::string manifest_mac(const BackupManifest& m, const crypto::Keys& keys) {
  return crypto::KeyedHash(keys.audit_key, keys.suite).hex(canonical_text(m));
}

std::string manifest_json(const BackupManifest& m) {
  auto num = [](std::int64_t n) { return std::to_string(n); };
  std::string rows;
  for (const auto& [table, n] : m.rows) rows += (rows.empty() ? "" : ",") + json_quote(table) + ":" + num(n);
  return "{\"format\":" + json_quote(m.format) + ",\"file\":" + json_quote(m.file) +
         ",\"created_at\":" + json_quote(format_iso8601(m.created_at)) + ",\"created_at_ms\":" + num(m.created_at) +
         ",\"schema_version\":" + num(m.schema_version) + ",\"page_count\":" + num(m.page_count) +
         ",\"page_size\":" + num(m.page_size) + ",\"bytes\":" + num(m.bytes) + ",\"sha256\":" + json_quote(m.sha256) +
         ",\"integrity_check\":\"ok\",\"rows\":{" + rows + "},\"audit\":{\"last_id\":" + num(m.audit_last_id) +
         ",\"last_hash\":" + json_quote(m.audit_last_hash) + "},\"key_fingerprint\":" + json_quote(m.key_fingerprint) +
         ",\"mac\":" + json_quote(m.mac) + "}\n";
}

Result<BackupManifest> make_backup(const std::string& source_path, const std::string& target_path, const Clock& clock,
                                   std::span<const std::string_view> tables, const crypto::Keys& keys) {
  const TimeMs created_at = clock.now_ms();
  auto copy = backup_database(source_path, target_path);
  if (!copy) return std::unexpected(copy.error());
  BackupManifest m;
  try {
    m = describe_backup(target_path, *copy, created_at, tables, keys);
  } catch (const DbError& e) {
    return fail(Errc::internal, "cannot describe the backup " + target_path + ": " + e.what());
  }
  if (auto written = write_private_file(manifest_path_for(target_path), manifest_json(m)); !written)
    return std::unexpected(written.error());
  return m;
}

}  // namespace hl::db
