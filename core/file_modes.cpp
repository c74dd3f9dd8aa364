#include "core/file_modes.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace hl {
namespace {

std::string octal(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

}  // namespace

void restrict_new_file_modes() { ::umask(0077); }

std::vector<std::string> tighten_database_modes(const std::string& db_path) {
  std::vector<std::string> lines;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    const std::string path = db_path + suffix;
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || (st.st_mode & 077) == 0) continue;
    if (::chmod(path.c_str(), 0600) == 0)
      lines.push_back(path + " was readable by group or others (mode " + octal(st.st_mode) + "); changed it to 0600");
    else
      lines.push_back("warning: " + path + " is readable by group or others (mode " + octal(st.st_mode) +
                      ") and could not be changed to 0600: " + std::strerror(errno));
  }
  auto dir = std::filesystem::path(db_path).parent_path();
  if (dir.empty()) dir = ".";
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0 && (st.st_mode & 077) != 0)
    lines.push_back("warning: the database directory " + dir.string() + " is accessible by group or others (mode " +
                    octal(st.st_mode) + "); make it owner-only: chmod 0700 " + dir.string());
  return lines;
}

}  // namespace hl
