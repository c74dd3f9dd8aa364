#pragma once
// The server's live connections. It owns them (a session waiting for a slow handler has no I/O
// pending, so nothing else would keep it alive), lets stop() reach every one of them, and tells
// the server when the last one is gone during a drain.
//
// Shared between threads: sessions add and remove themselves from their own strands; a mutex
// guards the map and the closed flag.
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace hl::web {

class HttpSession;

class ConnectionRegistry {
 public:
  // on_drained runs on the thread of the remove() that empties a closed registry.
  explicit ConnectionRegistry(std::function<void()> on_drained);

  // Returns false once close() has run: a draining server takes no new connections.
  bool add(std::shared_ptr<HttpSession> session);
  void remove(const HttpSession* session);
  // Refuses further add() calls; returns the connections still open.
  std::vector<std::shared_ptr<HttpSession>> close();
  std::vector<std::shared_ptr<HttpSession>> snapshot() const;
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<const HttpSession*, std::shared_ptr<HttpSession>> sessions_;
  bool closed_ = false;
  std::function<void()> on_drained_;
};

}  // namespace hl::web
