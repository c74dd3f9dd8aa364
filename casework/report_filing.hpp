#pragma once
// Filing (报送) a period report: its figures, with names, units and definitions as printed, stored
// as filed with who filed it and when (report_filings, schema 016). A filed report never changes:
// later runs show what changed since (the live figures beside the filed ones), and an upper office
// sees the filed reports of the offices directly below it and their sum (汇总).
//
// Filing the same period, office and scope again files a correction: version n+1, which is then
// the one in force; the earlier versions stay (what was filed, when, by whom).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "casework/actor.hpp"
#include "casework/period_report.hpp"
#include "core/error.hpp"

namespace hl::casework {

struct FiledFigure {
  std::string key, name, unit, definition;  // unit: unit_key() of the definitions table
  std::int64_t amount = 0, numerator = 0, denominator = 0;
  std::optional<double> value() const;  // as FigureValue::value()
};

struct ReportFiling {
  std::int64_t id = 0, office_id = 0;
  std::string period_key;
  ReportScope scope = ReportScope::subtree;
  int version = 1;
  TimeMs as_of = 0, filed_at = 0;
  std::int64_t filed_by = 0;
  std::string filed_by_name;
  std::vector<FiledFigure> figures;
};

struct FigureChange {
  std::string key, name;
  std::optional<double> filed, live;
};

// The figures whose printed value differs between a filing and the live report.
std::vector<FigureChange> changes_since_filing(const ReportFiling& filed, const PeriodReport& live);

struct ChildFiling {
  ScopeOffice office;
  std::optional<ReportFiling> filed;  // the version in force, if any
  PeriodReport live;                  // the same period and scope, computed now
};

struct FilingsOverview {
  ScopeOffice office;
  ReportPeriod period;
  ReportScope scope = ReportScope::subtree;
  std::vector<ChildFiling> children;
  std::vector<FiledFigure> filed_sum;  // 汇总 of the filed reports (rates: numerators and denominators summed)
  std::vector<FiledFigure> live_sum;   // the same sum of the live figures
  int filed_count = 0;
};

class ReportFilingService {
 public:
  // Supervisors only (forbidden otherwise); the office in the actor's scope (not_found otherwise).
  static Result<ReportFiling> file(db::Connection& conn, const Actor& actor, std::optional<std::int64_t> office_id,
                                   const ReportPeriod& period, ReportScope scope, TimeMs now);
  // The version in force, if the report was filed.
  static std::optional<ReportFiling> in_force(db::Connection& conn, std::int64_t office_id, std::string_view period_key,
                                              ReportScope scope);
  // The offices directly below `office_id` (default: the actor's), each with its filing of the
  // period in force and its live report, and the sums.
  static Result<FilingsOverview> of_children(db::Connection& conn, const Actor& actor,
                                             std::optional<std::int64_t> office_id, const ReportPeriod& period,
                                             ReportScope scope, TimeMs now);
};

}  // namespace hl::casework
