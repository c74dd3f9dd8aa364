#pragma once
// Files of backups and restores that must be private and durable: each file is created 0600 and each
// directory 0700 explicitly (umask cannot loosen or, for a directory, remove the owner's bits), and
// a file is only ever seen complete — written under a temporary name in the same directory, synced,
// renamed, and the directory synced.
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace hl::db {

// Creates `dir` (with missing parents) at mode 0700, or chmods an existing one to 0700: backups hold
// what the database holds. Fails naming the path and the reason.
Status ensure_private_dir(const std::string& dir);

// Makes a rename or a new file in the directory holding `path` durable.
Status sync_parent_dir(const std::string& path);

// Creates `path` empty at mode 0600; fails (conflict) when it exists.
Status create_private_file(const std::string& path);

// Writes `text` to `path` (replacing it) through a 0600 temporary file, fsync and rename.
Status write_private_file(const std::string& path, std::string_view text);

// Copies `from` to the new 0600 file `to` (conflict when it exists) and fsyncs it; returns the
// SHA-256 (hex) of the bytes copied, so a copy is checked in the same pass that makes it.
Result<std::string> copy_file_hashed(const std::string& from, const std::string& to);

// SHA-256 (hex) of a file, read in pieces.
Result<std::string> sha256_of_file(const std::string& path);

}  // namespace hl::db
