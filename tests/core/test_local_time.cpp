#include <boost/test/unit_test.hpp>

#include "core/json_text.hpp"
#include "core/local_time.hpp"

using namespace hl;

BOOST_AUTO_TEST_SUITE(local_time)

BOOST_AUTO_TEST_CASE(shanghai_dates_roll_over_at_16_utc) {
  const TimeMs t = *parse_iso8601("2026-01-31T15:59:59Z");
  BOOST_TEST((local_date(t) == LocalDate{2026, 1, 31}));
  BOOST_TEST((local_date(t + 1000) == LocalDate{2026, 2, 1}));
  BOOST_TEST(format_iso8601(t + 1000) == "2026-02-01T00:00:00+08:00");
}

BOOST_AUTO_TEST_CASE(parses_offsets_fractions_and_bare_dates) {
  BOOST_TEST(*parse_iso8601("2026-11-23T09:30:00+08:00") == *parse_iso8601("2026-11-23T01:30:00Z"));
  BOOST_TEST(*parse_iso8601("2026-11-23T09:30:00.250+08:00") - *parse_iso8601("2026-11-23T09:30:00+08:00") == 250);
  BOOST_TEST(*parse_iso8601("2026-11-23") == start_of_local_day({2026, 11, 23}));
  BOOST_TEST(format_iso8601(*parse_iso8601("2026-11-23T09:30:00+08:00")) == "2026-11-23T09:30:00+08:00");
}

BOOST_AUTO_TEST_CASE(rejects_malformed_times) {
  for (const char* bad : {"", "2026-13-01", "2026-02-30", "2026-11-23T25:00:00+08:00", "2026-11-23T09:30:00",
                          "2026-11-23T09:30:00+0800", "yesterday", "2026-11-23T09:30:00+08:00trailing"})
    BOOST_TEST(!parse_iso8601(bad).has_value(), bad);
}

BOOST_AUTO_TEST_CASE(day_arithmetic_across_month_year_and_leap_day) {
  BOOST_TEST((add_days({2026, 1, 20}, 15) == LocalDate{2026, 2, 4}));
  BOOST_TEST((add_days({2028, 2, 20}, 15) == LocalDate{2028, 3, 6}));  // 2028 is a leap year
  BOOST_TEST((add_days({2026, 12, 25}, 15) == LocalDate{2027, 1, 9}));
  BOOST_TEST(local_days_between(*parse_iso8601("2026-11-01T23:59:00+08:00"), *parse_iso8601("2026-11-02T00:01:00+08:00")) == 1);
  BOOST_TEST(end_of_local_day({2026, 11, 23}) + 1 == start_of_local_day({2026, 11, 24}));
}

BOOST_AUTO_TEST_CASE(json_text_escapes_and_repairs_utf8) {
  BOOST_TEST(json_quote("a\"b\\c\n\x01") == "\"a\\\"b\\\\c\\n\\u0001\"");
  BOOST_TEST(json_quote("家暴") == "\"家暴\"");
  BOOST_TEST(json_quote("\xff") == "\"\xEF\xBF\xBD\"");
  BOOST_TEST(json_object({{"b", "2"}, {"a", "1"}}) == "{\"a\":\"1\",\"b\":\"2\"}");
}

BOOST_AUTO_TEST_SUITE_END()
