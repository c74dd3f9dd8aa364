#include "core/audit/anchor_keeper.hpp"

#include <pthread.h>
#include <sodium.h>

#include <cstdio>

#include "core/audit/audit_chain.hpp"
#include "core/db/connection.hpp"
#include "core/db/db_error.hpp"

namespace hl::audit {

AnchorKeeper::AnchorKeeper(const Clock& clock, std::string db_path, AnchorFile file, std::chrono::milliseconds every)
    : clock_(clock), db_path_(std::move(db_path)), file_(std::move(file)), every_(every) {}

AnchorKeeper::~AnchorKeeper() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void AnchorKeeper::start() {
  auto highest = file_.highest();
  if (!highest)
    std::fprintf(stderr, "hotline: AUDIT ANCHOR FILE UNREADABLE: %s\n", highest.error().message.c_str());
  else
    highest_ = std::move(*highest);
  checkpoint();
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "hl-anchor");
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, every_, [this] { return stopping_; })) {
      lock.unlock();
      checkpoint();
      lock.lock();
    }
  });
}

void AnchorKeeper::checkpoint() {
  std::lock_guard lock(mutex_);
  Anchor now;
  try {
    auto conn = db::Connection::open(db_path_, {.read_only = true});
    now = AuditChain::newest_row(conn);
  } catch (const db::DbError& e) {
    std::fprintf(stderr, "hotline: audit anchor not written: %s\n", e.what());
    return;
  }
  now.at = clock_.now_ms();
  if (highest_) {
    const bool same_row = now.row_id == highest_->row_id;
    const bool same_hash = same_row && now.row_hash.size() == highest_->row_hash.size() &&
                           sodium_memcmp(now.row_hash.data(), highest_->row_hash.data(), now.row_hash.size()) == 0;
    if (same_hash) return;  // nothing appended since
    if (now.row_id < highest_->row_id || same_row) {
      std::fprintf(stderr,
                   "hotline: AUDIT LOG DOES NOT MATCH ITS ANCHOR: the newest row is %lld but %s records row %lld%s; "
                   "run `hotline audit verify`\n",
                   static_cast<long long>(now.row_id), file_.path().c_str(), static_cast<long long>(highest_->row_id),
                   same_row ? " with another hash" : "");
      return;
    }
  }
  if (auto written = file_.append(now); !written) {
    std::fprintf(stderr, "hotline: audit anchor not written: %s\n", written.error().message.c_str());
    return;
  }
  std::string hex(now.row_hash.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(now.row_hash.data()), now.row_hash.size());
  hex.pop_back();
  std::fprintf(stderr, "hotline: audit anchor row=%lld hash=%s\n", static_cast<long long>(now.row_id), hex.c_str());
  highest_ = std::move(now);
}

}  // namespace hl::audit
