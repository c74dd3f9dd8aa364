#pragma once
// Server configuration from, in increasing precedence: a JSON file (--config FILE), environment
// variables (HOTLINE_DB, HOTLINE_KEYS, HOTLINE_LISTEN, HOTLINE_THREADS), and command-line flags
// (--db, --keys, --listen, --threads). Validated once at start; every problem is reported at once.
#include <string>

#include "core/cli_args.hpp"
#include "core/error.hpp"

namespace hl::web {

struct AppConfig {
  std::string db_path = "hotline.db";
  std::string keys_path;  // default: the database path with ".keys" appended
  std::string audit_anchor_path;  // default: the key file's path with ".anchor" appended
  std::string address = "127.0.0.1";
  unsigned short port = 8080;
  unsigned threads = 2;       // HTTP I/O threads
  unsigned read_workers = 4;  // read-only SQLite connections
  int request_timeout_s = 30;
  int drain_timeout_s = 10;
  int session_idle_minutes = 30;
  int session_absolute_hours = 12;
  bool secure_cookies = false;  // set when served behind TLS
  bool synchronous_full = true;
  // Storage health (core/db/storage_health.hpp): below this much free space /healthz says degraded.
  long long free_space_min_bytes = 128LL << 20;
  // The daily full PRAGMA integrity_check, at this Beijing time ("HH:MM", a quiet hour), and the age
  // after which a check counts as stale (degraded).
  int integrity_check_minute = 3 * 60 + 30;
  int integrity_check_max_age_hours = 48;
  // Databases up to this size are quick_check'ed before the server listens; larger ones right after,
  // in the background (health degraded until it finishes).
  long long quick_check_sync_max_bytes = 256LL << 20;
  // Test builds only: run on the clock of this file (core/file_clock.hpp) instead of the system
  // clock. Set by main from `--clock-file`, which a binary built without HOTLINE_TEST_CLOCK refuses;
  // never read from the configuration file or the environment.
  std::string clock_file;
};

Result<AppConfig> load_config(const CliArgs& args);

}  // namespace hl::web
