#include "casework/unknown_user_throttle.hpp"

#include <algorithm>

namespace hl::casework {
namespace {

// A name left alone this long starts again from zero failures (as a real account does once its
// lock has passed and it logs in).
constexpr TimeMs kForgetAfterMs = 60 * 60'000;

}  // namespace

TimeMs UnknownUserThrottle::locked_until(const std::string& username, TimeMs now) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(username);
  if (it == entries_.end()) return 0;
  return it->second.locked_until > now ? it->second.locked_until : 0;
}

TimeMs UnknownUserThrottle::record_failure(const std::string& username, TimeMs now, int free_failures,
                                           TimeMs (*lockout)(int)) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(username);
  if (it == entries_.end()) {
    make_room(now);
    it = entries_.emplace(username, Entry{}).first;
  } else if (now - it->second.last_seen > kForgetAfterMs && it->second.locked_until <= now) {
    it->second = Entry{};
  }
  Entry& e = it->second;
  e.failures += 1;
  e.last_seen = now;
  e.locked_until = e.failures >= free_failures ? now + lockout(e.failures) : 0;
  return e.locked_until;
}

void UnknownUserThrottle::make_room(TimeMs now) {
  if (entries_.size() < kMaxEntries) return;
  std::erase_if(entries_, [now](const auto& kv) {
    return kv.second.locked_until <= now && now - kv.second.last_seen > kForgetAfterMs;
  });
  if (entries_.size() < kMaxEntries) return;
  auto oldest = std::min_element(entries_.begin(), entries_.end(),
                                 [](const auto& a, const auto& b) { return a.second.last_seen < b.second.last_seen; });
  entries_.erase(oldest);
}

}  // namespace hl::casework
