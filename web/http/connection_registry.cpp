#include "web/http/connection_registry.hpp"

#include <utility>

namespace hl::web {

ConnectionRegistry::ConnectionRegistry(std::function<void()> on_drained)
    : on_drained_(std::move(on_drained)) {}

bool ConnectionRegistry::add(std::shared_ptr<HttpSession> session) {
  std::lock_guard lock(mutex_);
  if (closed_) return false;
  const HttpSession* key = session.get();
  sessions_.emplace(key, std::move(session));
  return true;
}

void ConnectionRegistry::remove(const HttpSession* session) {
  std::shared_ptr<HttpSession> removed;  // destroyed after the lock is released
  bool drained = false;
  {
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(session);
    if (it == sessions_.end()) return;
    removed = std::move(it->second);
    sessions_.erase(it);
    drained = closed_ && sessions_.empty();
  }
  if (drained && on_drained_) on_drained_();
}

std::vector<std::shared_ptr<HttpSession>> ConnectionRegistry::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  std::vector<std::shared_ptr<HttpSession>> open;
  for (const auto& [key, session] : sessions_) open.push_back(session);
  return open;
}

std::vector<std::shared_ptr<HttpSession>> ConnectionRegistry::snapshot() const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<HttpSession>> open;
  for (const auto& [key, session] : sessions_) open.push_back(session);
  return open;
}

std::size_t ConnectionRegistry::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

}  // namespace hl::web
