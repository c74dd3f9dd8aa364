#include "casework/case_query.hpp"

#include <charconv>
#include <variant>

#include "casework/case_repository.hpp"
#include "casework/case_search_query.hpp"
#include "casework/person_numbers.hpp"
#include "core/db/bigram_tokenizer.hpp"

namespace hl::casework {
namespace {

// Columns in CaseRepository's order, plus the assignee's display name.
constexpr std::string_view kFromCases = " FROM cases c LEFT JOIN users u ON u.id = c.assignee_id WHERE 1 = 1";
constexpr std::string_view kCount = "SELECT c.status, count(*) FROM cases c WHERE 1 = 1";
// The list flag: a probe of the partial index of open 督办 (case_supervisions_open) per listed case.
constexpr std::string_view kSupervisedColumn =
    ", EXISTS (SELECT 1 FROM case_supervisions s WHERE s.case_id = c.id AND s.answered_at IS NULL)";

// Keyed hashes are stored as BLOBs, and a BLOB never equals TEXT in SQLite: they bind as blobs.
struct Blob {
  std::string bytes;
};
using Param = std::variant<std::int64_t, std::string, Blob>;

struct Where {
  std::string sql;
  std::vector<Param> params;
  void add(std::string_view fragment, Param p) { add(fragment, {std::move(p)}); }
  void add(std::string_view fragment, std::initializer_list<Param> ps) {
    sql += fragment;
    params.insert(params.end(), ps);
  }
};

void bind_params(db::Statement& st, const std::vector<Param>& params) {
  int i = 0;
  for (const auto& p : params) {
    ++i;
    if (const auto* blob = std::get_if<Blob>(&p)) st.bind_blob(i, blob->bytes);
    else if (const auto* n = std::get_if<std::int64_t>(&p)) st.bind(i, *n);
    else st.bind(i, std::get<std::string>(p));
  }
}

struct Cursor {
  std::int64_t key = 0;
  std::int64_t id = 0;
};

std::optional<Cursor> parse_cursor(const std::string& s) {
  const auto colon = s.find(':');
  if (colon == std::string::npos) return std::nullopt;
  Cursor c;
  auto a = std::from_chars(s.data(), s.data() + colon, c.key);
  auto b = std::from_chars(s.data() + colon + 1, s.data() + s.size(), c.id);
  if (a.ec != std::errc() || a.ptr != s.data() + colon || b.ec != std::errc() || b.ptr != s.data() + s.size())
    return std::nullopt;
  return c;
}

// The sort key of a case without a running deadline; schema/008 indexes coalesce(next_due, 9000000000000000),
// which must stay the same number written the same way for "deadline first" to walk that index.
constexpr std::int64_t kNoDue = 9'000'000'000'000'000;

// Plans for a million cases. A wide scope is listed by walking an index in list order (received_at,
// status + received_at, the deadline expression) and stopping after the page, the scope checked
// from the index entry; its scope terms are written with a unary + so SQLite does not take the
// office_path range and sort the whole scope. Walking costs about page / share-of-all-cases index
// entries, sorting about the scope's size in rows: a scope is wide from kWideScopeCases cases and
// 1/kWideScopeShare of all (a walk of at most ~100 k index entries).
constexpr std::int64_t kWideScopeCases = 500;
constexpr std::int64_t kWideScopeShare = 2000;
// A search with more matches than this (over all offices) is listed by probing the full-text index
// case by case, newest first, and its counts are not computed.
constexpr std::int64_t kSearchCountCap = 2000;

constexpr std::string_view kScopeCount =
    "SELECT coalesce(sum(k.n), 0) FROM case_counts k JOIN offices o ON o.id = k.office_id WHERE o.path >= ?1 AND o.path < ?2";
constexpr std::string_view kAllCount = "SELECT coalesce(sum(n), 0) FROM case_counts";
constexpr std::string_view kScopeCounts =
    "SELECT k.status, sum(k.n) FROM case_counts k JOIN offices o ON o.id = k.office_id"
    " WHERE o.path >= ?1 AND o.path < ?2 AND (?3 = '' OR k.category = ?3) GROUP BY k.status HAVING sum(k.n) > 0";
// A first-level category covers its second-level codes ("marriage_family" → "marriage_family.*").
constexpr std::string_view kScopeCountsByParent =
    "SELECT k.status, sum(k.n) FROM case_counts k JOIN offices o ON o.id = k.office_id"
    " WHERE o.path >= ?1 AND o.path < ?2 AND k.category > ?3 || '.' AND k.category < ?3 || '/'"
    " GROUP BY k.status HAVING sum(k.n) > 0";
constexpr std::string_view kOfficePath = "SELECT path FROM offices WHERE id = ?1";
constexpr std::string_view kSearchMatches =
    "SELECT count(*) FROM (SELECT rowid FROM case_search WHERE case_search MATCH ?1 LIMIT ?2)";
// Number searches, each an index lookup (persons_phone_hash, persons_id_hash, the unique case_no):
// the cases of the people with that keyed hash — linked directly or through their contact, as the
// repeat-caller lookup does — and the case numbers an office can have issued with that tail.
constexpr std::string_view kByPhoneHash =
    " AND c.id IN (SELECT coalesce(p.case_id, t.case_id) FROM persons p JOIN contacts t ON t.id = p.contact_id"
    " WHERE p.phone_hash = ?)";
constexpr std::string_view kByIdHash =
    " AND c.id IN (SELECT coalesce(p.case_id, t.case_id) FROM persons p JOIN contacts t ON t.id = p.contact_id"
    " WHERE p.id_number_hash = ?)";
constexpr std::string_view kByCaseNo = " AND c.case_no = ?";
// A tail ("2026-000242", "000242") becomes the whole numbers it can stand for: every office and year
// with a counter that has reached that serial (case_counters: one row per office and year, and every
// case number is drawn from it, casework/case_numbering.cpp), each probed in the case_no index.
constexpr std::string_view kByCaseNoTail =
    " AND c.case_no IN (SELECT o.case_prefix || '-' || printf('%04d', n.year) || '-' || ?"
    " FROM case_counters n JOIN offices o ON o.id = n.office_id WHERE n.last_no >= ? AND (? = 0 OR n.year = ?))";

// The office_path range a staff list covers: the actor's subtree, narrowed to a sub-office's.
// Empty when the two do not overlap (the list is then empty anyway).
std::pair<std::string, std::string> path_range(db::Connection& conn, const Actor& actor, std::optional<std::int64_t> office_id) {
  std::string lo = actor.role == Role::system ? "/" : actor.office_path;
  if (office_id) {
    auto st = conn.prepare(kOfficePath);
    st.bind_all(*office_id);
    if (!st.step()) return {};
    const std::string sub = st.text(0);
    if (sub.starts_with(lo)) lo = sub;
    else if (!lo.starts_with(sub)) return {};
  }
  return {lo, subtree_upper_bound(lo)};
}

std::int64_t scalar(db::Connection& conn, std::string_view sql, const std::string& a = {}, const std::string& b = {}) {
  auto st = conn.prepare(sql);
  if (!a.empty()) st.bind_all(a, b);
  st.step();
  return st.int64(0);
}

}  // namespace

Result<CasePage> CaseQuery::list(db::Connection& conn, const CaseFilter& f, const Actor& actor, TimeMs now,
                                 const PersonIdentity& identity) {
  if (is_administrator(actor.role)) return fail(Errc::forbidden, "administrators do not see case content");
  std::map<std::string, std::string> bad;
  if (f.status && *f.status != "open" && !parse_status(*f.status)) bad["status"] = "unknown status";
  if (f.unassigned_only && f.assignee_id) bad["assignee_id"] = "an assignee or none, not both";
  if (f.channel && !is_one_of(channels(), *f.channel)) bad["channel"] = "unknown channel";
  if (f.risk_level && !is_one_of(risk_levels(), *f.risk_level)) bad["risk_level"] = "unknown risk level";
  std::optional<Cursor> cursor;
  if (!f.cursor.empty() && !(cursor = parse_cursor(f.cursor))) bad["cursor"] = "malformed cursor";
  std::string fts;
  const SearchQuery search = classify_search_query(f.q);
  if (search.kind == SearchKind::text && !search.value.empty()) {
    fts = db::fts_query_from_user_text(search.value);
    if (fts.empty()) bad["q"] = "search needs at least two characters";
  }
  if (f.limit < 1 || f.limit > 200) bad["limit"] = "between 1 and 200";
  if (actor.role == Role::partner) {
    // Both would answer questions a partner may not ask: which of its cases have which DV risk
    // level, and which are referred to another organisation too (casework/partner_access.hpp).
    if (f.risk_level) bad["risk_level"] = "not a filter for partner users";
    if (f.partner_id) bad["partner_id"] = "not a filter for partner users";
    // Nor which of them an office above supervises (督办 stays between the offices).
    if (f.supervised_only) bad["supervised"] = "not a filter for partner users";
  }
  if (!bad.empty()) return fail(Errc::invalid_input, "invalid list parameters", std::move(bad));

  const bool staff = actor.role != Role::partner;
  const auto [scope_lo, scope_hi] = staff ? path_range(conn, actor, f.office_id) : std::pair<std::string, std::string>{};
  const std::int64_t scope_cases = staff && !scope_lo.empty() ? scalar(conn, kScopeCount, scope_lo, scope_hi) : 0;
  const bool wide = staff && scope_cases >= kWideScopeCases && scope_cases * kWideScopeShare >= scalar(conn, kAllCount);
  const char* plus = wide ? "+" : "";

  // Scope first: it is what keeps other offices' cases out.
  Where scope;
  if (actor.role == Role::partner) {
    scope.add(" AND EXISTS (SELECT 1 FROM referrals r WHERE r.case_id = c.id AND r.partner_id = ?"
              " AND r.status IN ('sent','accepted','in_progress'))",
              actor.partner_id.value_or(-1));
  } else if (actor.role != Role::system) {
    scope.add(std::string(" AND ") + plus + "c.office_path >= ?", actor.office_path);
    scope.add(std::string(" AND ") + plus + "c.office_path < ?", subtree_upper_bound(actor.office_path));
  }
  Where w = scope;
  if (f.office_id) {
    // A sub-office filter: that office's own subtree (still inside the actor's scope above).
    w.add(std::string(" AND ") + plus + "c.office_path >= (SELECT path FROM offices WHERE id = ?)", *f.office_id);
    w.add(std::string(" AND ") + plus + "c.office_path < (SELECT substr(path, 1, length(path) - 1) || '0' FROM offices WHERE id = ?)",
          *f.office_id);
  }
  if (f.category) {
    // A first-level code selects all of its second-level codes ("marriage_family" → "marriage_family.*").
    if (f.category->find('.') == std::string::npos)
      w.add(" AND c.category > ? || '.' AND c.category < ? || '/'", {*f.category, *f.category});
    else
      w.add(" AND c.category = ?", *f.category);
  }
  if (f.channel) w.add(" AND c.channel = ?", *f.channel);
  if (f.risk_level) w.add(" AND c.risk_level = ?", *f.risk_level);
  if (f.assignee_id) w.add(" AND c.assignee_id = ?", *f.assignee_id);
  if (f.unassigned_only) w.add(" AND c.assignee_id IS NULL", {});
  if (f.partner_id)
    w.add(" AND EXISTS (SELECT 1 FROM referrals r WHERE r.case_id = c.id AND r.partner_id = ?"
          " AND r.status IN ('sent','accepted','in_progress'))",
          *f.partner_id);
  if (f.overdue_only) w.add(" AND c.status <> 'closed' AND c.status <> 'forwarded' AND c.next_due < ?", now);
  // Open 督办 are few: the IN list (a scan of the partial index case_supervisions_open) drives the
  // lookup of cases by key, in the narrow and the wide plan alike.
  if (f.supervised_only) w.add(" AND c.id IN (SELECT s.case_id FROM case_supervisions s WHERE s.answered_at IS NULL)", {});
  if (f.received_from) w.add(" AND c.received_at >= ?", *f.received_from);
  if (f.received_to) w.add(" AND c.received_at <= ?", *f.received_to);
  switch (search.kind) {
    case SearchKind::phone:
      w.add(kByPhoneHash, Blob{identity.phone_fingerprint(search.value)});
      break;
    case SearchKind::id_number:
      // An ID number with a wrong check character was never stored: no fingerprint, no match.
      w.add(kByIdHash, Blob{valid_id_number(search.value) ? identity.id_number_fingerprint(search.value) : std::string()});
      break;
    case SearchKind::case_number:
      if (!search.value.empty()) w.add(kByCaseNo, search.value);
      else {
        const std::int64_t year = search.year.value_or(0);
        w.add(kByCaseNoTail, {search.serial, std::int64_t{std::stoi(search.serial)}, year, year});
      }
      break;
    case SearchKind::text:
      break;
  }
  CasePage page;
  bool counted = false;
  if (!fts.empty()) {
    auto matches = conn.prepare(kSearchMatches);
    matches.bind_all(fts, kSearchCountCap + 1);
    matches.step();
    if (matches.int64(0) <= kSearchCountCap) {
      // Few matches: take them all and filter; the counts are exact.
      w.add(" AND c.id IN (SELECT rowid FROM case_search WHERE case_search MATCH ?)", fts);
    } else {
      // Many (a two-character word such as 家暴 in a tenth of all cases): walk the cases in list
      // order and ask the full-text index about each one; a page is found long before the end.
      w.add(" AND EXISTS (SELECT 1 FROM case_search WHERE case_search MATCH ? AND case_search.rowid = c.id)", fts);
      page.counts_exact = false;
      counted = true;
    }
  }
  const bool only_scope = !f.channel && !f.risk_level && !f.assignee_id && !f.unassigned_only && !f.partner_id &&
                          !f.overdue_only && !f.supervised_only && !f.received_from && !f.received_to && fts.empty() &&
                          search.kind == SearchKind::text;
  if (!counted && staff && only_scope) {
    // The common views (no filter but status and category): counts kept per office by triggers.
    if (!scope_lo.empty()) {
      const std::string category = f.category.value_or("");
      const bool parent = !category.empty() && category.find('.') == std::string::npos;
      auto st = conn.prepare(parent ? kScopeCountsByParent : kScopeCounts);
      st.bind_all(scope_lo, scope_hi, category);
      while (st.step()) page.counts[st.text(0)] = st.int64(1);
    }
    counted = true;
  }
  if (!counted) {
    auto st = conn.prepare(std::string(kCount) + w.sql + " GROUP BY c.status");
    bind_params(st, w.params);
    while (st.step()) page.counts[st.text(0)] = st.int64(1);
  }

  Where listing = w;
  if (f.status && *f.status == "open") listing.add(" AND c.status <> 'closed' AND c.status <> 'forwarded'", {});
  else if (f.status) listing.add(" AND c.status = ?", *f.status);
  std::string order;
  switch (f.sort) {
    case CaseSort::received_desc:
      if (cursor) listing.add(" AND (c.received_at < ? OR (c.received_at = ? AND c.id < ?))", {cursor->key, cursor->key, cursor->id});
      order = " ORDER BY c.received_at DESC, c.id DESC";
      break;
    case CaseSort::received_asc:
      if (cursor) listing.add(" AND (c.received_at > ? OR (c.received_at = ? AND c.id > ?))", {cursor->key, cursor->key, cursor->id});
      order = " ORDER BY c.received_at ASC, c.id ASC";
      break;
    case CaseSort::due_asc:
      if (cursor)
        listing.add(" AND (coalesce(c.next_due, ?) > ? OR (coalesce(c.next_due, ?) = ? AND c.id > ?))",
                    {kNoDue, cursor->key, kNoDue, cursor->key, cursor->id});
      order = " ORDER BY coalesce(c.next_due, " + std::to_string(kNoDue) + ") ASC, c.id ASC";
      break;
  }
  std::string sql = select_case_columns();
  sql += ", u.display_name";
  sql += kSupervisedColumn;
  sql += kFromCases;
  sql += listing.sql;
  sql += order;
  sql += " LIMIT ?";
  auto st = conn.prepare(sql);
  listing.params.push_back(std::int64_t{f.limit} + 1);
  bind_params(st, listing.params);
  while (st.step()) {
    CaseSummary s;
    s.record = read_case_row(st);
    s.assignee_name = st.opt_text(kCaseColumnCount);
    s.supervised = st.int64(kCaseColumnCount + 1) != 0;
    page.items.push_back(std::move(s));
  }
  if (page.items.size() > static_cast<std::size_t>(f.limit)) {
    page.items.pop_back();
    const auto& last = page.items.back().record;
    const std::int64_t key = f.sort == CaseSort::due_asc ? last.next_due.value_or(kNoDue) : last.received_at;
    page.next_cursor = std::to_string(key) + ":" + std::to_string(last.id);
  }
  return page;
}

}  // namespace hl::casework
