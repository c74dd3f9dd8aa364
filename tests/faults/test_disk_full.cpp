// A real full disk: the database on a 24 MiB tmpfs that a filler file takes up while intakes arrive on
// 16 connections. Every answer must be 201 or 503 storage_full (never 500), /healthz must say so and
// recover once space is back, and everything acknowledged must be there after a restart.
#include <boost/test/unit_test.hpp>
#include <fstream>

#include "faults/fault_support.hpp"

using namespace hl::faulttest;
using namespace std::chrono_literals;

namespace {

// Free space the filler leaves: a few intakes' worth of WAL frames, so that some of the burst is
// acknowledged and then the writes fail. Below free_space_min_bytes, so health is degraded first.
constexpr std::uint64_t kLeave = 256 * 1024;
constexpr std::uint64_t kFreeMin = 1024 * 1024;

}  // namespace

BOOST_AUTO_TEST_SUITE(disk_full)

BOOST_AUTO_TEST_CASE(a_full_disk_refuses_writes_with_503_storage_full_and_recovers_when_space_returns) {
  TmpfsMount disk("24m");  // declared first: unmounted last, after the servers stopped
  hl::test::TempDir work;
  const std::string config = work.file("config.json");
  std::ofstream(config) << R"({"free_space_min_bytes": )" << kFreeMin << "}\n";

  std::vector<Answer> answers;  // every intake sent, for the check after the restart
  {
    ServerProcess server({.db_dir = disk.path(), .config_file = config});
    const Login op = server.login(kOperator);
    Health h = wait_for_health(server, "ok", {}, 10s);
    BOOST_REQUIRE_MESSAGE(h.status == 200 && h.state() == "ok", "before the disk fills: " << h.text());
    BOOST_CHECK_EQUAL(h.check("free_bytes_min"), kFreeMin);

    DiskFiller filler(disk.file("filler"), kLeave);
    BOOST_TEST_MESSAGE("free after filling: " << free_bytes(disk.path()) << " bytes");
    h = wait_for_health(server, "degraded", "low_disk_space", 10s);
    BOOST_CHECK_MESSAGE(h.status == 200 && h.state() == "degraded" && h.has_reason("low_disk_space"),
                        "with " << free_bytes(disk.path()) << " bytes free (minimum " << kFreeMin << "): " << h.text());
    // statvfs of the database's directory; nothing writes there meanwhile.
    BOOST_CHECK_MESSAGE(h.check("free_bytes") == free_bytes(disk.path()), "free_bytes: " << h.text());

    // 16 connections until 48 answers were refusals (or 30 s).
    const auto burst = intake_burst(server, op, "full-", 16, 48, 30s);
    std::size_t created = 0, full = 0;
    for (const auto& a : burst) {
      if (a.status == 201) ++created;
      if (a.status == 503 && a.code == "storage_full") ++full;
    }
    BOOST_TEST_MESSAGE(burst.size() << " intakes on the full disk: " << created << " acknowledged, " << full
                                    << " storage_full");
    check_only_created_or_refused(burst, "on a full disk");
    answers.insert(answers.end(), burst.begin(), burst.end());
    BOOST_CHECK_MESSAGE(full > 0, "no intake was refused with storage_full on a full disk (" << burst.size() << " sent)");

    // The disk is still full, so the newest write must fail and health say so. But the burst's last
    // answer may have been a 201 (a small transaction fits in WAL space a failed larger one had
    // already taken), and /healthz's probe write may fit there too; each success uses that space
    // up. So: single intakes until one is refused, then /healthz; again until it says failing.
    std::vector<Answer> singles;
    int rounds = 0;
    for (h = {}; rounds < 20 && h.state() != "failing"; ++rounds) {
      for (int i = 0; i < 30; ++i) {
        singles.push_back(post_intake(server, op, "full-single-" + std::to_string(rounds) + "-" + std::to_string(i)));
        if (singles.back().status != 201) break;
      }
      h = health(server);
      BOOST_TEST_MESSAGE("round " << rounds << ": " << singles.back().text() << " then /healthz " << h.text());
    }
    check_only_created_or_refused(singles, "single intakes on a full disk");
    answers.insert(answers.end(), singles.begin(), singles.end());
    BOOST_TEST_MESSAGE(singles.size() << " single intakes and " << rounds << " /healthz probe(s) until health said failing");
    BOOST_CHECK_MESSAGE(h.status == 503 && h.state() == "failing" && h.has_reason("writes_failing"),
                        "after writes failed: " << h.text());
    BOOST_CHECK_EQUAL(h.check("last_write_error"), "storage_full");
    BOOST_CHECK_MESSAGE(h.check("last_write_error_at").is_string(), h.text());

    filler.remove();
    h = wait_for_health(server, "ok", {}, 15s);
    BOOST_CHECK_MESSAGE(h.status == 200 && h.state() == "ok", "after the filler was deleted: " << h.text());
    for (int i = 0; i < 5; ++i) {
      Answer a = post_intake(server, op, "after-full-" + std::to_string(i));
      BOOST_CHECK_MESSAGE(a.status == 201, "an intake once space was back: " << a.text());
      answers.push_back(a);
    }
    BOOST_CHECK_EQUAL(server.stop(), 0);
  }
  check_stored_as_answered(disk.path(), answers);
}

BOOST_AUTO_TEST_SUITE_END()
