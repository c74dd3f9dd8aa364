#pragma once
// The tables whose row counts a backup's manifest records (core/db/backup_manifest.hpp): enough for
// an administrator to see at a glance that a backup holds the office's work, and for the restore
// drill to compare.
#include <array>
#include <string_view>

namespace hl::casework {

inline constexpr std::array<std::string_view, 5> kBackupCountedTables = {"cases", "contacts", "persons", "audit_log", "users"};

}  // namespace hl::casework
