#pragma once
// The key file of a database (phone/ID encryption, lookup fingerprints, the audit chain, session
// tokens). New keys are created only for a database that holds nothing protected yet: for one that
// already holds encrypted fields or audit rows, fresh keys would make the old data unreadable and the
// audit chain unverifiable, so a missing key file is refused instead. Every command that opens keys
// (serve, seed-demo, user add, import) goes through here.
#include <string>

#include "core/crypto/keys.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

// The keys in `keys_path`, created (mode 0600) when the file is missing and the database holds no
// protected data. forbidden, naming the path, when it is missing for a database that does.
Result<crypto::Keys> open_database_keys(db::Connection& conn, const std::string& keys_path);

}  // namespace hl::casework
