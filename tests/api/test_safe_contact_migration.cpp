// Upgrading a database that an older release left with safe-contact data in plaintext (issue #16,
// finding 5), through the real binary: `hotline migrate` with the key file at hand encrypts it, the
// files no longer hold it, it reads back equal, and `hotline audit verify` still passes.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/server_process.hpp"
#include "casework/person_identity.hpp"
#include "core/audit/audit_chain.hpp"
#include "core/crypto/field_cipher.hpp"
#include "core/crypto/keyed_hash.hpp"
#include "core/crypto/keys.hpp"
#include "core/db/connection.hpp"
#include "core/db/migrations.hpp"
#include "core/db/transaction.hpp"
#include "schema/embedded_schema.hpp"
#include "support/temp_dir.hpp"

using namespace hl;
using namespace hl::apitest;

namespace {

constexpr std::string_view kSafeTimes = "周二下午三点后", kSafeNote = "只发短信不要来电", kAddress = "城关镇解放路 12 号";

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string database_bytes(const std::string& path) { return file_bytes(path) + file_bytes(path + "-wal"); }

}  // namespace

BOOST_AUTO_TEST_SUITE(safe_contact_migration_cli)

BOOST_AUTO_TEST_CASE(hotline_migrate_encrypts_what_an_older_release_stored_in_plaintext) {
  hl::test::TempDir dir;
  const std::string path = dir.file("old.db"), keys_path = path + ".keys";
  auto keys = crypto::load_or_create_keys(keys_path);
  BOOST_REQUIRE(keys.has_value());
  {
    // The schema before 014, rows as that release wrote them (no parents: only these tables matter),
    // and an audit chain over them.
    auto conn = db::Connection::open(path);
    auto all = db::migrations_from_files(schema::sql_files());
    BOOST_REQUIRE(all.has_value());
    std::vector<db::Migration> older;
    for (const auto& m : *all)
      if (m.version < 14) older.push_back(m);
    BOOST_REQUIRE(db::migrate(conn, older).has_value());
    conn.exec("PRAGMA foreign_keys = OFF");
    conn.prepare("INSERT INTO persons(contact_id, case_id, role, name, safe_times, safe_note) VALUES (1, 1, 'victim', '张小红', ?1, ?2)")
        .bind_all(kSafeTimes, kSafeNote)
        .run();
    conn.prepare("INSERT INTO dv_safety_plan_places(plan_id, position, name, address) VALUES (1, 0, '娘家', ?1)")
        .bind_all(kAddress)
        .run();
    db::Transaction tx(conn);
    audit::AuditChain(keys->audit_key).append(conn, {1, std::nullopt, "case.create", "case", 1, "", ""});
    tx.commit();
  }
  BOOST_REQUIRE(database_bytes(path).find(kAddress) != std::string::npos);  // the scan sees plaintext

  const auto migrated = run_hotline({"migrate", "--db", path, "--keys", keys_path});
  BOOST_REQUIRE_MESSAGE(migrated.exit_code == 0, migrated.out << migrated.err);
  BOOST_TEST(migrated.err.find("encrypted 4 safe-contact value(s)") != std::string::npos, migrated.err);

  const std::string bytes = database_bytes(path);
  BOOST_TEST(bytes.find("张小红") != std::string::npos);  // names stay text: the scan sees the data
  for (const auto secret : {kSafeTimes, kSafeNote, kAddress, std::string_view("娘家")})
    BOOST_TEST_CONTEXT(secret) { BOOST_TEST(bytes.find(secret) == std::string::npos); }

  {
    auto conn = db::Connection::open(path);
    const crypto::FieldCipher cipher(keys->field_key);
    const crypto::KeyedHash hash(keys->lookup_key);
    const casework::PersonIdentity identity(cipher, hash);
    auto st = conn.prepare("SELECT safe_times_enc, safe_note_enc FROM persons");
    BOOST_REQUIRE(st.step());
    BOOST_TEST(identity.reveal_safe_times(st.blob(0)) == kSafeTimes);
    BOOST_TEST(identity.reveal_safe_note(st.blob(1)) == kSafeNote);
  }
  const auto verified = run_hotline({"audit", "verify", "--db", path, "--keys", keys_path});
  BOOST_TEST(verified.exit_code == 0, verified.out << verified.err);

  // A second run has nothing left to do.
  const auto again = run_hotline({"migrate", "--db", path, "--keys", keys_path});
  BOOST_TEST(again.exit_code == 0);
  BOOST_TEST(again.err.find("encrypted") == std::string::npos, again.err);
}

BOOST_AUTO_TEST_SUITE_END()
