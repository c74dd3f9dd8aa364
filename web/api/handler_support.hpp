#pragma once
// The plumbing every API handler shares, so each handler stays a few lines: authentication and
// CSRF, role gates, running work on the read pool or the writer and answering from its result,
// and the audit entry that goes with every case read and write.
#include <functional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/audit/audit_entry.hpp"
#include "web/app/event_hub.hpp"
#include "web/app/services.hpp"
#include "web/http/request.hpp"
#include "web/http/response.hpp"
#include "web/http/router.hpp"

namespace hl::web {

enum class Access {
  any_user,          // any logged-in user
  own_session,       // any logged-in user, even one who must change her password first
  staff,             // operator or supervisor
  supervisor,
  staff_or_partner,  // operator, supervisor or partner (case access is then scoped)
  case_content,      // like staff_or_partner, but others get 404: one case's content must not even be confirmed
  staff_case_content,  // operator or supervisor; a partner gets 404 (as for a case it cannot see), others 403
  staff_or_account_admin,  // operator, supervisor, sysadmin or secadmin: the directory (offices, partners, users)
  sysadmin,                // accounts, offices, partners, settings
  secadmin,                // roles and grants
  account_admin,           // sysadmin or secadmin
  account_oversight,       // sysadmin, secadmin or supervisor: who may see account changes (approvals)
  auditor,                 // the audit log, nothing else
};

using AuthedHandler = std::function<void(HttpRequest&, Reply, const Session&)>;

// Wraps a handler: 401 without a live session, 403 without the CSRF header on state changes or
// for a role outside `access`, 403 password_expired while the session must change its password
// and 403 second_factor_enrolment_required while it must set up two-step verification (except for
// Access::own_session routes: showing the session, logging out, changing the password, enrolling).
Handler authed(Services& s, Access access, AuthedHandler handler);

// 403 with error code password_expired: the session must change its password before anything else.
HttpResponse password_expired_response();
// 403 with error code second_factor_enrolment_required: two-step verification is required and the
// session's user must set it up before anything else.
HttpResponse second_factor_enrolment_response();

std::string cookie_value(const HttpRequest& request, std::string_view name);
HttpResponse json_ok(const nlohmann::json& body, unsigned status = 200);
audit::AuditEntry audit_entry(const Services& s, const Session& session, const HttpRequest& request,
                              std::string action, std::string object_type, std::optional<std::int64_t> object_id,
                              std::string detail = {});

// Adapts a plain function `F(Services&, HttpRequest&, Reply, const Session&)` to an AuthedHandler.
template <void (*F)(Services&, HttpRequest&, Reply, const Session&)>
AuthedHandler bind(Services& s) {
  return [&s](HttpRequest& r, Reply reply, const Session& session) { F(s, r, std::move(reply), session); };
}

// Runs `work(conn) -> Result<T>` on the read pool and replies `map(T)` or the error envelope.
template <class Work, class Map>
void read_then(Services& s, Reply reply, Work work, Map map) {
  s.reads.post(std::move(work), [reply = std::move(reply), map = std::move(map)](auto result) {
    reply(result ? map(*result) : error_response(result.error()));
  });
}

// What a committed write changed, for the live event stream: derived from its audit entry (a case
// or a contact), with the office and partners that may see it. Runs inside the write's savepoint.
std::optional<Change> change_for(db::Connection& conn, const audit::AuditEntry& entry);

// Runs `work(conn) -> Result<T>` on the writer and, when it succeeds, appends `entry(T)` to the
// audit chain in the same savepoint; after the commit publishes the change and replies `map(T)`.
template <class Work, class Entry, class Map>
void write_then(Services& s, Reply reply, Work work, Entry entry, Map map) {
  using R = std::invoke_result_t<Work&, db::Connection&>;
  struct Written {
    typename R::value_type value;
    std::optional<Change> change;
  };
  s.writer.post(
      [&s, work = std::move(work), entry = std::move(entry)](db::Connection& conn) mutable -> Result<Written> {
        auto result = work(conn);
        if (!result) return std::unexpected(result.error());
        const auto e = entry(*result);
        s.audit.append(conn, e);
        return Written{std::move(*result), change_for(conn, e)};
      },
      [&s, reply = std::move(reply), map = std::move(map)](Result<Written> written) {
        if (!written) return reply(error_response(written.error()));
        const Written& w = *written;
        if (w.change) s.events.publish(*w.change);
        reply(map(w.value));
      });
}

// A read whose success must be audited (every read of case content): the data is read on the pool,
// the audit entry committed by the writer, and only then is the answer sent.
template <class Work, class Entry, class Map>
void audited_read_then(Services& s, Reply reply, Work work, Entry entry, Map map) {
  s.reads.post(std::move(work), [&s, reply = std::move(reply), entry = std::move(entry),
                                 map = std::move(map)](auto result) mutable {
    if (!result) {
      reply(error_response(result.error()));
      return;
    }
    auto e = entry(*result);
    auto body = std::make_shared<HttpResponse>(map(*result));
    s.writer.post(
        [&s, e = std::move(e)](db::Connection& conn) -> Result<std::int64_t> { return s.audit.append(conn, e); },
        [reply = std::move(reply), body](Result<std::int64_t> audited) {
          reply(audited ? std::move(*body) : error_response(audited.error()));
        });
  });
}

}  // namespace hl::web
