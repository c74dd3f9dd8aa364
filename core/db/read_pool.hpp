#pragma once
// A small pool of read-only connections, each owned by one worker thread, so that no SQL runs on an
// HTTP I/O thread. Each piece of work runs in one read transaction (db::ReadSnapshot): all its
// statements see the same committed state, the one of its first read, whatever commits meanwhile.
//
// Shared between threads: post()/run() may be called from any thread (queue guarded by mutex_).
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "core/db/connection.hpp"
#include "core/db/db_error.hpp"
#include "core/db/storage_health.hpp"
#include "core/db/transaction.hpp"
#include "core/error.hpp"

namespace hl::db {

// The settings of a read pool connection, for a benchmark that reads as the server does: a 32 MiB
// page cache (SQLite's default is 2 MiB). A report reads the same index ranges in several statements;
// at 1 M cases this took a province's year from ~1.2 s to ~0.95 s of CPU and a county's alone from
// ~460 to ~220 ms (tests/bench/aging_bench.cpp). Four readers: at most 128 MiB, within the 300 MB RSS
// target.
void configure_reader(Connection& conn);

class ReadPool {
 public:
  // `health` (optional, not owned) learns of reads that found the storage failing or the file damaged.
  ReadPool(const std::string& path, std::size_t workers, StorageHealth* health = nullptr);
  ReadPool(const ReadPool&) = delete;
  ReadPool& operator=(const ReadPool&) = delete;
  ~ReadPool();  // finishes queued reads, then joins

  // Runs `work(Connection&) -> Result<T>` on a worker, in one read snapshot; `done(Result<T>)` runs on
  // that worker after the snapshot has ended.
  template <class Work, class Done>
  void post(Work work, Done done) {
    enqueue([this, work = std::move(work), done = std::move(done)](Connection& conn) mutable {
      using R = std::invoke_result_t<Work&, Connection&>;
      done(guarded<R>(work, conn));
    });
  }

  // Runs `work` on a worker and waits for its result (CLI, tests).
  template <class Work>
  auto run(Work work) -> std::invoke_result_t<Work&, Connection&> {
    using R = std::invoke_result_t<Work&, Connection&>;
    std::promise<R> promise;
    auto future = promise.get_future();
    post(std::move(work), [&promise](R r) { promise.set_value(std::move(r)); });
    return future.get();
  }

  std::size_t queue_depth() const;

 private:
  template <class R, class Work>
  R guarded(Work& work, Connection& conn) {
    try {
      const ReadSnapshot snapshot(conn);
      return work(conn);
    } catch (const DbError& e) {
      if (health_) health_->storage_failed(e.storage_fault(), false);
      return std::unexpected(error_from(e));
    } catch (const std::exception& e) {
      return std::unexpected(Error{Errc::internal, e.what(), {}});
    }
  }
  void enqueue(std::function<void(Connection&)> task);
  void loop(Connection conn);

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void(Connection&)>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
  StorageHealth* health_ = nullptr;
};

}  // namespace hl::db
