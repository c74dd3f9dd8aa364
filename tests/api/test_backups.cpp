// Scheduled backups and `hotline restore` against the real server (issue #18 §4): the restore drill
// (back up while intakes are being posted, restore into a fresh directory, start a server on it, every
// intake acknowledged before the backup is there, `audit verify` passes), the refusals of restore,
// and backup_behind on /healthz.
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include "api/case_helpers.hpp"
#include "api/server_process.hpp"
#include "core/crypto/keys.hpp"
#include "core/db/backup_manifest.hpp"
#include "core/db/backup_rotation.hpp"

using namespace hl::apitest;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

constexpr hl::TimeMs kMinute = 60'000;

hl::TimeMs system_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

Json read_json(const std::string& path) {
  std::ifstream in(path);
  return Json::parse(in);
}

void write_text(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The newest finished backup in `dir` named at `at` or later (whole seconds), waiting up to 30 s.
std::optional<hl::db::BackupEntry> wait_for_backup(const std::string& dir, hl::TimeMs at) {
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  for (;;) {
    const auto all = hl::db::list_backups(dir);
    for (auto it = all.rbegin(); it != all.rend(); ++it)
      if (it->finished && it->named_at >= at / 1000 * 1000) return *it;
    if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
    std::this_thread::sleep_for(50ms);
  }
}

Json healthz(const ServerProcess& server) { return body_json(server.request("GET", "/healthz")); }

bool has_reason(const Json& health, const std::string& code) {
  for (const auto& r : health.at("reasons"))
    if (r.at("code") == code) return true;
  return false;
}

// Polls /healthz until `done(health)` holds or 30 s passed (a deadline that only a failure waits out);
// returns the last answer either way, for the checks to report.
template <class Done>
Json wait_for_health(const ServerProcess& server, Done done) {
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  for (;;) {
    Json h = healthz(server);
    if (done(h) || std::chrono::steady_clock::now() > deadline) return h;
    std::this_thread::sleep_for(100ms);
  }
}

// Waits for /healthz to list (or, with `present` false, no longer list) `code`.
Json wait_for_reason(const ServerProcess& server, const std::string& code, bool present) {
  return wait_for_health(server, [&](const Json& h) { return has_reason(h, code) == present; });
}

// One acknowledged intake: the case it opened and when (system clock) its 201 arrived.
struct Ack {
  std::int64_t case_id;
  std::string summary;
  hl::TimeMs at_system;
};

// Posts intakes on `threads` threads until stopped, each about 50 a second (enough to be writing all
// through every backup, few enough to keep the suite's exchange log small), recording every 201. The
// threads never assert (Boost.Test is not thread-safe); failures are counted and checked on the main
// thread.
class IntakeLoad {
 public:
  IntakeLoad(const ServerProcess& server, const Login& op, int threads) {
    for (int t = 0; t < threads; ++t)
      workers_.emplace_back([this, &server, &op, t] {
        for (int i = 0; !stop_ && i < 1500; ++i) {
          std::this_thread::sleep_for(20ms);
          const std::string summary = "备份演练 " + std::to_string(t) + "-" + std::to_string(i);
          const auto r = server.send(op, "POST", "/api/v1/intakes", open_case_intake("", summary));
          const hl::TimeMs at = system_ms();
          const Json j = Json::parse(r.body, nullptr, false);
          std::lock_guard lock(mutex_);
          if (r.status != 201 || !j.is_object() || !j.contains("case") || !j["case"].is_object()) {
            if (failures_++ == 0) first_failure_ = describe(r);
            return;
          }
          acks_.push_back({j["case"]["id"].get<std::int64_t>(), summary, at});
        }
      });
  }
  ~IntakeLoad() { stop(); }
  std::size_t acknowledged() {
    std::lock_guard lock(mutex_);
    return acks_.size();
  }
  // Stops the threads and returns every acknowledged intake.
  std::vector<Ack> stop() {
    stop_ = true;
    for (auto& w : workers_)
      if (w.joinable()) w.join();
    return acks_;
  }
  int failures() const { return failures_; }
  std::string first_failure() const { return first_failure_; }

 private:
  std::atomic<bool> stop_{false};
  int failures_ = 0;  // guarded by mutex_, like first_failure_ and acks_
  std::string first_failure_;
  std::mutex mutex_;
  std::vector<Ack> acks_;
  std::vector<std::thread> workers_;
};

// Waits until `load` has `n` more acknowledgements than now (bounded: 30 s).
void let_intakes_land(IntakeLoad& load, std::size_t n) {
  const auto target = load.acknowledged() + n;
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (load.acknowledged() < target && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
}

std::string config_with_backups(const hl::test::TempDir& work, const std::string& backup_dir) {
  const std::string path = work.file("config.json");
  // Sessions outlast the hours the tests move the clock on.
  write_text(path, Json{{"free_space_min_bytes", 0},
                        {"session_idle_minutes", 24 * 60},
                        {"backup_dir", backup_dir},
                        {"backup_every", "60m"},
                        {"backup_keep", 2}}
                       .dump());
  return path;
}

// A live server with hourly backups into WORK/backups, its first backup (made at start) done.
struct BackedUpServer {
  hl::test::TempDir work;
  std::string live_dir = work.file("live");
  std::string backup_dir = work.file("backups");
  std::string config = config_with_backups(work, backup_dir);
  bool seeded = (fs::create_directories(live_dir), copy_seeded_database(live_dir), true);
  ServerProcess server{ServerOptions{.db_dir = live_dir, .copy_seed = false, .config_file = config}};
  std::optional<hl::db::BackupEntry> first = wait_for_backup(backup_dir, 0);
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(backups, BackedUpServer)

BOOST_AUTO_TEST_CASE(restore_drill_brings_back_every_intake_acknowledged_before_the_backup) {
  BOOST_REQUIRE_MESSAGE(first.has_value(), "no backup at start:\n" << server.log());
  const Login op = server.login(kOperator);
  hl::TimeMs advance_began = 0, advance_ended = 0, offset_after = 0;
  std::optional<hl::db::BackupEntry> newest;
  std::vector<Ack> acks;
  {
    IntakeLoad load(server, op, 4);
    let_intakes_land(load, 50);
    // Three hourly backups on the server's clock while the intakes keep coming.
    for (int round = 1; round <= 3; ++round) {
      advance_began = system_ms();
      server.advance_clock(61 * kMinute);
      advance_ended = system_ms();
      offset_after = server.now_ms() - system_ms();
      newest = wait_for_backup(backup_dir, server.now_ms() - 5000);
      BOOST_REQUIRE_MESSAGE(newest.has_value(), "backup " << round << " was not made:\n" << server.log());
      let_intakes_land(load, 50);
    }
    acks = load.stop();
    BOOST_REQUIRE_MESSAGE(load.failures() == 0, load.failures() << " intakes failed, the first: " << load.first_failure());
  }
  const auto left = hl::db::list_backups(backup_dir);
  BOOST_TEST(left.size() == 2u, "backup_keep is 2");
  BOOST_TEST(left.back().path == newest->path);
  BOOST_TEST(static_cast<unsigned>(fs::status(backup_dir).permissions()) == 0700u);
  BOOST_TEST(static_cast<unsigned>(fs::status(newest->path).permissions()) == 0600u);
  BOOST_TEST(static_cast<unsigned>(fs::status(hl::db::manifest_path_for(newest->path)).permissions()) == 0600u);

  // The intakes acknowledged before the backup's created_at (on the server's clock): before the last
  // clock change, or after it and earlier than created_at on the new offset.
  const Json manifest = read_json(hl::db::manifest_path_for(newest->path));
  const hl::TimeMs created_at = manifest.at("created_at_ms").get<hl::TimeMs>();
  std::vector<Ack> before, after;
  for (const auto& a : acks) {
    if (a.at_system < advance_began || (a.at_system > advance_ended && a.at_system + offset_after < created_at))
      before.push_back(a);
    else if (a.at_system > advance_ended)
      after.push_back(a);
  }
  BOOST_TEST_MESSAGE(acks.size() << " intakes acknowledged: " << before.size() << " before the newest backup, "
                                 << after.size() << " after it");
  BOOST_REQUIRE(before.size() >= 200u);
  BOOST_TEST(after.size() > 0u, "no intake was acknowledged after the backup began: nothing was written meanwhile");

  // Restore into a fresh directory: the office's key file first, then the backup.
  hl::test::TempDir fresh;
  fs::copy_file(live_dir + "/t.db.keys", fresh.file("t.db.keys"));
  const auto restored = run_hotline({"restore", newest->path, "--db", fresh.file("t.db")});
  BOOST_REQUIRE_MESSAGE(restored.exit_code == 0, restored.out << restored.err);
  BOOST_TEST(restored.out.find("restored " + newest->path) != std::string::npos, restored.out);
  BOOST_TEST(restored.out.find("the audit chain verifies") != std::string::npos, restored.out);
  {
    ServerProcess again(ServerOptions{.db_dir = fresh.path().string(), .copy_seed = false});
    // The restore dropped the sessions the backup held: the live server's cookie is not honoured.
    BOOST_TEST(again.get(op, "/api/v1/session").status == 401);
    const Login op2 = again.login(kOperator);
    int missing = 0;
    for (const auto& a : before) {
      const auto r = again.get(op2, case_path(a.case_id));
      if (r.status != 200 || body_json(r).at("summary") != a.summary) {
        if (++missing <= 5) BOOST_ERROR("intake " << a.summary << " (case " << a.case_id << ") acknowledged before the backup: " << describe(r));
      }
    }
    BOOST_TEST(missing == 0);
    BOOST_TEST(again.stop() == 0);
  }
  const auto verified = run_hotline({"audit", "verify", "--db", fresh.file("t.db")});
  BOOST_TEST(verified.exit_code == 0, verified.out << verified.err);
  BOOST_TEST(verified.out.find("audit chain ok") != std::string::npos, verified.out);
}

BOOST_AUTO_TEST_CASE(restore_refuses_a_wrong_key_file_a_changed_backup_or_manifest_and_a_newer_schema) {
  BOOST_REQUIRE_MESSAGE(first.has_value(), "no backup at start:\n" << server.log());
  hl::test::TempDir scratch;
  auto refused = [&](const std::string& backup, const std::string& keys, const std::string& expect) {
    const std::string db = scratch.file("restored-" + std::to_string(system_ms()) + ".db");
    const auto r = run_hotline({"restore", backup, "--db", db, "--keys", keys});
    BOOST_TEST(r.exit_code == 1, r.out << r.err);
    BOOST_TEST(r.err.find(expect) != std::string::npos, "expected \"" << expect << "\" in: " << r.err);
    BOOST_TEST(!fs::exists(db), "a refused restore created " << db);
  };
  const std::string keys = live_dir + "/t.db.keys";
  const std::string backup = scratch.file("copy.db");
  auto copy_backup = [&] {
    fs::copy_file(first->path, backup, fs::copy_options::overwrite_existing);
    fs::copy_file(hl::db::manifest_path_for(first->path), hl::db::manifest_path_for(backup), fs::copy_options::overwrite_existing);
  };

  // Another office's key file (fresh keys).
  const auto wrong = hl::crypto::load_or_create_keys(scratch.file("wrong.keys"));
  BOOST_REQUIRE(wrong.has_value());
  refused(first->path, scratch.file("wrong.keys"), "is not the one this backup was made with");

  // One byte of the backup changed.
  copy_backup();
  std::string bytes = read_text(backup);
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x20);
  write_text(backup, bytes);
  refused(backup, keys, "SHA-256 differs");

  // The manifest edited by hand (a row count), without the key to sign it again.
  copy_backup();
  Json m = read_json(hl::db::manifest_path_for(backup));
  m["rows"]["cases"] = m["rows"]["cases"].get<int>() + 1;
  write_text(hl::db::manifest_path_for(backup), m.dump());
  refused(backup, keys, "MAC does not match");

  // A backup from a newer release: its schema version is beyond this binary's (re-signed with the
  // right key, so that only the version is wrong).
  copy_backup();
  m = read_json(hl::db::manifest_path_for(backup));
  const auto real_keys = hl::crypto::load_or_create_keys(keys);
  BOOST_REQUIRE(real_keys.has_value());
  hl::db::BackupManifest signed_newer;
  signed_newer.file = m["file"];
  signed_newer.created_at = m["created_at_ms"];
  signed_newer.schema_version = m["schema_version"].get<int>() + 1;
  signed_newer.page_count = m["page_count"];
  signed_newer.page_size = m["page_size"];
  signed_newer.bytes = m["bytes"];
  signed_newer.sha256 = m["sha256"];
  for (const auto& [table, n] : m["rows"].items()) signed_newer.rows[table] = n.get<std::int64_t>();
  signed_newer.audit_last_id = m["audit"]["last_id"];
  signed_newer.audit_last_hash = m["audit"]["last_hash"];
  signed_newer.key_fingerprint = m["key_fingerprint"];
  signed_newer.mac = hl::db::manifest_mac(signed_newer, *real_keys);
  write_text(hl::db::manifest_path_for(backup), hl::db::manifest_json(signed_newer));
  refused(backup, keys, "schema version " + std::to_string(signed_newer.schema_version));

  // An existing database without --force.
  const auto r = run_hotline({"restore", first->path, "--db", live_dir + "/t.db", "--keys", keys});
  BOOST_TEST(r.exit_code == 1, r.out << r.err);
  BOOST_TEST(r.err.find("already holds a database") != std::string::npos, r.err);
}

// /healthz and /metrics tell the backups' state; a failing backup is backup_behind until one succeeds.
BOOST_AUTO_TEST_CASE(health_says_backup_behind_while_backups_fail_and_recovers) {
  BOOST_REQUIRE_MESSAGE(first.has_value(), "no backup at start:\n" << server.log());
  // The backup thread writes the file and its manifest (which make it "finished" on disk) and only then
  // records the success: /healthz may lag the directory by a moment, so wait for it to name the file.
  const std::string first_name = fs::path(first->path).filename().string();
  Json h = wait_for_health(server, [&](const Json& health) {
    return health.at("checks").at("backup").value("last_file", Json()) == first_name;
  });
  BOOST_TEST(!has_reason(h, "backup_behind"), h.dump());
  BOOST_TEST(h.at("status") == "ok", h.dump());
  const Json& b = h.at("checks").at("backup");
  BOOST_TEST(b.at("every_minutes") == 60);
  BOOST_TEST(b.at("last_file") == first_name, h.dump());
  BOOST_TEST(b.at("last_ok_at").is_string());
  BOOST_TEST(b.at("last_error_at").is_null());
  auto metrics = server.metrics().body;
  BOOST_TEST(metrics.find("hotline_backup_last_ok 1") != std::string::npos, metrics);
  BOOST_TEST(metrics.find("hotline_backup_last_timestamp_seconds 0\n") == std::string::npos, metrics);

  // The backup directory replaced by a file: the next backup cannot be written.
  fs::rename(backup_dir, backup_dir + ".away");
  write_text(backup_dir, "not a directory");
  server.advance_clock(61 * kMinute);
  h = wait_for_reason(server, "backup_behind", true);
  BOOST_TEST(h.at("status") == "degraded", h.dump());
  BOOST_TEST(h.at("checks").at("backup").at("last_error_at").is_string(), h.dump());
  metrics = server.metrics().body;
  BOOST_TEST(metrics.find("hotline_backup_last_ok 0") != std::string::npos, metrics);

  // The directory back: the retry (a quarter of the interval later) succeeds.
  fs::remove(backup_dir);
  fs::rename(backup_dir + ".away", backup_dir);
  server.advance_clock(16 * kMinute);
  h = wait_for_reason(server, "backup_behind", false);
  BOOST_TEST(h.at("status") == "ok", h.dump());
  BOOST_TEST(h.at("checks").at("backup").at("last_error_at").is_null(), h.dump());
}

BOOST_AUTO_TEST_SUITE_END()
