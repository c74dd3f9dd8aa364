#include "core/db/backup_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>
#include <vector>

#include "core/crypto/sha256.hpp"
#include "core/unique_fd.hpp"

namespace hl::db {
namespace {

std::string why() { return std::strerror(errno); }

std::string parent_of(const std::string& path) {
  const auto parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
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

// A new 0600 file: O_EXCL so nothing existing is ever overwritten, fchmod so the umask cannot widen
// or narrow it.
Result<int> open_new_private(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return fail(Errc::conflict, path + " already exists");
    return fail(Errc::storage_unavailable, "cannot create " + path + ": " + why());
  }
  if (::fchmod(fd, 0600) != 0) {
    const std::string reason = why();
    ::close(fd);
    ::unlink(path.c_str());
    return fail(Errc::storage_unavailable, "cannot set mode 0600 on " + path + ": " + reason);
  }
  return fd;
}

}  // namespace

Status ensure_private_dir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return fail(Errc::storage_unavailable, "cannot create the directory " + dir + ": " + ec.message());
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) return fail(Errc::storage_unavailable, "cannot stat " + dir + ": " + why());
  if (!S_ISDIR(st.st_mode)) return fail(Errc::storage_unavailable, dir + " is not a directory");
  if ((st.st_mode & 07777) != 0700 && ::chmod(dir.c_str(), 0700) != 0)
    return fail(Errc::storage_unavailable, "cannot set mode 0700 on " + dir + ": " + why());
  return {};
}

Status sync_parent_dir(const std::string& path) {
  const std::string dir = parent_of(path);
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0)
    return fail(Errc::storage_unavailable, "cannot sync the directory " + dir + ": " + why());
  return {};
}

Status create_private_file(const std::string& path) {
  auto fd = open_new_private(path);
  if (!fd) return std::unexpected(fd.error());
  ::close(*fd);
  return {};
}

Status write_private_file(const std::string& path, std::string_view text) {
  const std::string temp = path + ".tmp";
  ::unlink(temp.c_str());  // left by a crash mid-write; never a complete file
  auto opened = open_new_private(temp);
  if (!opened) return std::unexpected(opened.error());
  UniqueFd fd(*opened);
  if (!write_all(fd.get(), text) || ::fsync(fd.get()) != 0 || !fd.close()) {
    const std::string reason = why();
    ::unlink(temp.c_str());
    return fail(Errc::storage_unavailable, "cannot write " + temp + ": " + reason);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string reason = why();
    ::unlink(temp.c_str());
    return fail(Errc::storage_unavailable, "cannot rename " + temp + " to " + path + ": " + reason);
  }
  return sync_parent_dir(path);
}

Result<std::string> copy_file_hashed(const std::string& from, const std::string& to) {
  UniqueFd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) return fail(Errc::not_found, "cannot read " + from + ": " + why());
  auto opened = open_new_private(to);
  if (!opened) return std::unexpected(opened.error());
  UniqueFd out(*opened);
  auto failed = [&](const std::string& what) {
    const std::string reason = why();
    ::unlink(to.c_str());  // a partial copy must not be mistaken for a whole one
    return fail(Errc::storage_unavailable, what + ": " + reason);
  };
  crypto::Sha256 hash;
  std::vector<char> buffer(1 << 20);
  for (;;) {
    const ssize_t n = ::read(in.get(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return failed("cannot read " + from);
    if (n == 0) break;
    const std::string_view piece(buffer.data(), static_cast<std::size_t>(n));
    hash.update(piece);
    if (!write_all(out.get(), piece)) return failed("cannot write " + to);
  }
  if (::fsync(out.get()) != 0 || !out.close()) return failed("cannot sync " + to);
  return hash.hex();
}

Result<std::string> sha256_of_file(const std::string& path) {
  UniqueFd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) return fail(Errc::not_found, "cannot read " + path + ": " + why());
  crypto::Sha256 hash;
  std::vector<char> buffer(1 << 20);
  for (;;) {
    const ssize_t n = ::read(in.get(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(Errc::storage_unavailable, "cannot read " + path + ": " + why());
    if (n == 0) break;
    hash.update(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
  }
  return hash.hex();
}

}  // namespace hl::db
