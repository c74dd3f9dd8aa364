// Importing a ledger again (issue #15 point 5): rows the office already has are reported as duplicates
// with the case they duplicate and not written; the intake's phone and ID rules; the rejected rows
// and the duplicates as a CSV to fix and import again.
#include <boost/test/unit_test.hpp>

#include "casework/ledger_import.hpp"
#include "casework/person_numbers.hpp"
#include "test_dv_fixture.hpp"

using namespace hl;
using namespace hl::casework;

namespace {

struct DupFixture : hl::test::CaseworkFixture {
  crypto::FieldCipher cipher{hl::test::dv_test_key(1)};
  crypto::KeyedHash hash{hl::test::dv_test_key(2)};
  PersonIdentity identity{cipher, hash};
  LedgerImporter importer{clock, identity};

  ImportReport run(const std::string& csv) {
    auto r = importer.run(conn, csv, county.id, sup);
    BOOST_REQUIRE_MESSAGE(r.has_value(), (r ? std::string() : r.error().message));
    return *r;
  }

  std::int64_t count(const char* table) {
    auto st = conn.prepare(std::string("SELECT count(*) FROM ") + table);
    st.step();
    return st.int64(0);
  }

  std::string case_no_of(const std::string& summary) {
    auto st = conn.prepare("SELECT case_no FROM cases WHERE summary = ?1");
    st.bind_all(summary);
    return st.step() ? st.text(0) : std::string("(none)");
  }
};

std::vector<int> lines_of(const std::vector<LedgerDuplicate>& d) {
  std::vector<int> out;
  for (const auto& x : d) out.push_back(x.line);
  return out;
}

const std::string kLedger =
    "登记日期,来源,问题类别,诉求,姓名,电话,处理情况\n"
    "2026-10-08,来电,家庭暴力,重导甲：丈夫殴打,张某,13800138000,已调解\n"  // 2
    "2026-10-09,来访,离婚,重导乙：咨询离婚,,,\n"                              // 3
    "2026-10-09,来访,离婚,重导乙：咨询离婚,,,\n"                              // 4: the same again, a second visit
    "2026-10-10,来信,其他,重导丙：来信求助,王某,,\n";                          // 5

}  // namespace

BOOST_FIXTURE_TEST_SUITE(ledger_import_duplicates, DupFixture)

BOOST_AUTO_TEST_CASE(importing_the_same_ledger_again_writes_nothing_and_names_the_cases) {
  const auto first = run(kLedger);
  BOOST_TEST(first.imported == 4);  // two identical lines of one ledger are two contacts
  BOOST_TEST(first.duplicates.empty());
  const auto cases = count("cases"), contacts = count("contacts"), persons = count("persons");

  const auto again = run(kLedger);
  BOOST_TEST(again.imported == 0);
  BOOST_TEST(again.rejected.empty());
  BOOST_TEST(lines_of(again.duplicates) == (std::vector<int>{2, 3, 4, 5}), boost::test_tools::per_element());
  for (const auto& d : again.duplicates) BOOST_TEST(d.match == "row");
  BOOST_TEST(again.duplicates[0].case_no == case_no_of("重导甲：丈夫殴打"));
  BOOST_TEST(again.duplicates[0].case_no.starts_with("431023-2026-"));
  BOOST_TEST(count("cases") == cases);
  BOOST_TEST(count("contacts") == contacts);
  BOOST_TEST(count("persons") == persons);
}

BOOST_AUTO_TEST_CASE(a_resaved_reordered_ledger_with_new_rows_imports_only_the_new_ones) {
  run(kLedger);
  // Columns in another order, a date spelt otherwise, the rows shuffled, one identical row more, one new row.
  const std::string later =
      "姓名,登记日期,来源,问题类别,诉求,电话,处理情况\n"
      ",2026/10/9,来访,离婚,重导乙：咨询离婚,,\n"                     // 2: one of the two already there
      "王某,2026年10月10日,来信,其他,重导丙：来信求助,,\n"             // 3
      ",2026-10-09,来访,离婚,重导乙：咨询离婚,,\n"                     // 4: the other one
      ",2026-10-09,来访,离婚,重导乙：咨询离婚,,\n"                     // 5: a third visit: new
      "张某,2026-10-08,来电,家庭暴力,重导甲：丈夫殴打,138 0013 8000,已调解\n"  // 6
      "李某,2026-11-02,来电,家庭暴力,重导丁：新的一行,,\n";            // 7: new
  const auto r = run(later);
  BOOST_TEST(r.imported == 2);
  BOOST_TEST(lines_of(r.duplicates) == (std::vector<int>{2, 3, 4, 6}), boost::test_tools::per_element());
  BOOST_TEST(case_no_of("重导丁：新的一行") != "(none)");
}

