#pragma once
// The period report (月报 / 季报 / 半年报 / 年报 / 自定义) of one office, 本级 or 本级及下级: every figure
// of the definitions table (report_figures.hpp), the category × channel table and the monthly
// series of contacts. Read-only.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "casework/actor.hpp"
#include "casework/aging.hpp"
#include "casework/report_figures.hpp"
#include "casework/report_period.hpp"
#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

struct FigureValue {
  const FigureDef* def = nullptr;
  std::int64_t amount = 0;                 // a count, or fen for yuan
  std::int64_t numerator = 0, denominator = 0;  // rates
  // What the report prints: the count, yuan (fen / 100), or the rate in percent rounded to two
  // decimals (nullopt when its denominator is 0).
  std::optional<double> value() const;
};

struct CategoryRow {
  std::string code;  // "" for contacts recorded without a category
  std::string name;  // Chinese
  int level = 1;     // 1 = 一级类别 (its row sums its second-level rows), 2 = 二级类别
  std::vector<std::int64_t> contacts, cases;  // per channel, in channels() order
  std::int64_t contacts_total = 0, cases_total = 0;
};

struct MonthPoint {
  std::string month;  // "2026-10"
  std::int64_t items = 0, person_times = 0;
};

struct PeriodReport {
  ReportPeriod period;
  ScopeOffice office;
  ReportScope scope = ReportScope::subtree;
  TimeMs as_of = 0;
  std::vector<FigureValue> figures;  // in definitions-table order
  std::vector<std::string> channels; // the category table's columns (vocabulary codes)
  std::vector<CategoryRow> categories;
  std::vector<MonthPoint> series;    // every month the period touches, zero-filled

  const FigureValue* figure(std::string_view key) const;
};

class PeriodReportService {
 public:
  // Scope as the other supervision views (supervision_scope): forbidden for admins and partners,
  // not_found for an office outside the actor's subtree.
  static Result<PeriodReport> compute(db::Connection& conn, const Actor& actor, std::optional<std::int64_t> office_id,
                                      const ReportPeriod& period, ReportScope scope, TimeMs now);
  // The same for an office already checked by the caller.
  static PeriodReport compute_for(db::Connection& conn, const ScopeOffice& office, const ReportPeriod& period,
                                  ReportScope scope, TimeMs now);
};

}  // namespace hl::casework
