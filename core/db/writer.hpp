#pragma once
// The single writer: the only read-write connection, owned by one thread that applies queued write
// commands with group commit.
//
// Shared between threads: post()/submit() may be called from any thread (the queue is guarded by
// mutex_); the connection is touched only by the writer thread.
//
// Each batch: BEGIN IMMEDIATE; for each command SAVEPOINT, run, RELEASE (or ROLLBACK TO when the
// command returns an error or throws); COMMIT once; then every caller is answered. A caller is never
// told "done" before its data is durable, and a failing command never undoes its neighbours. When the
// storage fails (disk full, I/O error), every caller whose data was not committed hears that storage
// error (storage_full / storage_unavailable), and the StorageHealth given in the options learns it.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>

#include "core/db/connection.hpp"
#include "core/db/db_error.hpp"
#include "core/db/storage_health.hpp"
#include "core/error.hpp"

namespace hl::db {

struct WriterStats {
  std::uint64_t commands = 0;
  std::uint64_t batches = 0;
  std::uint64_t failed_commands = 0;
  std::uint64_t last_batch_size = 0;
  std::uint64_t queue_depth = 0;
};

class Writer {
 public:
  struct Options {
    std::size_t max_batch = 512;
    StorageHealth* health = nullptr;  // told each batch's storage outcome; not owned
  };

  // A command's bookkeeping, type-erased. run() executes inside the command's savepoint and says
  // whether to keep its changes (fault() then says whether it failed on storage); finish() learns
  // whether its changes are durable and, when not, why (the batch's storage error, or the writer
  // stopping), if known.
  class Job {
   public:
    virtual ~Job() = default;
    virtual bool run(Connection& conn) noexcept = 0;
    virtual void finish(bool durable, const Error* why) noexcept = 0;
    StorageFault fault() const { return fault_; }

   protected:
    StorageFault fault_ = StorageFault::none;
  };

  Writer(Connection conn, Options options);
  explicit Writer(Connection conn) : Writer(std::move(conn), Options{}) {}
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;
  // Applies everything still queued, then stops the thread.
  ~Writer();

  // Queues `work(Connection&) -> Result<T>`; `done(Result<T>)` runs on the writer thread after the
  // batch's commit (or failure). Keep `done` short: hand the result to another executor.
  template <class Work, class Done>
  void post(Work work, Done done) {
    using R = std::invoke_result_t<Work&, Connection&>;
    struct Typed final : Job {
      Typed(Work w, Done d) : work(std::move(w)), done(std::move(d)) {}
      bool run(Connection& conn) noexcept override {
        try {
          result.emplace(work(conn));
        } catch (const DbError& e) {
          fault_ = e.storage_fault();
          result.emplace(std::unexpected(error_from(e)));
        } catch (const std::exception& e) {
          result.emplace(std::unexpected(Error{Errc::internal, e.what(), {}}));
        }
        return result->has_value();
      }
      void finish(bool durable, const Error* why) noexcept override {
        if (!durable && (!result || result->has_value()))
          result.emplace(std::unexpected(why ? *why : Error{Errc::internal, "the write could not be committed", {}}));
        done(std::move(*result));
      }
      Work work;
      Done done;
      std::optional<R> result;
    };
    enqueue(std::make_unique<Typed>(std::move(work), std::move(done)));
  }

  // Queues `work` and returns a future for its Result<T>, ready once durable (or failed).
  template <class Work>
  auto submit(Work work) -> std::future<std::invoke_result_t<Work&, Connection&>> {
    using R = std::invoke_result_t<Work&, Connection&>;
    auto promise = std::make_shared<std::promise<R>>();
    auto future = promise->get_future();
    post(std::move(work), [promise](R r) { promise->set_value(std::move(r)); });
    return future;
  }

  WriterStats stats() const;
  const std::string& path() const { return conn_.path(); }

 private:
  void enqueue(std::unique_ptr<Job> job);
  void loop();
  void apply_batch(std::deque<std::unique_ptr<Job>>& batch);

  Connection conn_;
  Options options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::unique_ptr<Job>> queue_;
  bool stopping_ = false;
  std::atomic<std::uint64_t> commands_{0}, batches_{0}, failed_{0}, last_batch_{0};
  std::thread thread_;
};

}  // namespace hl::db
