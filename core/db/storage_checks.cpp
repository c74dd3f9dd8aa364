#include "core/db/storage_checks.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "core/db/db_error.hpp"

namespace hl::db {

namespace {

std::string reason(int err) {
  std::string text = std::strerror(err);
  if (err == EPERM) text += " (is it immutable? see lsattr)";
  if (err == EACCES) text += " (the server's user needs read and write access)";
  return text;
}

// Opens an existing file for writing without changing it: nullopt when it is absent or writable.
std::optional<std::string> refuses_writes(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC | O_NOCTTY);
  if (fd >= 0) {
    ::close(fd);
    return std::nullopt;
  }
  if (errno == ENOENT) return std::nullopt;
  return reason(errno);
}

}  // namespace

Status check_database_writable(const std::string& db_path) {
  for (const std::string suffix : {"", "-wal", "-shm"}) {
    const std::string path = db_path + suffix;
    if (auto why = refuses_writes(path))
      return fail(Errc::storage_unavailable, "the database file " + path + " cannot be opened for writing: " + *why);
  }
  auto dir = std::filesystem::path(db_path).parent_path();
  if (dir.empty()) dir = ".";
  std::string probe = (dir / ".hotline-write-check-XXXXXX").string();
  const int fd = ::mkstemp(probe.data());
  if (fd < 0)
    return fail(Errc::storage_unavailable, "cannot create files in the database directory " + dir.string() + ": " + reason(errno));
  ::close(fd);
  ::unlink(probe.c_str());
  return {};
}

IntegrityResult check_integrity(Connection& conn, IntegrityKind kind) {
  IntegrityResult r;
  try {
    auto st = conn.prepare(kind == IntegrityKind::quick_check ? "PRAGMA quick_check(10)" : "PRAGMA integrity_check(10)");
    std::string lines;
    while (st.step()) {
      if (!lines.empty()) lines += "\n";
      lines += st.text(0);
    }
    r.ok = lines == "ok";
    if (!r.ok) r.detail = lines;
  } catch (const DbError& e) {
    r.ok = false;
    r.detail = e.what();
  }
  return r;
}

void write_storage_probe(Connection& conn, TimeMs now) {
  // 256 KiB, several times an intake with its search index: small writes can succeed in space a
  // failed transaction left in the WAL while ordinary ones still fail.
  constexpr std::int64_t kProbeBytes = 256 * 1024;
  conn.prepare("INSERT INTO storage_probe (id, written_at, payload) VALUES (1, ?1, zeroblob(?2)) "
               "ON CONFLICT (id) DO UPDATE SET written_at = excluded.written_at, payload = excluded.payload")
      .bind_all(now, kProbeBytes)
      .run();
}

}  // namespace hl::db
