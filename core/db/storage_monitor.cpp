#include "core/db/storage_monitor.hpp"

#include <pthread.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "core/db/connection.hpp"
#include "core/db/db_error.hpp"
#include "core/db/storage_checks.hpp"
#include "core/local_time.hpp"

namespace hl::db {

StorageMonitor::StorageMonitor(const Clock& clock, std::string db_path, StorageHealth& health, Options options)
    : clock_(clock), db_path_(std::move(db_path)), health_(health), options_(options) {}

StorageMonitor::~StorageMonitor() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

TimeMs StorageMonitor::next_at(TimeMs now, int minute) {
  const TimeMs today = start_of_local_day(local_date(now)) + minute * 60'000LL;
  return today >= now ? today : start_of_local_day(add_days(local_date(now), 1)) + minute * 60'000LL;
}

void StorageMonitor::run_check(IntegrityKind kind) {
  health_.integrity_started(kind);
  const auto started = std::chrono::steady_clock::now();
  IntegrityResult result;
  try {
    auto conn = Connection::open(db_path_, {.read_only = true});
    result = check_integrity(conn, kind);
  } catch (const DbError& e) {
    result = {false, e.what()};
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  health_.integrity_finished(kind, result.ok, result.detail);
  if (result.ok)
    std::fprintf(stderr, "hotline: %s of %s ok (%lld ms)\n", std::string(to_string(kind)).c_str(), db_path_.c_str(),
                 static_cast<long long>(ms));
  else
    std::fprintf(stderr, "hotline: %s of %s FOUND DAMAGE (%lld ms): %s\n", std::string(to_string(kind)).c_str(),
                 db_path_.c_str(), static_cast<long long>(ms), result.detail.c_str());
}

void StorageMonitor::start() {
  std::error_code ec;
  const auto size = std::filesystem::file_size(db_path_, ec);
  const bool in_background = !ec && static_cast<long long>(size) > options_.quick_check_sync_max_bytes;
  if (in_background) health_.integrity_started(IntegrityKind::quick_check);
  else run_check(IntegrityKind::quick_check);
  thread_ = std::thread([this, in_background] { loop(in_background); });
}

void StorageMonitor::loop(bool quick_check_pending) {
  pthread_setname_np(pthread_self(), "hl-storage");
  if (quick_check_pending) run_check(IntegrityKind::quick_check);
  TimeMs due = next_at(clock_.now_ms(), options_.integrity_check_minute);
  std::unique_lock lock(mutex_);
  for (;;) {
    // Once a second on the steady clock: the server's clock may be moved (tests), so the due time is
    // compared with it rather than slept towards.
    if (wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; })) return;
    const TimeMs now = clock_.now_ms();
    if (now < due) continue;
    lock.unlock();
    run_check(IntegrityKind::integrity_check);
    due = next_at(clock_.now_ms() + 1, options_.integrity_check_minute);
    lock.lock();
  }
}

}  // namespace hl::db
