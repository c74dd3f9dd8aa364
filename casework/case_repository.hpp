#pragma once
// Reads of cases, always scoped by the actor: operators and supervisors see their office subtree,
// partner users only cases with a live referral (sent, accepted, in progress) to their organisation
// (see partner_access.hpp for what remains once it ended), admins no case content.
// Anything outside the scope is reported as not_found, never as forbidden, so IDs reveal nothing.
#include <vector>

#include "casework/actor.hpp"
#include "casework/case_record.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

// A case the actor may read, and whether only reading: an office that assigned or forwarded a case
// (交办 / 转送) keeps read access to it, the receiving office to the original (see case_access).
struct ReadableCase {
  CaseRecord record;
  bool read_only = false;
};

class CaseRepository {
 public:
  // The case within the actor's working scope (reads and writes).
  static Result<CaseRecord> get(db::Connection& conn, std::int64_t id, const Actor& actor);
  // get(), or else a read-only grant to an office in the actor's subtree. For reads only.
  static Result<ReadableCase> get_readable(db::Connection& conn, std::int64_t id, const Actor& actor);
  static bool has_read_grant(db::Connection& conn, std::int64_t case_id, const Actor& actor);
  // Loads without scope checks: for the engine itself after a scoped check was made.
  static std::optional<CaseRecord> get_unscoped(db::Connection& conn, std::int64_t id);
  static Result<std::vector<CaseEventRecord>> events(db::Connection& conn, std::int64_t case_id, const Actor& actor);
  static bool in_scope(db::Connection& conn, const CaseRecord& c, const Actor& actor);
  static int open_referrals(db::Connection& conn, std::int64_t case_id);
};

// The cases columns (qualified with the alias "c") in the order read_case_row() reads them.
extern const std::string_view kCaseColumns;
// "SELECT <kCaseColumns>": the start of a query that reads cases with read_case_row().
std::string select_case_columns();
// How many they are: a query that selects more after them reads those from this index on.
inline constexpr int kCaseColumnCount = 34;
// Reads one case from a statement whose first columns are kCaseColumns.
CaseRecord read_case_row(const db::Statement& st);

// "/1/4/" → the half-open range ["/1/4/", "/1/40") covering exactly that subtree's paths.
std::string subtree_upper_bound(const std::string& path);

}  // namespace hl::casework
