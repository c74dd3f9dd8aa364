// backup_database under continuous writes, and the files it leaves.
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/crypto/sha256.hpp"
#include "core/db/backup.hpp"
#include "core/db/connection.hpp"
#include "core/db/writer.hpp"
#include "support/temp_dir.hpp"

using namespace hl;
using namespace hl::db;

namespace {

// Transaction k (counting from 1) inserts row k with a = b = k and a 1 KiB pad and sets the one-row
// counter to k, so every committed state is "rows 1..n, counter n".
void make_counted_table(const std::string& path, int rows) {
  auto c = Connection::open(path, {.synchronous_full = false});
  c.exec(
      "CREATE TABLE t(id INTEGER PRIMARY KEY, a INTEGER NOT NULL, b INTEGER NOT NULL, pad BLOB NOT NULL);"
      "CREATE INDEX t_a ON t(a);"
      "CREATE TABLE counter(n INTEGER NOT NULL);"
      "BEGIN;"
      "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < " +
      std::to_string(rows) +
      ")"
      " INSERT INTO t(id, a, b, pad) SELECT i, i, i, zeroblob(1024) FROM k;"
      "INSERT INTO counter(n) VALUES (" +
      std::to_string(rows) + ");COMMIT;");
}

// Restores the umask a test changed.
class UmaskFor {
 public:
  explicit UmaskFor(mode_t mask) : old_(::umask(mask)) {}
  UmaskFor(const UmaskFor&) = delete;
  UmaskFor& operator=(const UmaskFor&) = delete;
  ~UmaskFor() { ::umask(old_); }

 private:
  mode_t old_;
};

unsigned mode_of(const std::string& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  return st.st_mode & 07777;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(backup)

// A writer commits without a pause until the backup returns (capped at 30 s so that a backup that
// never finishes cannot hang the suite). A copy made in small steps restarts on every commit and only
// ends when the cap stops the writer; the one-step copy under a single read snapshot finishes while
// the writes go on. A copy assembled from pages of different states shows up as a failed
// integrity_check (the index on a no longer matches the table) or disagreeing rows, counter and ids;
// a stale copy holds fewer rows than were acknowledged before the backup began.
// Only the main thread asserts: Boost.Test's assertions are not thread-safe.
BOOST_AUTO_TEST_CASE(finishes_while_a_writer_commits_continuously_and_copies_one_committed_state) {
  constexpr std::int64_t kInitialRows = 20000;  // about 24 MB, 6000 pages
  test::TempDir dir;
  const auto path = dir.file("live.db");
  make_counted_table(path, kInitialRows);
  Writer writer(Connection::open(path, {.synchronous_full = false}));
  std::atomic<bool> stop{false}, capped{false}, refused{false};
  std::atomic<std::int64_t> acknowledged{kInitialRows};  // rows known committed
  std::thread load([&] {
    const auto cap = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!stop) {
      if (std::chrono::steady_clock::now() > cap) {
        capped = true;
        return;
      }
      auto r = writer.submit([](Connection& c) -> Result<int> {
        c.exec(
            "INSERT INTO t(id, a, b, pad) SELECT n + 1, n + 1, n + 1, zeroblob(1024) FROM counter;"
            "UPDATE counter SET n = n + 1;");
        return 0;
      }).get();
      if (!r) {
        refused = true;
        return;
      }
      acknowledged = acknowledged + 1;
    }
  });
  // Writes are landing before the copy starts (bounded wait, no fixed sleep).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (acknowledged < kInitialRows + 50 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  const std::int64_t before = acknowledged;
  const auto started = std::chrono::steady_clock::now();
  auto copy = backup_database(path, dir.file("copy.db"));
  const auto took = std::chrono::steady_clock::now() - started;
  const std::int64_t after = acknowledged;
  // The writer still commits after the backup returned: it was never held up for long.
  while (acknowledged < after + 20 && !capped && !refused && std::chrono::steady_clock::now() < deadline + std::chrono::seconds(30))
    std::this_thread::yield();
  const std::int64_t later = acknowledged;
  stop = true;
  load.join();
  BOOST_REQUIRE_MESSAGE(!refused, "the writer's commit failed");
  BOOST_REQUIRE_MESSAGE(before >= kInitialRows + 50, "the writer acknowledged only " << before - kInitialRows << " writes");
  BOOST_REQUIRE_MESSAGE(copy.has_value(), (copy ? std::string() : copy.error().message));
  BOOST_TEST_MESSAGE("backup of " << copy->pages << " pages in "
                                  << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms while "
                                  << after - before << " writes were acknowledged");
  BOOST_TEST(!capped, "the backup only finished once the writer was stopped");
  BOOST_TEST(after > before, "no write was acknowledged while the backup ran");
  BOOST_TEST(later >= after + 20, "the writer stalled after the backup");
  BOOST_TEST(copy->pages > 5000);

  auto c = Connection::open(dir.file("copy.db"), {.read_only = true});
  auto check = c.prepare("PRAGMA integrity_check");
  BOOST_REQUIRE(check.step());
  BOOST_TEST(check.text(0) == "ok");
  auto counter = c.prepare("SELECT n FROM counter");
  BOOST_REQUIRE(counter.step());
  const std::int64_t n = counter.int64(0);
  // One committed state: at least what was acknowledged when the copy began, at most what was
  // committed when it ended (one more than acknowledged: the write in flight may be committed).
  BOOST_TEST(n >= before);
  BOOST_TEST(n <= after + 1);
  auto rows = c.prepare(
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

// One self-contained file, private whatever the umask, whose SHA-256 and size are reported.
BOOST_AUTO_TEST_CASE(leaves_one_private_rollback_journal_file_with_its_sha256) {
  test::TempDir dir;
  make_counted_table(dir.file("a.db"), 100);
  UmaskFor loose(0);
  auto copy = backup_database(dir.file("a.db"), dir.file("b.db"));
  BOOST_REQUIRE_MESSAGE(copy.has_value(), (copy ? std::string() : copy.error().message));
  BOOST_TEST(mode_of(dir.file("b.db")) == 0600u);
  for (const char* extra : {"b.db-wal", "b.db-shm", "b.db-journal", "b.db.partial"})
    BOOST_TEST(!std::filesystem::exists(dir.file(extra)), extra << " was left beside the backup");
  std::ifstream in(dir.file("b.db"), std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  BOOST_REQUIRE(bytes.size() > 100);
  BOOST_TEST(static_cast<int>(bytes[18]) == 1);  // file format 1: rollback journal, not WAL
  BOOST_TEST(static_cast<int>(bytes[19]) == 1);
  BOOST_TEST(copy->sha256 == crypto::sha256_hex(bytes));
  BOOST_TEST(copy->bytes == static_cast<std::int64_t>(bytes.size()));
  BOOST_TEST(copy->bytes == copy->pages * copy->page_size);
}

BOOST_AUTO_TEST_CASE(refuses_to_overwrite_an_existing_file) {
  test::TempDir dir;
  { auto c = Connection::open(dir.file("a.db")); c.exec("CREATE TABLE t(x)"); }
  { auto c = Connection::open(dir.file("b.db")); c.exec("CREATE TABLE u(x)"); }
  auto r = backup_database(dir.file("a.db"), dir.file("b.db"));
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST((r.error().code == Errc::conflict));
  auto kept = Connection::open(dir.file("b.db"), {.read_only = true});
  auto u = kept.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'u'");
  BOOST_REQUIRE(u.step());
  BOOST_TEST(u.int64(0) == 1);
}

BOOST_AUTO_TEST_SUITE_END()
