// How much an online backup holds up the writer: a writer thread commits one small row per
// transaction (synchronous=FULL, as the server does) without a pause, first alone, then while each way
// of copying the database runs on another connection:
//   stepped  — sqlite3_backup_step(256) with a 5 ms pause between steps (the old core/db/backup.cpp):
//              every commit of the writer restarts the copy, so it is given up after --cap seconds;
//   snapshot — sqlite3_backup_step(-1): every page in one step under one read snapshot (what
//              core/db/backup.cpp does now, before its integrity_check and SHA-256);
//   held     — sqlite3_backup_step(1024) with a 2 ms pause, all under one read transaction held on the
//              source (the snapshot stays fixed, so nothing restarts): a throttled variant of snapshot;
//   vacuum   — VACUUM INTO on a read-only connection (also one snapshot; rebuilds every b-tree);
//   full     — hl::db::backup_database as the scheduler runs it: snapshot + integrity_check +
//              fsync + SHA-256.
// For each: the copy's seconds and size, the writer's commits per second and its p50/p99/max commit
// latency during the copy, beside the same without a copy, and the largest WAL seen. Run it on a
// scratch copy of a database (it adds a table): tests/bench/restore_bench.sh does.
//
//   bench_backup --db PATH [--methods stepped,snapshot,held,vacuum,full] [--cap SECONDS] [--baseline SECONDS]
//
// Prints one line per method and a JSON line with everything. Never fails on time.
//
//   bench_backup --db PATH --add-audit-rows N [--keys FILE]
//
// appends N rows to the audit chain (keyed with the key file, default PATH.keys), 10,000 per
// transaction: gen_cases writes none, and a restore verifies the whole chain, so a realistic restore
// time needs an office's worth of them (every case read is audited: several rows per case).
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/audit/audit_chain.hpp"
#include "core/cli_args.hpp"
#include "core/crypto/keys.hpp"
#include "core/db/backup.hpp"
#include "core/db/connection.hpp"

using namespace hl;
using Steady = std::chrono::steady_clock;

namespace {

struct WriterStats {
  std::vector<double> latencies_ms;
  std::int64_t max_wal_bytes = 0;
};

// Commits one row per transaction until `stop`, recording each commit's latency.
class BenchWriter {
 public:
  explicit BenchWriter(const std::string& db) : db_(db) {
    auto c = db::Connection::open(db_);
    c.exec("CREATE TABLE IF NOT EXISTS bench_backup_writes(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, pad BLOB NOT NULL)");
  }
  // Runs the writer while `work` runs on this thread; returns the writer's figures for that time and
  // the work's seconds.
  template <class Work>
  std::pair<WriterStats, double> during(Work&& work) {
    std::atomic<bool> stop{false}, ready{false};
    WriterStats stats;
    std::thread writer([&] {
      auto c = db::Connection::open(db_, {.synchronous_full = true});
      // An empty WAL to start from, before the work begins (it would hold a reader), so that the
      // largest WAL seen is this copy's and the checkpoint's time is not counted.
      c.exec("PRAGMA wal_checkpoint(TRUNCATE)");
      ready = true;
      auto insert = c.prepare("INSERT INTO bench_backup_writes(at, pad) VALUES (?1, zeroblob(200))");
      int n = 0;
      while (!stop) {
        const auto t0 = Steady::now();
        c.exec("BEGIN IMMEDIATE");
        insert.bind_all(static_cast<std::int64_t>(t0.time_since_epoch().count()));
        insert.step();
        insert.reset();
        c.exec("COMMIT");
        stats.latencies_ms.push_back(std::chrono::duration<double, std::milli>(Steady::now() - t0).count());
        if (++n % 50 == 0) {
          std::error_code ec;
          stats.max_wal_bytes = std::max<std::int64_t>(stats.max_wal_bytes, std::filesystem::file_size(db_ + "-wal", ec));
        }
      }
    });
    while (!ready) std::this_thread::yield();
    const auto t0 = Steady::now();
    work();
    const double seconds = std::chrono::duration<double>(Steady::now() - t0).count();
    stop = true;
    writer.join();
    return {stats, seconds};
  }

