// Durable case creations per second through the single writer (group commit, synchronous=FULL) at
// 1, 8 and 64 concurrent submitters, beside a plain loop of one transaction per case on the same
// machine in the same run. Prints a table and one JSON line; exits 0 (figures, not a pass/fail).
//
//   bench_writer [SECONDS]
//   bench_writer intake [--seconds S] [--submitters 1,16,64,256]
//
// `intake` is the storage ceiling of POST /api/v1/intakes: the same rows as http_load's intake (the
// contact, a new case with its register event, the complainant with encrypted phone and fingerprint,
// the search document, the repeat-caller lookup) and the audit entry, written by
// IntakeService::record through the Writer from N submitter threads, each waiting for its commit —
// everything the server does for that request except HTTP, JSON and sessions. Prints a table and one
// JSON line with per-second rates, mean batch sizes and p50/p99 of the submit-to-commit latency.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <future>
#include <thread>
#include <vector>

#include "casework/case_service.hpp"
#include "casework/office_repository.hpp"
#include "casework/schema_setup.hpp"
#include "casework/user_repository.hpp"
#include "core/audit/audit_chain.hpp"
#include "core/crypto/field_cipher.hpp"
#include "core/crypto/keyed_hash.hpp"
#include "core/crypto/keys.hpp"
#include "core/db/transaction.hpp"
#include "core/db/writer.hpp"
#include "intake/intake_service.hpp"
#include "support/temp_dir.hpp"

using namespace hl;
using namespace hl::casework;
using Clock_ = std::chrono::steady_clock;

