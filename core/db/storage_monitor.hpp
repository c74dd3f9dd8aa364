#pragma once
// The scheduled checks of the database file: a quick_check at start (before the server listens when
// the file is small, right after in the background when it is large) and a full integrity_check
// every day at a quiet hour (Beijing time, on the server's clock, so a test clock can bring it on).
// Each result goes to StorageHealth and to the log. The checks run on their own read-only connection
// on the monitor's thread, so a long check never holds up a read worker.
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "core/clock.hpp"
#include "core/db/storage_health.hpp"

namespace hl::db {

class StorageMonitor {
 public:
  struct Options {
    int integrity_check_minute = 3 * 60 + 30;               // minutes after midnight, Beijing time
    long long quick_check_sync_max_bytes = 256LL << 20;    // larger files are checked in the background
  };

  StorageMonitor(const Clock& clock, std::string db_path, StorageHealth& health, Options options);
  StorageMonitor(const StorageMonitor&) = delete;
  StorageMonitor& operator=(const StorageMonitor&) = delete;
  ~StorageMonitor();  // stops the thread (a check under way finishes first)

  // The start-up quick_check (synchronous for a small file), then the thread for the rest.
  void start();

  // The first instant at or after `now` that is `minute` minutes after a Beijing midnight.
  static TimeMs next_at(TimeMs now, int minute);

 private:
  void loop(bool quick_check_pending);
  void run_check(IntegrityKind kind);

  const Clock& clock_;
  const std::string db_path_;
  StorageHealth& health_;
  const Options options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace hl::db
