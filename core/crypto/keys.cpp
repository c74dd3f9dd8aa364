#include "core/crypto/keys.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/crypto/sodium_init.hpp"
#include "core/unique_fd.hpp"

namespace hl::crypto {
namespace {

// A key file is a few hundred bytes; a larger one is not ours, and reading it whole would be waste.
constexpr std::size_t kMaxFileSize = 64 * 1024;

using Key = std::array<unsigned char, 32>;

// Wipes a buffer that held key material when it goes out of scope.
class WipeOnExit {
 public:
  explicit WipeOnExit(std::string& s) : s_(s) {}
  WipeOnExit(const WipeOnExit&) = delete;
  WipeOnExit& operator=(const WipeOnExit&) = delete;
  ~WipeOnExit() { sodium_memzero(s_.data(), s_.size()); }

 private:
  std::string& s_;
};

std::string errno_text() { return std::strerror(errno); }

struct NamedKey {
  std::string_view name;
  Key Keys::*member;
};
constexpr NamedKey kNames[] = {
    {"field_key", &Keys::field_key},
    {"lookup_key", &Keys::lookup_key},
    {"audit_key", &Keys::audit_key},
    {"token_key", &Keys::token_key},
};

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

std::string hex_of(const Key& key) {
  std::string out(key.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), key.data(), key.size());
  out.pop_back();
  return out;
}

std::optional<Key> key_from_hex(std::string_view hex) {
  if (hex.size() != 64) return std::nullopt;
  Key key{};
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(key.data(), key.size(), hex.data(), hex.size(), nullptr, &len, &end) != 0 ||
      len != key.size() || end != hex.data() + hex.size())
    return std::nullopt;
  return key;
}

Result<Keys> parse(std::string_view text, const std::string& path) {
  Keys keys{};
  bool seen[std::size(kNames)] = {};
  std::size_t line_no = 0;
  auto malformed = [&](const std::string& why) {
    return fail(Errc::internal, "key file " + path + " is malformed: line " + std::to_string(line_no) + ": " + why);
  };
  while (!text.empty()) {
    const auto nl = text.find('\n');
    const std::string_view line = trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) return malformed("expected name=hex");
    const std::string_view name = trim(line.substr(0, eq));
    if (name == "suite") {
      const auto suite = parse_suite(trim(line.substr(eq + 1)));
      if (!suite) return malformed("suite is not sodium or sm");
      keys.suite = *suite;
      continue;
    }
    std::size_t index = 0;
    while (index < std::size(kNames) && kNames[index].name != name) ++index;
    // Only known names are echoed back; the line itself may hold key material.
    if (index == std::size(kNames)) return malformed("unknown key name");
    if (seen[index]) return malformed(std::string(name) + " appears twice");
    const auto key = key_from_hex(trim(line.substr(eq + 1)));
    if (!key) return malformed(std::string(name) + " is not 64 hex digits");
    keys.*kNames[index].member = *key;
    seen[index] = true;
  }
  for (std::size_t i = 0; i < std::size(kNames); ++i)
    if (!seen[i])
      return fail(Errc::internal, "key file " + path + " is malformed: " + std::string(kNames[i].name) + " is missing");
  return keys;
}

Result<Keys> read_keys(int raw_fd, const std::string& path) {
  UniqueFd fd(raw_fd);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return fail(Errc::internal, "cannot stat key file " + path + ": " + errno_text());
  if (!S_ISREG(st.st_mode)) return fail(Errc::internal, "key file " + path + " is not a regular file");
  // Like ssh with private keys: a key file others can read may already be copied, and one others
  // can write may hold keys an attacker chose; refusing to start makes the administrator fix it.
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return fail(Errc::forbidden, "key file " + path + " has mode " + mode +
                                     ", which gives group or other access; run chmod 600 on it");
  }
  if (static_cast<std::size_t>(st.st_size) > kMaxFileSize)
    return fail(Errc::internal, "key file " + path + " is too large to be a key file");
  std::string text;
  WipeOnExit wipe(text);
  text.resize(kMaxFileSize + 1);
  std::size_t used = 0;
  while (used < text.size()) {
    const ssize_t n = ::read(fd.get(), text.data() + used, text.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(Errc::internal, "cannot read key file " + path + ": " + errno_text());
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  if (used > kMaxFileSize) return fail(Errc::internal, "key file " + path + " is too large to be a key file");
  return parse(std::string_view(text).substr(0, used), path);
}

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Makes the new directory entry itself durable, not only the file's contents.
bool fsync_parent_dir(const std::string& path) {
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = ".";
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  return fd.get() >= 0 && ::fsync(fd.get()) == 0;
}

Result<Keys> create_keys(int raw_fd, const std::string& path, Suite suite) {
  UniqueFd fd(raw_fd);
  Keys keys{};
  keys.suite = suite;
  for (const auto& named : kNames) randombytes_buf((keys.*named.member).data(), 32);
  std::string text =
      "# Weiquan hotline secret keys. Keep this file at mode 0600 and back it up separately from\n"
      "# the database: without it encrypted fields cannot be read and the audit log cannot be verified.\n";
  WipeOnExit wipe(text);
  for (const auto& named : kNames) {
    std::string hex = hex_of(keys.*named.member);
    text.append(named.name).append("=").append(hex).append("\n");
    sodium_memzero(hex.data(), hex.size());
  }
  if (suite != Suite::sodium) text.append("suite=").append(to_string(suite)).append("\n");
  const int saved_errno = [&] {
    if (!write_all(fd.get(), text) || ::fsync(fd.get()) != 0 || !fd.close()) return errno;
    return 0;
  }();
  if (saved_errno != 0) {
    // Remove the partial file so the next start does not refuse it as malformed, or worse read
    // keys that were never completely written.
    ::unlink(path.c_str());
    return fail(Errc::internal, "cannot write key file " + path + ": " + std::strerror(saved_errno));
  }
  if (!fsync_parent_dir(path))
    return fail(Errc::internal, "cannot sync the directory of key file " + path + ": " + errno_text());
  return keys;
}

}  // namespace

Result<Keys> load_or_create_keys(const std::string& path, Suite for_new) {
  ensure_sodium();
  // Two tries: if another process creates the file between our failed open and our exclusive
  // create, we read what it wrote instead of overwriting it.
  for (int attempt = 0; attempt < 2; ++attempt) {
    const int rfd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (rfd >= 0) return read_keys(rfd, path);
    if (errno != ENOENT) return fail(Errc::internal, "cannot open key file " + path + ": " + errno_text());
    const int wfd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0600);
    if (wfd >= 0) return create_keys(wfd, path, for_new);
    if (errno != EEXIST) return fail(Errc::internal, "cannot create key file " + path + ": " + errno_text());
  }
  return fail(Errc::internal, "key file " + path + " keeps appearing and disappearing");
}

}  // namespace hl::crypto
