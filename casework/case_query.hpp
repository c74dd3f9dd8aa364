#pragma once
// The case list: filters, substring search, sorting and keyset (cursor) pagination, always scoped by
// the actor. Filters are fixed SQL fragments with bound parameters; nothing from the request is ever
// spliced into SQL text.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "casework/actor.hpp"
#include "casework/case_record.hpp"
#include "casework/person_identity.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

enum class CaseSort { received_desc, received_asc, due_asc };

struct CaseFilter {
  std::optional<std::string> status;  // a status, or "open": every status but closed
  std::optional<std::string> category, channel, risk_level;
  std::optional<std::int64_t> office_id, assignee_id;
  bool unassigned_only = false;
  std::optional<std::int64_t> partner_id;  // cases with an open referral (sent/accepted/in_progress) to it
  bool overdue_only = false;
  bool supervised_only = false;  // cases with an open 督办 (casework/case_supervision.hpp)
  std::optional<TimeMs> received_from, received_to;  // inclusive bounds
  // The search box (casework/case_search_query.hpp): a phone or ID number, a case number or its tail,
  // else a substring of ≥ 2 characters of names, summaries and narratives.
  std::string q;
  CaseSort sort = CaseSort::received_desc;
  int limit = 50;
  std::string cursor;  // opaque, from a previous page
};

struct CaseSummary {
  CaseRecord record;
  std::optional<std::string> assignee_name;
  bool supervised = false;  // an open 督办 (filled by CaseQuery::list only)
};

struct CasePage {
  std::vector<CaseSummary> items;
  std::optional<std::string> next_cursor;
  std::map<std::string, std::int64_t> counts;  // per status, same filters except status
  // false when a search matched too many cases to count cheaply: `counts` is then empty and the
  // page still lists the newest matches first.
  bool counts_exact = true;
};

class CaseQuery {
 public:
  // invalid_input for an unknown status/sort value, a malformed cursor, a too-short query, or a
  // risk_level / partner_id filter from a partner user; forbidden for admins (no case content).
  // identity: fingerprints a phone or ID number searched for, as intake stored it.
  static Result<CasePage> list(db::Connection& conn, const CaseFilter& filter, const Actor& actor, TimeMs now,
                               const PersonIdentity& identity);
};

}  // namespace hl::casework
