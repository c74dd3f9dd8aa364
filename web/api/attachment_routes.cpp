// Attachments: POST/GET /api/v1/cases/{id}/attachments, GET /api/v1/attachments/{id}. The file is the
// raw request body (Content-Type + X-Filename, percent-encoded UTF-8); hashing and encryption run on
// a read worker, never on an I/O thread or the writer.
#include "casework/attachment_service.hpp"
#include "core/crypto/sha256.hpp"
#include "core/local_time.hpp"
#include "web/api/handler_support.hpp"
#include "web/api/json_body.hpp"
#include "web/api/routes.hpp"

namespace hl::web {
namespace {

using casework::AttachmentInfo;
using casework::AttachmentService;
using nlohmann::json;

constexpr std::string_view kContext = "attachments.data";

json attachment_json(const AttachmentInfo& a) {
  return {{"id", a.id},
          {"case_id", a.case_id},
          {"filename", a.filename},
          {"content_type", a.content_type},
          {"size", a.size},
          {"sha256", a.sha256},
          {"uploaded_at", format_iso8601(a.uploaded_at)},
          {"uploaded_by", a.uploaded_by ? json{{"id", *a.uploaded_by}, {"display_name", a.uploaded_by_name}} : json(nullptr)}};
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// RFC 6266 / 5987: an ASCII fallback name and the UTF-8 one.
void upload(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  const std::string filename = percent_decode(r.header("x-filename"));
  auto type = AttachmentService::check_upload(filename, r.header("content-type"), r.body);
  if (!type) return reply(error_response(type.error()));
  // Hash and encrypt on a worker: up to 10 MiB of CPU work that must not stall other connections.
  s.reads.post(
      [&s, &r, filename, type = *type](db::Connection&) -> Result<casework::NewAttachment> {
        return casework::NewAttachment{filename, type, crypto::sha256_hex(r.body), static_cast<std::int64_t>(r.body.size()),
                                       s.cipher.encrypt(r.body, kContext)};
      },
      [&s, &r, session, id = *id, reply](Result<casework::NewAttachment> prepared) mutable {
        if (!prepared) return reply(error_response(prepared.error()));
        write_then(
            s, std::move(reply),
            [&s, id, in = std::move(*prepared), actor = session.actor](db::Connection& conn) {
              return s.attachments.add(conn, id, in, actor);
            },
            [&s, &r, session](const AttachmentInfo& a) {
              return audit_entry(s, session, r, "attachment.add", "case", a.case_id,
                                 "attachment " + std::to_string(a.id) + " (" + std::to_string(a.size) + " bytes)");
            },
            [](const AttachmentInfo& a) { return json_ok(attachment_json(a), 201); });
      });
}

void list(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  audited_read_then(
      s, std::move(reply),
      [id = *id, actor = session.actor](db::Connection& conn) { return AttachmentService::list(conn, id, actor); },
      [&s, &r, session, id = *id](const auto&) { return audit_entry(s, session, r, "attachment.list", "case", id); },
      [](const std::vector<AttachmentInfo>& items) {
        json out = json::array();
        for (const auto& a : items) out.push_back(attachment_json(a));
        return json_ok({{"items", out}});
      });
}

void download(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto id = id_param(r.params);
  if (!id) return reply(error_response(id.error()));
  audited_read_then(
      s, std::move(reply),
      [&s, id = *id, actor = session.actor](db::Connection& conn) -> Result<std::pair<AttachmentInfo, std::string>> {
        auto found = AttachmentService::fetch(conn, id, actor);
        if (!found) return std::unexpected(found.error());
        auto plain = s.cipher.decrypt(found->second, kContext);
        if (!plain) return fail(Errc::internal, "attachment " + std::to_string(id) + " cannot be decrypted");
        return std::pair{found->first, std::move(*plain)};
      },
      [&s, &r, session](const auto& found) {
        return audit_entry(s, session, r, "attachment.read", "case", found.first.case_id,
                           "attachment " + std::to_string(found.first.id));
      },
      [](const std::pair<AttachmentInfo, std::string>& found) {
        HttpResponse resp{200, found.first.content_type, found.second, {}};
        resp.headers.emplace_back("Content-Disposition", content_disposition(found.first.filename, found.first.filename));
        resp.headers.emplace_back("X-Content-Type-Options", "nosniff");
        resp.headers.emplace_back("Cache-Control", "no-store");
        resp.headers.emplace_back("Content-Security-Policy", "sandbox; default-src 'none'; frame-ancestors 'none'");
        return resp;
      });
}

}  // namespace

void add_attachment_routes(Router& router, Services& s) {
  router.add("POST", "/api/v1/cases/{id}/attachments", authed(s, Access::staff_or_partner, bind<upload>(s)),
             {.body_limit = casework::kMaxAttachmentBytes, .json_body = false});
  router.add("GET", "/api/v1/cases/{id}/attachments", authed(s, Access::case_content, bind<list>(s)));
  router.add("GET", "/api/v1/attachments/{id}", authed(s, Access::case_content, bind<download>(s)));
}

}  // namespace hl::web
