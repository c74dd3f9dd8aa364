#include "casework/audit_log_query.hpp"

#include <algorithm>

namespace hl::casework {
namespace {

// Every filter is optional (NULL matches all); the action is a prefix, compared with substr so the
// statement stays portable (no LIKE escaping of '_' and '%' in the prefix).
constexpr std::string_view kPage =
    "SELECT a.id, a.at, a.actor_id, a.action, a.object_type, a.object_id, a.detail, a.ip, u.username, u.display_name"
    " FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id"
    " WHERE (?1 IS NULL OR a.at >= ?1) AND (?2 IS NULL OR a.at < ?2)"
    " AND (?3 IS NULL OR substr(a.action, 1, length(?3)) = ?3) AND (?4 IS NULL OR a.actor_id = ?4)"
    " AND (?5 IS NULL OR a.object_type = ?5) AND (?6 IS NULL OR a.object_id = ?6) AND (?7 IS NULL OR a.id < ?7)"
    " ORDER BY a.id DESC LIMIT ?8";

}  // namespace

AuditPage read_audit_log(db::Connection& conn, const AuditFilter& f) {
  const int limit = std::clamp(f.limit, 1, 200);
  auto st = conn.prepare(kPage);
  // One more than asked for: whether an older page exists.
  st.bind_all(f.from, f.to, f.action_prefix, f.actor_id, f.object_type, f.object_id, f.before_id, limit + 1);
  AuditPage page;
  while (st.step()) {
    if (static_cast<int>(page.rows.size()) == limit) {
      page.next_before_id = page.rows.back().id;
      break;
    }
    AuditRow r;
    r.id = st.int64(0);
    r.entry = {st.int64(1), st.opt_int64(2), st.text(3), st.text(4), st.opt_int64(5), st.text(6), st.text(7)};
    r.actor_username = st.opt_text(8).value_or("");
    r.actor_display_name = st.opt_text(9).value_or("");
    page.rows.push_back(std::move(r));
  }
  return page;
}

}  // namespace hl::casework
