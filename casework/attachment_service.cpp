#include "casework/attachment_service.hpp"
#include "casework/case_archive.hpp"

#include <algorithm>
#include <array>

#include "casework/case_event_log.hpp"
#include "casework/case_repository.hpp"
#include "core/json_text.hpp"
#include "core/text_rules.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kInsert =
    "INSERT INTO attachments(case_id, filename, content_type, size, sha256, data_enc, uploaded_by, uploaded_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr std::string_view kColumns =
    "SELECT a.id, a.case_id, a.filename, a.content_type, a.size, a.sha256, a.uploaded_by, coalesce(u.display_name, ''),"
    " a.uploaded_at FROM attachments a LEFT JOIN users u ON u.id = a.uploaded_by";
constexpr std::string_view kByCase =
    "SELECT a.id, a.case_id, a.filename, a.content_type, a.size, a.sha256, a.uploaded_by, coalesce(u.display_name, ''),"
    " a.uploaded_at FROM attachments a LEFT JOIN users u ON u.id = a.uploaded_by WHERE a.case_id = ?1 ORDER BY a.id";
// The bytes alone, read only once the scope allowed it.
constexpr std::string_view kData = "SELECT data_enc FROM attachments WHERE id = ?1";

struct Kind {
  std::string_view type;
  std::string_view magic;       // "" = text: valid UTF-8 without NUL
  std::string_view extension;   // what a file of this type is named with
  std::string_view also;        // another extension the type goes by, or ""
};

// The allow-list. Word's old .doc is an OLE compound file; .docx is a zip.
constexpr std::array<Kind, 7> kKinds = {{
    {"application/pdf", "%PDF-", "pdf", ""},
    {"image/jpeg", "\xFF\xD8\xFF", "jpg", "jpeg"},
    {"image/png", "\x89PNG\r\n\x1A\n", "png", ""},
    {"image/webp", "RIFF", "webp", ""},
    {"text/plain", "", "txt", ""},
    {"application/msword", "\xD0\xCF\x11\xE0", "doc", ""},
    {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "PK\x03\x04", "docx", ""},
}};

const Kind* kind_of(std::string_view type) {
  for (const auto& k : kKinds)
    if (k.type == type) return &k;
  return nullptr;
}

AttachmentInfo read(const db::Statement& st) {
  AttachmentInfo a;
  a.id = st.int64(0);
  a.case_id = st.int64(1);
  a.content_type = st.text(3);
  // Rows stored before names were checked and derived are shown and served as a new upload would be.
  a.filename = AttachmentService::safe_filename(st.text(2), a.content_type);
  a.size = st.int64(4);
  a.sha256 = st.text(5);
  a.uploaded_by = st.opt_int64(6);
  a.uploaded_by_name = st.text(7);
  a.uploaded_at = st.int64(8);
  return a;
}

}  // namespace

Result<std::string> AttachmentService::check_upload(const std::string& filename, const std::string& declared,
                                                    const std::string& bytes) {
  std::string type = declared.substr(0, declared.find(';'));
  type.erase(std::remove(type.begin(), type.end(), ' '), type.end());
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::map<std::string, std::string> bad;
  if (auto p = text_problem(filename, 255, false, true); !p.empty()) bad["filename"] = p;
  else if (filename.find_first_of("/\\") != std::string::npos) bad["filename"] = "must not contain a path";
  else if (has_invisible_character(filename))
    bad["filename"] = "must not contain invisible format characters (such as right-to-left overrides or zero-width spaces)";
  if (bytes.empty()) bad["file"] = "the file is empty";
  const Kind* kind = kind_of(type);
  if (!kind) {
    bad["content_type"] = "allowed: PDF, JPEG, PNG, WebP, plain text, Word documents";
  } else if (!bytes.empty()) {
    const bool looks_right = kind->magic.empty()
                                 ? valid_utf8(bytes) && bytes.find('\0') == std::string::npos
                                 : bytes.starts_with(kind->magic) &&
                                       (type != "image/webp" || (bytes.size() > 12 && bytes.compare(8, 4, "WEBP") == 0));
    if (!looks_right) bad["content_type"] = "the file's contents are not " + type;
  }
  if (!bad.empty()) return fail(Errc::invalid_input, "the file cannot be attached", std::move(bad));
  return type;
}

