#include "core/db/read_pool.hpp"

#include <pthread.h>

namespace hl::db {

void configure_reader(Connection& conn) { conn.exec("PRAGMA cache_size=-32768"); }

ReadPool::ReadPool(const std::string& path, std::size_t workers, StorageHealth* health) : health_(health) {
  OpenOptions options;
  options.read_only = true;
  // Open every connection up front so that a bad path fails at start, not at the first request.
  std::vector<Connection> conns;
  for (std::size_t i = 0; i < std::max<std::size_t>(workers, 1); ++i) {
    conns.push_back(Connection::open(path, options));
    configure_reader(conns.back());
  }
  for (auto& c : conns) threads_.emplace_back([this, c = std::move(c)]() mutable { loop(std::move(c)); });
}

ReadPool::~ReadPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

void ReadPool::enqueue(std::function<void(Connection&)> task) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(task));
  }
  wake_.notify_one();
}

std::size_t ReadPool::queue_depth() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void ReadPool::loop(Connection conn) {
  pthread_setname_np(pthread_self(), "hl-reader");
  for (;;) {
    std::function<void(Connection&)> task;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task(conn);
  }
}

}  // namespace hl::db
