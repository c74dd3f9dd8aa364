// Importing a legacy ledger (台账) CSV: header mapping, row validation with line numbers, batches
// that are written whole or not at all.
#include <boost/test/unit_test.hpp>

#include "casework/case_repository.hpp"
#include "casework/ledger_import.hpp"
#include "test_dv_fixture.hpp"
#include "support/error_of.hpp"

using namespace hl;
using namespace hl::casework;
using hl::test::error_of;

namespace {

TimeMs at(const char* iso) { return *parse_iso8601(iso); }

struct LedgerFixture : hl::test::CaseworkFixture {
  crypto::FieldCipher cipher{hl::test::dv_test_key(1)};
  crypto::KeyedHash hash{hl::test::dv_test_key(2)};
  PersonIdentity identity{cipher, hash};
  LedgerImporter importer{clock, identity};

  ImportReport run(const std::string& csv, std::size_t batch = kLedgerBatchRows, const Actor* who = nullptr,
                   std::function<void(std::size_t, std::size_t)> progress = {}) {
    auto r = importer.run(conn, csv, county.id, who ? *who : sup, batch, progress);
    BOOST_REQUIRE_MESSAGE(r.has_value(), (r ? std::string() : r.error().message));
    return *r;
  }

  std::optional<CaseRecord> by_summary(const std::string& summary) {
    auto st = conn.prepare("SELECT id FROM cases WHERE summary = ?1");
    st.bind_all(summary);
    if (!st.step()) return std::nullopt;
    return CaseRepository::get_unscoped(conn, st.int64(0));
  }

  std::string reason_for(const ImportReport& r, int line) {
    for (const auto& x : r.rejected)
      if (x.line == line) return x.reason;
    return "(not rejected)";
  }
};

const std::string kLedger =
    "\xEF\xBB\xBF"
    "登记日期,来源,姓名,电话,问题类别,诉求,处理情况,状态,备注,人数,挽回经济损失(元),办结日期\r\n"
    "2026/10/8,来电,张某,138 0013 8000,家庭暴力,\"丈夫殴打, 要求离婚\",已调解,已办结,老台账,1,\"1,200.50\",2026-10-20\r\n"  // 2
    "2026年10月9日,来访,李某,,婚姻家庭/离婚,\"多行\r\n诉求\",,办理中,,3,,\r\n"                                        // 3-4
    "2026-10-10,网访,王某,1234567,家庭暴力,咨询,,登记,,,,\r\n"                                                         // 5
    "2026-13-01,来电,,,家庭暴力,诉求,,,,,,\r\n"                                                                      // 6
    "2026-10-11,传真,,,家暴,诉求,,,,,,\r\n"                                                                          // 7
    "2099-01-01,来电,,,家庭暴力,诉求,,,,,,\r\n"                                                                      // 8
    "\r\n"                                                                                                          // 9 (blank)
    "2026-10-12,来信,赵某,,其他,\"他说\"\"救命\"\"\",,,,,,\r\n"                                                      // 10
    "2026-10-12,来电,,,离婚,,,,,,,\r\n"                                                                              // 11
    "2026-10-13 14:30,排查,,,性骚扰,排查发现,处理完毕,,,2,,2026-10-20\r\n"                                            // 12
    "2026-10-14,来电,,,家庭暴力,诉求,,办理中,,,,2026-10-20\r\n"                                                       // 13
    "2026-10-14,来电,,,家庭暴力,诉求,,办理中,,0,,\r\n"                                                               // 14
    "2026-10-15,来电,,,家庭暴力,诉求,,转介中,,,,\r\n";                                                               // 15

}  // namespace

BOOST_FIXTURE_TEST_SUITE(ledger_import, LedgerFixture)

