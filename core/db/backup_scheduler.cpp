#include "core/db/backup_scheduler.hpp"

#include <pthread.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>

#include "core/db/backup_files.hpp"
#include "core/db/backup_rotation.hpp"

namespace hl::db {
namespace {

constexpr TimeMs kMaxRetryMs = 15 * 60'000LL;

// True when both paths' directories are on one file system (one disk failure loses both).
bool same_file_system(const std::string& dir, const std::string& db_path) {
  auto parent = std::filesystem::path(db_path).parent_path();
  if (parent.empty()) parent = ".";
  struct stat a {}, b {};
  return ::stat(dir.c_str(), &a) == 0 && ::stat(parent.c_str(), &b) == 0 && a.st_dev == b.st_dev;
}

}  // namespace

BackupScheduler::BackupScheduler(const Clock& clock, Options options, Job job, StorageHealth& health)
    : clock_(clock), options_(std::move(options)), job_(std::move(job)), health_(health) {}

BackupScheduler::~BackupScheduler() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

TimeMs BackupScheduler::next_due(TimeMs now, std::optional<TimeMs> newest, TimeMs every_ms) {
  if (!newest || *newest + every_ms <= now) return now;
  return *newest + every_ms;
}

Status BackupScheduler::start() {
  if (auto made = ensure_private_dir(options_.dir); !made)
    return fail(Errc::storage_unavailable, "backup_dir: " + made.error().message);
  if (!options_.db_path.empty() && same_file_system(options_.dir, options_.db_path))
    std::fprintf(stderr,
                 "hotline: WARNING: backup_dir %s is on the same file system as the database; a failed disk "
                 "would take the backups with it (use a second disk)\n",
                 options_.dir.c_str());
  std::optional<std::pair<TimeMs, std::string>> newest;
  for (const auto& b : list_backups(options_.dir))
    if (b.finished) newest = {b.named_at, std::filesystem::path(b.path).filename().string()};
  health_.backups_scheduled(options_.every_ms, newest);
  due_ = next_due(clock_.now_ms(), newest ? std::optional(newest->first) : std::nullopt, options_.every_ms);
  thread_ = std::thread([this] { loop(); });
  return {};
}

bool BackupScheduler::run_once() {
  const TimeMs now = clock_.now_ms();
  const std::string name = backup_file_name(now);
  const std::string target = (std::filesystem::path(options_.dir) / name).string();
  const auto started = std::chrono::steady_clock::now();
  Result<std::string> made = fail(Errc::internal, "the backup job did not run");
  try {
    made = job_(target);
  } catch (const std::exception& e) {  // on this thread an escaped exception would end the server
    made = fail(Errc::internal, e.what());
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  if (!made) {
    health_.backup_failed(made.error().message);
    std::fprintf(stderr, "hotline: SCHEDULED BACKUP FAILED (%s, after %lld ms): %s\n", target.c_str(),
                 static_cast<long long>(ms), made.error().message.c_str());
    return false;
  }
  health_.backup_succeeded(now, name);
  std::fprintf(stderr, "hotline: backup %s ok: %s (%lld ms)\n", target.c_str(), made->c_str(), static_cast<long long>(ms));
  auto rotated = rotate_backups(options_.dir, options_.keep);
  if (!rotated) std::fprintf(stderr, "hotline: backup rotation: %s\n", rotated.error().message.c_str());
  else
    for (const auto& removed : *rotated) std::fprintf(stderr, "hotline: backup rotation removed %s\n", removed.c_str());
  return true;
}

void BackupScheduler::loop() {
  pthread_setname_np(pthread_self(), "hl-backup");
  std::unique_lock lock(mutex_);
  for (;;) {
    if (wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; })) return;
    if (clock_.now_ms() < due_) continue;
    lock.unlock();
    const TimeMs began = clock_.now_ms();
    const bool ok = run_once();
    // From the start of this backup: a slow backup does not push every later one back.
    due_ = ok ? began + options_.every_ms : clock_.now_ms() + std::min(options_.every_ms / 4, kMaxRetryMs);
    lock.lock();
  }
}

}  // namespace hl::db
