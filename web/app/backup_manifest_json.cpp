#include "web/app/backup_manifest_json.hpp"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace hl::web {

Result<db::BackupManifest> read_backup_manifest(const std::string& path) {
  std::ifstream in(path);
  if (!in) return fail(Errc::not_found, "cannot read the manifest " + path + " (a backup is restored only with its manifest)");
  std::stringstream text;
  text << in.rdbuf();
  const auto j = nlohmann::json::parse(text.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return fail(Errc::invalid_input, "the manifest " + path + " is not a JSON object");
  std::string bad;
  auto str = [&](const nlohmann::json& o, const char* key) {
    if (o.contains(key) && o[key].is_string()) return o[key].get<std::string>();
    if (bad.empty()) bad = key;
    return std::string();
  };
  auto num = [&](const nlohmann::json& o, const char* key) -> std::int64_t {
    if (o.contains(key) && o[key].is_number_integer()) return o[key].get<std::int64_t>();
    if (bad.empty()) bad = key;
    return 0;
  };
  db::BackupManifest m;
  m.format = str(j, "format");
  m.file = str(j, "file");
  m.created_at = num(j, "created_at_ms");
  m.schema_version = static_cast<int>(num(j, "schema_version"));
  m.page_count = num(j, "page_count");
  m.page_size = num(j, "page_size");
  m.bytes = num(j, "bytes");
  m.sha256 = str(j, "sha256");
  m.key_fingerprint = str(j, "key_fingerprint");
  m.mac = str(j, "mac");
  if (j.contains("rows") && j["rows"].is_object()) {
    for (const auto& [table, n] : j["rows"].items()) m.rows[table] = num(j["rows"], table.c_str());
  } else if (bad.empty()) {
    bad = "rows";
  }
  if (j.contains("audit") && j["audit"].is_object()) {
    m.audit_last_id = num(j["audit"], "last_id");
    m.audit_last_hash = str(j["audit"], "last_hash");
  } else if (bad.empty()) {
    bad = "audit";
  }
  if (!bad.empty()) return fail(Errc::invalid_input, "the manifest " + path + " lacks a valid \"" + bad + "\"");
  return m;
}

}  // namespace hl::web