BOOST_AUTO_TEST_CASE(good_rows_are_imported_and_every_bad_row_is_reported_with_its_line) {
  auto r = run(kLedger);
  BOOST_TEST(r.data_rows == 12);
  BOOST_TEST(r.imported == 4);  // lines 2, 3, 10, 12
  BOOST_TEST(r.batches == 1);
  BOOST_TEST(r.failed_batches == 0);
  std::vector<int> lines;
  for (const auto& x : r.rejected) lines.push_back(x.line);
  BOOST_TEST(lines == (std::vector<int>{5, 6, 7, 8, 11, 13, 14, 15}), boost::test_tools::per_element());
  BOOST_TEST(reason_for(r, 5).find("电话") != std::string::npos);
  BOOST_TEST(reason_for(r, 6).find("登记日期") != std::string::npos);
  BOOST_TEST(reason_for(r, 7).find("来源") != std::string::npos);  // both problems of the row are named
  BOOST_TEST(reason_for(r, 7).find("问题类别") != std::string::npos);
  BOOST_TEST(reason_for(r, 8).find("future") != std::string::npos);
  BOOST_TEST(reason_for(r, 11).find("诉求") != std::string::npos);
  BOOST_TEST(reason_for(r, 13).find("办结日期") != std::string::npos);
  BOOST_TEST(reason_for(r, 14).find("人数") != std::string::npos);
  BOOST_TEST(reason_for(r, 15).find("状态") != std::string::npos);
  BOOST_TEST(r.ignored_columns == (std::vector<std::string>{"备注"}), boost::test_tools::per_element());
  BOOST_TEST(scalar("SELECT count(*) FROM cases") == 4);
  BOOST_TEST(scalar("SELECT count(*) FROM contacts") == 4);
  BOOST_TEST(scalar("SELECT count(*) FROM case_events WHERE event = 'import'") == 4);
}

BOOST_AUTO_TEST_CASE(imported_rows_carry_their_fields) {
  run(kLedger);
  auto closed = by_summary("丈夫殴打, 要求离婚");
  BOOST_REQUIRE(closed.has_value());
  BOOST_TEST((closed->status == CaseStatus::closed));
  BOOST_TEST(closed->category == "marriage_family.domestic_violence");
  BOOST_TEST(closed->channel == "hotline");
  BOOST_TEST(closed->office_id == county.id);
  BOOST_TEST(closed->received_at == at("2026-10-08T00:00:00+08:00"));
  BOOST_TEST(*closed->closed_at == at("2026-10-20T00:00:00+08:00"));
  BOOST_TEST(*closed->accepted_at == closed->received_at);
  // 挽回经济损失 is losses recovered, not losses avoided (the two are different figures, issue #14).
  BOOST_TEST(!closed->losses_avoided_fen.has_value());
  BOOST_TEST(scalar("SELECT losses_recovered_fen FROM cases WHERE id = " + std::to_string(closed->id)) == 120050);
  BOOST_TEST(closed->outcome.value_or("") == "imported");
  BOOST_TEST(closed->closure_summary.value_or("") == "已调解");
  BOOST_TEST(!closed->next_due.has_value());
  BOOST_TEST(closed->case_no.starts_with("431023-2026-"));
  // The phone stored as intake does: ciphertext and fingerprint, never the number itself.
  auto p = conn.prepare("SELECT name, phone_enc, phone_hash, role FROM persons WHERE case_id = ?1");
  p.bind_all(closed->id);
  BOOST_REQUIRE(p.step());
  BOOST_TEST(p.text(0) == "张某");
  BOOST_TEST(identity.reveal_phone(p.blob(1)).value_or("") == "13800138000");
  BOOST_TEST(p.blob(2) == identity.phone_fingerprint("13800138000"));
  BOOST_TEST(p.text(3) == "complainant");
  auto events = *CaseRepository::events(conn, closed->id, sup);
  BOOST_REQUIRE(events.size() == 1u);
  BOOST_TEST(events[0].event == "import");
  BOOST_TEST(events[0].to_status == "closed");
  BOOST_TEST(events[0].payload_json.find("\"line\":\"2\"") != std::string::npos);

  auto open = by_summary("多行\r\n诉求");
  BOOST_REQUIRE(open.has_value());
  BOOST_TEST((open->status == CaseStatus::in_progress));
  BOOST_TEST(open->category == "marriage_family.divorce");
  BOOST_TEST(open->channel == "walk_in");
  BOOST_TEST(*open->handling_due == at("2026-12-08T23:59:59.999+08:00"));  // 60 days from 9 October
  BOOST_TEST(*open->next_due == *open->handling_due);
  BOOST_TEST(scalar("SELECT persons FROM contacts WHERE case_id = " + std::to_string(open->id)) == 3);

  auto registered = by_summary("他说\"救命\"");
  BOOST_REQUIRE(registered.has_value());
  BOOST_TEST((registered->status == CaseStatus::registered));  // no status, no handling
  BOOST_TEST(registered->category == "other.general");
  BOOST_TEST(*registered->acceptance_due == at("2026-10-27T23:59:59.999+08:00"));  // 15 days

  auto screened = by_summary("排查发现");
  BOOST_REQUIRE(screened.has_value());
  BOOST_TEST((screened->status == CaseStatus::closed));  // no status but handled: closed
  BOOST_TEST(screened->channel == "screening");
  BOOST_TEST(screened->received_at == at("2026-10-13T14:30:00+08:00"));
  BOOST_TEST(*screened->closed_at == at("2026-10-20T00:00:00+08:00"));
}

