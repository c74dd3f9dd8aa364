// The period reports over HTTP (issue #14): GET /api/v1/reports[.csv|.xlsx] with every figure and
// its definition, the refusals (bad period or scope, operators, partners, admins, an office outside
// the scope), the XLSX opened by LibreOffice with the same numbers as the CSV, and filing (报送):
// stored as filed, the differences listed later, the city seeing its counties' filings and their sum.
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "api/case_helpers.hpp"
#include "api/server_process.hpp"
#include "core/clock.hpp"
#include "core/local_time.hpp"
#include "core/xlsx_reader.hpp"
#include "support/temp_dir.hpp"

using namespace hl::apitest;

namespace {

struct Reports {
  ServerProcess server;
  Login sup = server.login(kSupervisor);
  Login op = server.login(kOperator);

  std::string month() const { return server.date().substr(0, 7); }

  std::int64_t office_id(const std::string& region_code) const {
    for (const auto& o : require_items(server, sup, "/api/v1/offices?scope=all"))
      if (o.at("region_code") == region_code) return o.at("id").get<std::int64_t>();
    BOOST_FAIL("no office with region code " << region_code);
    return 0;
  }

  Json report(const std::string& query) const {
    auto r = server.get(sup, "/api/v1/reports?" + query);
    REQUIRE_STATUS(r, 200);
    return body_json(r);
  }

