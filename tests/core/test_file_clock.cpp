// The test build's settable clock (core/file_clock.hpp): what the file may say, a running clock
// anchored on the file's modification time, a frozen one, and a watched file applied on every write.
#include <fcntl.h>
#include <sys/stat.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <vector>

#include "core/file_clock.hpp"
#include "core/local_time.hpp"
#include "support/temp_dir.hpp"

using hl::ClockSetting;
using hl::FileClock;
using hl::TimeMs;

namespace {

constexpr TimeMs kNewYearEve = 1798732790000;  // 2026-12-31T23:59:50+08:00

void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

// Writes a new file beside `path` and renames it into place, as the test helpers do.
void replace_file(const std::string& path, const std::string& text) {
  write_file(path + ".new", text);
  std::filesystem::rename(path + ".new", path);
}

TimeMs mtime_ms(const std::string& path) {
  struct stat st {};
  BOOST_REQUIRE(::stat(path.c_str(), &st) == 0);
  return static_cast<TimeMs>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1'000'000;
}

void set_mtime_ms(const std::string& path, TimeMs t) {
  const timespec times[2] = {{t / 1000, (t % 1000) * 1'000'000}, {t / 1000, (t % 1000) * 1'000'000}};
  BOOST_REQUIRE(::utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);
}

TimeMs system_ms() { return hl::SystemClock().now_ms(); }

// Collects watch() callbacks; waits (bounded) for the n-th.
struct Reloads {
  std::mutex m;
  std::condition_variable cv;
  std::vector<hl::Result<ClockSetting>> seen;

