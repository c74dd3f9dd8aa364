// Offices below the county (schema 022): a township or village women's-rights station takes the
// twelve-digit statistical code continuing its parent's, or none; levels go down the tree; case numbers
// of such offices stay unique (their code, or the nearest ancestor's and "S" with the office id).
#include <boost/test/unit_test.hpp>

#include "casework/case_search_query.hpp"
#include "casework/office_repository.hpp"
#include "fixture.hpp"

using namespace hl;
using namespace hl::casework;

namespace {

struct Levels : hl::test::CaseworkFixture {
  Result<Office> make(const char* name, const std::string& code, std::optional<std::int64_t> parent, const char* level) {
    return OfficeRepository::create(conn, name, code, parent, level, clock.now_ms());
  }
  std::string field_error(const Result<Office>& r, const char* field) {
    BOOST_REQUIRE(!r.has_value());
    auto it = r.error().fields.find(field);
    return it == r.error().fields.end() ? "" : it->second;
  }
  std::string case_no_at(const Office& o) {
    const Actor clerk = user(("clerk" + std::to_string(o.id)).c_str(), "operator", o.id, std::nullopt);
    NewCase n{o.id, "marriage_family.domestic_violence", "walk_in", "normal", "来访", "乡镇维权站接待", clock.now_ms(),
              std::nullopt, std::nullopt};
    auto c = service.open_case(conn, n, clerk);
    BOOST_REQUIRE_MESSAGE(c.has_value(), (c ? std::string() : c.error().message));
    return c->case_no;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(office_levels, Levels)

BOOST_AUTO_TEST_CASE(a_township_takes_the_twelve_digit_code_of_its_county_or_none) {
  auto township = make("樟树镇妇联", "431023101000", county.id, "township");
  BOOST_REQUIRE(township.has_value());
  BOOST_TEST(township->region_code == "431023101000");
  BOOST_TEST(!field_error(make("错县的镇", "431021102000", county.id, "township"), "region_code").empty());
  BOOST_TEST(!field_error(make("像村的镇", "431023103201", county.id, "township"), "region_code").empty());
  BOOST_TEST(!field_error(make("六位的镇", "431024", county.id, "township"), "region_code").empty());
  BOOST_TEST(!field_error(make("重复的镇", "431023101000", county.id, "township"), "region_code").empty());
  auto none = make("无代码的镇", "", county.id, "township");
  BOOST_REQUIRE(none.has_value());
  BOOST_TEST(none->region_code.empty());
  // A county still needs its six digits; a township needs a parent; levels go down.
  BOOST_TEST(!field_error(make("无代码的县", "", city.id, "county"), "region_code").empty());
  BOOST_TEST(!field_error(make("孤立的镇", "431023104000", std::nullopt, "township"), "parent_id").empty());
  BOOST_TEST(!field_error(make("县下的县", "431099", county.id, "county"), "level").empty());
}

BOOST_AUTO_TEST_CASE(a_village_station_continues_its_townships_code_or_has_none) {
  auto township = make("樟树镇妇联", "431023101000", county.id, "township");
  BOOST_REQUIRE(township.has_value());
  auto village = make("龙山村妇女维权站", "431023101201", township->id, "village");
  BOOST_REQUIRE(village.has_value());
  BOOST_TEST(!field_error(make("别镇的村", "431023102201", township->id, "village"), "region_code").empty());
  BOOST_TEST(!field_error(make("零号村", "431023101000", township->id, "village"), "region_code").empty());
  BOOST_REQUIRE(make("新村妇女维权站", "", township->id, "village").has_value());
  BOOST_TEST(!field_error(make("村下的镇", "", village->id, "township"), "level").empty());
}

BOOST_AUTO_TEST_CASE(case_numbers_of_offices_below_the_county_stay_unique_and_searchable) {
  auto township = *make("樟树镇妇联", "431023101000", county.id, "township");
  auto a = *make("甲村妇女维权站", "", township.id, "village");
  auto b = *make("乙村妇女维权站", "", township.id, "village");
  const auto t_no = case_no_at(township);
  BOOST_TEST(t_no.starts_with("431023101000-"));
  const auto a_no = case_no_at(a), b_no = case_no_at(b);
  BOOST_TEST(a_no.starts_with("431023101000-S" + std::to_string(a.id) + "-"));
  BOOST_TEST(a_no != b_no);
  const auto q = classify_search_query(t_no);
  BOOST_TEST((q.kind == SearchKind::case_number));
  BOOST_TEST(q.value == t_no);
}

BOOST_AUTO_TEST_SUITE_END()
