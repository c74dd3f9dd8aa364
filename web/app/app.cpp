#include "web/app/app.hpp"

#include <csignal>
#include <string>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <pthread.h>
#include <thread>

#include "casework/case_archive.hpp"
#include "casework/case_retention.hpp"
#include "casework/case_search.hpp"
#include "casework/database_keys.hpp"
#include "casework/safe_contact_sealing.hpp"
#include "casework/schema_setup.hpp"
#include "core/audit/anchor_keeper.hpp"
#include "core/crypto/field_cipher.hpp"
#include "core/crypto/keys.hpp"
#include "core/file_clock.hpp"
#include "core/local_time.hpp"
#include "core/periodic_task.hpp"
#include "core/db/db_error.hpp"
#include "core/db/erasure.hpp"
#include "core/db/storage_checks.hpp"
#include "core/db/storage_monitor.hpp"
#include "core/db/backup_manifest.hpp"
#include "core/db/backup_scheduler.hpp"
#include "casework/backup_tables.hpp"
#include "core/file_modes.hpp"
#include "web/api/dv_routes.hpp"
#include "web/api/ops_routes.hpp"
#include "web/api/routes.hpp"
#include "web/api/supervision_routes.hpp"
#include "web/api/report_routes.hpp"
#include "web/http/server.hpp"
#include "web/http/static_assets.hpp"
#include "web/app/service_notify.hpp"
#include "web/static_files.hpp"

namespace hl::web {

struct App::Impl {
  AppConfig config;
  // The system clock, or in a test build the clock file's (config.clock_file; file_clock is then set).
  std::unique_ptr<Clock> clock_source;
  FileClock* file_clock;
  Clock& clock = *clock_source;
  crypto::Keys keys;
  crypto::PasswordHasher hasher{2};
  crypto::FieldCipher cipher{keys.field_key, keys.suite};
  crypto::KeyedHash lookup_hash{keys.lookup_key, keys.suite};
  casework::PersonIdentity identity{cipher, lookup_hash};
  crypto::KeyedHash token_hash{keys.token_key, keys.suite};
  audit::AuditChain audit{keys.audit_key, keys.suite};
  audit::AnchorKeeper anchors{clock, config.db_path, audit::AnchorFile(config.audit_anchor_path, keys.audit_key, keys.suite),
                              std::chrono::minutes(1)};
  db::StorageHealth health;
  db::Writer writer;
  db::ReadPool reads;
  SessionStore sessions;
  casework::LoginGuard logins{clock, hasher, lookup_hash};
  casework::PasswordChange password_changes{clock, hasher, logins};
  casework::SecondFactor second_factor{clock, cipher, token_hash};
  EventHub events;
  Metrics metrics;
  casework::CaseService cases{clock};
  casework::CaseEdits edits{clock};
  intake::IntakeService intake{clock, identity};
  casework::ReferralService referrals{clock};
  casework::MediationService mediations{clock};
  casework::AttachmentService attachments{clock};
  Services services;
  Router router;
  StaticAssets assets{static_files()};
  db::StorageMonitor monitor;
  std::unique_ptr<db::BackupScheduler> backups;  // when backup_dir is set; see start_backups()
  // 存档: every hour, the closed cases due for archiving (last member: stopped before the writer).
  std::unique_ptr<PeriodicTask> archiver;

  Impl(AppConfig c, std::unique_ptr<Clock> clock_in, FileClock* file_clock_in, crypto::Keys k, db::Connection write_conn)
      : config(std::move(c)),
        clock_source(std::move(clock_in)),
        file_clock(file_clock_in),
        keys(k),
        health(clock, config.db_path,
               {config.free_space_min_bytes, config.integrity_check_max_age_hours * 3'600'000LL}),
        writer(std::move(write_conn), {.health = &health}),
        reads(config.db_path, config.read_workers, &health),
        sessions(clock, token_hash, cipher, writer, config.session_idle_minutes * 60'000LL, config.session_absolute_hours * 3'600'000LL,
                 {config.password_max_age_days, config.password_change_first_login}, config.second_factor_required),
        services{clock, writer, reads, health, hasher, cipher, identity, audit, sessions, logins, password_changes,
                 second_factor, events, metrics, cases, edits, intake, referrals, mediations, attachments,
                 config.secure_cookies, config.metrics_token, config.second_factor_issuer, config.telephony, &anchors.file()},
        monitor(clock, config.db_path, health, {config.integrity_check_minute, config.quick_check_sync_max_bytes}) {
    add_session_routes(router, services);
    add_second_factor_routes(router, services);
    add_case_routes(router, services);
    add_intake_routes(router, services);
    add_reference_routes(router, services);
    add_admin_routes(router, services);
    add_account_routes(router, services);
    add_audit_routes(router, services);
    add_referral_routes(router, services);
    add_dv_routes(router, services);
    add_supervision_routes(router, services);
    add_report_routes(router, services);
    add_import_routes(router, services);
    add_ops_routes(router, services, static_files());
    add_event_routes(router, services);
    add_telephony_routes(router, services);
    add_attachment_routes(router, services);
    add_review_routes(router, services);
    add_case_supervision_routes(router, services);
    add_legal_hold_routes(router, services);
    router.add_fallback([this](HttpRequest& r, Reply reply) { reply(assets.serve(r)); });
    archiver = std::make_unique<PeriodicTask>(std::chrono::hours(1), [this] { archive_due_cases(); });
  }

