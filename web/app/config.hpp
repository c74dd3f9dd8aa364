#pragma once
// Server configuration from, in increasing precedence: a JSON file (--config FILE), environment
// variables (HOTLINE_DB, HOTLINE_KEYS, HOTLINE_LISTEN, HOTLINE_THREADS, HOTLINE_METRICS_TOKEN), and command-line flags
// (--db, --keys, --listen, --threads). Validated once at start; every problem is reported at once.
#include <cstdint>
#include <string>
#include <vector>

#include "core/cli_args.hpp"
#include "core/error.hpp"

namespace hl::web {

// A call-centre system allowed to report calls (POST /api/v1/telephony/calls, web/API.md). Only the
// SHA-256 of its bearer token is configured (`hotline telephony-token NAME` makes a token and the
// line); offices: the office ids (with their subtrees) whose operators its calls may reach, empty
// for any.
struct TelephonySystem {
  std::string name;
  std::string token_sha256;  // 64 lower-case hex characters
  std::vector<std::int64_t> offices;
  bool operator==(const TelephonySystem&) const = default;
};

struct AppConfig {
  std::string db_path = "hotline.db";
  std::string keys_path;  // default: the database path with ".keys" appended
  // The crypto suite of a NEW database's key file ("sodium" or "sm", core/crypto/suite.hpp; empty:
  // sodium). An existing database keeps its own; naming another is refused at start.
  std::string crypto_suite;
  std::string audit_anchor_path;  // default: the key file's path with ".anchor" appended
  std::string address = "127.0.0.1";
  unsigned short port = 8080;
  unsigned threads = 2;       // HTTP I/O threads
  unsigned read_workers = 4;  // read-only SQLite connections
  int request_timeout_s = 30;
  int drain_timeout_s = 10;
  int session_idle_minutes = 30;
  int session_absolute_hours = 12;
  // Password policy (casework/password_policy.hpp): a password older than this many days must be
  // changed at the next login (0: never); with password_change_first_login, so must a password an
  // administrator set (a new account), at its first login.
  int password_max_age_days = 0;
  bool password_change_first_login = false;
  // Two-step verification (casework/second_factor.hpp): when required, every account must set it up
  // at its next login before it can do anything else; off by default so a fresh install can log in
  // (README: turn it on in production). The issuer is the name an authenticator app lists.
  bool second_factor_required = false;
  // Retention (casework/case_retention.hpp): a case archived longer than this many days has its
  // personal data anonymised (0: kept for ever; the statistics keep their counts either way).
  int retention_days_after_archive = 0;
  std::string second_factor_issuer = "Weiquan";
  bool secure_cookies = false;  // set when served behind TLS
  // Peers (IP addresses, e.g. the local nginx: "127.0.0.1", "::1") whose X-Forwarded-For is believed:
  // from them the client address recorded in the audit log is the header's last entry (the address
  // the proxy saw). Empty: the header is ignored and the TCP peer is recorded.
  std::vector<std::string> trusted_proxies;
  // A bearer token (at least 32 characters) with which a monitoring system may read /metrics
  // (`Authorization: Bearer TOKEN`); without one only a supervisor's or administrator's session can.
  std::string metrics_token;
  std::vector<TelephonySystem> telephony;  // config "telephony": the call-centre systems
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
  // Scheduled online backups (core/db/backup_scheduler.hpp), on when backup_dir is set: one every
  // backup_every ("30m", "6h", "1d", or a number of minutes) into backup_dir (made 0700; use a second
  // disk), keeping the backup_keep newest.
  std::string backup_dir;
  long long backup_every_minutes = 24 * 60;
  int backup_keep = 14;
  // Test builds only: run on the clock of this file (core/file_clock.hpp) instead of the system
  // clock. Set by main from `--clock-file`, which a binary built without HOTLINE_TEST_CLOCK refuses;
  // never read from the configuration file or the environment.
  std::string clock_file;
};

Result<AppConfig> load_config(const CliArgs& args);

// The file keys of the settings whose values differ between `running` and `reread` (a reload on
// SIGHUP reports them: they take effect at the next restart). A setting added to AppConfig is added
// here too.
std::vector<std::string> changed_settings(const AppConfig& running, const AppConfig& reread);

}  // namespace hl::web
