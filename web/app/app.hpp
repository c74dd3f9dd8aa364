#pragma once
// The running server: opens and migrates the database, loads the keys, builds every service and
// route, and serves until stopped. main() only parses the command line and calls App.
#include <functional>
#include <memory>

#include "core/error.hpp"
#include "web/app/config.hpp"

namespace hl::web {

class App {
 public:
  // Blocks SIGTERM/SIGINT/SIGHUP in the calling thread and every thread it creates later; call it first
  // thing in main, before open(), so that only serve()'s waiting thread ever receives them.
  static void block_stop_signals();

  // Fails with a message for the operator: a database from a newer release, a missing key file for
  // a database that already holds encrypted data, an unreadable key file.
  static Result<std::unique_ptr<App>> open(const AppConfig& config);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Re-reads the configuration for a reload (main: load_config over its command line).
  using ConfigSource = std::function<Result<AppConfig>()>;

  // Binds, prints "listening on http://ADDRESS:PORT" on stdout, tells systemd READY=1, and serves
  // until SIGTERM/SIGINT (STOPPING=1); then drains in-flight requests and returns 0. SIGHUP
  // (systemctl reload) reloads, between RELOADING=1 and READY=1: the configuration is re-read and
  // validated (its problems, or the settings that changed, are logged: they apply at the next
  // restart, nothing is swapped in a running server), the database files' modes and writability are
  // checked again and the audit chain is anchored. Without `reread_config` the configuration part
  // is skipped.
  int serve(ConfigSource reread_config = {});

 private:
  struct Impl;
  explicit App(std::unique_ptr<Impl> impl);
  void reload(const ConfigSource& reread_config);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hl::web
