// Importing a ledger kept in Excel: a real .xlsx written by libxlsxwriter (shared strings, numbers,
// date-formatted cells, gaps, a second sheet) is read from its first worksheet and imported like
// the CSV; a damaged file is refused whole.
#include <boost/test/unit_test.hpp>

#include <xlsxwriter.h>

#include <fstream>
#include <iterator>
#include <string>

#include "casework/case_repository.hpp"
#include "casework/ledger_import.hpp"
#include "core/xlsx_reader.hpp"
#include "test_dv_fixture.hpp"

using namespace hl;
using namespace hl::casework;

namespace {

TimeMs at(const char* iso) { return *parse_iso8601(iso); }

struct XlsxFixture : hl::test::CaseworkFixture {
  crypto::FieldCipher cipher{hl::test::dv_test_key(1)};
  crypto::KeyedHash hash{hl::test::dv_test_key(2)};
  PersonIdentity identity{cipher, hash};
  LedgerImporter importer{clock, identity};

  // Writes a ledger as Excel would hold it and returns the file's bytes.
  std::string workbook() {
    const std::string file = dir.file("ledger.xlsx");
    lxw_workbook* wb = workbook_new(file.c_str());
    lxw_worksheet* ws = workbook_add_worksheet(wb, "台账");
    lxw_format* date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    const char* header[] = {"登记日期", "来源", "姓名", "电话", "问题类别", "诉求", "状态", "办结日期", "人数"};
    for (lxw_col_t c = 0; c < 9; ++c) worksheet_write_string(ws, 0, c, header[c], nullptr);
    // Row 2: dates as Excel date cells, the phone as a number, a count as a number.
    lxw_datetime received{2026, 10, 8, 9, 30, 0};
    lxw_datetime closed{2026, 10, 20, 0, 0, 0};
    worksheet_write_datetime(ws, 1, 0, &received, date);
    worksheet_write_string(ws, 1, 1, "来电", nullptr);
    worksheet_write_string(ws, 1, 2, "张某", nullptr);
    worksheet_write_number(ws, 1, 3, 13800138000.0, nullptr);
    worksheet_write_string(ws, 1, 4, "家庭暴力", nullptr);
    worksheet_write_string(ws, 1, 5, "丈夫殴打 & 威胁 <要求离婚>\n第二行", nullptr);
    worksheet_write_string(ws, 1, 6, "已办结", nullptr);
    worksheet_write_datetime(ws, 1, 7, &closed, date);
    worksheet_write_number(ws, 1, 8, 2, nullptr);
    // Row 3: a date typed as text, no name or phone (cells simply absent), still open.
    worksheet_write_string(ws, 2, 0, "2026年10月9日", nullptr);
    worksheet_write_string(ws, 2, 1, "来访", nullptr);
    worksheet_write_string(ws, 2, 4, "婚姻家庭/离婚", nullptr);
    worksheet_write_string(ws, 2, 5, "咨询离婚财产分割", nullptr);
    worksheet_write_string(ws, 2, 6, "办理中", nullptr);
    // Row 5 (row 4 left empty): no 诉求 → rejected with its Excel row number.
    worksheet_write_string(ws, 4, 0, "2026-10-10", nullptr);
    worksheet_write_string(ws, 4, 1, "来电", nullptr);
    worksheet_write_string(ws, 4, 4, "家庭暴力", nullptr);
    // A second sheet is not read.
    lxw_worksheet* other = workbook_add_worksheet(wb, "说明");
    worksheet_write_string(other, 0, 0, "登记日期", nullptr);
    BOOST_REQUIRE(workbook_close(wb) == LXW_NO_ERROR);
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  std::optional<CaseRecord> by_summary(const std::string& summary) {
    auto st = conn.prepare("SELECT id FROM cases WHERE summary = ?1");
    st.bind_all(summary);
    if (!st.step()) return std::nullopt;
    return CaseRepository::get_unscoped(conn, st.int64(0));
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(ledger_xlsx, XlsxFixture)

BOOST_AUTO_TEST_CASE(the_first_sheet_is_read_cell_by_cell) {
  const std::string bytes = workbook();
  BOOST_TEST(looks_like_xlsx(bytes));
  auto rows = read_xlsx_first_sheet(bytes);
  BOOST_REQUIRE(rows.has_value());
  BOOST_REQUIRE(rows->size() == 4u);  // header, rows 2, 3 and 5 (row 4 is empty)
  BOOST_TEST((*rows)[0].line == 1);
  BOOST_TEST((*rows)[0].fields.at(8) == "人数");
  BOOST_TEST((*rows)[1].fields.at(3) == "13800138000");
  BOOST_TEST((*rows)[1].fields.at(5) == "丈夫殴打 & 威胁 <要求离婚>\n第二行");
  BOOST_TEST((*rows)[2].fields.at(2) == "");  // an absent cell reads as empty
  BOOST_TEST((*rows)[3].line == 5);
}

BOOST_AUTO_TEST_CASE(an_excel_ledger_is_imported_like_the_csv) {
  auto report = importer.run(conn, workbook(), county.id, sup);
  BOOST_REQUIRE_MESSAGE(report.has_value(), (report ? std::string() : report.error().message));
  BOOST_TEST(report->data_rows == 3);
  BOOST_TEST(report->imported == 2);
  BOOST_REQUIRE(report->rejected.size() == 1u);
  BOOST_TEST(report->rejected[0].line == 5);

  auto closed = by_summary("丈夫殴打 & 威胁 <要求离婚>\n第二行");
  BOOST_REQUIRE(closed.has_value());
  BOOST_TEST((closed->status == CaseStatus::closed));
  BOOST_TEST(closed->received_at == at("2026-10-08T09:30:00+08:00"));  // the date cell's serial, Shanghai time
  BOOST_TEST(*closed->closed_at == at("2026-10-20T00:00:00+08:00"));
  BOOST_TEST(scalar("SELECT persons FROM contacts WHERE case_id = " + std::to_string(closed->id)) == 2);
  auto p = conn.prepare("SELECT phone_hash FROM persons WHERE case_id = ?1");
  p.bind_all(closed->id);
  BOOST_REQUIRE(p.step());
  BOOST_TEST(p.blob(0) == identity.phone_fingerprint("13800138000"));

  auto open = by_summary("咨询离婚财产分割");
  BOOST_REQUIRE(open.has_value());
  BOOST_TEST((open->status == CaseStatus::in_progress));
  BOOST_TEST(open->received_at == at("2026-10-09T00:00:00+08:00"));
}

BOOST_AUTO_TEST_CASE(a_damaged_workbook_is_refused_whole) {
  std::string bytes = workbook();
  const std::string cut = bytes.substr(0, bytes.size() / 2);  // the zip directory is at the end
  auto r = importer.parse(conn, cut);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST((r.error().code == Errc::invalid_input));
  BOOST_TEST(r.error().fields.contains("file"));
  // Corrupt the compressed bytes of every part but keep the directory: refused, not crashed.
  for (std::size_t i = 200; i + 200 < bytes.size() - 1000; i += 7) bytes[i] = static_cast<char>(bytes[i] ^ 0x5A);
  auto damaged = importer.parse(conn, bytes);
  BOOST_REQUIRE(!damaged.has_value());
  BOOST_TEST(damaged.error().fields.contains("file"));
  BOOST_TEST(scalar("SELECT count(*) FROM cases WHERE channel = 'hotline' AND summary LIKE '%离婚%'") == 0);
}

BOOST_AUTO_TEST_SUITE_END()
