#pragma once
// The settable clock of a test build: `hotline … --clock-file PATH` (accepted only by a binary built
// with HOTLINE_TEST_CLOCK; see web/main.cpp). PATH holds one line, e.g.
//
//   2026-12-31T23:59:50+08:00            the clock reads this at the file's last modification and
//                                        runs on in real time from there
//   2026-12-31T23:59:50+08:00 frozen     the clock stands at this instant
//
// The instant is ISO 8601 with an offset (or Z), a bare date (the start of that Shanghai day) or
// integer epoch milliseconds. Anchoring a running clock on the file's modification time lets every
// process that reads the file (the server, `seed-demo`, the test itself) agree on "now" to the
// millisecond without talking to each other: now = instant + (system time - mtime).
//
// now_ms() never touches the file: it adds a cached offset to the system clock. watch() starts one
// thread that sleeps in inotify on the file's folder and re-reads the file when it is written or
// renamed into place; its callback tells the writer the change is in force (the server prints a line
// on stdout, which the test waits for), so a test that sets the clock knows when the next request
// sees it — no polling interval to wait out.
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace hl {

// What a clock file says.
struct ClockSetting {
  TimeMs instant = 0;
  bool frozen = false;
  friend bool operator==(const ClockSetting&, const ClockSetting&) = default;
};

// Parses a clock file's text (surrounding white space ignored); nullopt when malformed.
std::optional<ClockSetting> parse_clock_setting(std::string_view text);

// Shared between threads: now_ms() from any thread while watch()'s thread reloads; mutex_ guards
// offset_ and frozen_at_.
class FileClock final : public Clock {
 public:
  // Reads `path` once; fails (invalid_input) when it cannot be read or does not parse.
  static Result<std::unique_ptr<FileClock>> open(std::string path);
  ~FileClock() override;
  FileClock(const FileClock&) = delete;
  FileClock& operator=(const FileClock&) = delete;

  TimeMs now_ms() const override;
  // Running: instant - the file's mtime in ms, added to the system clock. Nullopt when frozen.
  std::optional<TimeMs> offset_ms() const;
  const std::string& path() const { return path_; }

  // Re-reads the file. On failure the clock keeps its previous setting.
  Result<ClockSetting> reload();
  // Starts the watching thread (once; later calls fail): after each write of the file it reloads and
  // calls on_reload with the result, from that thread.
  Result<void> watch(std::function<void(const Result<ClockSetting>&)> on_reload);
  // Ends the watching thread, waiting for a callback under way; no-op when not watching. For an owner
  // whose callback uses things that die before the clock (the server's writer).
  void stop_watching();

 private:
  explicit FileClock(std::string path) : path_(std::move(path)) {}
  void watch_loop(int inotify_fd, std::string name);

  std::string path_;
  mutable std::mutex mutex_;
  TimeMs offset_ = 0;
  std::optional<TimeMs> frozen_at_;
  std::function<void(const Result<ClockSetting>&)> on_reload_;
  int stop_fd_ = -1;  // eventfd that ends the watching thread
  std::thread watcher_;
};

}  // namespace hl
