#pragma once
// Scheduled online backups: every `every_ms` on the server's clock, a backup into `dir` named by its
// time (backup_rotation.hpp), made by the job the application gives (the copy, its check and its
// manifest: backup_manifest.hpp's make_backup), then the directory rotated to the `keep` newest.
// Each outcome goes to StorageHealth (backup_behind when it fails or falls behind) and to the log.
//
// The first backup is due at once when the directory holds none, or the newest is older than
// `every_ms`; otherwise `every_ms` after the newest, so restarts do not multiply backups. A failed
// backup is retried after a quarter of the interval (at most 15 minutes later).
//
// Like StorageMonitor, the thread wakes once a second on the steady clock and compares the due time
// with the server's clock (which a test build may move), rather than sleeping towards it. The job runs
// on this thread; the server's writer goes on committing meanwhile (backup.hpp says why it can).
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/clock.hpp"
#include "core/db/storage_health.hpp"
#include "core/error.hpp"

namespace hl::db {

class BackupScheduler {
 public:
  struct Options {
    std::string dir;
    TimeMs every_ms = 24 * 3'600'000LL;
    int keep = 14;
    std::string db_path;  // only to warn when `dir` is on the database's own file system
  };
  // Makes one backup at `target_path` (a new file); returns a line for the log or why it failed.
  using Job = std::function<Result<std::string>(const std::string& target_path)>;

  BackupScheduler(const Clock& clock, Options options, Job job, StorageHealth& health);
  BackupScheduler(const BackupScheduler&) = delete;
  BackupScheduler& operator=(const BackupScheduler&) = delete;
  ~BackupScheduler();  // stops the thread (a backup under way finishes first)

  // Makes the directory private (0700), reports the newest finished backup to health, and starts the
  // thread. Fails, naming the directory, when it cannot be created or made private.
  Status start();

  // When the next backup is due after the newest finished one (see above).
  static TimeMs next_due(TimeMs now, std::optional<TimeMs> newest, TimeMs every_ms);

  // One backup and rotation now, on the caller's thread; true when the backup succeeded.
  bool run_once();

 private:
  void loop();

  const Clock& clock_;
  const Options options_;
  const Job job_;
  StorageHealth& health_;
  TimeMs due_ = 0;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace hl::db
