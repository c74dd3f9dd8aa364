#include "casework/dv_repeat.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "casework/case_repository.hpp"
#include "casework/dv_calendar.hpp"
#include "casework/dv_support.hpp"
#include "casework/dv_vocabulary.hpp"

namespace hl::casework {
namespace {

constexpr std::size_t kMaxCases = 20;

// A person belongs to a case directly or through the contact that named her.
constexpr std::string_view kCaseKeys =
    "SELECT p.phone_hash, p.id_number_hash FROM persons p JOIN contacts ct ON ct.id = p.contact_id"
    " WHERE coalesce(p.case_id, ct.case_id) = ?1 AND p.role IN ('complainant','victim')"
    " AND (p.phone_hash IS NOT NULL OR p.id_number_hash IS NOT NULL)";
// ?1 hash, ?2 category, ?3 earliest received_at, ?4..?5 the actor's subtree as a half-open range.
constexpr std::string_view kByPhone =
    "SELECT DISTINCT k.id, k.case_no, k.status, k.risk_level, k.received_at FROM persons p"
    " JOIN contacts ct ON ct.id = p.contact_id JOIN cases k ON k.id = coalesce(p.case_id, ct.case_id)"
    " WHERE p.phone_hash = ?1 AND p.role IN ('complainant','victim') AND k.category = ?2 AND k.received_at >= ?3"
    " AND k.office_path >= ?4 AND k.office_path < ?5";
constexpr std::string_view kById =
    "SELECT DISTINCT k.id, k.case_no, k.status, k.risk_level, k.received_at FROM persons p"
    " JOIN contacts ct ON ct.id = p.contact_id JOIN cases k ON k.id = coalesce(p.case_id, ct.case_id)"
    " WHERE p.id_number_hash = ?1 AND p.role IN ('complainant','victim') AND k.category = ?2 AND k.received_at >= ?3"
    " AND k.office_path >= ?4 AND k.office_path < ?5";

RepeatVictimisation search(db::Connection& conn, const VictimKeys& keys, const Actor& actor, TimeMs now,
                           const std::set<std::int64_t>& excluded) {
  std::map<std::int64_t, RepeatCase> found;
  const TimeMs since = RepeatVictimisationFinder::window_start(now);
  const std::string upper = subtree_upper_bound(actor.office_path);
  auto run = [&](std::string_view sql, const std::string& hash) {
    auto st = conn.prepare(sql);
    st.bind_blob(1, hash);
    st.bind(2, kDvCategory).bind(3, since).bind(4, actor.office_path).bind(5, upper);
    while (st.step()) {
      const auto id = st.int64(0);
      if (!excluded.contains(id)) found[id] = {id, st.text(1), st.text(2), st.text(3), st.int64(4)};
    }
  };
  for (const auto& h : keys.phone_hashes) run(kByPhone, h);
  for (const auto& h : keys.id_number_hashes) run(kById, h);
  RepeatVictimisation out;
  for (auto& [id, c] : found) out.previous_cases.push_back(std::move(c));
  std::sort(out.previous_cases.begin(), out.previous_cases.end(), [](const RepeatCase& a, const RepeatCase& b) {
    return a.received_at != b.received_at ? a.received_at > b.received_at : a.id > b.id;
  });
  if (out.previous_cases.size() > kMaxCases) out.previous_cases.resize(kMaxCases);
  out.repeat = !out.previous_cases.empty();
  return out;
}

}  // namespace

TimeMs RepeatVictimisationFinder::window_start(TimeMs now) { return add_local_months(now, -12); }

Result<VictimKeys> RepeatVictimisationFinder::keys_typed(const PersonIdentity& identity, std::string_view phone,
                                                         std::string_view id_number) {
  VictimKeys keys;
  std::map<std::string, std::string> bad;
  if (!phone.empty()) {
    if (auto fingerprint = identity.fingerprint_typed_phone(phone)) keys.phone_hashes.push_back(std::move(*fingerprint));
    else bad["phone"] = "not a phone number";
  }
  if (!id_number.empty()) {
    if (auto fingerprint = identity.fingerprint_typed_id_number(id_number)) keys.id_number_hashes.push_back(std::move(*fingerprint));
    else bad["id_number"] = "not a valid ID number";
  }
  if (phone.empty() && id_number.empty()) bad["phone"] = "give a phone or an ID number";
  if (!bad.empty()) return fail(Errc::invalid_input, "invalid parameters", std::move(bad));
  return keys;
}

Result<RepeatVictimisation> RepeatVictimisationFinder::by_keys(db::Connection& conn, const VictimKeys& keys,
                                                               const Actor& actor, TimeMs now,
                                                               std::optional<std::int64_t> exclude_case_id) {
  if (!actor.is_staff() && actor.role != Role::system) return fail(Errc::not_found, "no such resource");
  std::set<std::int64_t> excluded;
  if (exclude_case_id) excluded.insert(*exclude_case_id);
  return search(conn, keys, actor, now, excluded);
}

Result<RepeatVictimisation> RepeatVictimisationFinder::for_case(db::Connection& conn, std::int64_t case_id,
                                                                const Actor& actor, TimeMs now) {
  auto c = dv_case(conn, case_id, actor);
  if (!c) return std::unexpected(c.error());
  VictimKeys keys;
  auto st = conn.prepare(kCaseKeys);
  st.bind_all(case_id);
  while (st.step()) {
    if (!st.is_null(0)) keys.phone_hashes.push_back(st.blob(0));
    if (!st.is_null(1)) keys.id_number_hashes.push_back(st.blob(1));
  }
  st.reset();
  std::set<std::int64_t> excluded{case_id};
  if (c->transferred_to_case_id) excluded.insert(*c->transferred_to_case_id);
  if (c->transferred_from_case_id) excluded.insert(*c->transferred_from_case_id);
  if (keys.empty()) return RepeatVictimisation{};
  return search(conn, keys, actor, now, excluded);
}

}  // namespace hl::casework
