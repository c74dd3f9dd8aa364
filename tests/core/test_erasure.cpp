// Erasure (core/db/erasure.hpp): under SecureDelete a deleted row's bytes are zeroed in the file, where
// without it they stay readable (the control); the previous setting comes back; truncate_wal empties the
// WAL, and says so when a reader of an older snapshot keeps it from doing that.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>

#include "core/db/connection.hpp"
#include "core/db/erasure.hpp"
#include "support/temp_dir.hpp"

using namespace hl;
using namespace hl::db;

namespace {

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool secure_delete_on(Connection& c) {
  auto st = c.prepare("PRAGMA secure_delete");
  return st.step() && st.int64(0) != 0;
}

// A table with a neighbour row and the row to erase, checkpointed into the database file; then the
// row is deleted (with or without SecureDelete) and the WAL emptied. Returns the file's bytes.
std::string erase_and_read(const std::string& path, bool secure) {
  auto c = Connection::open(path);
  c.exec("PRAGMA secure_delete = OFF");  // whatever this SQLite's build default is
  c.exec("CREATE TABLE notes(id INTEGER PRIMARY KEY, text TEXT)");
  c.prepare("INSERT INTO notes(text) VALUES (?1)").bind_all(std::string("邻居的记录")).run();
  c.prepare("INSERT INTO notes(text) VALUES (?1)").bind_all(std::string("她住在城南的妹妹家，晚上九点后可以打电话")).run();
  c.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  {
    std::optional<SecureDelete> erasing;
    if (secure) erasing.emplace(c);
    c.exec("DELETE FROM notes WHERE id = 2");
  }
  BOOST_TEST(!secure_delete_on(c));  // the earlier setting is back
  BOOST_REQUIRE(truncate_wal(path).has_value());
  return file_bytes(path) + file_bytes(path + "-wal");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(db_erasure)

BOOST_AUTO_TEST_CASE(secure_delete_zeroes_what_is_deleted_and_restores_the_setting) {
  test::TempDir dir;
  const std::string plain = erase_and_read(dir.file("plain.db"), false);
  const std::string secure = erase_and_read(dir.file("secure.db"), true);
  BOOST_TEST(plain.find("城南的妹妹家") != std::string::npos);  // the control: left in the free space
  BOOST_TEST(secure.find("城南的妹妹家") == std::string::npos);
  BOOST_TEST(secure.find("邻居的记录") != std::string::npos);

  auto c = Connection::open(dir.file("secure.db"));
  c.exec("PRAGMA secure_delete = ON");
  { const SecureDelete erasing(c); }
  BOOST_TEST(secure_delete_on(c));  // on before, on after
}

BOOST_AUTO_TEST_CASE(truncate_wal_empties_the_wal_unless_an_older_snapshot_is_being_read) {
  test::TempDir dir;
  const std::string path = dir.file("a.db");
  auto w = Connection::open(path);
  w.exec("CREATE TABLE t(x TEXT)");
  w.prepare("INSERT INTO t VALUES (?1)").bind_all(std::string("一")).run();
  BOOST_TEST(std::filesystem::file_size(path + "-wal") > 0u);
  BOOST_REQUIRE(truncate_wal(path).has_value());
  BOOST_TEST(std::filesystem::file_size(path + "-wal") == 0u);

  // A reader in a transaction on the snapshot before the next write keeps the WAL's frames in use.
  auto r = Connection::open(path, {.read_only = true});
  r.exec("BEGIN");
  auto st = r.prepare("SELECT count(*) FROM t");
  BOOST_REQUIRE(st.step());
  w.prepare("INSERT INTO t VALUES (?1)").bind_all(std::string("二")).run();
  const auto busy = truncate_wal(path);
  BOOST_REQUIRE(!busy.has_value());
  BOOST_TEST(busy.error().message.find("busy") != std::string::npos);
  st.reset();
  r.exec("COMMIT");
  BOOST_REQUIRE(truncate_wal(path).has_value());
  BOOST_TEST(std::filesystem::file_size(path + "-wal") == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
