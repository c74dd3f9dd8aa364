#pragma once
// Failed logins for usernames that do not exist, counted like those of real accounts (whose count
// and lock live in the users table), so that "five wrong passwords, then 429" happens for every
// name and the lockout does not tell an attacker which usernames are real.
//
// In memory, bounded: at most kMaxEntries names; when full, expired entries go first, then the
// oldest. Shared between threads: every call locks mutex_.
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.hpp"

namespace hl::casework {

class UnknownUserThrottle {
 public:
  static constexpr std::size_t kMaxEntries = 10'000;

  // Until when the name is locked (0 when it is not).
  TimeMs locked_until(const std::string& username, TimeMs now);
  // Counts a failure; returns the new lock (0 while under `free_failures`). `lockout(failures)` is
  // the back-off the real accounts use.
  TimeMs record_failure(const std::string& username, TimeMs now, int free_failures, TimeMs (*lockout)(int));

 private:
  struct Entry {
    int failures = 0;
    TimeMs locked_until = 0;
    TimeMs last_seen = 0;
  };
  void make_room(TimeMs now);

  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace hl::casework
