// Helper for kill9.sh.
//   crash_writer write DB   — 16 threads open cases through the single writer as fast as they can and
//                             print "ACK <tag>" (unbuffered) for each one the writer acknowledged, until killed.
//                             A write the writer refuses (any error) is no crash test: it prints
//                             "FAILED <tag>: <code> <message>" on stderr and exits 3 at once, so that
//                             kill9.sh fails instead of counting a run without writes as a pass.
//   crash_writer verify DB ACKS — exits 0 when integrity_check is ok, every acknowledged tag is
//                             present, and every stored case is whole (its register event and search
//                             document exist); prints what it checked.
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "casework/case_service.hpp"
#include "casework/office_repository.hpp"
#include "casework/schema_setup.hpp"
#include "casework/user_repository.hpp"
#include "core/db/writer.hpp"

using namespace hl;
using namespace hl::casework;

namespace {

int write_until_killed(const std::string& path) {
  Actor actor;
  std::int64_t office = 0;
  {
    auto conn = db::Connection::open(path);
    if (!migrate_database(conn)) return 2;
    auto existing = OfficeRepository::by_region_code(conn, "431023");
    office = existing ? existing->id : OfficeRepository::create(conn, "永兴县妇联", "431023", std::nullopt, "county", 1)->id;
    auto user = UserRepository::by_username(conn, "crash");
    const auto id = user ? user->id : UserRepository::create(conn, {"crash", "crash", "operator", office, std::nullopt, "x"}, 1)->id;
    actor = *UserRepository::actor_for(conn, id);
  }
  SystemClock clock;
  CaseService service(clock);
  db::Writer writer(db::Connection::open(path));
  const std::string run = std::to_string(getpid());
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&, t] {
      for (long i = 0;; ++i) {
        const std::string tag = run + "-" + std::to_string(t) + "-" + std::to_string(i);
        NewCase n{office, "marriage_family.domestic_violence", "hotline", "normal", tag, "crash test", clock.now_ms(),
                  std::nullopt, std::nullopt};
        auto r = writer.submit([&, n](db::Connection& c) { return service.open_case(c, n, actor); }).get();
        if (!r) {
          const std::string line = "FAILED " + tag + ": " + std::string(to_string(r.error().code)) + " " +
                                   r.error().message + "\n";
          (void)!::write(STDERR_FILENO, line.data(), line.size());
          ::_exit(3);
        }
        const std::string line = "ACK " + tag + "\n";
        // One write(2) per line: a kill can cut the stream only between whole lines' syscalls.
        if (::write(STDOUT_FILENO, line.data(), line.size()) < 0) return;
      }
    });
  }
  for (auto& th : threads) th.join();
  return 0;
}

int verify(const std::string& path, const std::string& acks_file) {
  auto conn = db::Connection::open(path, {.read_only = true});
  auto ic = conn.prepare("PRAGMA integrity_check");
  ic.step();
  if (ic.text(0) != "ok") {
    std::printf("integrity_check: %s\n", ic.text(0).c_str());
    return 1;
  }
  std::set<std::string> stored;
  auto st = conn.prepare("SELECT summary FROM cases");
  while (st.step()) stored.insert(st.text(0));
  std::ifstream in(acks_file);
  std::string word, tag;
  long acked = 0, missing = 0;
  while (in >> word >> tag) {
    if (word != "ACK") continue;
    ++acked;
    if (!stored.contains(tag)) {
      ++missing;
      std::printf("LOST acknowledged case %s\n", tag.c_str());
    }
  }
  auto whole = conn.prepare(
      // "+e.event": look the case's events up by case (case_events_case), not every 'register' event
      // through case_events_event_at (schema 016), which made this check quadratic.
      "SELECT count(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND +e.event = 'register')"
      " OR NOT EXISTS (SELECT 1 FROM case_search s WHERE s.rowid = c.id)");
  whole.step();
  const auto partial = whole.int64(0);
  std::printf("integrity_check ok; %ld acknowledged, %ld missing; %zu stored; %lld half-written\n", acked, missing,
              stored.size(), static_cast<long long>(partial));
  if (acked == 0) std::printf("no acknowledged case to check: a run without writes proves nothing\n");
  return missing == 0 && partial == 0 && acked > 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 2 ? argv[1] : "";
  if (mode == "write") return write_until_killed(argv[2]);
  if (mode == "verify" && argc > 3) return verify(argv[2], argv[3]);
  std::fprintf(stderr, "usage: crash_writer write DB | verify DB ACKS\n");
  return 2;
}