  void operator()(const hl::Result<ClockSetting>& r) {
    const std::lock_guard lock(m);
    seen.push_back(r);
    cv.notify_all();
  }
  hl::Result<ClockSetting> at(std::size_t i) {
    const std::lock_guard lock(m);
    return seen.at(i);
  }
  std::size_t size() {
    const std::lock_guard lock(m);
    return seen.size();
  }
  bool wait_for_count(std::size_t n) {
    std::unique_lock lock(m);
    return cv.wait_for(lock, std::chrono::seconds(10), [&] { return seen.size() >= n; });
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(file_clock)

BOOST_AUTO_TEST_CASE(the_file_holds_an_instant_and_maybe_frozen) {
  using hl::parse_clock_setting;
  BOOST_TEST((parse_clock_setting("2026-12-31T23:59:50+08:00") == ClockSetting{kNewYearEve, false}));
  BOOST_TEST((parse_clock_setting("  2026-12-31T15:59:50Z\n") == ClockSetting{kNewYearEve, false}));
  BOOST_TEST((parse_clock_setting("1798732790000\n") == ClockSetting{kNewYearEve, false}));
  BOOST_TEST((parse_clock_setting("2026-12-31T23:59:50+08:00 frozen\n") == ClockSetting{kNewYearEve, true}));
  BOOST_TEST((parse_clock_setting("2027-01-01") == ClockSetting{kNewYearEve + 10'000, false}));  // Shanghai midnight
  for (const char* bad : {"", "frozen", "tomorrow", "2026-13-01T00:00:00Z", "2026-12-31T23:59:50", "1798732790000 stopped",
                          "1798732790000 frozen frozen", "17987x32790000"})
    BOOST_TEST_CONTEXT("\"" << bad << "\"") { BOOST_TEST(!parse_clock_setting(bad).has_value()); }
}

BOOST_AUTO_TEST_CASE(a_running_clock_starts_at_the_instant_when_the_file_was_written) {
  hl::test::TempDir dir;
  const std::string path = dir.file("clock");
  write_file(path, "2026-12-31T23:59:50+08:00\n");
  // As if written 5 s ago: the clock has run on for those 5 s.
  const TimeMs written = system_ms() - 5000;
  set_mtime_ms(path, written);
  auto clock = FileClock::open(path);
  BOOST_REQUIRE(clock.has_value());
  BOOST_TEST((*clock)->offset_ms().value_or(-1) == kNewYearEve - written);
  const TimeMs before = system_ms();
  const TimeMs now = (*clock)->now_ms();
  const TimeMs after = system_ms();
  BOOST_TEST(now >= kNewYearEve + (before - written));
  BOOST_TEST(now <= kNewYearEve + (after - written));
  BOOST_TEST(hl::format_iso8601(now).starts_with("2026-12-31T23:59:5"));
}

BOOST_AUTO_TEST_CASE(a_frozen_clock_stands_still) {
  hl::test::TempDir dir;
  const std::string path = dir.file("clock");
  write_file(path, std::to_string(kNewYearEve) + " frozen");
  set_mtime_ms(path, system_ms() - 60'000);  // the modification time does not matter
  auto clock = FileClock::open(path);
  BOOST_REQUIRE(clock.has_value());
  BOOST_TEST((*clock)->now_ms() == kNewYearEve);
  BOOST_TEST(!(*clock)->offset_ms().has_value());
  BOOST_TEST((*clock)->now_ms() == kNewYearEve);
}

BOOST_AUTO_TEST_CASE(a_missing_or_malformed_file_is_refused_and_a_bad_rewrite_keeps_the_time) {
  hl::test::TempDir dir;
  auto missing = FileClock::open(dir.file("none"));
  BOOST_REQUIRE(!missing.has_value());
  BOOST_TEST(missing.error().message.find("none") != std::string::npos);
  write_file(dir.file("bad"), "next tuesday");
  auto bad = FileClock::open(dir.file("bad"));
  BOOST_REQUIRE(!bad.has_value());
  BOOST_TEST(bad.error().message.find("next tuesday") != std::string::npos);

  write_file(dir.file("clock"), std::to_string(kNewYearEve) + " frozen");
  auto clock = FileClock::open(dir.file("clock"));
  BOOST_REQUIRE(clock.has_value());
  write_file(dir.file("clock"), "garbage");
  BOOST_TEST(!(*clock)->reload().has_value());
  BOOST_TEST((*clock)->now_ms() == kNewYearEve);
}

BOOST_AUTO_TEST_CASE(a_watched_file_is_applied_on_every_write_and_the_callback_says_when) {
  hl::test::TempDir dir;
  const std::string path = dir.file("clock");
  write_file(path, std::to_string(kNewYearEve) + " frozen");
  auto opened = FileClock::open(path);
  BOOST_REQUIRE(opened.has_value());
  FileClock& clock = **opened;
  Reloads reloads;
  BOOST_REQUIRE(clock.watch(std::ref(reloads)).has_value());
  BOOST_TEST(!clock.watch(std::ref(reloads)).has_value());  // one watcher only

  // Renamed into place: frozen 3 days later, in force by the time the callback runs.
  replace_file(path, std::to_string(kNewYearEve + 3 * hl::kMsPerDay) + " frozen\n");
  BOOST_REQUIRE(reloads.wait_for_count(1));
  BOOST_TEST(reloads.at(0).has_value());
  BOOST_TEST(clock.now_ms() == kNewYearEve + 3 * hl::kMsPerDay);

  // Rewritten in place: running again, anchored on the new modification time.
  write_file(path, "2026-12-31T23:59:50+08:00");
  BOOST_REQUIRE(reloads.wait_for_count(2));
  const TimeMs written = mtime_ms(path);
  BOOST_TEST(clock.offset_ms().value_or(-1) == kNewYearEve - written);
  const TimeMs now = clock.now_ms();
  BOOST_TEST(now >= kNewYearEve);
  BOOST_TEST(now < kNewYearEve + 60'000);

  // A bad write is reported and changes nothing; another file in the folder is no concern.
  write_file(dir.file("other"), "1 frozen");
  write_file(path, "soon");
  BOOST_REQUIRE(reloads.wait_for_count(3));
  BOOST_TEST(!reloads.at(2).has_value());
  BOOST_TEST(clock.offset_ms().value_or(-1) == kNewYearEve - written);
  replace_file(path, "1 frozen");
  BOOST_REQUIRE(reloads.wait_for_count(4));
  BOOST_TEST(reloads.size() == 4u);  // "other" caused no reload
  BOOST_TEST(clock.now_ms() == 1);
}

BOOST_AUTO_TEST_SUITE_END()
