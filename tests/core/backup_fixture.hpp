#pragma once
// A small live database for the backup and restore tests: the audit tables, a migrations table at
// version 3, two domain-like tables with rows, a key file, and a fake clock.
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <fstream>
#include <string>
#include <string_view>

#include "core/audit/audit_chain.hpp"
#include "core/crypto/keys.hpp"
#include "core/db/backup_manifest.hpp"
#include "core/db/backup_restore.hpp"
#include "core/db/connection.hpp"
#include "core/db/transaction.hpp"
#include "support/temp_dir.hpp"

namespace hl::test::backups {

using namespace hl::db;

inline constexpr TimeMs kStart = 1'796'000'000'000;  // 2026-11-30
inline constexpr std::string_view kTables[] = {"cases", "contacts", "audit_log"};

// The audit tables of schema/001 and 011, two domain-like tables and a migrations table at version 3.
constexpr std::string_view kDdl = R"sql(
CREATE TABLE audit_log (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor_id INTEGER, action TEXT NOT NULL,
  object_type TEXT NOT NULL DEFAULT '', object_id INTEGER, detail TEXT NOT NULL DEFAULT '', ip TEXT NOT NULL DEFAULT '',
  hash BLOB NOT NULL);
CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), last_id INTEGER NOT NULL, last_hash BLOB NOT NULL);
CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);
INSERT INTO schema_migrations VALUES (1, 'init', 0), (2, 'two', 0), (3, 'three', 0);
CREATE TABLE cases (id INTEGER PRIMARY KEY, summary TEXT NOT NULL);
CREATE TABLE contacts (id INTEGER PRIMARY KEY, summary TEXT NOT NULL);
)sql";

inline unsigned mode_of(const std::string& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  return st.st_mode & 07777;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_file(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

inline std::string hex_of(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

struct LiveDb {
  test::TempDir dir;
  std::string path = dir.file("live.db");
  crypto::Keys keys = *crypto::load_or_create_keys(dir.file("live.db.keys"));
  FakeClock clock{kStart};

  LiveDb() {
    auto c = Connection::open(path);
    c.exec(kDdl);
    add(c, 7, 3, 5);
  }
  void add(Connection& c, int cases, int contacts, int audit_rows) const {
    Transaction tx(c);
    for (int i = 0; i < cases; ++i) c.prepare("INSERT INTO cases(summary) VALUES (?1)").bind_all("case").step();
    for (int i = 0; i < contacts; ++i) c.prepare("INSERT INTO contacts(summary) VALUES (?1)").bind_all("contact").step();
    audit::AuditChain chain(keys.audit_key);
    for (int i = 0; i < audit_rows; ++i) chain.append(c, {kStart + i, std::nullopt, "case.read", "case", i + 1, "", ""});
    tx.commit();
  }
  BackupManifest backup_to(const std::string& target) const {
    auto m = make_backup(path, target, clock, kTables, keys);
    BOOST_REQUIRE_MESSAGE(m.has_value(), (m ? std::string() : m.error().message));
    return *m;
  }
  RestoreRequest restore_to(const std::string& backup, const std::string& db) const {
    return {backup, db, dir.file("live.db.keys"), db + ".keys.anchor", false, 3, kStart + 3'600'000, {}};
  }
};

}  // namespace hl::test::backups
