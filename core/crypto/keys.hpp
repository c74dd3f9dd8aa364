#pragma once
// The secret keys, kept in a file outside the database so that a copy of the database alone (a
// stolen backup) reveals no phone or ID numbers and cannot be re-chained after tampering.
//
// File format, one key per line so an administrator can read, back up and restore it:
//   # comment lines and blank lines are ignored
//   field_key=<64 hex digits>
//   lookup_key=<64 hex digits>
//   audit_key=<64 hex digits>
//   token_key=<64 hex digits>
//   suite=sm                      (optional; absent: sodium — see suite.hpp)
// Losing the file makes encrypted fields unreadable and the audit chain unverifiable: back it up.
#include <array>
#include <string>

#include "core/crypto/suite.hpp"
#include "core/error.hpp"

namespace hl::crypto {

struct Keys {
  std::array<unsigned char, 32> field_key;   // FieldCipher: encrypted fields
  std::array<unsigned char, 32> lookup_key;  // KeyedHash: fingerprints for matching equal values
  std::array<unsigned char, 32> audit_key;   // AuditChain: the audit log's hash chain
  std::array<unsigned char, 32> token_key;   // KeyedHash: stored hashes of session tokens
  Suite suite = Suite::sodium;               // the algorithms these keys are used with
};

// Reads the key file at path, or when none exists creates it with fresh random keys (mode 0600,
// created exclusively and fsynced with its directory, so a crash never leaves keys we used but did
// not persist). Fails with
//   forbidden — the file's mode gives group or other any access (fix with chmod 600);
//   internal  — the file cannot be read or created, is not a regular file, or is malformed
//               (unknown, missing or repeated name, value not 64 hex digits).
// The message names the file and the problem, never key material.
// A new file is made for the suite `for_new`; an existing one keeps the suite it names.
Result<Keys> load_or_create_keys(const std::string& path, Suite for_new = Suite::sodium);

}  // namespace hl::crypto
