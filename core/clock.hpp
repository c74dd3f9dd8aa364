#pragma once
// All "now" comes from a Clock so tests can move time (deadlines, aging, session expiry). The server
// of a test build can also run on a FileClock (core/file_clock.hpp, `--clock-file`).
#include <atomic>
#include <cstdint>

namespace hl {

// Milliseconds since the Unix epoch, UTC.
using TimeMs = std::int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimeMs now_ms() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimeMs now_ms() const override;
};

// Shared between threads: the time is one atomic.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimeMs start) : now_(start) {}
  TimeMs now_ms() const override { return now_.load(); }
  void set(TimeMs t) { now_.store(t); }
  void advance_ms(TimeMs d) { now_.fetch_add(d); }

 private:
  std::atomic<TimeMs> now_;
};

}  // namespace hl
