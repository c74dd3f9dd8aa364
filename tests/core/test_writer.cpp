#include <boost/test/unit_test.hpp>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "core/db/connection.hpp"
#include "core/db/writer.hpp"
#include "support/temp_dir.hpp"

using namespace hl;
using namespace hl::db;

namespace {

Writer make_writer_for(const std::string& path, std::size_t max_batch = 512) {
  auto c = Connection::open(path);
  c.exec("CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, tag TEXT UNIQUE NOT NULL)");
  return Writer(std::move(c), Writer::Options{max_batch});
}

Result<std::int64_t> insert(Connection& c, const std::string& tag) {
  c.prepare("INSERT INTO t(tag) VALUES (?1)").bind_all(tag).run();
  return c.last_insert_rowid();
}

std::set<std::string> tags(const std::string& path) {
  auto c = Connection::open(path, {.read_only = true});
  auto st = c.prepare("SELECT tag FROM t");
  std::set<std::string> out;
  while (st.step()) out.insert(st.text(0));
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(single_writer)

BOOST_AUTO_TEST_CASE(a_failing_command_in_a_batch_does_not_lose_its_neighbours) {
  test::TempDir dir;
  const auto path = dir.file("w.db");
  std::vector<std::future<Result<std::int64_t>>> results;
  {
    auto writer = std::make_unique<Writer>(Connection::open(path), Writer::Options{});
    writer->submit([](Connection& c) -> Result<int> {
      c.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, tag TEXT UNIQUE NOT NULL)");
      return 0;
    }).get();
    // Block the writer so the next five commands queue up and are applied as one batch.
    std::promise<void> gate;
    auto gate_future = gate.get_future().share();
    auto blocker = writer->submit([gate_future](Connection&) -> Result<int> {
      gate_future.wait();
      return 0;
    });
    results.push_back(writer->submit([](Connection& c) { return insert(c, "a"); }));
    // Fails half-way: its first insert must be undone, the others kept.
    results.push_back(writer->submit([](Connection& c) -> Result<std::int64_t> {
      insert(c, "b-partial");
      return fail(Errc::invalid_input, "refused after a partial write");
    }));
    results.push_back(writer->submit([](Connection& c) { return insert(c, "c"); }));
    // Violates UNIQUE: a DbError thrown inside the command becomes `conflict` for it alone.
    results.push_back(writer->submit([](Connection& c) { return insert(c, "a"); }));
    results.push_back(writer->submit([](Connection& c) { return insert(c, "e"); }));
    gate.set_value();
    blocker.get();
    auto stats_before = writer->stats();
    (void)stats_before;
  }
  BOOST_TEST(results[0].get().has_value());
  auto partial = results[1].get();
  BOOST_REQUIRE(!partial.has_value());
  BOOST_TEST(partial.error().message == "refused after a partial write");
  BOOST_TEST(results[2].get().has_value());
  auto dup = results[3].get();
  BOOST_REQUIRE(!dup.has_value());
  BOOST_TEST(static_cast<int>(dup.error().code) == static_cast<int>(Errc::conflict));
  BOOST_TEST(results[4].get().has_value());
  BOOST_TEST((tags(path) == std::set<std::string>{"a", "c", "e"}));
}

BOOST_AUTO_TEST_CASE(commands_queued_together_commit_as_one_batch) {
  test::TempDir dir;
  const auto path = dir.file("w.db");
  auto writer = make_writer_for(path);
  // The blocker's batch is under way before the five are queued, so the five wait and are taken
  // together as the next batch: exactly one batch, deterministically.
  std::promise<void> gate, blocker_started;
  auto gate_future = gate.get_future().share();
  auto blocker = writer.submit([gate_future, &blocker_started](Connection&) -> Result<int> {
    blocker_started.set_value();
    gate_future.wait();
    return 0;
  });
  blocker_started.get_future().wait();
  std::vector<std::future<Result<std::int64_t>>> f;
  for (int i = 0; i < 50; ++i) f.push_back(writer.submit([i](Connection& c) { return insert(c, "t" + std::to_string(i)); }));
  const auto batches_before = writer.stats().batches;
  gate.set_value();
  blocker.get();
  for (auto& x : f) BOOST_TEST(x.get().has_value());
  // The 50 queued while the writer was busy went in together (one batch, maybe two), not 50.
  BOOST_TEST(writer.stats().batches - batches_before <= 3u);
  BOOST_TEST(writer.stats().commands >= 51u);
}

BOOST_AUTO_TEST_CASE(callers_are_answered_only_after_the_commit_is_visible) {
  test::TempDir dir;
  const auto path = dir.file("w.db");
  auto writer = make_writer_for(path);
  auto reader = std::make_shared<Connection>(Connection::open(path, {.read_only = true}));
  std::promise<bool> seen;
  writer.post([](Connection& c) { return insert(c, "visible"); },
              [reader, &seen](Result<std::int64_t> r) {
                // Runs on the writer thread after COMMIT: another connection must see the row now.
                auto st = reader->prepare("SELECT count(*) FROM t WHERE tag = 'visible'");
                st.step();
                seen.set_value(r.has_value() && st.int64(0) == 1);
              });
  BOOST_TEST(seen.get_future().get());
}

BOOST_AUTO_TEST_CASE(many_threads_submitting_concurrently_lose_and_duplicate_nothing) {
  test::TempDir dir;
  const auto path = dir.file("w.db");
  constexpr int kThreads = 16, kPerThread = 200;
  std::atomic<int> acknowledged{0};
  std::set<std::int64_t> ids;
  std::mutex ids_mutex;
  {
    auto writer = make_writer_for(path, 64);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        std::vector<std::future<Result<std::int64_t>>> mine;
        for (int i = 0; i < kPerThread; ++i) {
          const std::string tag = std::to_string(t) + ":" + std::to_string(i);
          mine.push_back(writer.submit([tag](Connection& c) { return insert(c, tag); }));
        }
        for (auto& f : mine) {
          auto r = f.get();
          if (r) {
            ++acknowledged;
            std::lock_guard lock(ids_mutex);
            ids.insert(*r);
          }
        }
      });
    }
    for (auto& th : threads) th.join();
    BOOST_TEST(writer.stats().batches < static_cast<std::uint64_t>(kThreads * kPerThread));
  }
  BOOST_TEST(acknowledged.load() == kThreads * kPerThread);
  BOOST_TEST(ids.size() == static_cast<std::size_t>(kThreads * kPerThread));  // no id handed out twice
  const auto stored = tags(path);
  BOOST_TEST(stored.size() == static_cast<std::size_t>(kThreads * kPerThread));
  for (int t = 0; t < kThreads; ++t)
    for (int i = 0; i < kPerThread; ++i) BOOST_TEST_REQUIRE(stored.contains(std::to_string(t) + ":" + std::to_string(i)));
}

