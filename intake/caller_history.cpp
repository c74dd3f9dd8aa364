#include "intake/caller_history.hpp"

#include <set>

namespace hl::intake {
namespace {

// Newest first through the contacts of the persons with the fingerprint (persons_phone_hash: a few
// rows per caller, sorted in memory). A contact naming the number twice (complainant and victim)
// comes once; the case is the person's own or the contact's (a follow-up linked later).
constexpr std::string_view kHistory =
    "SELECT k.id, k.received_at, k.channel, k.call_type, k.summary, coalesce(k.resolution, 'none'), k.answer, p.name,"
    " c.id, c.case_no, c.status, c.outcome, c.office_path, k.persons, k.repeat_of_case_id, k.level_skipping"
    " FROM persons p JOIN contacts k ON k.id = p.contact_id JOIN offices o ON o.id = k.office_id"
    " LEFT JOIN cases c ON c.id = coalesce(p.case_id, k.case_id)"
    " WHERE p.phone_hash = ?1 AND o.path >= ?2 AND o.path < ?3"
    " ORDER BY k.received_at DESC, k.id DESC, p.id DESC";

}  // namespace

void read_caller_history(db::Connection& conn, const std::string& phone_fingerprint, const std::string& scope_lo,
                         const std::string& scope_hi, CallerHistory& history) {
  auto st = conn.prepare(kHistory);
  st.bind_blob(1, phone_fingerprint);
  st.bind(2, scope_lo);
  st.bind(3, scope_hi);
  std::set<std::int64_t> seen;
  while (st.step()) {
    if (history.caller_name.empty()) history.caller_name = st.text(7);
    if (history.contacts.size() >= kMaxHistoryContacts && !history.caller_name.empty()) break;
    if (!seen.insert(st.int64(0)).second || history.contacts.size() >= kMaxHistoryContacts) continue;
    PriorContact c;
    c.id = st.int64(0);
    c.received_at = st.int64(1);
    c.channel = st.text(2);
    c.call_type = st.opt_text(3);
    c.summary = st.text(4);
    c.resolution = st.text(5);
    c.answer = st.text(6);
    c.persons = static_cast<int>(st.int64(13));
    c.repeat_of_case_id = st.opt_int64(14);
    c.level_skipping = st.int64(15) != 0;
    // The case only when the actor may open it: a case moved to another office stays unnamed.
    if (auto id = st.opt_int64(8); id && st.text(12) >= scope_lo && st.text(12) < scope_hi)
      c.case_ref = PriorContactCase{*id, st.text(9), st.text(10), st.opt_text(11)};
    history.contacts.push_back(std::move(c));
  }
}

}  // namespace hl::intake