BOOST_AUTO_TEST_CASE(the_same_person_day_and_request_is_a_duplicate_whatever_else_differs) {
  run("登记日期,来源,问题类别,诉求,电话\n2026-10-08 09:00,来电,家庭暴力,同人：丈夫殴打,13800138000\n");
  const std::string existing = case_no_of("同人：丈夫殴打");
  // Another ledger keeps the same call with a time, a name and the handling: the same matter.
  const auto r = run(
      "登记日期,来源,问题类别,诉求,电话,姓名,处理情况\n"
      "2026-10-08 15:30,来电,家庭暴力,同人：丈夫殴打,+86 138-0013-8000,张某,已转介\n"  // 2: duplicate
      "2026-10-09,来电,家庭暴力,同人：丈夫殴打,13800138000,张某,\n"                    // 3: another day
      "2026-10-08,来电,家庭暴力,同人：另一件事,13800138000,张某,\n"                     // 4: another request
      "2026-10-08,来电,家庭暴力,同人：丈夫殴打,13900139000,张某,\n");                   // 5: another person
  BOOST_TEST(r.imported == 3);
  BOOST_REQUIRE(r.duplicates.size() == 1u);
  BOOST_TEST(r.duplicates[0].line == 2);
  BOOST_TEST(r.duplicates[0].match == "person");
  BOOST_TEST(r.duplicates[0].case_no == existing);

  // By ID number as well.
  run("登记日期,来源,问题类别,诉求,身份证号\n2026-10-11,来访,家庭暴力,同证：被赶出家门,431023198503071233\n");
  const auto by_id = run("登记日期,来源,问题类别,诉求,身份证号,处理情况\n2026-10-11,来访,家庭暴力,同证：被赶出家门,431023 198503071233,已解答\n");
  BOOST_TEST(by_id.imported == 0);
  BOOST_REQUIRE(by_id.duplicates.size() == 1u);
  BOOST_TEST(by_id.duplicates[0].case_no == case_no_of("同证：被赶出家门"));
}

BOOST_AUTO_TEST_CASE(the_dry_run_finds_the_duplicates_before_anything_is_written) {
  run(kLedger);
  auto parsed = importer.parse(conn, kLedger);
  BOOST_REQUIRE(parsed.has_value());
  BOOST_TEST(parsed->rows.size() == 4u);
  LedgerImporter::find_duplicates(conn, *parsed, county.id);
  BOOST_TEST(parsed->rows.empty());
  BOOST_TEST(parsed->duplicates.size() == 4u);
  // Another office has none of them.
  auto elsewhere = importer.parse(conn, kLedger);
  LedgerImporter::find_duplicates(conn, *elsewhere, other_county.id);
  BOOST_TEST(elsewhere->duplicates.empty());
}

BOOST_AUTO_TEST_CASE(phones_and_id_numbers_follow_the_intakes_rules) {
  const auto r = run(
      "登记日期,来源,问题类别,诉求,电话,身份证号\n"
      "2026-10-08,来电,家庭暴力,号码甲,12345,\n"                      // 2: a service number, not hers
      "2026-10-08,来电,家庭暴力,号码乙,0735-5123456,431023198503071234\n"  // 3: bad check digit
      "2026-10-08,来电,家庭暴力,号码丙,,431023202611240013\n"          // 4: born tomorrow
      "2026-10-08,来电,家庭暴力,号码丁,138 0013 8000,11010519491231002x\n");  // 5: fine
  BOOST_TEST(r.imported == 1);
  BOOST_REQUIRE(r.rejected.size() == 3u);
  BOOST_TEST(r.rejected[0].line == 2);
  BOOST_TEST(r.rejected[0].reason == "电话 \"12345\" is " + std::string(kPersonPhoneProblem));
  BOOST_TEST(r.rejected[1].reason == "身份证号 \"431023198503071234\": not a valid resident ID number: its check character (the last) does not match the other digits");
  BOOST_TEST(r.rejected[2].reason == "身份证号 \"431023202611240013\": its birth date is in the future");
  // The ID number is kept like intake keeps it: encrypted, with its fingerprint.
  auto st = conn.prepare("SELECT id_number_hash FROM persons p JOIN contacts c ON c.id = p.contact_id WHERE c.summary = '号码丁'");
  BOOST_REQUIRE(st.step());
  BOOST_TEST(st.blob(0) == *identity.fingerprint_typed_id_number("11010519491231002X"));
}

BOOST_AUTO_TEST_CASE(the_rows_not_written_come_back_as_a_csv_with_their_reasons) {
  run(kLedger);
  const std::string csv =
      "登记日期,来源,问题类别,诉求,电话,备注\n"
      "2026-10-08,来电,家庭暴力,重导甲：丈夫殴打,13800138000,\n"  // 2: same person, day and request
      "2026-10-08,来电,家庭暴力,\"=HYPERLINK(\"\"x\"\")\",12345,\"多行\n备注\"\n"  // 3-4: rejected
      "2026-10-12,来电,家庭暴力,好的一行,,\n";                    // 5
  const auto r = run(csv);
  BOOST_TEST(r.imported == 1);
  const std::string out = rejected_rows_csv(r.header, r.rejected, r.duplicates);
  const std::string expected =
      "\xEF\xBB\xBF"
      "登记日期,来源,问题类别,诉求,电话,备注,原因\r\n"
      "2026-10-08,来电,家庭暴力,重导甲：丈夫殴打,13800138000,,\"duplicate: the same person (电话 or 身份证号), 登记日期 and 诉求 as case " +
      case_no_of("重导甲：丈夫殴打") + "\"\r\n" +
      "2026-10-08,来电,家庭暴力,\"'=HYPERLINK(\"\"x\"\")\",12345,\"多行\n备注\","
      "\"电话 \"\"12345\"\" is not a phone number (mobile, or landline with area code)\"\r\n";
  BOOST_TEST(out == expected);
  BOOST_TEST(rejected_rows_csv(r.header, {}, {}).empty());
}

BOOST_AUTO_TEST_SUITE_END()
