// POST /api/v1/imports over HTTP: a ledger as CSV and as an Excel workbook, the supervisor only,
// files that cannot be read refused whole with `fields.file`, oversize bodies 413.
#include <boost/test/unit_test.hpp>

#include <xlsxwriter.h>

#include <fstream>
#include <iterator>
#include <string>

#include "api/case_helpers.hpp"
#include "api/server_process.hpp"
#include "support/temp_dir.hpp"

using namespace hl::apitest;

namespace {

struct Importing {
  ServerProcess server;
  Login sup = server.login(kSupervisor);
  Login op = server.login(kOperator);
  hl::test::TempDir dir;

  std::string xlsx_ledger() {
    const std::string file = dir.file("ledger.xlsx");
    lxw_workbook* wb = workbook_new(file.c_str());
    lxw_worksheet* ws = workbook_add_worksheet(wb, nullptr);
    lxw_format* date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy/m/d");
    const char* header[] = {"登记日期", "来源", "问题类别", "诉求", "状态"};
    for (lxw_col_t c = 0; c < 5; ++c) worksheet_write_string(ws, 0, c, header[c], nullptr);
    lxw_datetime d{2026, 9, 30, 0, 0, 0};
    worksheet_write_datetime(ws, 1, 0, &d, date);
    worksheet_write_string(ws, 1, 1, "来电", nullptr);
    worksheet_write_string(ws, 1, 2, "家庭暴力", nullptr);
    worksheet_write_string(ws, 1, 3, "Excel台账导入的家暴求助", nullptr);
    worksheet_write_string(ws, 1, 4, "已办结", nullptr);
    worksheet_write_datetime(ws, 2, 0, &d, date);
    worksheet_write_string(ws, 2, 1, "传真", nullptr);  // unknown channel: rejected
    worksheet_write_string(ws, 2, 2, "家庭暴力", nullptr);
    worksheet_write_string(ws, 2, 3, "诉求", nullptr);
    BOOST_REQUIRE(workbook_close(wb) == LXW_NO_ERROR);
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(imports, Importing)

BOOST_AUTO_TEST_CASE(a_ledger_imports_from_csv_and_from_an_excel_workbook) {
  auto csv = server.send_text(sup, "POST", "/api/v1/imports",
                              "登记日期,来源,问题类别,诉求\n2026-09-29,来访,家庭暴力,CSV台账导入的求助\n");
  REQUIRE_STATUS(csv, 200);
  BOOST_TEST(body_json(csv).at("imported") == 1);

  auto xlsx = server.send_text(sup, "POST", "/api/v1/imports", xlsx_ledger());
  REQUIRE_STATUS(xlsx, 200);
  const Json r = body_json(xlsx);
  BOOST_TEST(r.at("rows") == 2);
  BOOST_TEST(r.at("imported") == 1);
  BOOST_REQUIRE(r.at("rejected").size() == 1u);
  BOOST_TEST(r.at("rejected")[0].at("line") == 3);
  // The imported case is there, received on the date cell's day.
  const Json found = require_items(server, sup, "/api/v1/cases?q=" + url_encode("Excel台账"));
  BOOST_REQUIRE(found.size() == 1u);
  BOOST_TEST(found[0].at("received_at").get<std::string>().starts_with("2026-09-30T00:00:00"));
}

BOOST_AUTO_TEST_CASE(unreadable_files_forbidden_callers_and_oversize_bodies_are_refused) {
  std::string damaged = xlsx_ledger();
  damaged.resize(damaged.size() / 2);
  auto bad = server.send_text(sup, "POST", "/api/v1/imports", damaged);
  CHECK_ERROR(bad, 422, "validation_failed");
  CHECK_NAMES_FIELD(bad, "file");
  CHECK_STATUS(server.send_text(op, "POST", "/api/v1/imports", xlsx_ledger()), 403);
  CHECK_STATUS(server.send_text(sup, "POST", "/api/v1/imports", std::string((10u << 20) + 1, 'x')), 413);
}

BOOST_AUTO_TEST_CASE(a_dry_run_shows_the_columns_and_the_users_map_imports_them) {
  const std::string csv = "来电时间,方式,类型,诉求内容\n2026-09-28,来电,家庭暴力,映射导入的求助\n2026-13-01,来电,家庭暴力,坏日期\n";
  auto first = server.send_text(sup, "POST", "/api/v1/imports?dry_run=true", csv);
  REQUIRE_STATUS(first, 200);
  const Json preview = body_json(first);
  BOOST_TEST(preview.at("dry_run") == true);
  BOOST_TEST(preview.at("rows") == 2);
  BOOST_TEST(preview.at("missing").size() == 4u);
  BOOST_TEST(preview.at("columns")[0].at("header") == "来电时间");
  BOOST_TEST(preview.at("fields").size() == 14u);  // losses avoided and recovered are two fields; 咨询类别; 身份证号
  bool avoided = false, recovered = false;
  for (const auto& f : preview.at("fields")) {
    avoided = avoided || f.dump().find("losses_avoided_yuan") != std::string::npos;
    recovered = recovered || f.dump().find("losses_recovered_yuan") != std::string::npos;
  }
  BOOST_TEST(avoided);
  BOOST_TEST(recovered);

  const std::string map = url_encode(R"({"来电时间":"received_at","方式":"channel","类型":"category","诉求内容":"summary"})");
  auto second = server.send_text(sup, "POST", "/api/v1/imports?dry_run=true&map=" + map, csv);
  REQUIRE_STATUS(second, 200);
  const Json ready = body_json(second);
  BOOST_TEST(ready.at("missing").empty());
  BOOST_TEST(ready.at("valid") == 1);
  BOOST_REQUIRE(ready.at("rejected").size() == 1u);
  BOOST_TEST(ready.at("rejected")[0].at("line") == 3);
  BOOST_TEST(require_items(server, sup, "/api/v1/cases?q=" + url_encode("映射导入")).empty());  // nothing written

  auto done = server.send_text(sup, "POST", "/api/v1/imports?map=" + map, csv);
  REQUIRE_STATUS(done, 200);
  BOOST_TEST(body_json(done).at("imported") == 1);
  BOOST_TEST(require_items(server, sup, "/api/v1/cases?q=" + url_encode("映射导入")).size() == 1u);
  CHECK_ERROR(server.send_text(sup, "POST", "/api/v1/imports?map=" + url_encode("[1]"), csv), 422, "validation_failed");
  CHECK_ERROR(server.send_text(sup, "POST", "/api/v1/imports?map=" + url_encode(R"({"方式":"when"})"), csv), 422, "validation_failed");
  CHECK_ERROR(server.send_text(sup, "POST", "/api/v1/imports?dry_run=maybe", csv), 422, "validation_failed");
}

// Issue #15 point 5: the same ledger imported again writes nothing and says which cases the rows
// already are; the dry run says it first; a bad phone is refused with intake's words; the rows not
// written come back as a CSV with their reasons.
BOOST_AUTO_TEST_CASE(a_ledger_imported_again_is_reported_as_duplicates_and_the_rejected_rows_come_back_as_csv) {
  const std::string csv =
      "登记日期,来源,问题类别,诉求,电话\n"
      "2026-09-20,来电,家庭暴力,再导入甲：丈夫殴打,13700004444\n"
      "2026-09-21,来访,离婚,再导入乙：咨询离婚,\n"
      "2026-09-22,来电,家庭暴力,再导入丙：号码不对,12345\n";
  auto first = server.send_text(sup, "POST", "/api/v1/imports", csv);
  REQUIRE_STATUS(first, 200);
  const Json r1 = body_json(first);
  BOOST_TEST(r1.at("imported") == 2);
  BOOST_TEST(r1.at("duplicates").empty());
  BOOST_REQUIRE(r1.at("rejected").size() == 1u);
  BOOST_TEST(r1.at("rejected")[0].at("line") == 4);
  BOOST_TEST(r1.at("rejected")[0].at("reason") == "电话 \"12345\" is not a phone number (mobile, or landline with area code)");
  // Intake refuses the same number with the same words.
  const Json intake = {{"channel", "hotline"}, {"call_type", "consultation"}, {"received_at", "2026-09-22T10:00:00+08:00"},
                       {"summary", "号码"}, {"resolution", "answered"}, {"consultation_kind", "legal"},
                       {"complainant", {{"phone", "12345"}}}};
  auto refused = server.send(op, "POST", "/api/v1/intakes", intake);
  CHECK_ERROR(refused, 422, "validation_failed");
  BOOST_TEST(body_json(refused).at("error").at("fields").at("complainant.phone") ==
             "not a phone number (mobile, or landline with area code)");

  const Json found = require_items(server, sup, "/api/v1/cases?q=" + url_encode("再导入甲"));
  BOOST_REQUIRE(found.size() == 1u);
  const std::string case_no = found[0].at("case_no");

  auto dry = server.send_text(sup, "POST", "/api/v1/imports?dry_run=true", csv);
  REQUIRE_STATUS(dry, 200);
  const Json preview = body_json(dry);
  BOOST_TEST(preview.at("valid") == 0);
  BOOST_REQUIRE(preview.at("duplicates").size() == 2u);
  BOOST_TEST(preview.at("duplicates")[0].at("line") == 2);
  BOOST_TEST(preview.at("duplicates")[0].at("match") == "row");
  BOOST_TEST(preview.at("duplicates")[0].at("case_no") == case_no);
  const std::string file = preview.at("rejected_csv");
  BOOST_TEST(file.starts_with("\xEF\xBB\xBF登记日期,来源,问题类别,诉求,电话,原因\r\n"));
  BOOST_TEST(file.find("2026-09-20,来电,家庭暴力,再导入甲：丈夫殴打,13700004444,duplicate: this row was imported before as case " +
                       case_no + "\r\n") != std::string::npos, file);
  BOOST_TEST(file.find("2026-09-22,来电,家庭暴力,再导入丙：号码不对,12345,\"电话 \"\"12345\"\" is not a phone number") !=
             std::string::npos, file);

  auto again = server.send_text(sup, "POST", "/api/v1/imports", csv);
  REQUIRE_STATUS(again, 200);
  const Json r2 = body_json(again);
  BOOST_TEST(r2.at("imported") == 0);
  BOOST_TEST(r2.at("duplicates").size() == 2u);
  BOOST_TEST(r2.at("rejected").size() == 1u);
  BOOST_TEST(r2.at("rejected_csv") == file);
  BOOST_TEST(require_items(server, sup, "/api/v1/cases?q=" + url_encode("再导入甲")).size() == 1u);

  // Every row fine: no file to download.
  auto clean = server.send_text(sup, "POST", "/api/v1/imports?dry_run=true", "登记日期,来源,问题类别,诉求\n2026-09-23,来电,家庭暴力,再导入丁\n");
  REQUIRE_STATUS(clean, 200);
  BOOST_TEST(body_json(clean).at("rejected_csv").is_null());
}

BOOST_AUTO_TEST_SUITE_END()
