#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

#include "core/db/backup.hpp"
#include "core/db/connection.hpp"
#include "core/db/writer.hpp"
#include "support/temp_dir.hpp"

using namespace hl;
using namespace hl::db;

BOOST_AUTO_TEST_SUITE(backup)

// Transaction k (counting from 1) inserts row k with a = b = k and a 1 KiB pad and sets the one-row
// counter to k, so every committed state is "rows 1..n, counter n". The database starts with 3000
// such rows (about 900 pages, several backup steps of 256 pages) and a writer keeps committing while
// the copy is made. A copy assembled from pages of different states shows up here: integrity_check
// fails (the index on a no longer matches the table) or the rows, the counter and the ids disagree.
// A stale copy (say, the main file without its WAL) holds fewer rows than were acknowledged before
// the backup began.
BOOST_AUTO_TEST_CASE(copies_a_database_that_is_being_written_to_a_consistent_state) {
  constexpr std::int64_t kInitialRows = 3000;
  constexpr int kMaxWrites = 4000;  // the load stops by itself, so a backup that keeps restarting ends
  test::TempDir dir;
  const auto path = dir.file("live.db");
  {
    auto c = Connection::open(path, {.synchronous_full = false});
    c.exec(
        "CREATE TABLE t(id INTEGER PRIMARY KEY, a INTEGER NOT NULL, b INTEGER NOT NULL, pad BLOB NOT NULL);"
        "CREATE INDEX t_a ON t(a);"
        "CREATE TABLE counter(n INTEGER NOT NULL);"
        "BEGIN;"
        "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 3000)"
        " INSERT INTO t(id, a, b, pad) SELECT i, i, i, zeroblob(1024) FROM k;"
        "INSERT INTO counter(n) VALUES (3000);"
        "COMMIT;");
  }
  Writer writer(Connection::open(path, {.synchronous_full = false}));
  std::atomic<bool> stop{false};
  std::atomic<std::int64_t> acknowledged{kInitialRows};  // rows known committed
  std::thread load([&] {
    for (int i = 0; i < kMaxWrites && !stop; ++i) {
      auto r = writer.submit([](Connection& c) -> Result<int> {
        c.exec(
            "INSERT INTO t(id, a, b, pad) SELECT n + 1, n + 1, n + 1, zeroblob(1024) FROM counter;"
            "UPDATE counter SET n = n + 1;");
        return 0;
      }).get();
      if (!r) break;  // the main thread notices: fewer rows than it waits for
      acknowledged = acknowledged + 1;
    }
  });
  // Writes are landing before the copy starts (bounded wait, no fixed sleep).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (acknowledged < kInitialRows + 20 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  const std::int64_t before = acknowledged;
  auto pages = backup_database(path, dir.file("copy.db"));
  const std::int64_t after = acknowledged;
  stop = true;
  load.join();
  BOOST_REQUIRE_MESSAGE(before >= kInitialRows + 20, "the writer acknowledged only " << before - kInitialRows << " writes");
  BOOST_REQUIRE_MESSAGE(pages.has_value(), (pages ? std::string() : pages.error().message));
  BOOST_TEST(*pages > 3 * 256);  // the copy took several steps
  BOOST_TEST_MESSAGE("backup of " << *pages << " pages; rows acknowledged " << before << " before, " << after << " after");

  auto copy = Connection::open(dir.file("copy.db"), {.read_only = true});
  auto check = copy.prepare("PRAGMA integrity_check");
  BOOST_REQUIRE(check.step());
  BOOST_TEST(check.text(0) == "ok");
  auto counter = copy.prepare("SELECT n FROM counter");
  BOOST_REQUIRE(counter.step());
  const std::int64_t n = counter.int64(0);
  // One committed state: at least what was acknowledged when the copy began, at most what was
  // committed when it ended (one more than acknowledged: the write in flight may be committed).
  BOOST_TEST(n >= before);
  BOOST_TEST(n <= after + 1);
  auto rows = copy.prepare(
      "SELECT count(*), min(id), max(id), sum(a <> id OR b <> id), sum(length(pad) <> 1024),"
      " (SELECT count(*) FROM t INDEXED BY t_a WHERE a > 0) FROM t");
  BOOST_REQUIRE(rows.step());
  BOOST_TEST(rows.int64(0) == n);
  BOOST_TEST(rows.int64(1) == 1);
  BOOST_TEST(rows.int64(2) == n);
  BOOST_TEST(rows.int64(3) == 0);
  BOOST_TEST(rows.int64(4) == 0);
  BOOST_TEST(rows.int64(5) == n);  // the index holds exactly the table's rows
}

BOOST_AUTO_TEST_CASE(refuses_to_overwrite_an_existing_file) {
  test::TempDir dir;
  { auto c = Connection::open(dir.file("a.db")); c.exec("CREATE TABLE t(x)"); }
  { auto c = Connection::open(dir.file("b.db")); c.exec("CREATE TABLE u(x)"); }
  auto r = backup_database(dir.file("a.db"), dir.file("b.db"));
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST((r.error().code == Errc::conflict));
}

BOOST_AUTO_TEST_SUITE_END()
