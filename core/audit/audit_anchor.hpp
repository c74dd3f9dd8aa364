#pragma once
// Anchors of the audit chain kept outside the database: an append-only text file beside the key file
// where the server records, at every checkpoint (each minute when the chain grew, and at shutdown),
// the newest row's id and hash, each line authenticated with the audit key:
//
//   v1 <at epoch ms> <row id> <row hash, hex> <mac, hex>
//
// `hotline audit verify` compares the chain with the highest anchored row: a log whose newest rows
// were deleted, an emptied log, or a database replaced by an older copy no longer holds that row (or
// holds a different one), which the chain alone cannot tell. Someone who can edit the database but
// not the key file cannot forge a line; deleting lines is covered by the same record in the journal
// (the server logs each anchor) and by keeping the file append-only (chattr +a).
#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/crypto/keyed_hash.hpp"
#include "core/error.hpp"

namespace hl::audit {

struct Anchor {
  TimeMs at = 0;
  std::int64_t row_id = 0;  // 0: the chain was empty
  std::string row_hash;     // raw bytes (32), empty when row_id is 0
};

class AnchorFile {
 public:
  AnchorFile(std::string path, const std::array<unsigned char, 32>& audit_key, crypto::Suite suite = crypto::Suite::sodium);

  const std::string& path() const { return path_; }
  // Appends one line and syncs it (the file is created 0600).
  Status append(const Anchor& anchor) const;
  // The anchor with the highest row id (the latest of equals); nullopt when the file is absent or
  // empty. Fails on a line that is malformed or not authentic (naming the line).
  Result<std::optional<Anchor>> highest() const;

 private:
  std::string mac(const Anchor& anchor) const;

  std::string path_;
  crypto::KeyedHash hash_;
};

}  // namespace hl::audit
