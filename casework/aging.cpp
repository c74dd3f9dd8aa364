#include "casework/aging.hpp"

#include <algorithm>
#include <map>
#include <tuple>
#include <unordered_map>

#include "casework/case_repository.hpp"
#include "core/local_time.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kOfficeById = "SELECT id, name, region_code, path FROM offices WHERE id = ?1";

// Every open case of the scope, read once from the covering partial index cases_open_aging
// (schema 005): ?1..?2 the scope's path range. Bucketing, grouping and picking the oldest happen in
// code while the rows stream by — measured at a million cases, one pass costs a third of SQL's
// GROUP BY with conditional sums (which sorts the rows) plus a second pass for the oldest.
constexpr std::string_view kOpenCases =
    "SELECT c.id, c.office_path, c.status, c.assignee_id, c.category, c.received_at, c.next_due FROM cases c"
    " WHERE c.status <> 'closed' AND c.status <> 'forwarded' AND c.office_path >= ?1 AND c.office_path < ?2";
// Open referrals by case for the partner grouping, in (case_id, partner_id) order straight from the
// partial index referrals_open_partner (schema 005).
constexpr std::string_view kOpenReferrals =
    "SELECT case_id, partner_id FROM referrals WHERE status IN ('sent','accepted','in_progress')"
    " ORDER BY case_id, partner_id";
constexpr std::string_view kCaseWithAssignee =
    " FROM cases c LEFT JOIN users u ON u.id = c.assignee_id WHERE c.id = ?1";

// Overdue referral responses and protection-order rulings, by case: few rows, index-only scans of
// referrals_sent_due (schema 005) and dv_protection_orders_ruling (schema 004). They are counted for
// the cases the open-case pass sees, which is what puts them in the scope.
// (The ORDER BY matches referrals_sent_due, which makes SQLite pick it over 001's referrals_open_due.)
constexpr std::string_view kReferralResponsesOverdue =
    "SELECT case_id FROM referrals WHERE status = 'sent' AND response_due < ?1 ORDER BY response_due, case_id";
constexpr std::string_view kRulingsOverdue =
    "SELECT case_id FROM dv_protection_orders WHERE status = 'applied' AND ruling_due < ?1";

// SQLite's catalogue (a PostgreSQL port would ask information_schema.columns).
constexpr std::string_view kColumnExists = "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2";
constexpr std::string_view kUserName = "SELECT display_name FROM users WHERE id = ?1";
constexpr std::string_view kCategoryName = "SELECT name_zh FROM categories WHERE code = ?1";
constexpr std::string_view kPartnerName = "SELECT name FROM partners WHERE id = ?1";
constexpr std::string_view kOfficeName = "SELECT name FROM offices WHERE id = ?1";

void add_case(AgingRow& row, int bucket, bool overdue) {
  ++row.counts[static_cast<std::size_t>(bucket)];
  row.overdue += overdue ? 1 : 0;
  ++row.total;
}

std::string name_of(db::Connection& conn, std::string_view sql, const std::string& key) {
  auto st = conn.prepare(sql);
  st.bind(1, key);
  return st.step() ? st.text(0) : key;
}

std::string name_of(db::Connection& conn, std::string_view sql, std::int64_t id) {
  auto st = conn.prepare(sql);
  st.bind(1, id);
  return st.step() ? st.text(0) : std::to_string(id);
}

// "/1/4/9/12/" under "/1/4/" → "9"; the scope office itself → its own id.
std::string child_office_key(const std::string& path, const ScopeOffice& scope) {
  if (path.size() <= scope.path.size()) return std::to_string(scope.id);
  const auto end = path.find('/', scope.path.size());
  return path.substr(scope.path.size(), end - scope.path.size());
}

// How many rows of `sql` (one case_id column, ?1 = now) each case has.
std::unordered_map<std::int64_t, std::int64_t> overdue_by_case(db::Connection& conn, std::string_view sql, TimeMs now) {
  std::unordered_map<std::int64_t, std::int64_t> out;
  auto st = conn.prepare(sql);
  st.bind(1, now);
  while (st.step()) ++out[st.int64(0)];
  return out;
}

std::int64_t lookup(const std::unordered_map<std::int64_t, std::int64_t>& m, std::int64_t id) {
  auto it = m.find(id);
  return it == m.end() ? 0 : it->second;
}

// The ten cases to show first: overdue before not overdue, then the earlier deadline (overdue) or
// the earlier receipt (not overdue), then the id.
struct Candidate {
  int rank = 0;
  TimeMs at = 0;
  std::int64_t id = 0;
  bool operator<(const Candidate& o) const { return std::tie(rank, at, id) < std::tie(o.rank, o.at, o.id); }
};

}  // namespace