  // A supervisor of a county, made by the administrator.
  Login county_supervisor(const std::string& username, const std::string& region_code) const {
    const Login admin = server.login(kAdmin);
    auto r = create_account(server,
                         {{"username", username}, {"display_name", username}, {"password", "long-enough-pw"},
                          {"role", "supervisor"}, {"office_id", office_id(region_code)}});
    REQUIRE_STATUS(r, 201);
    return server.login(username, "long-enough-pw");
  }
};

const Json* figure(const Json& report, const std::string& key) {
  for (const auto& s : report.at("sections"))
    for (const auto& f : s.at("figures"))
      if (f.at("key") == key) return &f;
  return nullptr;
}

std::int64_t value_of(const Json& report, const std::string& key) {
  const Json* f = figure(report, key);
  BOOST_REQUIRE_MESSAGE(f != nullptr, key);
  return f->at("value").get<std::int64_t>();
}

// RFC 4180 rows (quoted fields, doubled quotes), CRLF or LF; trailing empty fields dropped.
std::vector<std::vector<std::string>> csv_rows(std::string text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  auto end_field = [&] {
    rows.back().push_back(field);
    field.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += '"', ++i;
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      end_field();
    } else if (c == '\r') {
    } else if (c == '\n') {
      end_field();
      rows.emplace_back();
    } else {
      field += c;
    }
  }
  if (!field.empty() || !rows.back().empty()) end_field();
  else rows.pop_back();
  for (auto& r : rows)
    while (!r.empty() && r.back().empty()) r.pop_back();
  return rows;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(period_reports, Reports)

BOOST_AUTO_TEST_CASE(the_report_carries_every_figure_with_its_definition_the_tables_and_the_series) {
  server.freeze_clock();  // today's case and month() in the same month, whenever the test runs
  require_open_case(server, op);  // a contact and a case of 永兴县 today
  const Json r = report("period=" + month());
  BOOST_TEST(r.at("period").at("key") == month());
  BOOST_TEST(r.at("period").at("kind") == "month");
  BOOST_TEST(r.at("period").at("from") == month() + "-01");
  BOOST_TEST(r.at("scope") == "subtree");
  BOOST_TEST(r.at("office").at("region_code") == "431000");
  BOOST_TEST(r.at("filed").is_null());
  BOOST_TEST(r.at("sections").size() == 7u);
  for (const auto& s : r.at("sections"))
    for (const auto& f : s.at("figures")) {
      BOOST_TEST(!f.at("definition").get<std::string>().empty());
      BOOST_TEST(!f.at("unit").get<std::string>().empty());
    }
  BOOST_TEST(value_of(r, "contacts.total.items") >= 1);
  BOOST_TEST(value_of(r, "cases.opened") >= 1);
  BOOST_REQUIRE(r.at("series").size() == 1u);
  BOOST_TEST(r.at("series")[0].at("items") == value_of(r, "contacts.total.items"));
  BOOST_TEST(r.at("categories").at("channels").size() == 7u);
  BOOST_TEST(r.at("categories").at("channels")[3].at("name") == "网上信访");
  // 本级: the city alone took none of them.
  const Json alone = report("period=" + month() + "&scope=office");
  BOOST_TEST(alone.at("scope") == "office");
  BOOST_TEST(value_of(alone, "cases.opened") <= value_of(r, "cases.opened"));
  // A year: twelve months in the series; a quarter and a range are periods too.
  const std::string year = month().substr(0, 4);
  BOOST_TEST(report("period=" + year).at("series").size() == 12u);
  BOOST_TEST(report("period=" + year + "-Q1&scope=subtree").at("period").at("to") == year + "-03-31");
  BOOST_TEST(report("period=" + year + "-01-01.." + year + "-01-31").at("period").at("kind") == "range");
  BOOST_TEST(report("period=" + year + "-H2").at("period").at("from") == year + "-07-01");
  // The county's office id gives the county's report.
  BOOST_TEST(report("period=" + month() + "&office_id=" + std::to_string(office_id("431023"))).at("office").at("region_code") ==
             "431023");
}

BOOST_AUTO_TEST_CASE(bad_parameters_are_400_and_others_are_refused) {
  auto missing = server.get(sup, "/api/v1/reports");
  CHECK_ERROR(missing, 400, "bad_request");
  CHECK_NAMES_FIELD(missing, "period");
  for (const char* p : {"2026-13", "2026-Q5", "2026-02-29..2026-03-01", "26"})
    CHECK_ERROR(server.get(sup, std::string("/api/v1/reports?period=") + p), 400, "bad_request");
  auto scope = server.get(sup, "/api/v1/reports.csv?period=2026-10&scope=all");
  CHECK_ERROR(scope, 400, "bad_request");
  CHECK_NAMES_FIELD(scope, "scope");
  CHECK_ERROR(server.get(sup, "/api/v1/reports?period=2026-10&office_id=x"), 400, "bad_request");
  CHECK_ERROR(server.get(op, "/api/v1/reports?period=2026-10"), 403, "forbidden");
  CHECK_ERROR(server.get(server.login(kPolice), "/api/v1/reports.xlsx?period=2026-10"), 403, "forbidden");
  CHECK_ERROR(server.get(server.login(kAdmin), "/api/v1/reports?period=2026-10"), 403, "forbidden");
  // The province is above the city supervisor: not hers to see.
  CHECK_ERROR(server.get(sup, "/api/v1/reports?period=2026-10&office_id=" + std::to_string(office_id("430000"))), 404,
              "not_found");
  CHECK_ERROR(server.get(sup, "/api/v1/reports/filings?period=2026-10&office_id=" + std::to_string(office_id("430000"))),
              404, "not_found");
  CHECK_ERROR(server.get(op, "/api/v1/reports/filings?period=2026-10"), 403, "forbidden");
  CHECK_ERROR(server.send(op, "POST", "/api/v1/reports/filings", {{"period", "2026-10"}}), 403, "forbidden");
  auto no_period = server.send(sup, "POST", "/api/v1/reports/filings", {{"scope", "subtree"}});
  CHECK_ERROR(no_period, 400, "bad_request");
  CHECK_NAMES_FIELD(no_period, "period");
}

BOOST_AUTO_TEST_CASE(csv_and_xlsx_print_the_same_numbers_with_the_definitions_and_signature_lines) {
  server.freeze_clock();  // today's case and month() in the same month, whenever the test runs
  require_open_case(server, op);
  const Json r = report("period=" + month());
  auto csv = server.get(sup, "/api/v1/reports.csv?period=" + month());
  REQUIRE_STATUS(csv, 200);
  BOOST_TEST(csv.header("content-type").starts_with("text/csv"));
  BOOST_TEST(csv.header("content-disposition").find("report-431000-" + month() + "-subtree.csv") != std::string::npos);
  BOOST_TEST(csv.body.find("妇联信访统计月报") != std::string::npos);
  BOOST_TEST(csv.body.find("本级及下级") != std::string::npos);
  BOOST_TEST(csv.body.find("制表人：") != std::string::npos);
  BOOST_TEST(csv.body.find("审核人：") != std::string::npos);
  for (const auto& s : r.at("sections"))
    for (const auto& f : s.at("figures"))
      BOOST_TEST(csv.body.find(f.at("definition").get<std::string>()) != std::string::npos, f.at("key"));
  auto xlsx = server.get(sup, "/api/v1/reports.xlsx?period=" + month());
  REQUIRE_STATUS(xlsx, 200);
  BOOST_TEST(xlsx.body.starts_with("PK"));

  // LibreOffice opens the workbook; its CSV holds the same cells as ours.
  hl::test::TempDir dir;
  const std::string book = dir.file("report.xlsx");
  std::ofstream(book, std::ios::binary) << xlsx.body;
  const std::string cmd = "cd '" + dir.file("") + "' && HOME='" + dir.file("") +
                          "' soffice --headless --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1' report.xlsx"
                          " >/dev/null 2>&1";
  BOOST_REQUIRE_MESSAGE(std::system(cmd.c_str()) == 0, "soffice (libreoffice-calc-nogui, scripts/install-deps) failed");
  std::ifstream in(dir.file("report.csv"), std::ios::binary);
  std::stringstream converted;
  converted << in.rdbuf();
  const auto theirs = csv_rows(converted.str());
  const auto ours = csv_rows(csv.body);
  BOOST_REQUIRE_EQUAL(theirs.size(), ours.size());
  for (std::size_t i = 0; i < ours.size(); ++i) BOOST_TEST(theirs[i] == ours[i], "row " << i);
}

BOOST_AUTO_TEST_CASE(a_filed_report_stays_as_filed_lists_changes_and_the_city_sums_its_counties) {
  // Last month, filed by the county's supervisor, then a case received in that month afterwards.
  const TimeMs now = server.now_ms();
  const hl::LocalDate today = hl::local_date(now);
  const hl::LocalDate first = {today.year, today.month, 1};
  const TimeMs in_last_month = hl::start_of_local_day(first) - 10 * 86'400'000LL;
  const std::string last = hl::format_date(hl::local_date(in_last_month)).substr(0, 7);
  const Login yongxing = county_supervisor("yx_sup", "431023");
  const auto county = office_id("431023");

  auto filed = server.send(yongxing, "POST", "/api/v1/reports/filings", {{"period", last}, {"scope", "subtree"}});
  REQUIRE_STATUS(filed, 201);
  const Json f = body_json(filed);
  BOOST_TEST(f.at("version") == 1);
  BOOST_TEST(f.at("period") == last);
  BOOST_TEST(f.at("office_id") == county);
  BOOST_TEST(f.at("filed_by").at("name") == "yx_sup");
  BOOST_TEST(!f.at("figures").empty());
  // The current month is not over: not filed.
  CHECK_ERROR(server.send(yongxing, "POST", "/api/v1/reports/filings", {{"period", month()}}), 422, "validation_failed");

  auto county_report = [&] {
    auto r = server.get(yongxing, "/api/v1/reports?period=" + last);
    REQUIRE_STATUS(r, 200);
    return body_json(r);
  };
  const Json before = county_report();
  BOOST_REQUIRE(before.at("filed").is_object());
  BOOST_TEST(before.at("filed").at("version") == 1);
  BOOST_TEST(before.at("filed").at("changes").empty());

  // A case dated in that month reaches the database after the filing (the clock set back).
  server.set_clock(in_last_month);
  require_open_case(server, op);
  server.set_clock(now);
  const Json after = county_report();
  bool opened_changed = false;
  for (const auto& c : after.at("filed").at("changes"))
    if (c.at("key") == "cases.opened") opened_changed = c.at("live").get<std::int64_t>() == c.at("filed").get<std::int64_t>() + 1;
  BOOST_TEST(opened_changed);

  // The city: its two counties, one filed; the sum of the filed ones beside the live sum.
  auto list = server.get(sup, "/api/v1/reports/filings?period=" + last);
  REQUIRE_STATUS(list, 200);
  const Json o = body_json(list);
  BOOST_TEST(o.at("office").at("region_code") == "431000");
  BOOST_TEST(o.at("filed_count") == 1);
  BOOST_REQUIRE(o.at("children").size() == 2u);
  std::int64_t filed_opened = -1;
  for (const auto& c : o.at("children")) {
    if (c.at("office").at("id") == county) {
      BOOST_TEST(c.at("filed").at("version") == 1);
      for (const auto& x : c.at("filed").at("figures"))
        if (x.at("key") == "cases.opened") filed_opened = x.at("value").get<std::int64_t>();
    } else {
      BOOST_TEST(c.at("filed").is_null());
    }
  }
  for (const auto& x : o.at("sum").at("filed"))
    if (x.at("key") == "cases.opened") BOOST_TEST(x.at("value") == filed_opened);

  // Filing again files a correction: version 2, now in force, with no changes left.
  auto again = server.send(yongxing, "POST", "/api/v1/reports/filings", {{"period", last}, {"scope", "subtree"}});
  REQUIRE_STATUS(again, 201);
  BOOST_TEST(body_json(again).at("version") == 2);
  const Json corrected = county_report();
  BOOST_TEST(corrected.at("filed").at("version") == 2);
  for (const auto& c : corrected.at("filed").at("changes")) BOOST_TEST(c.at("key") != "cases.opened");
}

// #15 point 6: the XLSX as filed on paper — one column per office below beside the total (本级 for the
// office itself), the invalid calls as their own lines with the received total that reconciles them,
// 制表人 (who exported) and 报送日期 (the filing in force).
BOOST_AUTO_TEST_CASE(the_xlsx_has_a_column_per_office_below_the_invalid_calls_and_who_prepared_it) {
  require_open_case(server, op);  // 永兴县's operator: a contact and a case
  CHECK_STATUS(server.send(op, "POST", "/api/v1/intakes", {{"channel", "hotline"}, {"call_type", "silent"}}), 201);
  CHECK_STATUS(server.send(op, "POST", "/api/v1/intakes", {{"channel", "hotline"}, {"call_type", "wrong_number"}}), 201);
  const Json r = report("period=" + month());
  auto xlsx = server.get(sup, "/api/v1/reports.xlsx?period=" + month());
  REQUIRE_STATUS(xlsx, 200);
  auto rows = hl::read_xlsx_first_sheet(xlsx.body);
  BOOST_REQUIRE(rows.has_value());
  auto row_of = [&rows](const std::string& first) -> const std::vector<std::string>* {
    for (const auto& row : *rows)
      if (!row.fields.empty() && row.fields[0] == first) return &row.fields;
    return nullptr;
  };
  BOOST_TEST((*rows)[0].fields.at(0) == month().substr(0, 4) + "年" + std::to_string(std::stoi(month().substr(5))) +
                                            "月妇联信访统计月报");
  // The heads: 指标, 单位, 合计, 本级, then the two counties by region code, 注.
  std::string yongxing, guiyang;
  for (const auto& o : require_items(server, sup, "/api/v1/offices?scope=all")) {
    if (o.at("region_code") == "431023") yongxing = o.at("name");
    if (o.at("region_code") == "431021") guiyang = o.at("name");
  }
  const auto* head = row_of("指标");
  BOOST_REQUIRE(head != nullptr);
  BOOST_TEST(*head == (std::vector<std::string>{"指标", "单位", "合计", "本级", guiyang, yongxing, "注"}),
             boost::test_tools::per_element());
  auto number = [](const std::string& cell) { return cell.empty() ? -1 : std::stoll(cell); };
  const auto* total = row_of("来信来访来电合计（件）");
  BOOST_REQUIRE(total != nullptr);
  const auto contacts = value_of(r, "contacts.total.items");
  BOOST_TEST(number(total->at(2)) == contacts);
  BOOST_TEST(number(total->at(3)) == 0);         // the city itself took none
  BOOST_TEST(number(total->at(4)) == 0);         // 桂阳县 neither
  BOOST_TEST(number(total->at(5)) == contacts);  // all 永兴县's
  // Invalid calls: their own lines, and the total received adds them to the data contacts.
  const auto* invalid = row_of("无效来电（件）");
  const auto* silent = row_of("其中：无声电话（件）");
  const auto* wrong = row_of("其中：打错电话（件）");
  const auto* received = row_of("收到合计（含无效来电）（件）");
  BOOST_REQUIRE((invalid && silent && wrong && received));
  BOOST_TEST(number(invalid->at(2)) == 2);
  BOOST_TEST(number(silent->at(5)) == 1);
  BOOST_TEST(number(wrong->at(5)) == 1);
  BOOST_TEST(number(received->at(2)) == contacts + 2);
  BOOST_TEST(value_of(r, "contacts.received.items") == contacts + 2);
  // The signature line: who made the export, a blank for the reviewer, not yet filed.
  const Json me = body_json(server.get(sup, "/api/v1/session"));
  const auto* sign = row_of("制表人：" + me.at("user").at("display_name").get<std::string>());
  BOOST_REQUIRE(sign != nullptr);
  BOOST_TEST(sign->at(2) == "审核人：");
  BOOST_TEST(sign->at(4) == "报送日期：");
  // 本级: no office columns.
  auto own = server.get(sup, "/api/v1/reports.xlsx?period=" + month() + "&scope=office");
  REQUIRE_STATUS(own, 200);
  rows = hl::read_xlsx_first_sheet(own.body);
  BOOST_REQUIRE(rows.has_value());
  BOOST_TEST(*row_of("指标") == (std::vector<std::string>{"指标", "单位", "数值", "注"}), boost::test_tools::per_element());

  // A filed report prints its 报送日期 and version; a county has no offices below: no columns.
  server.freeze_clock();  // the filing's 报送日期 is `today`, however long the account takes to make
  const TimeMs now = server.now_ms();
  const hl::LocalDate today = hl::local_date(now);
  const TimeMs in_last_month = hl::start_of_local_day({today.year, today.month, 1}) - 10 * 86'400'000LL;
  const std::string last = hl::format_date(hl::local_date(in_last_month)).substr(0, 7);
  const Login county = county_supervisor("yx_sup2", "431023");
  REQUIRE_STATUS(server.send(county, "POST", "/api/v1/reports/filings", {{"period", last}, {"scope", "subtree"}}), 201);
  auto filed = server.get(county, "/api/v1/reports.csv?period=" + last);
  REQUIRE_STATUS(filed, 200);
  BOOST_TEST(filed.body.find("报送日期：" + hl::format_date(today) + "（第1版）") != std::string::npos);
  BOOST_TEST(filed.body.find("制表人：yx_sup2") != std::string::npos);
  BOOST_TEST(filed.body.find("指标,单位,数值,注") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
