#include "core/db/storage_health.hpp"

#include <sys/statvfs.h>

#include <filesystem>

namespace hl::db {

std::string_view to_string(HealthStatus s) {
  switch (s) {
    case HealthStatus::ok: return "ok";
    case HealthStatus::degraded: return "degraded";
    case HealthStatus::failing: return "failing";
  }
  return "failing";
}

std::string_view to_string(IntegrityKind k) {
  switch (k) {
    case IntegrityKind::none: return "none";
    case IntegrityKind::quick_check: return "quick_check";
    case IntegrityKind::integrity_check: return "integrity_check";
  }
  return "none";
}

std::string_view to_string(IntegrityState s) {
  switch (s) {
    case IntegrityState::pending: return "pending";
    case IntegrityState::running: return "running";
    case IntegrityState::ok: return "ok";
    case IntegrityState::damaged: return "damaged";
  }
  return "pending";
}

std::optional<std::int64_t> free_bytes_at(const std::string& dir) {
  struct statvfs vfs {};
  if (::statvfs(dir.c_str(), &vfs) != 0) return std::nullopt;
  return static_cast<std::int64_t>(vfs.f_bavail) * static_cast<std::int64_t>(vfs.f_frsize);
}

namespace {
std::string directory_of(const std::string& path) {
  const auto parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}
}  // namespace

StorageHealth::StorageHealth(const Clock& clock, std::string db_path, HealthThresholds thresholds)
    : clock_(clock), dir_(directory_of(db_path)), thresholds_(thresholds) {}

void StorageHealth::write_succeeded() {
  const TimeMs now = clock_.now_ms();
  std::lock_guard lock(mutex_);
  last_ok_ = now;
}

void StorageHealth::storage_failed(StorageFault fault, bool during_write) {
  if (fault == StorageFault::none) return;
  const TimeMs now = clock_.now_ms();
  std::lock_guard lock(mutex_);
  if (during_write) {
    last_error_ = now;
    last_error_code_ = fault == StorageFault::full ? Errc::storage_full : Errc::storage_unavailable;
  }
  if (fault == StorageFault::damaged && !malformed_) {
    malformed_ = true;
    malformed_detail_ = "a statement found the database file malformed";
  }
}

void StorageHealth::integrity_started(IntegrityKind kind) {
  std::lock_guard lock(mutex_);
  integrity_.kind = kind;
  integrity_.state = IntegrityState::running;
}

void StorageHealth::integrity_finished(IntegrityKind kind, bool ok, std::string detail) {
  const TimeMs now = clock_.now_ms();
  std::lock_guard lock(mutex_);
  integrity_ = {kind, ok ? IntegrityState::ok : IntegrityState::damaged, now, ok ? std::string() : detail};
  if (!ok) {
    malformed_ = true;
    malformed_detail_ = std::move(detail);
  } else if (kind == IntegrityKind::integrity_check) {
    malformed_ = false;  // only the full check vouches for every page
    malformed_detail_.clear();
  }
}

void StorageHealth::backups_scheduled(TimeMs every_ms, std::optional<std::pair<TimeMs, std::string>> newest_ok) {
  const TimeMs now = clock_.now_ms();
  std::lock_guard lock(mutex_);
  backup_ = {};
  backup_.scheduled = true;
  backup_.every_ms = every_ms;
  if (newest_ok) {
    backup_.last_ok_at = newest_ok->first;
    backup_.last_file = std::move(newest_ok->second);
  }
  backups_since_ = now;
}

void StorageHealth::backup_succeeded(TimeMs taken_at, std::string file) {
  std::lock_guard lock(mutex_);
  backup_.last_ok_at = taken_at;
  backup_.last_file = std::move(file);
  backup_.last_error_at.reset();
  backup_.last_error.clear();
}

void StorageHealth::backup_failed(std::string detail) {
  const TimeMs now = clock_.now_ms();
  std::lock_guard lock(mutex_);
  backup_.last_error_at = now;
  backup_.last_error = std::move(detail);
}

bool StorageHealth::writes_failing() const {
  std::lock_guard lock(mutex_);
  return last_error_ && (!last_ok_ || *last_ok_ < *last_error_);
}

HealthReport StorageHealth::report() const {
  HealthReport r;
  r.free_bytes = free_bytes_at(dir_);
  r.free_bytes_min = thresholds_.free_bytes_min;
  const TimeMs now = clock_.now_ms();
  std::lock_guard lock(mutex_);
  r.last_write_ok_at = last_ok_;
  r.last_write_error_at = last_error_;
  r.last_write_error = last_error_code_;
  r.integrity = integrity_;
  r.backup = backup_;
  auto add = [&r](HealthStatus s, std::string code, std::string message) {
    if (s > r.status) r.status = s;
    r.reasons.push_back({std::move(code), std::move(message)});
  };
  if (last_error_ && (!last_ok_ || *last_ok_ < *last_error_))
    add(HealthStatus::failing, "writes_failing",
        last_error_code_ == Errc::storage_full ? "writes fail: the database's file system is full"
                                               : "writes fail: the database's storage reports an I/O error or is read-only");
  if (malformed_) add(HealthStatus::failing, "database_malformed", "the database file is damaged: " + malformed_detail_);
  if (r.free_bytes && *r.free_bytes < thresholds_.free_bytes_min)
    add(HealthStatus::degraded, "low_disk_space",
        "free space " + std::to_string(*r.free_bytes) + " bytes is below the configured minimum " +
            std::to_string(thresholds_.free_bytes_min));
  if (integrity_.state == IntegrityState::running || integrity_.state == IntegrityState::pending) {
    if (integrity_.state == IntegrityState::running)
      add(HealthStatus::degraded, "integrity_check_running", "the database's integrity check has not finished yet");
  } else if (integrity_.at && now - *integrity_.at > thresholds_.integrity_max_age_ms) {
    add(HealthStatus::degraded, "integrity_check_stale", "the newest integrity check is older than the configured age");
  }
  if (backup_.scheduled) {
    // Twice the interval: one late or slow backup is normal, a missed one is not.
    const TimeMs since = backup_.last_ok_at.value_or(backups_since_);
    if (backup_.last_error_at)
      add(HealthStatus::degraded, "backup_behind", "the newest scheduled backup failed: " + backup_.last_error);
    else if (now - since > 2 * backup_.every_ms)
      add(HealthStatus::degraded, "backup_behind",
          backup_.last_ok_at ? "the newest good backup is older than twice backup_every"
                             : "no backup has been made for twice backup_every since scheduling began");
  }
  return r;
}

}  // namespace hl::db
