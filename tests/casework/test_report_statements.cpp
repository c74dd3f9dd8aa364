// The period report's statements (report_figures.hpp): each a constant text joined by the compiler,
// one column per figure (two per rate), and the only SQL a report runs — the scope office, the period
// and the report date always bound, never written into the text.
#include <boost/test/unit_test.hpp>
#include <sqlite3.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "casework/period_report.hpp"
#include "casework/report_figures.hpp"
#include "fixture.hpp"

using namespace hl;
using namespace hl::casework;

namespace {

// Every statement started on the connection while it lives, as its unexpanded text (SQLITE_TRACE_STMT).
class StatementLog {
 public:
  explicit StatementLog(db::Connection& conn) : db_(conn.raw()) {
    sqlite3_trace_v2(db_, SQLITE_TRACE_STMT, &StatementLog::record, this);
  }
  ~StatementLog() { sqlite3_trace_v2(db_, 0, nullptr, nullptr); }
  StatementLog(const StatementLog&) = delete;
  StatementLog& operator=(const StatementLog&) = delete;
  const std::vector<std::string>& texts() const { return texts_; }

 private:
  static int record(unsigned, void* self, void* stmt, void*) {
    static_cast<StatementLog*>(self)->texts_.emplace_back(sqlite3_sql(static_cast<sqlite3_stmt*>(stmt)));
    return 0;
  }
  sqlite3* db_;
  std::vector<std::string> texts_;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(report_statements, hl::test::CaseworkFixture)

BOOST_AUTO_TEST_CASE(each_statement_reads_one_column_per_figure_in_table_order) {
  const auto figures = report_figures();
  const auto statements = figure_statements();
  BOOST_TEST(statements.size() > 1u);
  BOOST_TEST(statements.size() < figures.size());  // figures on the same rows share one
  std::vector<int> columns(statements.size(), 0);
  std::vector<std::string> first_select(statements.size());
  for (std::size_t i = 0; i < figures.size(); ++i) {
    const std::size_t g = figure_statement_of(i);
    BOOST_REQUIRE(g < statements.size());
    // The statement is its figures' selects in table order, then their shared rows.
    if (columns[g] == 0) BOOST_TEST(statements[g].starts_with("SELECT " + std::string(figures[i].select)), figures[i].key);
    BOOST_TEST(statements[g].ends_with(figures[i].from), figures[i].key);
    BOOST_TEST(statements[g].find(figures[i].select) != std::string_view::npos, figures[i].key);
    columns[g] += figures[i].unit == FigureUnit::percent ? 2 : 1;
  }
  for (std::size_t g = 0; g < statements.size(); ++g) {
    BOOST_TEST_CONTEXT("statement " << g << ": " << statements[g]) {
      BOOST_TEST(statements[g].find('{') == std::string_view::npos);  // no placeholder left to expand
      sqlite3_stmt* raw = nullptr;  // valid SQL on the real schema
      BOOST_REQUIRE(sqlite3_prepare_v2(conn.raw(), statements[g].data(), static_cast<int>(statements[g].size()), &raw,
                                       nullptr) == SQLITE_OK);
      const std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> st(raw, &sqlite3_finalize);
      BOOST_TEST(sqlite3_column_count(raw) == columns[g]);
      // ?1 scope path, ?2..?3 period, ?4 report date, ?5 scope kind: all the report binds (period_report.cpp).
      BOOST_TEST(sqlite3_bind_parameter_count(raw) == 5);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_report_runs_only_the_constant_statements_with_every_value_bound) {
  std::set<std::string_view> known(figure_statements().begin(), figure_statements().end());
  known.insert(category_contacts_sql());
  known.insert(category_cases_sql());
  known.insert(category_list_sql());
  for (auto scope : {ReportScope::office, ReportScope::subtree}) {
    const ScopeOffice office{city.id, city.name, city.region_code, city.path};
    StatementLog log(conn);
    PeriodReportService::compute_for(conn, office, *parse_period("2026-10"), scope, clock.now_ms());
    BOOST_TEST(log.texts().size() == figure_statements().size() + 3);  // each statement once
    std::set<std::string> ran;
    for (const auto& text : log.texts()) {
      BOOST_TEST(known.contains(text), text);
      BOOST_TEST(text.find(city.path) == std::string::npos, text);  // the scope is bound as ?1
      BOOST_TEST(ran.insert(text).second, "run twice: " << text);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
