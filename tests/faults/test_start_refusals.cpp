// Storage the server cannot write to is refused at start-up, with the reason on stderr, instead of a
// server that starts and then fails every write: an immutable database file or directory (chattr +i,
// which stops root too) and a read-only file system.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "faults/fault_support.hpp"

using namespace hl::faulttest;
using namespace std::chrono_literals;

namespace {

struct Refusal {
  bool exited = false;  // false: still running (serving) after the limit, and killed
  int exit_code = -1;
  std::string err;
  std::chrono::milliseconds took{};
};

// `hotline serve` on `db`; it must exit on its own within 10 s.
Refusal serve(const std::string& db) {
  Refusal r;
  const auto start = std::chrono::steady_clock::now();
  try {
    const auto result = run_hotline({"serve", "--db", db, "--listen", "127.0.0.1:0"}, {}, 10s);
    r.exited = true;
    r.exit_code = result.exit_code;
    r.err = result.err;
  } catch (const std::exception& e) {
    r.err = e.what();
  }
  r.took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  return r;
}

// The one "hotline: " line of stderr that names `path` and `reason`.
void check_refused(const Refusal& r, const std::string& path, const std::string& reason) {
  BOOST_REQUIRE_MESSAGE(r.exited, "hotline serve did not exit within 10 s (it serves?): " << r.err);
  BOOST_CHECK_MESSAGE(r.exit_code == 1, "exit status " << r.exit_code << ", expected 1; stderr:\n" << r.err);
  BOOST_CHECK_MESSAGE(r.took < 5s, "the refusal took " << r.took.count() << " ms");
  bool named = false;
  std::istringstream lines(r.err);
  for (std::string line; std::getline(lines, line);)
    named = named || (line.starts_with("hotline: ") && line.find(path) != std::string::npos &&
                      line.find(reason) != std::string::npos);
  BOOST_CHECK_MESSAGE(named, "no stderr line \"hotline: …" << path << "…" << reason << "…\"; stderr:\n" << r.err);
  BOOST_TEST_MESSAGE("refused in " << r.took.count() << " ms: " << r.err);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(start_refusals)

BOOST_AUTO_TEST_CASE(an_immutable_database_file_is_refused_at_start) {
  hl::test::TempDir dir;
  copy_seeded_database(dir.path().string());
  const std::string db = dir.file("t.db");
  Refusal r;
  {
    ImmutableFlag immutable(db);
    r = serve(db);
  }
  check_refused(r, db, "Operation not permitted");
  // The contract's hint for the supervisor.
  BOOST_CHECK_MESSAGE(r.err.find("lsattr") != std::string::npos, "no hint at lsattr: " << r.err);
  BOOST_CHECK_MESSAGE(pragma_check(db) == "ok", "the database was harmed: " << pragma_check(db));
}

BOOST_AUTO_TEST_CASE(an_immutable_database_directory_is_refused_at_start) {
  hl::test::TempDir dir;
  const std::string db_dir = dir.file("db");
  std::filesystem::create_directory(db_dir);
  copy_seeded_database(db_dir);
  Refusal r;
  {
    // The file itself is writable, but SQLite cannot create its -wal and -shm files beside it.
    ImmutableFlag immutable(db_dir);
    r = serve(db_dir + "/t.db");
  }
  check_refused(r, db_dir, "Operation not permitted");
  BOOST_CHECK_MESSAGE(r.err.find("cannot create files in the database directory") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(a_database_on_a_read_only_file_system_is_refused_at_start) {
  TmpfsMount disk("16m");
  copy_seeded_database(disk.path());
  disk.remount_read_only();
  const Refusal r = serve(disk.file("t.db"));
  check_refused(r, disk.path(), "Read-only file system");
}

// Damage where every start reads (the file header) cannot be served around: the refusal names the
// file and says what to do, instead of SQLite's bare "file is not a database".
BOOST_AUTO_TEST_CASE(a_database_with_a_damaged_header_is_refused_naming_the_file_and_the_remedy) {
  hl::test::TempDir dir;
  copy_seeded_database(dir.path().string());
  const std::string db = dir.file("t.db");
  {
    std::fstream file(db, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(0);
    file.write("NOT A SQLITE FILE", 16);  // the magic header string
  }
  const Refusal r = serve(db);
  check_refused(r, db, "is damaged");
  BOOST_CHECK_MESSAGE(r.err.find("restore the newest backup") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_SUITE_END()
