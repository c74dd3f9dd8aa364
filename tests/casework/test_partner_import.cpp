#include <boost/test/unit_test.hpp>

#include "casework/partner_import.hpp"
#include "casework/partner_repository.hpp"
#include "fixture.hpp"

using namespace hl;
using namespace hl::casework;

BOOST_FIXTURE_TEST_SUITE(partner_import, hl::test::CaseworkFixture)

BOOST_AUTO_TEST_CASE(good_rows_are_created_and_bad_ones_reported_with_their_line) {
  const auto before = scalar("SELECT count(*) FROM partners");
  const std::string csv =
      "\xEF\xBB\xBF名称,类型,辖区,服务,电话,联系人,办公时间,启用\r\n"
      "永兴县人民法院立案庭,法院,431023,保护令、诉讼支持,0735-5551234,王法官,8:30-17:30,是\r\n"
      "\"城关派出所, 二中队\",police,431023;431021,出警处置；告诫书,110,,,\r\n"
      ",法院,431023,,,,,\r\n"                      // line 4: no name
      "某机构,外星局,431023,,,,,\r\n"              // line 5: unknown type
      "某中心,legal_aid,43102,法律援助,,,,\r\n"   // line 6: bad region code
      "\r\n"
      "停用的调委会,调解委员会,431023,调解,,,,否\r\n";
  auto report = import_partners(conn, csv, clock.now_ms());
  BOOST_REQUIRE(report.has_value());
  BOOST_TEST(report->rows == 6);
  BOOST_TEST(report->imported == 3);
  BOOST_REQUIRE(report->rejected.size() == 3u);
  BOOST_TEST(report->rejected[0].first == 4);
  BOOST_TEST(report->rejected[0].second.find("name") != std::string::npos);
  BOOST_TEST(report->rejected[1].first == 5);
  BOOST_TEST(report->rejected[1].second.find("type") != std::string::npos);
  BOOST_TEST(report->rejected[2].first == 6);
  BOOST_TEST(scalar("SELECT count(*) FROM partners") == before + 3);
  auto police = PartnerRepository::list(conn, std::string("police"), false);
  bool found = false;
  for (const auto& p : police)
    if (p.name == "城关派出所, 二中队") {
      found = true;
      BOOST_TEST((p.region_codes == std::vector<std::string>{"431023", "431021"}));
      BOOST_TEST((p.services == std::vector<std::string>{"police_response", "warning_letter"}));
    }
  BOOST_TEST(found);
  BOOST_TEST(scalar("SELECT active FROM partners WHERE name = '停用的调委会'") == 0);
}

BOOST_AUTO_TEST_CASE(importing_the_directory_again_updates_instead_of_duplicating) {
  const std::string first = "名称,类型,电话\n永兴县妇幼保健院,卫健,0735-1111111\n";
  BOOST_REQUIRE(import_partners(conn, first, clock.now_ms()).has_value());
  const auto count = scalar("SELECT count(*) FROM partners");
  const std::string again = "名称,类型,电话,联系人\n永兴县妇幼保健院,卫健,0735-2222222,李医生\n永兴县妇幼保健院,法院,0735-3,\n";
  auto report = import_partners(conn, again, clock.now_ms());
  BOOST_REQUIRE(report.has_value());
  BOOST_TEST(report->updated == 1);
  BOOST_TEST(report->imported == 1);  // the same name with another type is another organisation
  BOOST_TEST(scalar("SELECT count(*) FROM partners") == count + 1);
  auto p = conn.prepare("SELECT phone, contact_person, version FROM partners WHERE name = '永兴县妇幼保健院' AND type = 'health'");
  BOOST_REQUIRE(p.step());
  BOOST_TEST(p.text(0) == "0735-2222222");
  BOOST_TEST(p.text(1) == "李医生");
  BOOST_TEST(p.int64(2) == 2);
}

BOOST_AUTO_TEST_CASE(an_unreadable_file_is_refused_whole) {
  BOOST_TEST(!import_partners(conn, "", clock.now_ms()).has_value());
  BOOST_TEST(!import_partners(conn, "电话,联系人\n110,张三\n", clock.now_ms()).has_value());
  BOOST_TEST(!import_partners(conn, "名称,类型\n\"未闭合,法院\n", clock.now_ms()).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
