#pragma once
// What the server knows about the storage under its database, for a health check that tells the
// truth (GET /healthz, /metrics, the supervisor's banner): the outcome of the newest write, the
// newest integrity check, and the free space of the database's file system.
//
// Status, from the worst reason found:
//   failing  — writes_failing (the newest write failed on storage; a later successful write clears it),
//              database_malformed (an integrity check or any statement found the file damaged; sticky
//              until a later full integrity check passes);
//   degraded — low_disk_space, integrity_check_running (the start-up check of a large file),
//              integrity_check_stale (the newest check is older than the configured age),
//              backup_behind (scheduled backups are configured and the newest good one is older than
//              twice their interval, or the newest attempt failed);
//   ok       — none of these.
//
// Shared between threads: the writer, the read workers, the storage monitor and the HTTP threads all
// call it; every member is guarded by mutex_.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/db/db_error.hpp"

namespace hl::db {

enum class HealthStatus { ok, degraded, failing };
std::string_view to_string(HealthStatus s);

struct HealthThresholds {
  std::int64_t free_bytes_min = 128LL << 20;
  TimeMs integrity_max_age_ms = 48 * 3'600'000LL;
};

enum class IntegrityKind { none, quick_check, integrity_check };
enum class IntegrityState { pending, running, ok, damaged };
std::string_view to_string(IntegrityKind k);
std::string_view to_string(IntegrityState s);

struct IntegrityStatus {
  IntegrityKind kind = IntegrityKind::none;
  IntegrityState state = IntegrityState::pending;
  std::optional<TimeMs> at;  // when the newest check finished
  std::string detail;        // SQLite's first findings when damaged
};

// Scheduled backups (core/db/backup_scheduler.hpp); all empty when none are configured.
struct BackupStatus {
  bool scheduled = false;
  TimeMs every_ms = 0;
  std::optional<TimeMs> last_ok_at;     // when the newest good backup was taken
  std::string last_file;                // its file name
  std::optional<TimeMs> last_error_at;  // when the newest attempt failed; cleared by a good one
  std::string last_error;
};

struct HealthReason {
  std::string code;
  std::string message;
};

struct HealthReport {
  HealthStatus status = HealthStatus::ok;
  std::vector<HealthReason> reasons;
  std::optional<std::int64_t> free_bytes;  // nullopt when statvfs failed
  std::int64_t free_bytes_min = 0;
  std::optional<TimeMs> last_write_ok_at, last_write_error_at;
  std::optional<Errc> last_write_error;
  IntegrityStatus integrity;
  BackupStatus backup;
};

class StorageHealth {
 public:
  StorageHealth(const Clock& clock, std::string db_path, HealthThresholds thresholds);

  void write_succeeded();
  // A statement or commit failed on storage (none is ignored). `damaged` also marks the file malformed.
  void storage_failed(StorageFault fault, bool during_write);
  void integrity_started(IntegrityKind kind);
  void integrity_finished(IntegrityKind kind, bool ok, std::string detail);
  // Backups are scheduled every `every_ms` from now on; `newest_ok` is the newest finished backup
  // found (taken at, file name), if any.
  void backups_scheduled(TimeMs every_ms, std::optional<std::pair<TimeMs, std::string>> newest_ok);
  void backup_succeeded(TimeMs taken_at, std::string file);
  void backup_failed(std::string detail);

  bool writes_failing() const;
  HealthReport report() const;  // reads the free space now

 private:
  const Clock& clock_;
  const std::string dir_;
  const HealthThresholds thresholds_;
  mutable std::mutex mutex_;
  std::optional<TimeMs> last_ok_, last_error_;
  std::optional<Errc> last_error_code_;
  bool malformed_ = false;
  std::string malformed_detail_;
  IntegrityStatus integrity_;
  BackupStatus backup_;
  TimeMs backups_since_ = 0;  // when scheduling began: "behind" counts from here until a first backup
};

// Free bytes for unprivileged writers on the file system holding `dir`; nullopt when it cannot be read.
std::optional<std::int64_t> free_bytes_at(const std::string& dir);

}  // namespace hl::db