BOOST_AUTO_TEST_CASE(an_exception_in_a_command_fails_that_command_with_internal) {
  test::TempDir dir;
  auto writer = make_writer_for(dir.file("w.db"));
  auto r = writer.submit([](Connection&) -> Result<int> { throw std::runtime_error("boom"); }).get();
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(static_cast<int>(r.error().code) == static_cast<int>(Errc::internal));
  BOOST_TEST(writer.submit([](Connection& c) { return insert(c, "after"); }).get().has_value());
}

BOOST_AUTO_TEST_CASE(destroying_the_writer_applies_everything_already_queued) {
  test::TempDir dir;
  const auto path = dir.file("w.db");
  std::vector<std::future<Result<std::int64_t>>> f;
  {
    auto writer = make_writer_for(path);
    for (int i = 0; i < 100; ++i) f.push_back(writer.submit([i](Connection& c) { return insert(c, std::to_string(i)); }));
  }
  for (auto& x : f) BOOST_TEST(x.get().has_value());
  BOOST_TEST(tags(path).size() == 100u);
}

BOOST_AUTO_TEST_CASE(work_registered_before_commit_runs_once_per_batch_and_sees_the_final_data) {
  test::TempDir dir;
  const auto path = dir.file("w.db");
  auto writer = make_writer_for(path);
  writer.submit([](Connection& c) -> Result<int> {
    c.exec("CREATE TABLE derived(tag TEXT PRIMARY KEY, runs INTEGER NOT NULL)");
    return 0;
  }).get();
  // Each command registers the same key; the work counts the rows of t as they are at commit.
  auto derive = [](Connection& c) {
    c.before_commit("count", [](Connection& cc) {
      auto n = cc.prepare("SELECT count(*) FROM t");
      n.step();
      cc.prepare("INSERT INTO derived(tag, runs) VALUES ('count', ?1) ON CONFLICT(tag) DO UPDATE SET runs = runs + 1000")
          .bind_all(n.int64(0))
          .run();
    });
  };
  // The blocker's batch is under way before the five are queued, so the five wait and are taken
  // together as the next batch: exactly one batch, deterministically.
  std::promise<void> gate, blocker_started;
  auto gate_future = gate.get_future().share();
  auto blocker = writer.submit([gate_future, &blocker_started](Connection&) -> Result<int> {
    blocker_started.set_value();
    gate_future.wait();
    return 0;
  });
  blocker_started.get_future().wait();
  std::vector<std::future<Result<std::int64_t>>> f;
  for (int i = 0; i < 5; ++i)
    f.push_back(writer.submit([i, derive](Connection& c) -> Result<std::int64_t> {
      derive(c);
      auto id = insert(c, "d" + std::to_string(i));
      // The third command registers and then fails: its row is rolled back, the work still runs once.
      if (i == 2) return fail(Errc::invalid_input, "refused");
      return id;
    }));
  gate.set_value();
  blocker.get();
  for (int i = 0; i < 5; ++i) BOOST_TEST(f[i].get().has_value() == (i != 2));
  auto c = Connection::open(path, {.read_only = true});
  auto st = c.prepare("SELECT runs FROM derived WHERE tag = 'count'");
  BOOST_REQUIRE(st.step());
  // One run (a second would add 1000), after all commands: 4 rows kept, the refused one gone.
  BOOST_TEST(st.int64(0) == 4);
  BOOST_TEST(writer.stats().batches == 3u);  // the CREATE TABLE, the blocker, the five
}

BOOST_AUTO_TEST_CASE(outside_a_transaction_registered_work_runs_at_once_and_a_rollback_forgets_it) {
  test::TempDir dir;
  auto c = Connection::open(dir.file("w.db"));
  c.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, tag TEXT UNIQUE NOT NULL)");
  int runs = 0;
  c.before_commit("k", [&runs](Connection&) { ++runs; });
  BOOST_TEST(runs == 1);
  c.exec("BEGIN");
  c.before_commit("k", [&runs](Connection&) { ++runs; });
  c.before_commit("k", [&runs](Connection&) { ++runs; });
  BOOST_TEST(runs == 1);
  c.run_before_commit();
  c.exec("COMMIT");
  BOOST_TEST(runs == 2);
  c.exec("BEGIN");
  c.before_commit("k", [&runs](Connection&) { ++runs; });
  c.discard_before_commit();
  c.exec("ROLLBACK");
  c.run_before_commit();
  BOOST_TEST(runs == 2);
}

BOOST_AUTO_TEST_SUITE_END()
