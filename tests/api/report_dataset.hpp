#pragma once
// The hand-checked report data set (tests/data/report-ledger, issue #14) played into a real server:
// the ledger's rows imported through POST /api/v1/imports, each when the test clock reaches it, and
// the scenario's further actions (intakes, transitions, DV measures, referrals, mediation,
// follow-ups) through the HTTP API at their times. See tests/data/report-ledger/EXPECTED.md.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "api/server_process.hpp"
#include "support/temp_dir.hpp"

namespace hl::apitest {

// The data set's directory (HOTLINE_REPORT_DATASET_DIR, set by tests/CMakeLists.txt).
std::string report_dataset_dir();

class ReportDataset {
 public:
  // Seeds a demo database without demo cases (seed-demo --cases 0, on 2025-12-31: the demo's random
  // cases would land in the year under test) and starts a server on it.
  ReportDataset();

  // Plays the ledger and the scenario in time order, then sets the clock to the scenario's
  // report_at. Fails the test (BOOST_REQUIRE) at the first step the server refuses, naming it.
  void play();

  const ServerProcess& server() const { return *server_; }
  // A login of the demo user `who` (operator, operator2, supervisor; province: the supervisor the data
  // set adds at 430000), not idle.
  const Login& as(const std::string& who);
  std::int64_t office_id(const std::string& region_code) const { return offices_.at(region_code); }

 private:
  void import_row(std::size_t row);
  void run_step(const Json& step);
  std::int64_t case_of(const std::string& ref) const;

  test::TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::map<std::string, std::pair<TimeMs, Login>> logins_;  // who → (last used, login)
  std::map<std::string, std::int64_t> offices_;                   // region code → id
  std::map<std::string, std::int64_t> partners_;                  // type → first active partner's id
  std::map<std::string, std::int64_t> refs_;                      // L6, I13, L7> (the copy), PO1, M1, S1, R1 → id
  std::map<std::string, std::int64_t> versions_;                  // mediation ref → version
  std::vector<std::string> ledger_lines_;                         // [0] the header
  std::vector<std::vector<std::string>> ledger_;                  // the rows' fields, [0] the header
};

}  // namespace hl::apitest
