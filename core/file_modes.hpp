#pragma once
// Owner-only permissions for everything the server stores (the data are DV victims' lives): main()
// sets umask 0077 for every command, so a new database, its -wal/-shm, the key file, the audit
// anchor, backups and any new directory are 0600/0700 whatever umask the caller had; at serve start
// tighten_database_modes() repairs files left readable by an older release or by hand.
#include <string>
#include <vector>

namespace hl {

// umask(0077): files this process creates from now on are at most 0600, directories 0700.
void restrict_new_file_modes();

// The database file and its -wal and -shm companions, each when it exists with any group or other
// permission bit, are chmod'ed to 0600. Returns one line for the operator per file changed or left
// as it was (chmod failed), and a warning when the database's directory is accessible by group or
// others (it is not changed: it may be shared). Empty when everything is owner-only already.
std::vector<std::string> tighten_database_modes(const std::string& db_path);

}  // namespace hl
