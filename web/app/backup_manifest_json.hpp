#pragma once
// Reads a backup's manifest (core/db/backup_manifest.hpp writes it) for `hotline restore`. The file is
// untrusted input until restore_backup() has checked its MAC: every field is type-checked here and a
// missing or mistyped one is refused, naming it.
#include <string>

#include "core/db/backup_manifest.hpp"
#include "core/error.hpp"

namespace hl::web {

// invalid_input naming the file and the field; not_found when the file cannot be read.
Result<db::BackupManifest> read_backup_manifest(const std::string& path);

}  // namespace hl::web