 private:
  std::string db_;
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

struct Outcome {
  bool finished = true;
  std::string note;
};

Outcome stepped(sqlite3* source, const std::string& target, double cap_s) {
  sqlite3* dest = nullptr;
  sqlite3_open(target.c_str(), &dest);
  sqlite3_backup* b = sqlite3_backup_init(dest, "main", source, "main");
  const auto deadline = Steady::now() + std::chrono::duration<double>(cap_s);
  int rc = SQLITE_OK, restarts = 0, last_remaining = -1;
  while ((rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && Steady::now() < deadline) {
    rc = sqlite3_backup_step(b, 256);
    const int remaining = sqlite3_backup_remaining(b);
    if (last_remaining >= 0 && remaining > last_remaining) ++restarts;
    last_remaining = remaining;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const int remaining = sqlite3_backup_remaining(b);
  sqlite3_backup_finish(b);
  sqlite3_close(dest);
  std::ostringstream note;
  note << restarts << " restarts";
  if (rc != SQLITE_DONE) note << ", " << remaining << " pages still to copy when given up";
  return {rc == SQLITE_DONE, note.str()};
}

Outcome snapshot(sqlite3* source, const std::string& target) {
  sqlite3* dest = nullptr;
  sqlite3_open(target.c_str(), &dest);
  sqlite3_exec(dest, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF", nullptr, nullptr, nullptr);
  sqlite3_backup* b = sqlite3_backup_init(dest, "main", source, "main");
  const int rc = sqlite3_backup_step(b, -1);
  sqlite3_backup_finish(b);
  sqlite3_close(dest);
  return {rc == SQLITE_DONE, rc == SQLITE_DONE ? "" : sqlite3_errstr(rc)};
}

Outcome held(sqlite3* source, const std::string& target) {
  sqlite3* dest = nullptr;
  sqlite3_open(target.c_str(), &dest);
  sqlite3_exec(dest, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF", nullptr, nullptr, nullptr);
  sqlite3_exec(source, "BEGIN; SELECT count(*) FROM sqlite_schema", nullptr, nullptr, nullptr);
  sqlite3_backup* b = sqlite3_backup_init(dest, "main", source, "main");
  int rc = SQLITE_OK, restarts = 0, last_remaining = -1;
  while (rc == SQLITE_OK) {
    rc = sqlite3_backup_step(b, 1024);
    const int remaining = sqlite3_backup_remaining(b);
    if (last_remaining >= 0 && remaining > last_remaining) ++restarts;
    last_remaining = remaining;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  sqlite3_backup_finish(b);
  sqlite3_exec(source, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(dest);
  return {rc == SQLITE_DONE, std::to_string(restarts) + " restarts"};
}

Outcome vacuum_into(sqlite3* source, const std::string& target) {
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(source, "VACUUM INTO ?1", -1, &st, nullptr);
  sqlite3_bind_text(st, 1, target.c_str(), -1, SQLITE_TRANSIENT);
  const int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  return {rc == SQLITE_DONE, rc == SQLITE_DONE ? "" : sqlite3_errmsg(source)};
}

// Appends `rows` audit rows in transactions of 10,000 and prints how long it took.
int add_audit_rows(const std::string& db, const std::string& keys_path, std::int64_t rows) {
  auto keys = crypto::load_or_create_keys(keys_path);
  if (!keys) {
    std::fprintf(stderr, "bench_backup: %s\n", keys.error().message.c_str());
    return 1;
  }
  const audit::AuditChain chain(keys->audit_key);
  auto c = db::Connection::open(db, {.synchronous_full = false});
  const auto t0 = Steady::now();
  const TimeMs base = 1'700'000'000'000;
  for (std::int64_t done = 0; done < rows;) {
    c.exec("BEGIN IMMEDIATE");
    for (int i = 0; i < 10'000 && done < rows; ++i, ++done)
      chain.append(c, {base + done * 1000, 1 + done % 500, done % 3 ? "case.read" : "case.update", "case", 1 + done % 1'000'000,
                       done % 3 ? "" : "{\"fields\":\"summary\"}", "10.0.0.7"});
    c.exec("COMMIT");
  }
  const double s = std::chrono::duration<double>(Steady::now() - t0).count();
  std::printf("{\"audit_rows_added\":%lld,\"seconds\":%.1f}\n", static_cast<long long>(rows), s);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto args = parse_cli(argc, argv, {});
  if (!args || !args->get("db")) {
    std::fputs("usage: bench_backup --db PATH [--methods stepped,snapshot,held,vacuum,full] [--cap S] [--baseline S]\n"
               "       bench_backup --db PATH --add-audit-rows N [--keys FILE]\n",
               stderr);
    return 2;
  }
  const std::string db = *args->get("db");
  if (auto n = args->get("add-audit-rows")) return add_audit_rows(db, args->get("keys").value_or(db + ".keys"), std::stoll(*n));
  const double cap_s = std::stod(args->get("cap").value_or("60"));
  const double baseline_s = std::stod(args->get("baseline").value_or("5"));
  std::vector<std::string> methods;
  std::stringstream list(args->get("methods").value_or("stepped,snapshot,held,vacuum,full"));
  for (std::string m; std::getline(list, m, ',');) methods.push_back(m);
  const std::string target = db + ".bench-copy";
  BenchWriter writer(db);
  std::printf("%-9s %9s %9s %10s %9s %9s %9s %10s  %s\n", "method", "copy s", "copy MB", "commits/s", "p50 ms", "p99 ms",
              "max ms", "max WAL MB", "note");
  std::string json = "{\"db\":\"" + db + "\",\"db_bytes\":" + std::to_string(std::filesystem::file_size(db)) + ",\"methods\":{";
  auto report = [&](const std::string& name, double seconds, const WriterStats& w, const Outcome& o) {
    std::error_code ec;
    const auto bytes = std::filesystem::file_size(target, ec);
    const double rate = seconds > 0 ? static_cast<double>(w.latencies_ms.size()) / seconds : 0;
    std::printf("%-9s %9.2f %9.1f %10.0f %9.2f %9.2f %9.2f %10.1f  %s%s\n", name.c_str(), seconds, ec ? 0.0 : bytes / 1e6, rate,
                percentile(w.latencies_ms, 0.5), percentile(w.latencies_ms, 0.99), percentile(w.latencies_ms, 1.0),
                w.max_wal_bytes / 1e6, o.finished ? "" : "DID NOT FINISH; ", o.note.c_str());
    std::fflush(stdout);
    char line[512];
    std::snprintf(line, sizeof line,
                  "%s\"%s\":{\"seconds\":%.3f,\"finished\":%s,\"commits_per_s\":%.1f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,"
                  "\"max_ms\":%.3f,\"max_wal_bytes\":%lld}",
                  json.back() == '{' ? "" : ",", name.c_str(), seconds, o.finished ? "true" : "false", rate,
                  percentile(w.latencies_ms, 0.5), percentile(w.latencies_ms, 0.99), percentile(w.latencies_ms, 1.0),
                  static_cast<long long>(w.max_wal_bytes));
    json += line;
    std::filesystem::remove(target, ec);
  };
  {
    const auto [w, seconds] = writer.during([&] { std::this_thread::sleep_for(std::chrono::duration<double>(baseline_s)); });
    report("none", seconds, w, {});
  }
  for (const auto& m : methods) {
    std::filesystem::remove(target);
    auto source = db::Connection::open(db, {.read_only = true});
    Outcome outcome;
    const auto [w, seconds] = writer.during([&] {
      if (m == "stepped") outcome = stepped(source.raw(), target, cap_s);
      else if (m == "snapshot") outcome = snapshot(source.raw(), target);
      else if (m == "held") outcome = held(source.raw(), target);
      else if (m == "vacuum") outcome = vacuum_into(source.raw(), target);
      else if (m == "full") {
        auto copy = db::backup_database(db, target);
        outcome = {copy.has_value(), copy ? "with integrity_check, fsync and SHA-256" : copy.error().message};
      } else outcome = {false, "unknown method"};
    });
    report(m, seconds, w, outcome);
  }
  std::printf("%s}}\n", json.c_str());
  return 0;
}