Result<ScopeOffice> supervision_scope(db::Connection& conn, const Actor& actor, std::optional<std::int64_t> office_id) {
  if (is_administrator(actor.role) || actor.role == Role::partner)
    return fail(Errc::forbidden, "supervision views are for office staff");
  if (actor.role == Role::system && !office_id) return ScopeOffice{0, "", "", "/"};
  const std::optional<std::int64_t> id = office_id ? office_id : actor.office_id;
  if (!id) return fail(Errc::forbidden, "no office");
  auto st = conn.prepare(kOfficeById);
  st.bind_all(*id);
  if (!st.step()) return fail(Errc::not_found, "no such office");
  ScopeOffice o{st.int64(0), st.text(1), st.text(2), st.text(3)};
  if (actor.role != Role::system && (actor.office_path.empty() || !o.path.starts_with(actor.office_path)))
    return fail(Errc::not_found, "no such office");
  return o;
}

std::vector<ScopeOffice> offices_directly_below(db::Connection& conn, std::int64_t office_id) {
  auto st = conn.prepare("SELECT id, name, region_code, path FROM offices WHERE parent_id = ?1 AND active = 1 ORDER BY region_code");
  st.bind_all(office_id);
  std::vector<ScopeOffice> out;
  while (st.step()) out.push_back({st.int64(0), st.text(1), st.text(2), st.text(3)});
  return out;
}

std::optional<AgingGroup> parse_aging_group(std::string_view s) {
  if (s == "status") return AgingGroup::status;
  if (s == "assignee") return AgingGroup::assignee;
  if (s == "category") return AgingGroup::category;
  if (s == "partner") return AgingGroup::partner;
  if (s == "office") return AgingGroup::office;
  return std::nullopt;
}

int aging_bucket(int age_days) {
  int b = 0;
  for (int start : kAgingBucketStarts)
    if (age_days >= start) ++b;
  return b;
}

bool table_has_columns(db::Connection& conn, std::string_view table, std::initializer_list<std::string_view> columns) {
  auto st = conn.prepare(kColumnExists);
  for (auto column : columns) {
    st.reset();
    st.bind(1, table).bind(2, column);
    if (!st.step()) return false;
  }
  return true;
}