  // Walks the closed cases in batches, each one writer command, archiving those due.
  void archive_due_cases() {
    std::optional<std::pair<TimeMs, std::int64_t>> after;
    int archived = 0;
    do {
      auto swept = writer.submit([this, after](db::Connection& conn) -> Result<casework::CaseArchive::Sweep> {
        return casework::CaseArchive::archive_due(conn, clock.now_ms(), after);
      }).get();
      if (!swept) {
        std::fprintf(stderr, "hotline: archiving stopped: %s\n", swept.error().message.c_str());
        return;
      }
      archived += swept->archived;
      after = swept->next;
    } while (after);
    if (archived > 0) std::fprintf(stderr, "hotline: archived %d closed case(s) (存档)\n", archived);
    anonymise_due_cases();
  }

  // A bound on the search index's merge steps (500 pages each: far more than a provincial index needs).
  static constexpr int kMaxMergeSteps = 100'000;

  // Retention: cases archived longer than retention_days_after_archive lose their personal data,
  // in batches, each case audited (case.anonymise by the system); then nothing of them is left in the
  // search index or the WAL.
  void anonymise_due_cases() {
    if (config.retention_days_after_archive <= 0) return;
    std::size_t done = 0, batch = 0;
    do {
      auto ids = writer.submit([this](db::Connection& conn) -> Result<std::vector<std::int64_t>> {
        const TimeMs now = clock.now_ms();
        auto ids = casework::CaseRetention::anonymise_due(conn, now, config.retention_days_after_archive, 100);
        for (auto id : ids) audit.append(conn, {now, std::nullopt, "case.anonymise", "case", id, "retention", ""});
        return ids;
      }).get();
      if (!ids) {
        std::fprintf(stderr, "hotline: anonymising stopped: %s\n", ids.error().message.c_str());
        return;
      }
      batch = ids->size();
      done += batch;
    } while (batch == 100);
    if (done == 0) return;
    std::fprintf(stderr, "hotline: anonymised %zu case(s) past their retention\n", done);
    // The search index keeps the erased cases' terms until its segments merge: merge it whole, one
    // short Writer command at a time so intakes go on between them.
    int steps = 0;
    bool more = true;
    for (; more && steps < kMaxMergeSteps; ++steps) {
      auto step = writer.submit([start = steps == 0](db::Connection& conn) -> Result<bool> {
        return casework::merge_search_index(conn, start);
      }).get();
      if (!step) {
        std::fprintf(stderr, "hotline: merging the search index stopped: %s\n", step.error().message.c_str());
        break;
      }
      more = *step;
    }
    if (!more)
      std::fprintf(stderr, "hotline: search index merged whole (%d step(s)): the erased cases' terms are gone\n", steps);
    // The WAL still holds the pages as they were before, personal data included: empty it.
    if (auto emptied = db::truncate_wal(config.db_path); !emptied)
      std::fprintf(stderr, "hotline: %s; the old page images go as the WAL is reused\n", emptied.error().message.c_str());
  }

