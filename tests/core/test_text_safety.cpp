// Invisible characters in names (core/text_rules.hpp) and CSV formula escaping (core/csv_writer.hpp):
// issue #16 findings 9 and 10.
#include <boost/test/unit_test.hpp>
#include <string>

#include "core/csv_writer.hpp"
#include "core/text_rules.hpp"

BOOST_AUTO_TEST_SUITE(text_safety)

BOOST_AUTO_TEST_CASE(format_and_control_characters_are_found_and_replaced) {
  for (const char* s : {"a\u202Eb", "a\u202Ab", "a\u2066b", "a\u200Bb", "a\u200Db", "\uFEFFa", "a\u00ADb", "a\u2028b",
                        "a\u0085b", "a\tb", "a\x7F" "b", "a\U000E0041b", "\u061Ca"}) {
    BOOST_TEST_CONTEXT(s) { BOOST_TEST(hl::has_invisible_character(s)); }
  }
  for (const char* s : {"验伤照片.png", "report-2026_v2.pdf", "Ünïcödé naïve café.txt", "😀.txt", "ａｂｃ.txt"})
    BOOST_TEST_CONTEXT(s) { BOOST_TEST(!hl::has_invisible_character(s)); }
  BOOST_TEST(hl::replace_invisible_characters("invoice\u202Etxt.hta", "_") == "invoice_txt.hta");
  BOOST_TEST(hl::replace_invisible_characters("验伤\u200B照片", "_") == "验伤_照片");
}

BOOST_AUTO_TEST_CASE(csv_text_starting_like_a_formula_gets_a_quote_and_numbers_do_not) {
  auto text = [](std::string_view s) {
    std::string out;
    hl::append_csv_text(out, s);
    return out;
  };
  BOOST_TEST(text("=1+1") == "'=1+1");
  BOOST_TEST(text("+86 138") == "'+86 138");
  BOOST_TEST(text("-cmd") == "'-cmd");
  BOOST_TEST(text("@SUM(A1)") == "'@SUM(A1)");
  BOOST_TEST(text("\t=1") == "'\t=1");
  BOOST_TEST(text("\r=1") == "\"'\r=1\"");
  BOOST_TEST(text("＠x") == "'＠x");
  BOOST_TEST(text("=A1,\"x\"") == "\"'=A1,\"\"x\"\"\"");
  BOOST_TEST(text("郴州市妇联") == "郴州市妇联");
  BOOST_TEST(text("a=b") == "a=b");
  BOOST_TEST(text("") == "");
  std::string out;
  hl::append_csv_number(out, "-12.50");
  BOOST_TEST(out == "-12.50");
}

BOOST_AUTO_TEST_SUITE_END()
