#pragma once
// A background thread that runs one function every `every` (the first time `every` after it starts),
// until destroyed. For
// housekeeping that must not wait for a request (archiving due cases); the function hands its work to
// whatever executor owns the data (the writer) and may block on it. Destruction wakes the thread,
// waits for a run under way to finish, and joins.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace hl {

class PeriodicTask {
 public:
  PeriodicTask(std::chrono::milliseconds every, std::function<void()> run);
  ~PeriodicTask();
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

 private:
  void loop();

  const std::chrono::milliseconds every_;
  std::function<void()> run_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: started once everything it reads exists
};

}  // namespace hl
