#include "casework/report_filing.hpp"

#include <cmath>

namespace hl::casework {
namespace {

constexpr std::string_view kNextVersion =
    "SELECT coalesce(max(version), 0) + 1 FROM report_filings WHERE office_id = ?1 AND period_key = ?2 AND scope = ?3";
constexpr std::string_view kInsertFiling =
    "INSERT INTO report_filings(office_id, period_key, scope, version, as_of, filed_by, filed_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
constexpr std::string_view kInsertFigure =
    "INSERT INTO report_filing_figures(filing_id, key, name, unit, amount, numerator, denominator, definition)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr std::string_view kInForce =
    "SELECT f.id, f.office_id, f.period_key, f.scope, f.version, f.as_of, f.filed_by, coalesce(u.display_name, ''),"
    " f.filed_at FROM report_filings f LEFT JOIN users u ON u.id = f.filed_by"
    " WHERE f.office_id = ?1 AND f.period_key = ?2 AND f.scope = ?3 ORDER BY f.version DESC LIMIT 1";
// The figures in definitions-table order would need the table; the filing keeps its own order.
constexpr std::string_view kFigures =
    "SELECT key, name, unit, amount, numerator, denominator, definition FROM report_filing_figures WHERE filing_id = ?1";

std::optional<double> display(std::string_view unit, std::int64_t amount, std::int64_t num, std::int64_t den) {
  if (unit == "yuan") return static_cast<double>(amount) / 100.0;
  if (unit == "percent") {
    if (den == 0) return std::nullopt;
    return std::round(10000.0 * static_cast<double>(num) / static_cast<double>(den)) / 100.0;
  }
  return static_cast<double>(amount);
}

FiledFigure from_live(const FigureValue& v) {
  return {std::string(v.def->key), std::string(v.def->name_zh), std::string(unit_key(v.def->unit)),
          std::string(v.def->definition), v.amount, v.numerator, v.denominator};
}

void add_into(std::vector<FiledFigure>& sum, const FiledFigure& f) {
  for (auto& s : sum)
    if (s.key == f.key) {
      s.amount += f.amount;
      s.numerator += f.numerator;
      s.denominator += f.denominator;
      return;
    }
  sum.push_back(f);
}

}  // namespace

std::optional<double> FiledFigure::value() const { return display(unit, amount, numerator, denominator); }

std::vector<FigureChange> changes_since_filing(const ReportFiling& filed, const PeriodReport& live) {
  std::vector<FigureChange> out;
  for (const auto& v : live.figures) {
    const FiledFigure* was = nullptr;
    for (const auto& f : filed.figures)
      if (f.key == v.def->key) was = &f;
    const std::optional<double> now = v.value();
    const std::optional<double> then = was ? was->value() : std::nullopt;
    if (was == nullptr || then != now) out.push_back({std::string(v.def->key), std::string(v.def->name_zh), then, now});
  }
  return out;
}

Result<ReportFiling> ReportFilingService::file(db::Connection& conn, const Actor& actor,
                                               std::optional<std::int64_t> office_id, const ReportPeriod& period,
                                               ReportScope scope, TimeMs now) {
  if (actor.role != Role::supervisor) return fail(Errc::forbidden, "only a supervisor files a report");
  auto report = PeriodReportService::compute(conn, actor, office_id, period, scope, now);
  if (!report) return std::unexpected(report.error());
  if (period.to > now)
    return fail(Errc::invalid_input, "a period is filed once it has ended", {{"period", "not over yet"}});
  ReportFiling f;
  f.office_id = report->office.id;
  f.period_key = period.key;
  f.scope = scope;
  f.as_of = now;
  f.filed_at = now;
  f.filed_by = actor.user_id;
  {
    auto st = conn.prepare(kNextVersion);
    st.bind_all(f.office_id, f.period_key, to_string(scope));
    st.step();
    f.version = static_cast<int>(st.int64(0));
  }
  conn.prepare(kInsertFiling)
      .bind_all(f.office_id, f.period_key, to_string(scope), f.version, f.as_of, f.filed_by, f.filed_at)
      .run();
  f.id = conn.last_insert_rowid();
  for (const auto& v : report->figures) {
    f.figures.push_back(from_live(v));
    const auto& x = f.figures.back();
    conn.prepare(kInsertFigure)
        .bind_all(f.id, x.key, x.name, x.unit, x.amount, x.numerator, x.denominator, x.definition)
        .run();
  }
  if (auto again = in_force(conn, f.office_id, f.period_key, scope)) f.filed_by_name = again->filed_by_name;
  return f;
}

std::optional<ReportFiling> ReportFilingService::in_force(db::Connection& conn, std::int64_t office_id,
                                                          std::string_view period_key, ReportScope scope) {
  auto st = conn.prepare(kInForce);
  st.bind_all(office_id, period_key, to_string(scope));
  if (!st.step()) return std::nullopt;
  ReportFiling f;
  f.id = st.int64(0);
  f.office_id = st.int64(1);
  f.period_key = st.text(2);
  f.scope = *parse_scope(st.text(3));
  f.version = static_cast<int>(st.int64(4));
  f.as_of = st.int64(5);
  f.filed_by = st.int64(6);
  f.filed_by_name = st.text(7);
  f.filed_at = st.int64(8);
  auto figs = conn.prepare(kFigures);
  figs.bind_all(f.id);
  std::vector<FiledFigure> unordered;
  while (figs.step())
    unordered.push_back({figs.text(0), figs.text(1), figs.text(2), figs.text(6), figs.int64(3), figs.int64(4), figs.int64(5)});
  // In the definitions table's order; keys the table no longer has (filed by an older version) last.
  for (const auto& def : report_figures())
    for (const auto& x : unordered)
      if (x.key == def.key) f.figures.push_back(x);
  for (const auto& x : unordered)
    if (find_figure(x.key) == nullptr) f.figures.push_back(x);
  return f;
}

Result<FilingsOverview> ReportFilingService::of_children(db::Connection& conn, const Actor& actor,
                                                         std::optional<std::int64_t> office_id,
                                                         const ReportPeriod& period, ReportScope scope, TimeMs now) {
  auto office = supervision_scope(conn, actor, office_id);
  if (!office) return std::unexpected(office.error());
  FilingsOverview o;
  o.office = *office;
  o.period = period;
  o.scope = scope;
  for (const auto& child : offices_directly_below(conn, office->id)) {
    ChildFiling c{child, in_force(conn, child.id, period.key, scope),
                  PeriodReportService::compute_for(conn, child, period, scope, now)};
    if (c.filed) {
      ++o.filed_count;
      for (const auto& f : c.filed->figures) add_into(o.filed_sum, f);
    }
    for (const auto& v : c.live.figures) add_into(o.live_sum, from_live(v));
    o.children.push_back(std::move(c));
  }
  return o;
}

}  // namespace hl::casework
