#pragma once
// One audit record as the application writes it; AuditChain adds the id and the chained hash.
#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.hpp"

namespace hl::audit {

struct AuditEntry {
  TimeMs at = 0;                          // UTC epoch ms, from the injected Clock
  std::optional<std::int64_t> actor_id;   // nullopt: the system itself acted
  std::string action;                     // dotted verb, e.g. "session.login_failed"
  std::string object_type;                // "" when the action has no object
  std::optional<std::int64_t> object_id;
  std::string detail;                     // free text or JSON; never secrets or full phone numbers
  std::string ip;                         // "" for actions not caused by a request
};

}  // namespace hl::audit
