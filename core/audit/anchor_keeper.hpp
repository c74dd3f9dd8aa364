#pragma once
// Writes the audit chain's anchors while the server runs (audit_anchor.hpp): at start, once a minute
// when the chain grew, and at the final checkpoint of a clean stop. Each anchor also goes to the log
// (the journal under systemd), a second record outside the database. A chain found shorter than, or
// different from, the highest anchor is reported loudly and never re-anchored lower.
//
// Shared between threads: checkpoint() may be called from any thread (guarded by mutex_).
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/audit/audit_anchor.hpp"
#include "core/clock.hpp"

namespace hl::audit {

class AnchorKeeper {
 public:
  AnchorKeeper(const Clock& clock, std::string db_path, AnchorFile file, std::chrono::milliseconds every);
  AnchorKeeper(const AnchorKeeper&) = delete;
  AnchorKeeper& operator=(const AnchorKeeper&) = delete;
  ~AnchorKeeper();  // stops the thread; the caller makes the final checkpoint() once writes are done

  void start();       // first checkpoint, then one every `every`
  void checkpoint();  // anchors the newest row when it is new (opens and closes its own connection)
  const AnchorFile& file() const { return file_; }

 private:
  const Clock& clock_;
  const std::string db_path_;
  const AnchorFile file_;
  const std::chrono::milliseconds every_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::optional<Anchor> highest_;  // the highest anchor in the file, as read at start and written since
  std::thread thread_;
};

}  // namespace hl::audit