std::string AttachmentService::safe_filename(const std::string& filename, const std::string& content_type) {
  std::string name = replace_invisible_characters(filename, "_");
  const Kind* kind = kind_of(content_type);
  if (!kind) return name;
  const auto dot = name.rfind('.');
  if (dot != std::string::npos && dot > 0) {
    std::string ext = name.substr(dot + 1);
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (ext == kind->extension || (!kind->also.empty() && ext == kind->also)) return name;
    name.erase(dot);
  }
  return name + "." + std::string(kind->extension);
}

Result<AttachmentInfo> AttachmentService::add(db::Connection& conn, std::int64_t case_id, const NewAttachment& in,
                                              const Actor& actor) const {
  if (!actor.is_staff() && actor.role != Role::partner) return fail(Errc::not_found, "no such case");
  auto c = CaseRepository::get(conn, case_id, actor);
  if (!c) return std::unexpected(c.error());
  if (auto archived = CaseArchive::refuse_if_archived(conn, case_id); !archived) return std::unexpected(archived.error());
  if (in.size <= 0 || static_cast<std::size_t>(in.size) > kMaxAttachmentBytes)
    return fail(Errc::payload_too_large, "attachments are at most 10 MiB");
  const TimeMs now = clock_.now_ms();
  conn.prepare(kInsert)
      .bind_all(case_id, safe_filename(in.filename, in.content_type), in.content_type, in.size, in.sha256, nullptr,
                actor.user_id, now)
      .bind_blob(6, in.encrypted_data)  // bytes, not text
      .run();
  const auto id = conn.last_insert_rowid();
  CaseEventLog::append_in_place(
      conn, case_id, "attachment_added", actor, now,
      {{"attachment_id", std::to_string(id)}, {"filename", safe_filename(in.filename, in.content_type)},
       {"size", std::to_string(in.size)}});
  auto st = conn.prepare(std::string(kColumns) + " WHERE a.id = ?1");
  st.bind_all(id);
  st.step();
  return read(st);
}

Result<std::vector<AttachmentInfo>> AttachmentService::list(db::Connection& conn, std::int64_t case_id, const Actor& actor) {
  if (!actor.is_staff() && actor.role != Role::partner) return fail(Errc::not_found, "no such case");
  // A transfer's read grant is enough to list and fetch (the receiving office reads the original's files).
  if (auto c = CaseRepository::get_readable(conn, case_id, actor); !c) return std::unexpected(c.error());
  std::vector<AttachmentInfo> out;
  auto st = conn.prepare(kByCase);
  st.bind_all(case_id);
  while (st.step()) out.push_back(read(st));
  return out;
}

Result<std::pair<AttachmentInfo, std::string>> AttachmentService::fetch(db::Connection& conn, std::int64_t id,
                                                                        const Actor& actor) {
  // Scope first, on the row's metadata: the (up to 10 MiB) blob is read only for a reader who may
  // have it, and "not yours" costs and answers exactly what "missing" does.
  if (!actor.is_staff() && actor.role != Role::partner) return fail(Errc::not_found, "no such attachment");
  auto st = conn.prepare(std::string(kColumns) + " WHERE a.id = ?1");
  st.bind_all(id);
  if (!st.step()) return fail(Errc::not_found, "no such attachment");
  auto info = read(st);
  st.reset();
  if (auto c = CaseRepository::get_readable(conn, info.case_id, actor); !c) return fail(Errc::not_found, "no such attachment");
  auto data = conn.prepare(kData);
  data.bind_all(id);
  if (!data.step()) return fail(Errc::not_found, "no such attachment");
  return std::pair{info, data.blob(0)};
}

}  // namespace hl::casework
