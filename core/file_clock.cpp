#include "core/file_clock.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>

#include "core/local_time.hpp"

namespace hl {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::optional<TimeMs> parse_instant(std::string_view s) {
  const std::string_view digits = !s.empty() && s.front() == '-' ? s.substr(1) : s;
  if (!digits.empty() && digits.find_first_not_of("0123456789") == std::string_view::npos) {
    TimeMs ms = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), ms);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return ms;
  }
  return parse_iso8601(s);
}

struct FileReading {
  ClockSetting setting;
  TimeMs mtime_ms = 0;
};

// Content and modification time from one open file, so the two belong together even when the file
// is replaced meanwhile.
Result<FileReading> read_clock_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(Errc::invalid_input, "cannot read the clock file " + path + ": " + std::strerror(errno));
  struct stat st {};
  std::string text;
  bool ok = ::fstat(fd, &st) == 0;
  char buf[256];
  for (ssize_t n; ok && (n = ::read(fd, buf, sizeof buf)) != 0;) {
    if (n < 0) {
      if (errno == EINTR) continue;
      ok = false;
    } else {
      text.append(buf, static_cast<std::size_t>(n));
      ok = text.size() <= 4096;
    }
  }
  ::close(fd);
  if (!ok) return fail(Errc::invalid_input, "cannot read the clock file " + path);
  auto setting = parse_clock_setting(text);
  if (!setting)
    return fail(Errc::invalid_input, "the clock file " + path + " should hold an instant (2026-12-31T23:59:50+08:00 or epoch "
                                     "milliseconds), optionally followed by \"frozen\"; it holds \"" + std::string(trim(text)) + "\"");
  return FileReading{*setting, static_cast<TimeMs>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1'000'000};
}

}  // namespace

std::optional<ClockSetting> parse_clock_setting(std::string_view text) {
  text = trim(text);
  const auto space = text.find_first_of(" \t");
  ClockSetting s;
  if (space != std::string_view::npos) {
    if (trim(text.substr(space)) != "frozen") return std::nullopt;
    s.frozen = true;
    text = text.substr(0, space);
  }
  auto instant = parse_instant(text);
  if (!instant) return std::nullopt;
  s.instant = *instant;
  return s;
}

Result<std::unique_ptr<FileClock>> FileClock::open(std::string path) {
  std::unique_ptr<FileClock> clock(new FileClock(std::move(path)));
  if (auto r = clock->reload(); !r) return std::unexpected(r.error());
  return clock;
}

FileClock::~FileClock() {
  stop_watching();
  if (stop_fd_ >= 0) ::close(stop_fd_);
}

void FileClock::stop_watching() {
  if (!watcher_.joinable()) return;
  const std::uint64_t one = 1;
  [[maybe_unused]] auto n = ::write(stop_fd_, &one, sizeof one);
  watcher_.join();
}

TimeMs FileClock::now_ms() const {
  const TimeMs system = SystemClock().now_ms();
  const std::lock_guard lock(mutex_);
  return frozen_at_ ? *frozen_at_ : system + offset_;
}

std::optional<TimeMs> FileClock::offset_ms() const {
  const std::lock_guard lock(mutex_);
  if (frozen_at_) return std::nullopt;
  return offset_;
}

Result<ClockSetting> FileClock::reload() {
  auto reading = read_clock_file(path_);
  if (!reading) return std::unexpected(reading.error());
  const std::lock_guard lock(mutex_);
  if (reading->setting.frozen) {
    frozen_at_ = reading->setting.instant;
  } else {
    frozen_at_.reset();
    offset_ = reading->setting.instant - reading->mtime_ms;
  }
  return reading->setting;
}

Result<void> FileClock::watch(std::function<void(const Result<ClockSetting>&)> on_reload) {
  if (watcher_.joinable()) return fail(Errc::conflict, "the clock file is watched already");
  const std::filesystem::path file(path_);
  const std::string folder = file.has_parent_path() ? file.parent_path().string() : std::string(".");
  const int ino = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (ino < 0) return fail(Errc::internal, std::string("inotify_init1: ") + std::strerror(errno));
  // The folder, not the file: a writer that renames a new file into place replaces the inode.
  if (::inotify_add_watch(ino, folder.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO) < 0) {
    const int err = errno;
    ::close(ino);
    return fail(Errc::internal, "cannot watch " + folder + ": " + std::strerror(err));
  }
  stop_fd_ = ::eventfd(0, EFD_CLOEXEC);
  if (stop_fd_ < 0) {
    ::close(ino);
    return fail(Errc::internal, std::string("eventfd: ") + std::strerror(errno));
  }
  on_reload_ = std::move(on_reload);
  watcher_ = std::thread([this, ino, name = file.filename().string()] { watch_loop(ino, name); });
  return {};
}

void FileClock::watch_loop(int inotify_fd, std::string name) {
  alignas(inotify_event) char buf[4096];
  for (;;) {
    pollfd fds[2] = {{stop_fd_, POLLIN, 0}, {inotify_fd, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[0].revents != 0) break;
    bool ours = false;
    for (ssize_t n; (n = ::read(inotify_fd, buf, sizeof buf)) > 0;) {
      for (char* p = buf; p < buf + n;) {
        const auto* e = reinterpret_cast<const inotify_event*>(p);
        if (e->len > 0 && name == e->name) ours = true;
        p += sizeof(inotify_event) + e->len;
      }
    }
    if (ours) on_reload_(reload());
  }
  ::close(inotify_fd);
}

}  // namespace hl
