#pragma once
// `hotline backup` and `hotline restore` (web/main.cpp parses the command line): what they print and
// their exit codes (0 done, 1 refused or failed). The work is in core/db/backup_*.
#include <string>

#include "core/clock.hpp"

namespace hl::web {

struct DatabasePaths {
  std::string db, keys, anchor;
};

// Backs `paths.db` up to the new file `target` with its manifest (signed with the key file).
int backup_command(const std::string& target, const DatabasePaths& paths, const Clock& clock);

// Restores `backup` (the .db, or its .manifest.json) to `paths.db`; see core/db/backup_restore.hpp.
int restore_command(const std::string& backup, const DatabasePaths& paths, bool force, const Clock& clock);

}  // namespace hl::web
