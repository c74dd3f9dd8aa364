#include <boost/test/unit_test.hpp>

#include <future>
#include <utility>

#include "core/db/connection.hpp"
#include "core/db/db_error.hpp"
#include "core/db/read_pool.hpp"
#include "core/db/savepoint.hpp"
#include "core/db/transaction.hpp"
#include "support/temp_dir.hpp"

using namespace hl;
using namespace hl::db;

namespace {
std::int64_t count(Connection& c, const char* table) {
  auto st = c.prepare(std::string("SELECT count(*) FROM ") + table);
  st.step();
  return st.int64(0);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(db_connection)

BOOST_AUTO_TEST_CASE(opens_a_file_in_wal_with_foreign_keys_and_full_sync) {
  test::TempDir dir;
  auto c = Connection::open(dir.file("a.db"));
  auto mode = c.prepare("PRAGMA journal_mode");
  BOOST_REQUIRE(mode.step());
  BOOST_TEST(mode.text(0) == "wal");
  auto fk = c.prepare("PRAGMA foreign_keys");
  fk.step();
  BOOST_TEST(fk.int64(0) == 1);
  auto sync = c.prepare("PRAGMA synchronous");
  sync.step();
  BOOST_TEST(sync.int64(0) == 2);  // FULL
  BOOST_TEST(std::filesystem::exists(dir.file("a.db")));
}

BOOST_AUTO_TEST_CASE(binds_and_reads_every_type_including_null_and_utf8) {
  test::TempDir dir;
  auto c = Connection::open(dir.file("a.db"));
  c.exec("CREATE TABLE t(i INTEGER, r REAL, s TEXT, b BLOB, n TEXT)");
  const std::string blob("\0\1\2", 3);
  c.prepare("INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5)").bind_all(std::int64_t{1} << 40, 2.5, "家暴 'quote'", nullptr, std::optional<std::string>{}).run();
  c.prepare("UPDATE t SET b = ?1").bind_blob(1, blob).run();
  auto st = c.prepare("SELECT i, r, s, b, n FROM t");
  BOOST_REQUIRE(st.step());
  BOOST_TEST(st.int64(0) == std::int64_t{1} << 40);
  BOOST_TEST(st.real(1) == 2.5);
  BOOST_TEST(st.text(2) == "家暴 'quote'");
  BOOST_TEST(st.blob(3) == blob);
  BOOST_TEST(!st.opt_text(4).has_value());
  BOOST_TEST(!st.step());
}

BOOST_AUTO_TEST_CASE(an_empty_text_is_bound_as_empty_text_never_as_null) {
  test::TempDir dir;
  auto c = Connection::open(dir.file("a.db"));
  c.exec("CREATE TABLE t(s TEXT NOT NULL, v TEXT NOT NULL)");
  // A default string_view has a null data(): SQLite would take it for NULL if handed on as it is.
  c.prepare("INSERT INTO t VALUES (?1, ?2)").bind_all(std::string_view{}, std::string()).run();
  auto st = c.prepare("SELECT typeof(s), s, typeof(v) FROM t");
  BOOST_REQUIRE(st.step());
  BOOST_TEST(st.text(0) == "text");
  BOOST_TEST(st.text(1) == "");
  BOOST_TEST(st.text(2) == "text");
}

BOOST_AUTO_TEST_CASE(sql_errors_throw_with_the_sqlite_code) {
  test::TempDir dir;
  auto c = Connection::open(dir.file("a.db"));
  BOOST_CHECK_THROW(c.prepare("SELEC nonsense"), DbError);
  c.exec("CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE ch(p INTEGER REFERENCES p(id))");
  try {
    c.prepare("INSERT INTO ch VALUES (42)").run();
    BOOST_FAIL("foreign key not enforced");
  } catch (const DbError& e) {
    BOOST_TEST(e.is_constraint());
  }
}

BOOST_AUTO_TEST_CASE(transaction_rolls_back_unless_committed) {
  test::TempDir dir;
  auto c = Connection::open(dir.file("a.db"));
  c.exec("CREATE TABLE t(x)");
  {
    Transaction tx(c);
    c.exec("INSERT INTO t VALUES (1)");
  }
  BOOST_TEST(count(c, "t") == 0);
  BOOST_TEST(!c.in_transaction());
  {
    Transaction tx(c);
    c.exec("INSERT INTO t VALUES (1)");
    tx.commit();
  }
  BOOST_TEST(count(c, "t") == 1);
}

BOOST_AUTO_TEST_CASE(savepoint_undoes_only_its_own_changes) {
  test::TempDir dir;
  auto c = Connection::open(dir.file("a.db"));
  c.exec("CREATE TABLE t(x)");
  Transaction tx(c);
  c.exec("INSERT INTO t VALUES (1)");
  {
    Savepoint sp(c);
    c.exec("INSERT INTO t VALUES (2)");
  }  // rolled back
  {
    Savepoint sp(c);
    c.exec("INSERT INTO t VALUES (3)");
    sp.release();
  }
  tx.commit();
  auto st = c.prepare("SELECT group_concat(x) FROM t");
  st.step();
  BOOST_TEST(st.text(0) == "1,3");
}

BOOST_AUTO_TEST_CASE(read_only_connection_cannot_write) {
  test::TempDir dir;
  auto w = Connection::open(dir.file("a.db"));
  w.exec("CREATE TABLE t(x)");
  auto r = Connection::open(dir.file("a.db"), {.read_only = true});
  BOOST_CHECK_THROW(r.exec("INSERT INTO t VALUES (1)"), DbError);
}

BOOST_AUTO_TEST_CASE(read_pool_runs_queries_on_its_workers_and_reports_errors_as_values) {
  test::TempDir dir;
  auto w = Connection::open(dir.file("a.db"));
  w.exec("CREATE TABLE t(x); INSERT INTO t VALUES (7)");
  ReadPool pool(dir.file("a.db"), 2);
  auto r = pool.run([](Connection& c) -> Result<std::int64_t> {
    auto st = c.prepare("SELECT x FROM t");
    st.step();
    return st.int64(0);
  });
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(*r == 7);
  auto bad = pool.run([](Connection& c) -> Result<int> {
    c.prepare("SELECT nope FROM t");
    return 1;
  });
  BOOST_REQUIRE(!bad.has_value());
  BOOST_TEST(static_cast<int>(bad.error().code) == static_cast<int>(Errc::internal));
}

// A report's figures, a case with its events: read in one task, they must come from one moment. The
// write commits between the task's two reads (ordered by promises; results checked on this thread).
BOOST_AUTO_TEST_CASE(a_read_pool_task_sees_one_snapshot_whatever_commits_meanwhile) {
  test::TempDir dir;
  auto w = Connection::open(dir.file("a.db"));
  w.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1)");
  ReadPool pool(dir.file("a.db"), 1);
  std::promise<void> first_read, written;
  std::promise<Result<std::pair<std::int64_t, std::int64_t>>> result;
  pool.post(
      [&first_read, written = written.get_future().share()](Connection& c) -> Result<std::pair<std::int64_t, std::int64_t>> {
        const auto before = count(c, "t");
        first_read.set_value();
        written.wait();
        return std::pair{before, count(c, "t")};
      },
      [&result](Result<std::pair<std::int64_t, std::int64_t>> r) { result.set_value(std::move(r)); });
  first_read.get_future().wait();
  w.exec("INSERT INTO t VALUES (2)");
  written.set_value();
  const auto seen = result.get_future().get();
  BOOST_REQUIRE(seen.has_value());
  BOOST_TEST(seen->first == 1);
  BOOST_TEST(seen->second == 1);  // not 2: the row committed after the task's first read
  // The next task starts a new snapshot, and a task that failed left none open behind it.
  BOOST_TEST(!pool.run([](Connection& c) -> Result<int> {
                    c.prepare("SELECT nope FROM t");
                    return 1;
                  }).has_value());
  const auto next = pool.run([](Connection& c) -> Result<std::int64_t> { return count(c, "t"); });
  BOOST_REQUIRE(next.has_value());
  BOOST_TEST(*next == 2);
}

BOOST_AUTO_TEST_CASE(opening_a_missing_read_only_database_fails_clearly) {
  test::TempDir dir;
  BOOST_CHECK_THROW(Connection::open(dir.file("missing.db"), {.read_only = true}), DbError);
}

BOOST_AUTO_TEST_SUITE_END()
