#include "casework/dv_statistics.hpp"

#include <algorithm>

#include "casework/case_repository.hpp"
#include "casework/dv_calendar.hpp"
#include "core/local_time.hpp"

namespace hl::casework {
namespace {

// Each: ?1 ≤ time < ?2, and the case's office within [?3, ?4).
constexpr std::string_view kAssessments =
    "SELECT count(*), coalesce(sum(CASE WHEN a.level IN ('high','extreme') THEN 1 ELSE 0 END), 0)"
    " FROM dv_risk_assessments a JOIN cases c ON c.id = a.case_id"
    " WHERE a.assessed_at >= ?1 AND a.assessed_at < ?2 AND c.office_path >= ?3 AND c.office_path < ?4";
constexpr std::string_view kOrdersApplied =
    "SELECT count(*) FROM dv_protection_orders o JOIN cases c ON c.id = o.case_id"
    " WHERE o.applied_at >= ?1 AND o.applied_at < ?2 AND c.office_path >= ?3 AND c.office_path < ?4";
constexpr std::string_view kOrdersRuled =
    "SELECT coalesce(sum(CASE WHEN o.status = 'granted' THEN 1 ELSE 0 END), 0),"
    " coalesce(sum(CASE WHEN o.status = 'denied' THEN 1 ELSE 0 END), 0)"
    " FROM dv_protection_orders o JOIN cases c ON c.id = o.case_id"
    " WHERE o.ruled_at >= ?1 AND o.ruled_at < ?2 AND c.office_path >= ?3 AND c.office_path < ?4";
constexpr std::string_view kViolations =
    "SELECT count(*) FROM dv_protection_order_violations v JOIN dv_protection_orders o ON o.id = v.order_id"
    " JOIN cases c ON c.id = o.case_id"
    " WHERE v.occurred_at >= ?1 AND v.occurred_at < ?2 AND c.office_path >= ?3 AND c.office_path < ?4";
constexpr std::string_view kLetters =
    "SELECT count(*) FROM dv_warning_letters w JOIN cases c ON c.id = w.case_id"
    " WHERE w.issued_at >= ?1 AND w.issued_at < ?2 AND c.office_path >= ?3 AND c.office_path < ?4";
constexpr std::string_view kStays =
    "SELECT count(*) FROM dv_shelter_stays s JOIN cases c ON c.id = s.case_id"
    " WHERE s.from_at >= ?1 AND s.from_at < ?2 AND c.office_path >= ?3 AND c.office_path < ?4";
constexpr std::string_view kReports =
    "SELECT count(*) FROM dv_mandatory_reports r JOIN cases c ON c.id = r.case_id"
    " WHERE r.reported_at >= ?1 AND r.reported_at < ?2 AND c.office_path >= ?3 AND c.office_path < ?4";

}  // namespace

std::vector<DvMonthCounts> dv_monthly_counts(db::Connection& conn, const std::string& office_path, TimeMs from, TimeMs to) {
  std::vector<DvMonthCounts> out;
  if (to <= from) return out;
  const std::string upper = subtree_upper_bound(office_path);
  const LocalDate first = local_date(from);
  TimeMs month_start = start_of_local_day({first.year, first.month, 1});
  while (month_start < to) {
    const TimeMs next = add_local_months(month_start, 1);
    const TimeMs lo = std::max(from, month_start), hi = std::min(to, next);
    const LocalDate d = local_date(month_start);
    DvMonthCounts m;
    m.year = d.year;
    m.month = d.month;
    auto count = [&](std::string_view sql, int& a, int* b = nullptr) {
      auto st = conn.prepare(sql);
      st.bind_all(lo, hi, office_path, upper);
      st.step();
      a = static_cast<int>(st.int64(0));
      if (b != nullptr) *b = static_cast<int>(st.int64(1));
    };
    count(kAssessments, m.risk_assessments, &m.high_risk_assessments);
    count(kOrdersApplied, m.protection_orders_applied);
    count(kOrdersRuled, m.protection_orders_granted, &m.protection_orders_denied);
    count(kViolations, m.protection_order_violations);
    count(kLetters, m.warning_letters);
    count(kStays, m.shelter_stays);
    count(kReports, m.mandatory_reports);
    out.push_back(m);
    month_start = next;
  }
  return out;
}

}  // namespace hl::casework
