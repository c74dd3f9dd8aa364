// The hand-checked data set of issue #14 (tests/data/report-ledger): a ledger of three offices over
// 2026-Q1 and Q2, imported through the real import path, and a dated script of what the ledger
// cannot say, played through the API on the test clock; then every period report (each month, each
// quarter, the half-year, the year; 本级 of the province, the city and both counties, 本级及下级 of the
// province and the city) compared figure by figure with expected.json, the numbers EXPECTED.md works
// out by hand.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "api/report_dataset.hpp"

using namespace hl::apitest;

namespace {

Json read_expected() {
  std::ifstream in(report_dataset_dir() + "/expected.json");
  BOOST_REQUIRE_MESSAGE(in, "cannot read expected.json");
  return Json::parse(in);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(report_dataset)

BOOST_AUTO_TEST_CASE(every_period_report_matches_the_hand_worked_figures) {
  ReportDataset data;
  data.play();
  const Json expected = read_expected();
  int compared = 0;
  for (const auto& want : expected.at("reports")) {
    const std::string period = want.at("period"), office = want.at("office"), scope = want.at("scope");
    const std::string where = period + " " + office + " " + scope;
    // The province's reports (where the 复核 is received) are above the city supervisor's scope.
    const Login& sup = data.as(office == "430000" ? "province" : "supervisor");
    auto r = data.server().get(sup, "/api/v1/reports?period=" + period + "&scope=" + scope +
                                        "&office_id=" + std::to_string(data.office_id(office)));
    REQUIRE_STATUS(r, 200);
    const Json report = body_json(r);
    const Json& figures = want.at("figures");
    std::set<std::string> seen;
    for (const auto& section : report.at("sections"))
      for (const auto& f : section.at("figures")) {
        const std::string key = f.at("key");
        seen.insert(key);
        if (!figures.contains(key)) {
          BOOST_ERROR(where << ": " << key << " is not in expected.json");
          continue;
        }
        const Json& w = figures.at(key);
        const Json& got = f.at("value");
        const bool same = w.is_null() ? got.is_null()
                                      : got.is_number() && std::fabs(got.get<double>() - w.get<double>()) < 0.005;
        BOOST_CHECK_MESSAGE(same, where << ": " << key << " expected " << w.dump() << ", got " << got.dump());
        ++compared;
      }
    for (const auto& [key, value] : figures.items())
      BOOST_CHECK_MESSAGE(seen.contains(key), where << ": expected.json names " << key << ", not in the report");
  }
  BOOST_TEST_MESSAGE("compared " << compared << " figures in " << expected.at("reports").size() << " reports");
  BOOST_TEST(compared > 0);
}

BOOST_AUTO_TEST_SUITE_END()
