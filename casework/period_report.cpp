#include "casework/period_report.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "casework/vocabulary.hpp"

namespace hl::casework {
namespace {

// Runs the report's statements (report_figures.hpp): constant texts, every value bound.
struct Runner {
  db::Connection& conn;
  const std::string& path;
  const ReportPeriod& period;
  ReportScope scope;
  TimeMs as_of;

  db::Statement prepare(std::string_view sql) {
    // Each has the scope test, so ?5 and with it ?1..?5 (a ?N makes 1..N bindable, used or not).
    auto st = conn.prepare(sql);
    st.bind(1, path).bind(2, period.from).bind(3, period.to).bind(4, as_of);
    st.bind(5, scope == ReportScope::subtree ? 1 : 0);
    return st;
  }
};

std::size_t channel_index(const std::vector<std::string>& channels, const std::string& code) {
  for (std::size_t i = 0; i < channels.size(); ++i)
    if (channels[i] == code) return i;
  return channels.size();
}

}  // namespace

std::optional<double> FigureValue::value() const {
  if (def == nullptr) return std::nullopt;
  switch (def->unit) {
    case FigureUnit::yuan: return static_cast<double>(amount) / 100.0;
    case FigureUnit::percent:
      if (denominator == 0) return std::nullopt;
      return std::round(10000.0 * static_cast<double>(numerator) / static_cast<double>(denominator)) / 100.0;
    default: return static_cast<double>(amount);
  }
}

const FigureValue* PeriodReport::figure(std::string_view key) const {
  for (const auto& f : figures)
    if (f.def->key == key) return &f;
  return nullptr;
}

Result<PeriodReport> PeriodReportService::compute(db::Connection& conn, const Actor& actor,
                                                  std::optional<std::int64_t> office_id, const ReportPeriod& period,
                                                  ReportScope scope, TimeMs now) {
  auto office = supervision_scope(conn, actor, office_id);
  if (!office) return std::unexpected(office.error());
  return compute_for(conn, *office, period, scope, now);
}

PeriodReport PeriodReportService::compute_for(db::Connection& conn, const ScopeOffice& office,
                                              const ReportPeriod& period, ReportScope scope, TimeMs now) {
  PeriodReport r;
  r.period = period;
  r.office = office;
  r.scope = scope;
  r.as_of = now;
  Runner run{conn, office.path, period, scope, now};

  // One statement per group of figures read from the same rows: their columns side by side, in table order.
  const auto defs = report_figures();
  const auto statements = figure_statements();
  r.figures.resize(defs.size());
  for (std::size_t g = 0; g < statements.size(); ++g) {
    auto st = run.prepare(statements[g]);
    const bool row = st.step();
    int col = 0;
    for (std::size_t i = 0; i < defs.size(); ++i) {
      if (figure_statement_of(i) != g) continue;
      FigureValue& v = r.figures[i];
      v.def = &defs[i];
      if (defs[i].unit == FigureUnit::percent) {
        v.numerator = row ? st.opt_int64(col).value_or(0) : 0;
        v.denominator = row ? st.opt_int64(col + 1).value_or(0) : 0;
        col += 2;
      } else {
        v.amount = row ? st.opt_int64(col).value_or(0) : 0;
        col += 1;
      }
    }
  }

  // Category × channel: first-level rows in the categories' order, each followed by its children.
  for (auto c : channels()) r.channels.emplace_back(c);
  const std::size_t n = r.channels.size();
  std::map<std::string, std::size_t> row_of;
  {
    auto st = conn.prepare(category_list_sql());
    std::vector<std::tuple<std::string, std::string, std::string>> all;
    while (st.step()) all.emplace_back(st.text(0), st.text(1), st.text(2));
    for (const auto& [code, parent, name] : all) {
      if (!parent.empty()) continue;
      row_of[code] = r.categories.size();
      r.categories.push_back({code, name, 1, std::vector<std::int64_t>(n), std::vector<std::int64_t>(n), 0, 0});
      for (const auto& [child, child_parent, child_name] : all) {
        if (child_parent != code) continue;
        row_of[child] = r.categories.size();
        r.categories.push_back({child, child_name, 2, std::vector<std::int64_t>(n), std::vector<std::int64_t>(n), 0, 0});
      }
    }
    row_of[""] = r.categories.size();
    r.categories.push_back({"", "未分类", 1, std::vector<std::int64_t>(n), std::vector<std::int64_t>(n), 0, 0});
  }
  // Monthly series: every month the period touches, zero-filled.
  std::vector<TimeMs> month_starts;
  for (LocalDate d{period.first.year, period.first.month, 1}; start_of_local_day(d) < period.to;
       d = d.month == 12 ? LocalDate{d.year + 1, 1, 1} : LocalDate{d.year, d.month + 1, 1})
  {
    r.series.push_back({month_key(d), 0, 0});
    month_starts.push_back(start_of_local_day(d));
  }
  // Each row's target cells, found once per distinct (category, channel): the row itself and, for a
  // second-level row, its first-level parent. Rows of the period are summed here (see
  // category_contacts_sql); the month of a contact is found among the series' Beijing month starts.
  struct Cells {
    std::size_t channel;
    std::vector<std::size_t> rows;
  };
  std::map<std::pair<std::string, std::string>, Cells> cells;
  auto cells_of = [&](std::string code, std::string channel) -> const Cells& {
    auto [at, fresh] = cells.try_emplace({std::move(code), std::move(channel)});
    if (!fresh) return at->second;
    Cells& c = at->second;
    c.channel = channel_index(r.channels, at->first.second);
    auto it = row_of.find(at->first.first);
    if (it == row_of.end()) it = row_of.find("");
    c.rows.push_back(it->second);
    if (r.categories[it->second].level == 2)
      for (std::size_t i = it->second; i-- > 0;)
        if (r.categories[i].level == 1) {
          c.rows.push_back(i);
          break;
        }
    return c;
  };
  auto add = [&](const Cells& c, bool contacts) {
    if (c.channel >= n) return;
    for (std::size_t row : c.rows) {
      auto& cat = r.categories[row];
      ++(contacts ? cat.contacts : cat.cases)[c.channel];
      ++(contacts ? cat.contacts_total : cat.cases_total);
    }
  };
  {
    auto st = run.prepare(category_contacts_sql());
    while (st.step()) {
      add(cells_of(st.text(0), st.text(1)), true);
      const auto m = std::upper_bound(month_starts.begin(), month_starts.end(), st.int64(2));
      if (m == month_starts.begin()) continue;  // not in the period: the query's range excludes it
      auto& point = r.series[static_cast<std::size_t>(m - month_starts.begin()) - 1];
      ++point.items;
      point.person_times += st.int64(3);
    }
  }
  {
    auto st = run.prepare(category_cases_sql());
    while (st.step()) add(cells_of(st.text(0), st.text(1)), false);
  }
  return r;
}

}  // namespace hl::casework
