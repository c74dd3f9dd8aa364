#include <boost/test/unit_test.hpp>

#include <atomic>
#include <thread>

#include "core/db/backup.hpp"
#include "core/db/connection.hpp"
#include "core/db/writer.hpp"
#include "support/temp_dir.hpp"

using namespace hl;
using namespace hl::db;

BOOST_AUTO_TEST_SUITE(backup)

BOOST_AUTO_TEST_CASE(copies_a_database_that_is_being_written_to_a_consistent_state) {
  test::TempDir dir;
  const auto path = dir.file("live.db");
  {
    auto c = Connection::open(path);
    c.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, a INTEGER NOT NULL, b INTEGER NOT NULL)");
  }
  Writer writer(Connection::open(path));
  std::atomic<bool> stop{false};
  // Each write keeps a == b; a torn copy would show a row (or a pair of rows) breaking that.
  std::thread load([&] {
    for (int i = 0; !stop; ++i) {
      writer.submit([i](Connection& c) -> Result<int> {
        c.prepare("INSERT INTO t(a, b) VALUES (?1, ?1)").bind_all(i).run();
        c.prepare("UPDATE t SET a = a + 1, b = b + 1 WHERE id = 1").run();
        return 0;
      }).get();
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto pages = backup_database(path, dir.file("copy.db"));
  stop = true;
  load.join();
  BOOST_REQUIRE_MESSAGE(pages.has_value(), (pages ? std::string() : pages.error().message));
  BOOST_TEST(*pages > 0);
  auto copy = Connection::open(dir.file("copy.db"), {.read_only = true});
  auto st = copy.prepare("SELECT count(*), sum(a <> b) FROM t");
  st.step();
  BOOST_TEST(st.int64(0) > 0);
  BOOST_TEST(st.int64(1) == 0);
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