BOOST_AUTO_TEST_CASE(a_failing_batch_leaves_none_of_its_rows) {
  // A trigger makes the 4th row fail inside the database: its batch (rows 3 and 4) must vanish whole.
  conn.exec(
      "CREATE TEMP TRIGGER fail_row BEFORE INSERT ON cases WHEN NEW.summary = '触发失败'"
      " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
  const std::string csv =
      "登记日期,来源,问题类别,诉求,姓名\n"
      "2026-10-01,来电,家庭暴力,第一行,甲\n"   // line 2, batch 1
      "2026-10-02,来电,家庭暴力,第二行,乙\n"   // line 3, batch 1
      "2026-10-03,来电,家庭暴力,第三行,丙\n"   // line 4, batch 2
      "2026-10-04,来电,家庭暴力,触发失败,丁\n"  // line 5, batch 2
      "2026-10-05,来电,家庭暴力,第五行,戊\n";  // line 6, batch 3
  std::vector<std::string> progress;
  auto r = run(csv, 2, nullptr, [&](std::size_t done, std::size_t total) {
    progress.push_back(std::to_string(done) + "/" + std::to_string(total));
  });
  BOOST_TEST(r.imported == 3);
  BOOST_TEST(r.batches == 3);
  BOOST_TEST(r.failed_batches == 1);
  BOOST_REQUIRE(r.rejected.size() == 2u);
  BOOST_TEST(r.rejected[0].line == 4);
  BOOST_TEST(r.rejected[1].line == 5);
  BOOST_TEST(r.rejected[0].reason.find("batch not imported") != std::string::npos);
  BOOST_TEST(!by_summary("第三行").has_value());  // the good row of the failed batch is not there either
  BOOST_TEST(by_summary("第五行").has_value());
  BOOST_TEST(scalar("SELECT count(*) FROM cases") == 3);
  BOOST_TEST(scalar("SELECT count(*) FROM contacts") == 3);
  BOOST_TEST(scalar("SELECT count(*) FROM persons") == 3);
  BOOST_TEST(scalar("SELECT count(*) FROM case_events") == 3);
  BOOST_TEST(scalar("SELECT count(*) FROM case_search") == 3);
  BOOST_TEST(scalar("SELECT last_no FROM case_counters") == 3);  // no number burnt by the failed batch
  BOOST_TEST(progress == (std::vector<std::string>{"2/5", "4/5", "5/5"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(files_that_cannot_be_read_are_refused_whole) {
  auto missing = importer.parse(conn, "日期,来源,诉求\n2026-10-01,来电,x\n");
  BOOST_REQUIRE(!missing.has_value());
  BOOST_TEST(missing.error().message.find("问题类别") != std::string::npos);
  auto gbk = importer.parse(conn, "\xB5\xC7\xBC\xC7\xC8\xD5\xC6\xDA,x\n");  // "登记日期" in GBK
  BOOST_REQUIRE(!gbk.has_value());
  BOOST_TEST(gbk.error().message.find("UTF-8") != std::string::npos);
  auto unterminated = importer.parse(conn, "登记日期,来源,问题类别,诉求\n2026-10-01,来电,家庭暴力,\"没有结束\n");
  BOOST_REQUIRE(!unterminated.has_value());
  BOOST_TEST(unterminated.error().message.find("line 2") != std::string::npos);
  auto empty = importer.parse(conn, "");
  BOOST_TEST(!empty.has_value());
  BOOST_TEST(scalar("SELECT count(*) FROM cases") == 0);
}

BOOST_AUTO_TEST_CASE(english_headers_and_codes_are_accepted) {
  auto r = run("Received_At,Channel,Category,Summary,Status,Persons\n"
               "2026-10-01,walk_in,labour.wages_insurance,欠薪,in_progress,2\n");
  BOOST_TEST(r.imported == 1);
  BOOST_TEST(r.rejected.empty());
  BOOST_TEST(by_summary("欠薪")->category == "labour.wages_insurance");
}

BOOST_AUTO_TEST_CASE(only_into_an_office_of_ones_own_scope) {
  auto r = importer.run(conn, kLedger, county.id, other_op, kLedgerBatchRows, {});
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST((r.error().code == Errc::not_found));
  BOOST_TEST((error_of(importer.run(conn, kLedger, county.id, admin, kLedgerBatchRows, {})).code == Errc::forbidden));
  BOOST_TEST(scalar("SELECT count(*) FROM cases") == 0);
}

BOOST_AUTO_TEST_CASE(columns_the_names_do_not_give_away_are_mapped_by_the_user) {
  const std::string csv = "来电时间,方式,类型,诉求内容,备注,姓名\n2026-10-08,来电,家庭暴力,用户映射的诉求,不要,钱某\n";
  // Read by names alone: 姓名 is recognised, the required four are not.
  auto header = importer.read_header(csv);
  BOOST_REQUIRE(header.has_value());
  BOOST_TEST(header->data_rows == 1);
  BOOST_TEST((header->missing == std::vector<std::string>{"received_at", "channel", "category", "summary"}));
  BOOST_TEST(header->columns.at(5).field == "name");
  BOOST_TEST(header->columns.at(0).field == "");
  BOOST_TEST(!importer.parse(conn, csv).has_value());
  // With the user's map: imported; a recognised column can be left out with "".
  const ColumnMap map = {{"来电时间", "received_at"}, {"方式", "channel"}, {"类型", "category"}, {"诉求内容", "summary"}, {"姓名", ""}};
  auto mapped = importer.read_header(csv, map);
  BOOST_REQUIRE(mapped.has_value());
  BOOST_TEST(mapped->missing.empty());
  BOOST_TEST(mapped->columns.at(5).field == "");
  auto parsed = importer.parse(conn, csv, map);
  BOOST_REQUIRE(parsed.has_value());
  BOOST_REQUIRE(parsed->rows.size() == 1u);
  BOOST_TEST((parsed->ignored_columns == std::vector<std::string>{"备注", "姓名"}));
  auto report = importer.run(conn, csv, county.id, sup);  // the command line without a map: nothing readable
  BOOST_TEST(!report.has_value());
  // An unknown field key or two columns for one field are refused whole.
  auto unknown = importer.parse(conn, csv, {{"来电时间", "when"}});
  BOOST_REQUIRE(!unknown.has_value());
  BOOST_TEST(unknown.error().fields.contains("map"));
  BOOST_TEST(!importer.read_header(csv, {{"来电时间", "when"}}).has_value());
  auto twice = importer.parse(conn, csv, {{"来电时间", "received_at"}, {"备注", "received_at"}, {"方式", "channel"},
                                          {"类型", "category"}, {"诉求内容", "summary"}});
  BOOST_REQUIRE(!twice.has_value());
  BOOST_TEST(twice.error().fields.contains("file"));
}

// A consultation ledger (咨询台账): a row with 咨询类别 is a consultation answered on the spot — a
// contact of that kind with its answer and complainant, and no case; case columns are refused on it.
BOOST_AUTO_TEST_CASE(a_row_with_a_consultation_kind_is_answered_on_the_spot_without_a_case) {
  const std::string csv =
      "登记日期,来源,问题类别,诉求,姓名,电话,处理情况,咨询类别,人数,状态,办结日期,避免经济损失\n"
      "2026-10-08 09:30,来电,离婚,咨询离婚程序,张某,13800138000,告知诉讼离婚程序,法律咨询,1,,,\n"  // 2
      "2026-10-08 10:00,来访,赡养,夫妻二人咨询,,,当场疏导,婚姻家庭,2,已解答,,\n"                     // 3
      "2026-10-09,来电,其他,情绪低落,,,,心理,,,,\n"                                                    // 4
      "2026-10-09,来电,其他,咨询,,,,other,,,,\n"                                                       // 5
      "2026-10-10,来电,离婚,咨询,,,,算命,,,,\n"                                                        // 6: unknown kind
      "2026-10-10,来电,离婚,咨询,,,,法律,,办理中,,\n"                                                  // 7: a case's status
      "2026-10-10,来电,离婚,咨询,,,,法律,,,2026-10-11,\n"                                              // 8: a closure date
      "2026-10-10,来电,离婚,咨询,,,,法律,,,,100\n"                                                     // 9: losses
      "2026-10-11,来电,离婚,要求协调,,,,,,,,\n";                                                       // 10: a case
  auto r = run(csv);
  BOOST_TEST(r.imported == 5);  // lines 2-5 and 10
  std::vector<int> lines;
  for (const auto& x : r.rejected) lines.push_back(x.line);
  BOOST_TEST(lines == (std::vector<int>{6, 7, 8, 9}), boost::test_tools::per_element());
  BOOST_TEST(reason_for(r, 6).find("咨询类别") != std::string::npos);
  BOOST_TEST(reason_for(r, 7).find("状态") != std::string::npos);
  BOOST_TEST(reason_for(r, 8).find("办结日期") != std::string::npos);
  BOOST_TEST(reason_for(r, 9).find("losses") != std::string::npos);
  BOOST_TEST(scalar("SELECT count(*) FROM cases") == 1);  // only line 10 opened one
  BOOST_TEST(scalar("SELECT count(*) FROM contacts WHERE resolution = 'answered' AND case_id IS NULL") == 4);
  auto k = conn.prepare(
      "SELECT consultation_kind, persons, answer, channel, received_at FROM contacts WHERE resolution = 'answered'"
      " ORDER BY id");
  std::vector<std::string> kinds;
  while (k.step()) kinds.push_back(k.text(0));
  BOOST_TEST(kinds == (std::vector<std::string>{"legal", "marriage_family", "psychological", "other"}),
             boost::test_tools::per_element());
  auto first = conn.prepare("SELECT persons, answer, received_at FROM contacts WHERE consultation_kind = 'marriage_family'");
  BOOST_REQUIRE(first.step());
  BOOST_TEST(first.int64(0) == 2);
  BOOST_TEST(first.text(1) == "当场疏导");
  BOOST_TEST(first.int64(2) == at("2026-10-08T10:00:00+08:00"));
  // The caller is kept as intake keeps her (recognised when she calls again), on the contact alone.
  auto p = conn.prepare("SELECT p.case_id IS NULL, p.phone_hash FROM persons p JOIN contacts k ON k.id = p.contact_id"
                        " WHERE k.consultation_kind = 'legal'");
  BOOST_REQUIRE(p.step());
  BOOST_TEST(p.int64(0) == 1);
  BOOST_TEST(p.blob(1) == identity.phone_fingerprint("13800138000"));
}

BOOST_AUTO_TEST_SUITE_END()
