#include "core/db/writer.hpp"

#include <pthread.h>

#include <cstdio>

#include "core/db/savepoint.hpp"

namespace hl::db {

Writer::Writer(Connection conn, Options options)
    : conn_(std::move(conn)), options_(options), thread_([this] { loop(); }) {}

Writer::~Writer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void Writer::enqueue(std::unique_ptr<Job> job) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      // The writer is gone: answer at once instead of leaving the caller waiting forever.
      const Error stopping{Errc::unavailable, "the server is stopping; nothing was saved", {}};
      job->finish(false, &stopping);
      return;
    }
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
}

WriterStats Writer::stats() const {
  WriterStats s;
  s.commands = commands_.load();
  s.batches = batches_.load();
  s.failed_commands = failed_.load();
  s.last_batch_size = last_batch_.load();
  std::lock_guard lock(mutex_);
  s.queue_depth = queue_.size();
  return s;
}

void Writer::loop() {
  pthread_setname_np(pthread_self(), "hl-writer");  // visible in top -H and perf
  std::deque<std::unique_ptr<Job>> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      const std::size_t n = std::min(queue_.size(), options_.max_batch);
      for (std::size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    apply_batch(batch);
    batch.clear();
  }
}

void Writer::apply_batch(std::deque<std::unique_ptr<Job>>& batch) {
  // kept[i]: job i ran successfully and its changes are in the open transaction.
  std::vector<bool> kept(batch.size(), false);
  bool committed = false;
  // The first storage failure of the batch: what every caller whose data is lost will hear.
  std::optional<Error> storage_error;
  StorageFault fault = StorageFault::none;
  auto note_fault = [&](StorageFault f) {
    if (f == StorageFault::none || storage_error) return;
    fault = f;
    storage_error = db::storage_error(f);
  };
  try {
    conn_.prepare("BEGIN IMMEDIATE").run();
    for (std::size_t i = 0; i < batch.size(); ++i) {
      Savepoint sp(conn_);
      kept[i] = batch[i]->run(conn_);
      if (!kept[i]) note_fault(batch[i]->fault());
      if (!conn_.in_transaction()) {
        // SQLite itself rolled back the whole transaction (e.g. disk full): everything kept so far
        // is gone, so those callers must hear it failed; carry on with a fresh transaction.
        for (std::size_t j = 0; j <= i; ++j) kept[j] = false;
        conn_.discard_before_commit();
        conn_.prepare("BEGIN IMMEDIATE").run();
        continue;
      }
      if (kept[i]) sp.release(); else sp.rollback();
    }
    // Derived data (the search index) once per batch, outside the commands' savepoints: an FTS5
    // table flushes its pending index at every savepoint it takes part in.
    conn_.run_before_commit();
    conn_.prepare("COMMIT").run();
    committed = true;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "writer: batch of %zu failed: %s\n", batch.size(), e.what());
    if (const auto* db_error = dynamic_cast<const DbError*>(&e)) note_fault(db_error->storage_fault());
    conn_.discard_before_commit();
    if (conn_.in_transaction()) {
      try { conn_.exec("ROLLBACK"); } catch (...) {}
    }
  }
  // Count first, so a caller that reads stats() after its answer sees its own batch included.
  std::uint64_t failed = 0;
  for (std::size_t i = 0; i < batch.size(); ++i)
    if (!(committed && kept[i])) ++failed;
  commands_ += batch.size();
  failed_ += failed;
  batches_ += 1;
  last_batch_ = batch.size();
  if (options_.health) {
    if (storage_error) options_.health->storage_failed(fault, true);
    else if (committed) options_.health->write_succeeded();
  }
  for (std::size_t i = 0; i < batch.size(); ++i) batch[i]->finish(committed && kept[i], storage_error ? &*storage_error : nullptr);
}

}  // namespace hl::db
