#pragma once
// The key file of a database (phone/ID encryption, lookup fingerprints, the audit chain, session
// tokens). New keys are created only for a database that holds nothing protected yet: for one that
// already holds encrypted fields or audit rows, fresh keys would make the old data unreadable and the
// audit chain unverifiable, so a missing key file is refused instead. Every command that opens keys
// (serve, seed-demo, user add, import) goes through here.
#include <optional>
#include <string>

#include "core/crypto/keys.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

// The keys in `keys_path`, created (mode 0600) when the file is missing and the database holds no
// protected data. forbidden, naming the path, when it is missing for a database that does.
//
// The crypto suite (core/crypto/suite.hpp) is chosen once: a new key file is made for `requested`
// (default sodium, or the suite the database already records), and the database records the key
// file's suite the first time (database_meta). invalid_input when `requested` differs from the
// suite of an existing key file; forbidden when the key file's suite is not the database's.
Result<crypto::Keys> open_database_keys(db::Connection& conn, const std::string& keys_path,
                                        std::optional<crypto::Suite> requested = std::nullopt);

}  // namespace hl::casework
