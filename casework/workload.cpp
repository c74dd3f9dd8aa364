#include "casework/workload.hpp"

#include "casework/case_repository.hpp"

namespace hl::casework {
namespace {

// Open cases of the scope, streamed from the covering index cases_open_aging and counted in code
// (cheaper than GROUP BY's sort at a million cases; see aging.cpp).
constexpr std::string_view kOpenCases =
    "SELECT c.assignee_id, c.status, c.next_due FROM cases c"
    " WHERE c.status <> 'closed' AND c.status <> 'forwarded' AND c.office_path >= ?1 AND c.office_path < ?2";

constexpr std::string_view kStaffInScope =
    "SELECT u.id, u.display_name, u.role, u.office_id, o.name, u.disabled FROM users u JOIN offices o ON o.id = u.office_id"
    " WHERE u.role IN ('operator','supervisor') AND u.disabled = 0 AND o.path >= ?1 AND o.path < ?2"
    " ORDER BY o.path, u.display_name, u.id";

constexpr std::string_view kUserById =
    "SELECT u.id, u.display_name, u.role, u.office_id, coalesce(o.name, ''), u.disabled FROM users u"
    " LEFT JOIN offices o ON o.id = u.office_id WHERE u.id = ?1";

OpenLoad empty_load() {
  OpenLoad l;
  for (auto s : {CaseStatus::registered, CaseStatus::in_progress, CaseStatus::referred, CaseStatus::mediation,
                 CaseStatus::pending_closure, CaseStatus::delegated})
    l.by_status[std::string(to_string(s))] = 0;
  return l;
}

StaffLoad read_staff(const db::Statement& st) {
  StaffLoad s;
  s.user_id = st.int64(0);
  s.display_name = st.text(1);
  s.role = st.text(2);
  s.office_id = st.opt_int64(3);
  s.office_name = st.text(4);
  s.disabled = st.int64(5) != 0;
  s.load = empty_load();
  return s;
}

}  // namespace

Result<WorkloadReport> Workload::compute(db::Connection& conn, const Actor& actor, std::optional<std::int64_t> office_id,
                                         TimeMs now) {
  auto scope = supervision_scope(conn, actor, office_id);
  if (!scope) return std::unexpected(scope.error());
  const std::string upper = subtree_upper_bound(scope->path);

  std::map<std::int64_t, OpenLoad> loads;
  {
    auto st = conn.prepare(kOpenCases);
    st.bind(1, scope->path).bind(2, upper);
    while (st.step()) {
      auto [it, fresh] = loads.try_emplace(st.opt_int64(0).value_or(0), empty_load());
      OpenLoad& l = it->second;
      ++l.by_status[st.text(1)];
      ++l.open;
      const auto due = st.opt_int64(2);
      if (due && *due < now) ++l.overdue;
    }
  }

  WorkloadReport report;
  report.as_of = now;
  report.scope = *scope;
  {
    auto st = conn.prepare(kStaffInScope);
    st.bind(1, scope->path).bind(2, upper);
    while (st.step()) report.staff.push_back(read_staff(st));
  }
  for (auto& s : report.staff) {
    if (auto it = loads.find(s.user_id); it != loads.end()) {
      s.load = std::move(it->second);
      loads.erase(it);
    }
  }
  if (auto it = loads.find(0); it != loads.end()) {
    report.unassigned = std::move(it->second);
    loads.erase(it);
  } else {
    report.unassigned = empty_load();
  }
  // Whoever else holds open cases here: disabled accounts, or staff who moved to another office.
  auto other = conn.prepare(kUserById);
  for (auto& [user_id, load] : loads) {
    other.reset();
    other.bind(1, user_id);
    if (!other.step()) continue;
    StaffLoad s = read_staff(other);
    s.load = std::move(load);
    report.staff.push_back(std::move(s));
  }
  return report;
}

}  // namespace hl::casework
