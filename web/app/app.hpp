#pragma once
// The running server: opens and migrates the database, loads the keys, builds every service and
// route, and serves until stopped. main() only parses the command line and calls App.
#include <memory>

#include "core/error.hpp"
#include "web/app/config.hpp"

namespace hl::web {

class App {
 public:
  // Blocks SIGTERM/SIGINT in the calling thread and every thread it creates later; call it first
  // thing in main, before open(), so that only serve()'s waiting thread ever receives them.
  static void block_stop_signals();

  // Fails with a message for the operator: a database from a newer release, a missing key file for
  // a database that already holds encrypted data, an unreadable key file.
  static Result<std::unique_ptr<App>> open(const AppConfig& config);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Binds, prints "listening on http://ADDRESS:PORT" on stdout, and serves until SIGTERM/SIGINT;
  // then drains in-flight requests and returns 0.
  int serve();

 private:
  struct Impl;
  explicit App(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hl::web
