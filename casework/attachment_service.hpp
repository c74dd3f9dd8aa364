#pragma once
// Case attachments: an allow-list of file types checked against the bytes themselves (a declared
// image/png must start like a PNG), a size limit, encrypted storage, scoped access (staff of the
// case's office subtree; a partner with a live referral to the case), a case event per upload.
// Encryption happens in the caller's layer (the key is not the domain's): this service takes and
// returns the encrypted blob.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "casework/actor.hpp"
#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

constexpr std::size_t kMaxAttachmentBytes = 10 * 1024 * 1024;

struct AttachmentInfo {
  std::int64_t id = 0;
  std::int64_t case_id = 0;
  std::string filename, content_type, sha256;
  std::int64_t size = 0;
  std::optional<std::int64_t> uploaded_by;
  std::string uploaded_by_name;
  TimeMs uploaded_at = 0;
};

struct NewAttachment {
  std::string filename;
  std::string content_type;
  std::string sha256;          // of the plaintext
  std::int64_t size = 0;       // of the plaintext
  std::string encrypted_data;  // what is stored
};

class AttachmentService {
 public:
  explicit AttachmentService(const Clock& clock) : clock_(clock) {}

  // The content type as stored (lower-case, parameters dropped) when the type is allowed and the
  // bytes look like it; invalid_input naming content_type or filename otherwise.
  static Result<std::string> check_upload(const std::string& filename, const std::string& declared_type,
                                          const std::string& bytes);

  // The name a file is stored and served under: its extension is the checked type's (".txt" for
  // text/plain whatever the client called it: "invoice.hta" becomes "invoice.txt", "scan" becomes
  // "scan.pdf"; ".jpeg" stays for a JPEG), and any invisible format or control character (refused at
  // upload; older rows may hold one) is replaced by "_". A browser or desktop opening the download
  // goes by the extension, so it must not say more than the bytes were checked to be.
  static std::string safe_filename(const std::string& filename, const std::string& content_type);

  Result<AttachmentInfo> add(db::Connection& conn, std::int64_t case_id, const NewAttachment& in, const Actor& actor) const;
  static Result<std::vector<AttachmentInfo>> list(db::Connection& conn, std::int64_t case_id, const Actor& actor);
  // The attachment and its encrypted bytes; not_found outside the actor's scope.
  static Result<std::pair<AttachmentInfo, std::string>> fetch(db::Connection& conn, std::int64_t id, const Actor& actor);

 private:
  const Clock& clock_;
};

}  // namespace hl::casework
