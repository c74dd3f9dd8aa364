// Durable case creations per second through the single writer (group commit, synchronous=FULL) at
// 1, 8 and 64 concurrent submitters, beside a plain loop of one transaction per case on the same
// machine in the same run. Prints a table and one JSON line; exits 0 (figures, not a pass/fail).
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
#include "core/db/transaction.hpp"
#include "core/db/writer.hpp"
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

}  // namespace

int main(int argc, char** argv) {
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
