#include "core/periodic_task.hpp"

namespace hl {

PeriodicTask::PeriodicTask(std::chrono::milliseconds every, std::function<void()> run)
    : every_(every), run_(std::move(run)), thread_([this] { loop(); }) {}

PeriodicTask::~PeriodicTask() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void PeriodicTask::loop() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, every_, [this] { return stopping_; })) {
    lock.unlock();
    run_();
    lock.lock();
  }
}

}  // namespace hl
