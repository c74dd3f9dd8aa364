#pragma once
// Checks the HTTP layer makes on every request before its body is read, for what no handler can
// undo later: a state-changing request sent by a page of another site (login CSRF: the login has
// no CSRF token, and a SameSite cookie does not stop a form from logging the victim's browser into
// the attacker's account), and a JSON endpoint fed a body of another type (an HTML form can post
// `text/plain` across sites without a CORS preflight; `application/json` cannot be sent so).
// Pure functions on header values, no Beast, so they are unit-tested directly (tests/web).
#include <string_view>

namespace hl::web {

// POST, PUT, PATCH, DELETE and any other method but GET, HEAD and OPTIONS.
bool is_state_changing(std::string_view method);

// True when a browser tells us the request comes from a page of another origin:
// `Sec-Fetch-Site` present and neither `same-origin` nor `none` (typed by the user), or `Origin`
// present and not the server's own origin (including `Origin: null`, sent by sandboxed and
// privacy-sensitive contexts, and anything unparsable). The server's origin is the `Host` header
// (behind the shipped nginx the public host and port, see packaging/nginx): host names compare
// without case, a missing port is the scheme's default (80 or 443). `scheme` is the scheme the
// client used when the server knows it (`X-Forwarded-Proto` from a trusted proxy), and then the
// origin's must match; "" when unknown: the origin's scheme is taken for the Host's default port.
// No Origin and no Sec-Fetch-Site (curl, scripts, the tests' client, old browsers) is not cross-site.
bool is_cross_site(std::string_view origin, std::string_view sec_fetch_site, std::string_view host,
                   std::string_view scheme);

// True for `application/json` with or without parameters (`; charset=utf-8`), in any case.
bool is_json_media_type(std::string_view content_type);

}  // namespace hl::web
