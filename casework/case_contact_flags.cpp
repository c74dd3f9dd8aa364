#include "casework/case_contact_flags.hpp"

#include "casework/vocabulary.hpp"

namespace hl::casework {
namespace {

// Both lookups use an index (contacts_case, contacts_repeat_of); a case has a handful of contacts.
constexpr std::string_view kCounts =
    "SELECT coalesce(max(channel = 'walk_in' AND persons >= ?2), 0), coalesce(sum(repeat_of_case_id IS NOT NULL), 0)"
    " FROM contacts WHERE case_id = ?1 OR repeat_of_case_id = ?1";
constexpr std::string_view kJurisdiction =
    "SELECT k.jurisdiction_office_id, coalesce(o.name, '') FROM contacts k"
    " LEFT JOIN offices o ON o.id = k.jurisdiction_office_id"
    " WHERE (k.case_id = ?1 OR k.repeat_of_case_id = ?1) AND k.level_skipping = 1 ORDER BY k.id LIMIT 1";

}  // namespace

CaseContactFlags load_case_contact_flags(db::Connection& conn, std::int64_t case_id) {
  CaseContactFlags f;
  auto counts = conn.prepare(kCounts);
  counts.bind_all(case_id, kGroupVisitPersons);
  if (counts.step()) {
    f.group_visit = counts.int64(0) != 0;
    f.repeat_contacts = static_cast<int>(counts.int64(1));
  }
  auto j = conn.prepare(kJurisdiction);
  j.bind_all(case_id);
  if (j.step()) {
    f.level_skipping = true;
    f.jurisdiction_office_id = j.opt_int64(0);
    f.jurisdiction_office_name = j.text(1);
  }
  return f;
}

}  // namespace hl::casework
