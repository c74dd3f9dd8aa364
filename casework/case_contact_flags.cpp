#include "casework/case_contact_flags.hpp"

#include "casework/vocabulary.hpp"

namespace hl::casework {
namespace {

// One statement (a case page reads it on every view): the counts over the case's own and repeat
// contacts, and the first level-skipping one with its jurisdiction. Both parts use an index
// (contacts_case, contacts_repeat_of); a case has a handful of contacts.
constexpr std::string_view kFlags =
    "SELECT a.grp, a.repeats, j.found, j.jid, j.jname FROM"
    " (SELECT coalesce(max(channel = 'walk_in' AND persons >= ?2), 0) AS grp,"
    " coalesce(sum(repeat_of_case_id IS NOT NULL), 0) AS repeats"
    " FROM contacts WHERE case_id = ?1 OR repeat_of_case_id = ?1) a"
    " LEFT JOIN (SELECT 1 AS found, k.jurisdiction_office_id AS jid, coalesce(o.name, '') AS jname FROM contacts k"
    " LEFT JOIN offices o ON o.id = k.jurisdiction_office_id"
    " WHERE (k.case_id = ?1 OR k.repeat_of_case_id = ?1) AND k.level_skipping = 1 ORDER BY k.id LIMIT 1) j";

}  // namespace

CaseContactFlags load_case_contact_flags(db::Connection& conn, std::int64_t case_id) {
  CaseContactFlags f;
  auto st = conn.prepare(kFlags);
  st.bind_all(case_id, kGroupVisitPersons);
  if (st.step()) {
    f.group_visit = st.int64(0) != 0;
    f.repeat_contacts = static_cast<int>(st.int64(1));
    if (!st.is_null(2)) {
      f.level_skipping = true;
      f.jurisdiction_office_id = st.opt_int64(3);
      f.jurisdiction_office_name = st.text(4);
    }
  }
  return f;
}

}  // namespace hl::casework
