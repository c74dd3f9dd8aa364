// fsync and write errors on the database's files, injected into a running server by the LD_PRELOAD
// shim (io_fault_shim.c) and taken away again: the writes in between are refused with 503
// storage_unavailable / storage_full, /healthz fails with writes_failing and recovers, and every
// acknowledged intake is there after a restart without the shim.
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "faults/fault_support.hpp"

using namespace hl::faulttest;
using namespace std::chrono_literals;

namespace {

std::string fault_shim() {
  const char* shim = std::getenv("HOTLINE_FAULT_SHIM");
  if (shim == nullptr || *shim == '\0')
    throw std::runtime_error("HOTLINE_FAULT_SHIM is not set: run through ctest, or set it to libhotline_io_fault.so");
  return shim;
}

// A server with the shim preloaded, watching its database directory; set_fault flips the faults.
struct ShimmedServer {
  hl::test::TempDir root;
  std::string db_dir = root.file("db");
  std::string control = root.file("faults");  // outside db/: the shim's own reads are never affected
  std::optional<ServerProcess> server;
  Login op;
  std::vector<Answer> answers;  // every intake sent, for the check after the restart

  ShimmedServer() {
    std::filesystem::create_directory(db_dir);
    server.emplace(ServerOptions{.db_dir = db_dir,
                                 .env = {"LD_PRELOAD=" + fault_shim(), "HOTLINE_FAULT_PATH=" + db_dir,
                                         "HOTLINE_FAULT_CONTROL=" + control}});
    // Without the shim in the server a passing test would prove nothing.
    std::ifstream maps("/proc/" + std::to_string(server->pid()) + "/maps");
    std::stringstream text;
    text << maps.rdbuf();
    BOOST_REQUIRE_MESSAGE(text.str().find("libhotline_io_fault") != std::string::npos,
                          "the fault shim is not loaded in the server (LD_PRELOAD=" << fault_shim() << ")");
    op = server->login(kOperator);
  }

  void set_fault(const std::string& line) { write_file_atomically(control, line.empty() ? "" : line + "\n"); }

  // `n` intakes that must be acknowledged.
  void post_acknowledged(const std::string& tag, int n) {
    for (int i = 0; i < n; ++i) {
      Answer a = post_intake(*server, op, tag + std::to_string(i));
      BOOST_CHECK_MESSAGE(a.status == 201, tag << i << ": " << a.text());
      answers.push_back(a);
    }
  }

  // `n` intakes under `fault`, each to be refused with 503 `code`.
  void post_refused(const std::string& tag, int n, const std::string& code) {
    for (int i = 0; i < n; ++i) {
      Answer a = post_intake(*server, op, tag + std::to_string(i));
      BOOST_CHECK_MESSAGE(a.status == 503 && a.code == code && a.envelope,
                          tag << i << ": expected 503 " << code << ", got " << a.text());
      answers.push_back(a);  // one acknowledged after all must then survive
    }
  }

  // /healthz fails with writes_failing naming `code`; then the fault is cleared and health recovers.
  void check_failing_then_recovering(const std::string& code) {
    Health h = wait_for_health(*server, "failing", "writes_failing", 10s);
    BOOST_CHECK_MESSAGE(h.status == 503 && h.state() == "failing" && h.has_reason("writes_failing"),
                        "while writes fail: " << h.text());
    BOOST_CHECK_MESSAGE(h.check("last_write_error") == code, h.text());
    BOOST_CHECK_MESSAGE(metric(*server, "hotline_health_status") == 2.0, "hotline_health_status is not 2 while failing");
    const auto at = metric(*server, "hotline_storage_last_write_error_timestamp_seconds");
    BOOST_CHECK_MESSAGE(at && *at > 0, "hotline_storage_last_write_error_timestamp_seconds: " << (at ? *at : -1));

    set_fault("");
    h = wait_for_health(*server, "ok", {}, 15s);
    BOOST_CHECK_MESSAGE(h.status == 200 && h.state() == "ok", "once the fault is gone: " << h.text());
    BOOST_CHECK_MESSAGE(metric(*server, "hotline_health_status") == 0.0, "hotline_health_status is not 0 once ok");
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(injected_io_errors)

BOOST_AUTO_TEST_CASE(fsync_eio_refuses_writes_with_503_storage_unavailable_and_recovers) {
  ShimmedServer s;
  s.post_acknowledged("before-eio-", 5);
  Health h = health(*s.server);
  BOOST_CHECK_MESSAGE(h.status == 200 && h.state() == "ok", "before the fault: " << h.text());

  s.set_fault("fsync EIO");
  s.post_refused("during-fsync-eio-", 5, "storage_unavailable");
  s.check_failing_then_recovering("storage_unavailable");
  s.post_acknowledged("after-eio-", 5);

  BOOST_CHECK_EQUAL(s.server->stop(), 0);
  s.server.reset();
  check_stored_as_answered(s.db_dir, s.answers);
}

BOOST_AUTO_TEST_CASE(write_enospc_and_eio_refuse_writes_with_storage_full_and_storage_unavailable) {
  ShimmedServer s;
  s.post_acknowledged("before-", 3);
  s.set_fault("write ENOSPC");
  s.post_refused("during-enospc-", 3, "storage_full");
  s.check_failing_then_recovering("storage_full");
  s.post_acknowledged("after-enospc-", 3);

  s.set_fault("write EIO");
  s.post_refused("during-write-eio-", 3, "storage_unavailable");
  s.check_failing_then_recovering("storage_unavailable");
  s.post_acknowledged("after-write-eio-", 3);

  BOOST_CHECK_EQUAL(s.server->stop(), 0);
  s.server.reset();
  check_stored_as_answered(s.db_dir, s.answers);
}

BOOST_AUTO_TEST_SUITE_END()
