#pragma once
// Reading the audit log, for the audit administrator (审计管理员): newest first, filtered by time,
// action prefix, actor and object, paged by id. The chain's integrity is AuditChain::verify's.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/audit/audit_entry.hpp"
#include "core/db/connection.hpp"

namespace hl::casework {

struct AuditFilter {
  std::optional<TimeMs> from, to;  // [from, to)
  std::optional<std::string> action_prefix;  // "user." or "case.read"
  std::optional<std::int64_t> actor_id;
  std::optional<std::string> object_type;
  std::optional<std::int64_t> object_id;
  std::optional<std::int64_t> before_id;  // the page after the one ending at this id
  int limit = 100;                        // 1 to 200
};

struct AuditRow {
  std::int64_t id = 0;
  audit::AuditEntry entry;
  std::string actor_username, actor_display_name;  // "" for the system or a removed account
};

struct AuditPage {
  std::vector<AuditRow> rows;
  std::optional<std::int64_t> next_before_id;  // set when older rows may follow
};

AuditPage read_audit_log(db::Connection& conn, const AuditFilter& filter);

}  // namespace hl::casework