Result<AgingReport> Aging::compute(db::Connection& conn, const Actor& actor, std::optional<std::int64_t> office_id,
                                   AgingGroup group, TimeMs now) {
  auto scope = supervision_scope(conn, actor, office_id);
  if (!scope) return std::unexpected(scope.error());
  AgingReport report;
  report.as_of = now;
  report.scope = *scope;
  report.group = group;
  report.totals.key = report.totals.label = "total";

  // A case received at or after starts[i] is younger than bucket i+1 (Shanghai calendar days).
  const LocalDate today = local_date(now);
  std::array<TimeMs, kAgingBuckets - 1> starts{};
  for (std::size_t i = 0; i < starts.size(); ++i)
    starts[i] = start_of_local_day(add_days(today, -(kAgingBucketStarts[i] - 1)));
  const std::string upper = subtree_upper_bound(scope->path);

  std::vector<std::pair<std::int64_t, std::int64_t>> open_referrals;  // (case, partner), distinct, by case
  if (group == AgingGroup::partner) {
    auto st = conn.prepare(kOpenReferrals);
    while (st.step()) {
      const std::pair<std::int64_t, std::int64_t> p{st.int64(0), st.int64(1)};
      if (open_referrals.empty() || open_referrals.back() != p) open_referrals.push_back(p);
    }
  }
  const auto responses_overdue = overdue_by_case(conn, kReferralResponsesOverdue, now);
  std::unordered_map<std::int64_t, std::int64_t> rulings_overdue;
  if (table_has_columns(conn, "dv_protection_orders", {"case_id", "status", "ruling_due"}))
    rulings_overdue = overdue_by_case(conn, kRulingsOverdue, now);

  // Rows keyed by text (status, category, sub-office, "none") or by id (assignee, partner).
  std::map<std::string, AgingRow, std::less<>> rows;
  std::unordered_map<std::int64_t, AgingRow> rows_by_id;
  auto row_for = [&rows](std::string_view key) -> AgingRow& {
    auto it = rows.find(key);
    if (it == rows.end()) it = rows.emplace(std::string(key), AgingRow{std::string(key), std::string(key), {}, 0, 0}).first;
    return it->second;
  };
  std::vector<Candidate> oldest;  // a max-heap of the best ten so far
  auto st = conn.prepare(kOpenCases);
  st.bind(1, scope->path).bind(2, upper);
  while (st.step()) {
    const std::int64_t id = st.int64(0);
    const TimeMs received = st.int64(5);
    const std::optional<TimeMs> due = st.opt_int64(6);
    const bool overdue = due && *due < now;
    int bucket = 0;
    for (TimeMs start : starts) bucket += received < start ? 1 : 0;
    add_case(report.totals, bucket, overdue);
    std::string status;
    if (overdue || group == AgingGroup::status) status = st.text(2);
    if (overdue) (status == "registered" ? report.overdue_by_deadline.acceptance : report.overdue_by_deadline.handling) += 1;
    if (!responses_overdue.empty()) report.overdue_by_deadline.referral_response += lookup(responses_overdue, id);
    if (!rulings_overdue.empty()) report.overdue_by_deadline.protection_order_ruling += lookup(rulings_overdue, id);
    switch (group) {
      case AgingGroup::status: add_case(row_for(status), bucket, overdue); break;
      case AgingGroup::assignee:
        if (const auto assignee = st.opt_int64(3)) add_case(rows_by_id[*assignee], bucket, overdue);
        else add_case(row_for("none"), bucket, overdue);
        break;
      case AgingGroup::category: add_case(row_for(st.text(4)), bucket, overdue); break;
      case AgingGroup::office: add_case(row_for(child_office_key(st.text(1), *scope)), bucket, overdue); break;
      case AgingGroup::partner: {
        auto it = std::lower_bound(open_referrals.begin(), open_referrals.end(), std::pair{id, std::int64_t{0}});
        if (it == open_referrals.end() || it->first != id) add_case(row_for("none"), bucket, overdue);
        for (; it != open_referrals.end() && it->first == id; ++it) add_case(rows_by_id[it->second], bucket, overdue);
        break;
      }
    }
    const Candidate c{overdue ? 0 : 1, overdue ? *due : received, id};
    if (oldest.size() < 10) {
      oldest.push_back(c);
      std::push_heap(oldest.begin(), oldest.end());
    } else if (c < oldest.front()) {
      std::pop_heap(oldest.begin(), oldest.end());
      oldest.back() = c;
      std::push_heap(oldest.begin(), oldest.end());
    }
  }
  for (auto& [id, row] : rows_by_id) {
    row.key = std::to_string(id);
    row_for(row.key) = std::move(row);
  }

  if (group == AgingGroup::status) {
    // Every open status gets a row, in workflow order, so a chart keeps its shape.
    for (auto s : {CaseStatus::registered, CaseStatus::in_progress, CaseStatus::referred, CaseStatus::mediation,
                   CaseStatus::pending_closure, CaseStatus::delegated})
      report.rows.push_back(row_for(std::string(to_string(s))));
  } else {
    for (auto& [key, row] : rows) {
      if (key != "none") {
        switch (group) {
          case AgingGroup::assignee: row.label = name_of(conn, kUserName, std::stoll(key)); break;
          case AgingGroup::category: row.label = name_of(conn, kCategoryName, key); break;
          case AgingGroup::office: row.label = name_of(conn, kOfficeName, std::stoll(key)); break;
          case AgingGroup::partner: row.label = name_of(conn, kPartnerName, std::stoll(key)); break;
          case AgingGroup::status: break;
        }
      }
      report.rows.push_back(std::move(row));
    }
    std::stable_sort(report.rows.begin(), report.rows.end(), [](const AgingRow& x, const AgingRow& y) {
      const bool xn = x.key == "none", yn = y.key == "none";
      if (xn != yn) return yn;
      return x.total > y.total;
    });
  }

  std::sort_heap(oldest.begin(), oldest.end());
  std::string sql = select_case_columns();
  sql += ", u.display_name";
  sql += kCaseWithAssignee;
  auto one = conn.prepare(sql);
  for (const auto& c : oldest) {
    one.reset();
    one.bind(1, c.id);
    if (!one.step()) continue;
    CaseSummary s;
    s.record = read_case_row(one);
    s.assignee_name = one.opt_text(kCaseColumnCount);
    report.oldest.push_back(std::move(s));
  }
  // Like the DV tables, case_supervisions (schema 017) may be missing from an older database.
  if (table_has_columns(conn, "case_supervisions", {"answered_at"}))
    report.supervisions = SupervisionService::counts(conn, scope->path, now);
  return report;
}

}  // namespace hl::casework