  // Scheduled backups: each copied, checked, described and signed by make_backup, on the scheduler's
  // thread. Fails when backup_dir cannot be created or made private.
  Status start_backups() {
    if (config.backup_dir.empty()) return {};
    auto job = [this](const std::string& target) -> Result<std::string> {
      auto made = db::make_backup(config.db_path, target, clock, casework::kBackupCountedTables, keys);
      if (!made) return std::unexpected(made.error());
      return std::to_string(made->page_count) + " pages, " + std::to_string(made->bytes) + " bytes, audit chain up to row " +
             std::to_string(made->audit_last_id);
    };
    backups = std::make_unique<db::BackupScheduler>(
        clock, db::BackupScheduler::Options{config.backup_dir, config.backup_every_minutes * 60'000LL, config.backup_keep, config.db_path},
        std::move(job), health);
    return backups->start();
  }
};

App::App(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
App::~App() = default;

Result<std::unique_ptr<App>> App::open(const AppConfig& config) {
  // Files made by an older release (0644) or by hand become owner-only; new ones are (umask, main).
  for (const auto& line : tighten_database_modes(config.db_path)) std::fprintf(stderr, "hotline: %s\n", line.c_str());
  // Refuse at once, naming the path and the reason, when the storage cannot take writes: a server
  // that listened would fail every write instead.
  if (auto writable = db::check_database_writable(config.db_path); !writable) return std::unexpected(writable.error());
  try {
    auto conn = db::Connection::open(config.db_path, {.synchronous_full = config.synchronous_full});
    auto migrated = casework::migrate_database(conn);
    if (!migrated) return std::unexpected(migrated.error());
    // A migration may have rewritten stored schema text (009): a fresh connection parses it anew.
    if (*migrated > 0) conn = db::Connection::open(config.db_path, {.synchronous_full = config.synchronous_full});
    auto keys = casework::open_database_keys(conn, config.keys_path,
                                             config.crypto_suite.empty() ? std::nullopt : crypto::parse_suite(config.crypto_suite));
    if (!keys) return std::unexpected(keys.error());
    // Values an older release stored in plaintext are encrypted now, before anything reads them.
    if (auto sealed = casework::seal_safe_contact_fields(conn, crypto::FieldCipher(keys->field_key, keys->suite)); !sealed)
      return std::unexpected(sealed.error());
    else if (*sealed > 0)
      std::fprintf(stderr, "hotline: encrypted %d safe-contact value(s) an older release stored in plaintext\n", *sealed);
    std::unique_ptr<Clock> clock = std::make_unique<SystemClock>();
    FileClock* file_clock = nullptr;
    if (!config.clock_file.empty()) {
      auto opened = FileClock::open(config.clock_file);
      if (!opened) return std::unexpected(opened.error());
      file_clock = opened->get();
      clock = std::move(*opened);
      std::fprintf(stderr, "hotline: TEST CLOCK from %s: now %s\n", config.clock_file.c_str(),
                   format_iso8601(clock->now_ms()).c_str());
    }
    auto impl = std::make_unique<Impl>(config, std::move(clock), file_clock, *keys, std::move(conn));
    // Sessions survive a restart: the live ones are back before the first request.
    if (auto sessions = impl->sessions.load(); !sessions) return std::unexpected(sessions.error());
    impl->monitor.start();
    impl->anchors.start();
    if (auto started = impl->start_backups(); !started) return std::unexpected(started.error());
    return std::unique_ptr<App>(new App(std::move(impl)));
  } catch (const db::DbError& e) {
    // Damage in the pages every start needs (the header, the schema, the keys' table): the server
    // cannot start on this file; say which file and what to do.
    if (e.storage_fault() == db::StorageFault::damaged)
      return fail(Errc::storage_unavailable, "the database file " + config.db_path + " is damaged (" + e.what() +
                                                 "): restore the newest backup (README, Backup and restore)");
    return fail(Errc::internal, "database " + config.db_path + ": " + e.what());
  }
}

namespace {
sigset_t stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  return signals;
}

// Test builds: every write of the clock file is applied at once and acknowledged on stdout, after the
// "listening on" line, so that a test which changed the clock can wait for the line before its next
// request (tests/api/server_process.cpp, tests/e2e/server.mjs). The line names the setting exactly:
//   test clock set: running offset=<instant - file mtime, ms> now=<ISO 8601>
//   test clock set: frozen at=<epoch ms> now=<ISO 8601>
// Before the line, `catch_up` runs the time-driven housekeeping once (the 存档 sweep): on real time it
// runs hourly, so a server whose clock jumps a month would have run it many times by then; running it
// before the acknowledgement lets a test that moved the clock see its effect at once, with the same
// code the hourly task runs (a configurable interval would leave the test polling).
void watch_clock_file(FileClock& clock, std::function<void()> catch_up) {
  auto watched = clock.watch([&clock, catch_up = std::move(catch_up)](const Result<ClockSetting>& setting) {
    if (!setting) {
      std::fprintf(stderr, "hotline: test clock unchanged: %s\n", setting.error().message.c_str());
      return;
    }
    catch_up();
    const auto offset = clock.offset_ms();
    if (offset)
      std::printf("test clock set: running offset=%lld now=%s\n", static_cast<long long>(*offset),
                  format_iso8601(clock.now_ms()).c_str());
    else
      std::printf("test clock set: frozen at=%lld now=%s\n", static_cast<long long>(setting->instant),
                  format_iso8601(setting->instant).c_str());
    std::fflush(stdout);
  });
  if (!watched) std::fprintf(stderr, "hotline: the test clock file is not watched: %s\n", watched.error().message.c_str());
}

}  // namespace

void App::block_stop_signals() {
  const sigset_t signals = stop_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

// SIGHUP: what serve() promises for a reload (app.hpp). Problems are logged, never fatal.
void App::reload(const ConfigSource& reread_config) {
  std::fputs("hotline: SIGHUP: reloading\n", stderr);
  if (reread_config) {
    auto reread = reread_config();
    if (!reread)
      std::fprintf(stderr, "hotline: reload: the configuration has problems (fix them before the next restart): %s\n",
                   reread.error().message.c_str());
    else if (auto changed = changed_settings(impl_->config, *reread); changed.empty())
      std::fputs("hotline: reload: the configuration is valid and unchanged\n", stderr);
    else {
      std::string names;
      for (const auto& c : changed) names += (names.empty() ? "" : ", ") + c;
      std::fprintf(stderr, "hotline: reload: the configuration is valid; changed settings take effect at the next restart: %s\n",
                   names.c_str());
    }
  }
  for (const auto& line : tighten_database_modes(impl_->config.db_path)) std::fprintf(stderr, "hotline: %s\n", line.c_str());
  if (auto writable = db::check_database_writable(impl_->config.db_path); !writable)
    std::fprintf(stderr, "hotline: reload: %s\n", writable.error().message.c_str());
  impl_->anchors.checkpoint();
  std::fputs("hotline: reload done\n", stderr);
}

int App::serve(ConfigSource reread_config) {
  // SIGTERM/SIGINT/SIGHUP are taken by one waiting thread, which asks the server to drain or
  // reloads. They are blocked in every other thread: main() calls block_stop_signals() before any
  // thread exists.
  block_stop_signals();
  const sigset_t signals = stop_signals();

  ServerOptions options;
  options.address = impl_->config.address;
  options.port = impl_->config.port;
  options.threads = impl_->config.threads;
  options.request_timeout = std::chrono::seconds(impl_->config.request_timeout_s);
  options.drain_timeout = std::chrono::seconds(impl_->config.drain_timeout_s);
  options.trusted_proxies = impl_->config.trusted_proxies;
  Server server(options, impl_->router, impl_->metrics);
  server.start();
  // The clock file is watched before "listening on" is printed: a test writes it as soon as it reads
  // that line, and a write before the watch began was never applied nor acknowledged (a flaky
  // tests/api ops/the_daily_integrity_check_runs_at_its_hour).
  if (impl_->file_clock) watch_clock_file(*impl_->file_clock, [this] { impl_->archive_due_cases(); });
  std::printf("listening on http://%s:%u\n", impl_->config.address.c_str(), static_cast<unsigned>(server.port()));
  std::fflush(stdout);
  const std::string serving = "serving on " + impl_->config.address + ":" + std::to_string(server.port());
  service_notify::ready(serving);

  std::thread waiter([this, &server, &reread_config, &serving, signals] {
    int sig = 0;
    while (sigwait(&signals, &sig) == 0 && sig == SIGHUP) {
      service_notify::reloading();
      reload(reread_config);
      service_notify::ready(serving);
    }
    service_notify::stopping();
    std::fprintf(stderr, "hotline: signal %d, draining\n", sig);
    server.stop();
  });
  server.run();
  // The clock's watcher submits to the writer (the archive sweep): it stops before the writer does.
  if (impl_->file_clock) impl_->file_clock->stop_watching();
  // The final anchor of the audit chain, once every write still queued is committed (the writer
  // answers in order, so a no-op's answer means all before it are done). The sessions' held-back
  // last_seen go first, so a planned restart costs nobody idle time.
  impl_->sessions.flush();
  impl_->writer.submit([](db::Connection&) -> Result<bool> { return true; }).get();
  impl_->anchors.checkpoint();
  // run() also returns if the server stopped on its own; wake the waiter so it can be joined.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  std::fprintf(stderr, "hotline: stopped\n");
  return 0;
}

}  // namespace hl::web
