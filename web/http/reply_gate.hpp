#pragma once
// Lets threads outside the server (database workers holding a Reply) post to the server's
// io_context only while it exists. ~Server closes the gate first; a Reply called later is dropped
// instead of touching a destroyed io_context. Outlives the server: every Reply shares it.
//
// Shared between threads: the mutex guards `open_` and is held while the posting runs.
#include <mutex>

namespace hl::web {

class ReplyGate {
 public:
  // Runs post() under the lock if the gate is still open.
  template <class F>
  void run_if_open(F&& post) {
    std::lock_guard lock(mutex_);
    if (open_) post();
  }
  void close() {
    std::lock_guard lock(mutex_);
    open_ = false;
  }

 private:
  std::mutex mutex_;
  bool open_ = true;
};

}  // namespace hl::web