namespace {

struct Setup {
  std::int64_t office = 0;
  Actor actor;
};

Setup prepare(const std::string& path) {
  auto conn = db::Connection::open(path);
  if (!migrate_database(conn)) throw std::runtime_error("migrate failed");
  auto office = *OfficeRepository::create(conn, "永兴县妇联", "431023", std::nullopt, "county", 0);
  auto user = *UserRepository::create(conn, {"bench", "bench", "operator", office.id, std::nullopt, "x"}, 0);
  return {office.id, *UserRepository::actor_for(conn, user.id)};
}

NewCase new_case(std::int64_t office, TimeMs now, int i) {
  return {office, "marriage_family.domestic_violence", "hotline", "normal", "来电求助 " + std::to_string(i),
          "丈夫酒后殴打，要求申请人身安全保护令。", now, std::nullopt, std::nullopt};
}

// The storage floor: one durable transaction per single-row insert, nothing else.
double single_row_loop(const std::string& path, double seconds) {
  auto conn = db::Connection::open(path);
  conn.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  int n = 0;
  const auto start = Clock_::now();
  while (std::chrono::duration<double>(Clock_::now() - start).count() < seconds) {
    db::Transaction tx(conn);
    conn.prepare("INSERT INTO t(body) VALUES (?1)").bind_all("来电求助").run();
    tx.commit();
    ++n;
  }
  return n / std::chrono::duration<double>(Clock_::now() - start).count();
}

double single_transaction_loop(const std::string& path, double seconds) {
  auto s = prepare(path);
  SystemClock clock;
  CaseService service(clock);
  auto conn = db::Connection::open(path);
  int n = 0;
  const auto start = Clock_::now();
  while (std::chrono::duration<double>(Clock_::now() - start).count() < seconds) {
    db::Transaction tx(conn);
    if (!service.open_case(conn, new_case(s.office, clock.now_ms(), n), s.actor)) throw std::runtime_error("open failed");
    tx.commit();
    ++n;
  }
  return n / std::chrono::duration<double>(Clock_::now() - start).count();
}

struct GroupResult {
  double rate;
  double mean_batch;
};

GroupResult through_writer(const std::string& path, int submitters, double seconds) {
  auto s = prepare(path);
  SystemClock clock;
  CaseService service(clock);
  db::Writer writer(db::Connection::open(path));
  std::atomic<bool> stop{false};
  std::atomic<long> done{0};
  std::vector<std::thread> threads;
  const auto start = Clock_::now();
  for (int t = 0; t < submitters; ++t) {
    threads.emplace_back([&, t] {
      int i = 0;
      while (!stop.load()) {
        auto r = writer.submit([&, t, i](db::Connection& c) {
                   return service.open_case(c, new_case(s.office, clock.now_ms(), t * 1000000 + i), s.actor);
                 }).get();
        if (!r) throw std::runtime_error(r.error().message);
        ++done;
        ++i;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& th : threads) th.join();
  const double elapsed = std::chrono::duration<double>(Clock_::now() - start).count();
  const auto st = writer.stats();
  return {done.load() / elapsed, st.batches ? static_cast<double>(st.commands) / static_cast<double>(st.batches) : 0};
}

struct IntakeResult_ {
  double rate, mean_batch, p50_ms, p99_ms;
};

// As http_load's intake_body: a help request from a caller with a phone number that opens a case.
intake::IntakeRequest intake_request(const std::string& tag) {
  intake::IntakeRequest r;
  r.channel = "hotline";
  r.call_type = "help_request";
  intake::PersonInput p;
  p.name = "压测来电人";
  p.phone = "139" + std::to_string(10000000 + std::hash<std::string>{}(tag) % 89999999);
  r.complainant = p;
  r.category = "marriage_family.domestic_violence";
  r.summary = tag;
  r.narrative = "负载测试：丈夫酒后殴打，来电求助。";
  r.resolution = "open_case";
  return r;
}

IntakeResult_ intakes_through_writer(const std::string& path, int submitters, double seconds) {
  auto s = prepare(path);
  auto keys = crypto::load_or_create_keys(path + ".keys");
  if (!keys) throw std::runtime_error(keys.error().message);
  const crypto::FieldCipher cipher(keys->field_key);
  const crypto::KeyedHash lookup(keys->lookup_key);
  const audit::AuditChain audit(keys->audit_key);
  SystemClock clock;
  const casework::PersonIdentity identity(cipher, lookup);
  const intake::IntakeService service(clock, identity);
  db::Writer writer(db::Connection::open(path));
  std::atomic<bool> stop{false};
  std::atomic<long> done{0};
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(submitters));
  std::vector<std::thread> threads;
  const auto start = Clock_::now();
  for (int t = 0; t < submitters; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; !stop.load(); ++i) {
        const auto req = intake_request("bench-" + std::to_string(t) + "-" + std::to_string(i));
        const auto sent = Clock_::now();
        auto r = writer.submit([&](db::Connection& c) -> Result<std::int64_t> {
                   auto rec = service.record(c, req, s.actor);
                   if (!rec) return std::unexpected(rec.error());
                   audit.append(c, {clock.now_ms(), s.actor.user_id, "case.create", "case", rec->opened_case->id,
                                    "contact " + std::to_string(rec->contact_id), "127.0.0.1"});
                   return rec->contact_id;
                 }).get();
        if (!r) throw std::runtime_error(r.error().message);
        latencies[static_cast<std::size_t>(t)].push_back(std::chrono::duration<double, std::milli>(Clock_::now() - sent).count());
        ++done;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& th : threads) th.join();
  const double elapsed = std::chrono::duration<double>(Clock_::now() - start).count();
  const auto st = writer.stats();
  std::vector<double> all;
  for (const auto& v : latencies) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) { return all.empty() ? 0.0 : all[static_cast<std::size_t>(p * static_cast<double>(all.size() - 1))]; };
  return {done.load() / elapsed, st.batches ? static_cast<double>(st.commands) / static_cast<double>(st.batches) : 0,
          pct(0.5), pct(0.99)};
}

int intake_mode(int argc, char** argv) {
  double seconds = 3.0;
  std::vector<int> counts = {1, 16, 64, 256};
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string opt = argv[i];
    if (opt == "--seconds") seconds = std::atof(argv[i + 1]);
    else if (opt == "--submitters") {
      counts.clear();
      std::string list = argv[i + 1];
      for (std::size_t at = 0; at <= list.size();) {
        const auto comma = std::min(list.find(',', at), list.size());
        counts.push_back(std::stoi(list.substr(at, comma - at)));
        at = comma + 1;
      }
    }
  }
  test::TempDir dir;
  std::printf("%-44s %10s %10s %10s %10s\n", "intakes through the writer (synchronous=FULL)", "per s", "p50 ms", "p99 ms",
              "mean batch");
  std::string json = "{\"bench\":\"writer_intake\",\"seconds\":" + std::to_string(seconds) + ",\"results\":[";
  for (std::size_t i = 0; i < counts.size(); ++i) {
    const int k = counts[i];
    const auto r = intakes_through_writer(dir.file("intake" + std::to_string(i) + "-" + std::to_string(k) + ".db"), k, seconds);
    char label[64];
    std::snprintf(label, sizeof label, "intake rows + audit, %d submitter%s", k, k == 1 ? "" : "s");
    std::printf("%-44s %10.0f %10.2f %10.2f %10.1f\n", label, r.rate, r.p50_ms, r.p99_ms, r.mean_batch);
    char item[200];
    std::snprintf(item, sizeof item, "%s{\"submitters\":%d,\"per_s\":%.1f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"mean_batch\":%.2f}",
                  i ? "," : "", k, r.rate, r.p50_ms, r.p99_ms, r.mean_batch);
    json += item;
  }
  std::printf("%s]}\n", json.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "intake") return intake_mode(argc, argv);
  const double seconds = argc > 1 ? std::atof(argv[1]) : 3.0;
  test::TempDir dir;
  const double rows = single_row_loop(dir.file("rows.db"), seconds);
  const double baseline = single_transaction_loop(dir.file("baseline.db"), seconds);
  std::printf("%-36s %10s %10s %10s %10s\n", "durable writes (synchronous=FULL)", "per s", "x row loop", "x case loop",
              "mean batch");
  std::printf("%-36s %10.0f %10.2f %10s %10s\n", "loop: one single-row tx each", rows, 1.0, "", "1");
  std::printf("%-36s %10.0f %10.2f %10.2f %10s\n", "loop: one case creation tx each", baseline, baseline / rows, 1.0, "1");
  std::string json = "{\"bench\":\"writer\",\"seconds\":" + std::to_string(seconds) +
                     ",\"single_row_tx_loop_per_s\":" + std::to_string(rows) +
                     ",\"single_case_tx_loop_per_s\":" + std::to_string(baseline);
  for (int k : {1, 8, 64}) {
    auto r = through_writer(dir.file("writer" + std::to_string(k) + ".db"), k, seconds);
    char label[64];
    std::snprintf(label, sizeof label, "writer: case creations, %d submitter%s", k, k == 1 ? "" : "s");
    std::printf("%-36s %10.0f %10.2f %10.2f %10.1f\n", label, r.rate, r.rate / rows, r.rate / baseline, r.mean_batch);
    json += ",\"writer_" + std::to_string(k) + "_per_s\":" + std::to_string(r.rate) + ",\"writer_" + std::to_string(k) +
            "_mean_batch\":" + std::to_string(r.mean_batch);
  }
  json += "}";
  std::printf("%s\n", json.c_str());
  return 0;
}
