#pragma once
// Erasing personal data so that none stays readable in the database's files: what SQLite frees is
// left as it was (in the page's free space, on freelist pages, and in the WAL's older page images)
// unless told otherwise.
#include <string>

#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::db {

// While alive, whatever `conn` deletes or overwrites is zeroed (PRAGMA secure_delete = ON); the
// previous setting is restored at the end. Scoped rather than always on: only the erasing code
// pays for the extra writes, not every intake.
class SecureDelete {
 public:
  explicit SecureDelete(Connection& conn);
  SecureDelete(const SecureDelete&) = delete;
  SecureDelete& operator=(const SecureDelete&) = delete;
  ~SecureDelete();

 private:
  Connection& conn_;
  bool was_on_;
};

// Copies the WAL into the database file and empties it (PRAGMA wal_checkpoint(TRUNCATE)), so the
// page images from before an erasure are gone from the WAL too. Opens its own connection to `path`:
// a checkpoint cannot run inside a transaction, and the Writer's connection is always in one while
// a command runs. Waits up to a second for the writer and for readers of older snapshots (new writes
// wait meanwhile); fails, naming why, when they outlast it.
Status truncate_wal(const std::string& path);

}  // namespace hl::db
