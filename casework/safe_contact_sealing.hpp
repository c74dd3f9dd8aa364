#pragma once
// The data step of migration 014 (issue #16, finding 5). Schema 014 moves the plaintext safe-contact
// rules and safety-plan texts of existing rows into migration_014_plaintext and drops their columns;
// SQL cannot encrypt them, because the key lives outside the database. This step, run with the keys
// right after the migrations, encrypts each moved value into its *_enc column (under that column's
// FieldCipher context, the constant the repositories use) and drops the table, in one transaction.
//
// The table's bytes would otherwise stay in the file's free space and in the WAL: the step runs with
// secure_delete on (freed space is zeroed) and then empties the WAL. It runs before any other
// connection reads the database (App::open, `hotline migrate`), so nothing holds the WAL open.
// Backups made before the upgrade still hold the plaintext (README, Data at rest).
#include "core/crypto/field_cipher.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

// Returns how many values it encrypted; 0, doing nothing, when there is nothing left to encrypt (the
// step is idempotent). internal when the table names a column this release does not know, or SQLite
// fails (the transaction is rolled back: the plaintext stays where it was, for the next start).
Result<int> seal_safe_contact_fields(db::Connection& conn, const crypto::FieldCipher& cipher);

}  // namespace hl::casework
