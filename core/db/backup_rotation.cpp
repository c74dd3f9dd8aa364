#include "core/db/backup_rotation.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>

#include "core/db/backup_manifest.hpp"

namespace hl::db {
namespace {

constexpr std::string_view kPrefix = "hotline-";
constexpr std::string_view kSuffix = "Z.db";
constexpr std::string_view kPartial = ".partial";

}  // namespace

std::string backup_file_name(TimeMs created_at) {
  const std::time_t seconds = static_cast<std::time_t>(created_at / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%S", &utc);
  return std::string(kPrefix) + buf + std::string(kSuffix);
}

std::optional<TimeMs> backup_name_time(std::string_view name) {
  // hotline-YYYYMMDDTHHMMSSZ.db: 8 + 15 + 4 characters.
  if (name.size() != kPrefix.size() + 15 + kSuffix.size() || !name.starts_with(kPrefix) || !name.ends_with(kSuffix))
    return std::nullopt;
  const std::string stamp(name.substr(kPrefix.size(), 15));
  std::tm utc{};
  char tail = 0;
  if (stamp[8] != 'T' || std::sscanf(stamp.c_str(), "%4d%2d%2dT%2d%2d%2d%c", &utc.tm_year, &utc.tm_mon, &utc.tm_mday,
                                     &utc.tm_hour, &utc.tm_min, &utc.tm_sec, &tail) != 6)
    return std::nullopt;
  for (char c : stamp)
    if (c != 'T' && (c < '0' || c > '9')) return std::nullopt;
  utc.tm_year -= 1900;
  utc.tm_mon -= 1;
  const std::time_t t = timegm(&utc);
  if (t < 0 || backup_file_name(static_cast<TimeMs>(t) * 1000) != name) return std::nullopt;  // e.g. month 13
  return static_cast<TimeMs>(t) * 1000;
}

std::vector<BackupEntry> list_backups(const std::string& dir) {
  std::vector<BackupEntry> out;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const auto at = backup_name_time(name);
    if (!at) continue;
    out.push_back({it->path().string(), *at, std::filesystem::exists(manifest_path_for(it->path().string()))});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.named_at < b.named_at; });
  return out;
}

Result<std::vector<std::string>> rotate_backups(const std::string& dir, int keep) {
  std::vector<std::string> removed;
  std::string failed;
  auto remove = [&](const std::string& path) {
    std::error_code ec;
    if (std::filesystem::remove(path, ec)) removed.push_back(path);
    else if (ec && failed.empty()) failed = path + ": " + ec.message();
  };
  const auto entries = list_backups(dir);
  std::optional<TimeMs> newest_finished;
  int finished_seen = 0;
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    if (it->finished) {
      if (!newest_finished) newest_finished = it->named_at;
      if (++finished_seen <= keep) continue;
      remove(manifest_path_for(it->path));  // the manifest first: a backup without one is unfinished
      remove(it->path);
    } else if (newest_finished && it->named_at < *newest_finished) {
      remove(it->path);
    }
  }
  // Partial copies of an interrupted backup (backup_database's TARGET.partial) older than the newest
  // finished backup: that one was made after them, so none of them is still being written.
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!name.ends_with(kPartial)) continue;
    const auto at = backup_name_time(std::string_view(name).substr(0, name.size() - kPartial.size()));
    if (at && newest_finished && *at < *newest_finished) remove(it->path().string());
  }
  if (!failed.empty()) return fail(Errc::storage_unavailable, "cannot remove the old backup " + failed);
  return removed;
}

}  // namespace hl::db
