#include <sqlite3.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "core/crypto/random.hpp"
#include "core/db/bigram_tokenizer.hpp"
#include "core/db/connection.hpp"
#include "core/db/db_error.hpp"

namespace {

namespace fs = std::filesystem;

// A database file in the temp directory, removed (with its WAL files) at the end of the test.
struct TempDb {
  fs::path path = fs::temp_directory_path() / ("hl_bigram_" + hl::crypto::random_token_hex(8) + ".db");
  hl::db::Connection conn = hl::db::Connection::open(path.string());
  ~TempDb() {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path.string() + suffix);
  }
};

struct Token {
  std::string text;
  int start;
  int end;
  bool operator==(const Token&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Token& t) {
  return os << '{' << t.text << ',' << t.start << ',' << t.end << '}';
}

// Runs the registered "bigram" tokenizer directly, as FTS5 would, and collects what it emits.
std::vector<Token> tokenize(sqlite3* db, std::string_view text) {
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  BOOST_REQUIRE_EQUAL(sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr), SQLITE_OK);
  sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
  sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  BOOST_REQUIRE(api != nullptr);
  void* ctx = nullptr;
  fts5_tokenizer tok{};
  BOOST_REQUIRE_EQUAL(api->xFindTokenizer(api, "bigram", &ctx, &tok), SQLITE_OK);
  Fts5Tokenizer* instance = nullptr;
  BOOST_REQUIRE_EQUAL(tok.xCreate(ctx, nullptr, 0, &instance), SQLITE_OK);
  std::vector<Token> out;
  // Copy into an exactly sized heap buffer so that a read past nText shows up under ASan.
  std::vector<char> buf(text.begin(), text.end());
  const int rc = tok.xTokenize(
      instance, &out, FTS5_TOKENIZE_DOCUMENT, buf.data(), static_cast<int>(buf.size()),
      [](void* p, int, const char* t, int n, int s, int e) {
        static_cast<std::vector<Token>*>(p)->push_back({std::string(t, static_cast<std::size_t>(n)), s, e});
        return SQLITE_OK;
      });
  tok.xDelete(instance);
  BOOST_REQUIRE_EQUAL(rc, SQLITE_OK);
  return out;
}

struct SearchDb : TempDb {
  SearchDb() {
    conn.exec("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='bigram')");
    for (const char* body : {
             "她长期遭受家暴，要求离婚",       // rowid 1
             "Zhang Wei 13800138000",           // rowid 2
             "家里有暴力倾向的人离开了",         // rowid 3: 家 and 暴 never adjacent, nor 暴 and 离
             "He said \"OR\" twice * then left",  // rowid 4
         })
      conn.prepare("INSERT INTO t(body) VALUES (?1)").bind(1, body).run();
  }

  // Rowids matching the user's text, in order; empty when the text yields no query.
  std::vector<std::int64_t> search(std::string_view user_text) {
    const std::string query = hl::db::fts_query_from_user_text(user_text);
    std::vector<std::int64_t> ids;
    if (query.empty()) return ids;
    auto st = conn.prepare("SELECT rowid FROM t WHERE t MATCH ?1 ORDER BY rowid");
    st.bind(1, query);
    while (st.step()) ids.push_back(st.int64(0));
    return ids;
  }
};

using Ids = std::vector<std::int64_t>;

}  // namespace

BOOST_AUTO_TEST_SUITE(bigram_tokenizer)

BOOST_AUTO_TEST_CASE(emits_overlapping_bigrams_with_byte_offsets) {
  TempDb db;
  const std::vector<Token> expected{{"家暴", 0, 6}, {"暴离", 3, 9}, {"离婚", 6, 12}};
  BOOST_TEST(tokenize(db.conn.raw(), "家暴离婚") == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(folds_ascii_case_and_breaks_runs_at_space_and_punctuation) {
  TempDb db;
  const std::vector<Token> expected{{"ab", 0, 2}, {"x", 3, 4}, {"离婚", 7, 13}, {"1", 16, 17}};
  // "AB x，离婚。1": the full-width comma and the ideographic full stop are 3 bytes each.
  BOOST_TEST(tokenize(db.conn.raw(), "AB x，离婚。1") == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(full_width_digits_and_letters_fold_to_ascii) {
  TempDb db;
  const std::vector<Token> expected{{"13", 0, 6}, {"3a", 3, 9}};
  BOOST_TEST(tokenize(db.conn.raw(), "１３Ａ") == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(malformed_utf8_is_a_separator_and_never_read_past_the_end) {
  TempDb db;
  // 0xFF is never valid; "\xE5\xAE" is 家 cut short at the very end of the buffer.
  const std::vector<Token> expected{{"ab", 0, 2}, {"cd", 3, 5}};
  BOOST_TEST(tokenize(db.conn.raw(), "ab\xFF" "cd\xE5\xAE") == expected, boost::test_tools::per_element());
  // Overlong encoding of '/' and an encoded surrogate are rejected, not decoded.
  BOOST_TEST(tokenize(db.conn.raw(), "\xC0\xAF\xED\xA0\x80").empty());
  // Arbitrary bytes: no crash, and every offset stays inside the input.
  std::string noise;
  for (int i = 0; i < 4096; ++i) noise.push_back(static_cast<char>((i * 7919) % 256));
  for (const Token& t : tokenize(db.conn.raw(), noise)) {
    BOOST_TEST(t.start >= 0);
    BOOST_TEST(t.end <= static_cast<int>(noise.size()));
    BOOST_TEST(t.start < t.end);
  }
}

BOOST_AUTO_TEST_CASE(finds_two_character_chinese_words_and_longer_substrings) {
  SearchDb db;
  BOOST_TEST(db.search("家暴") == (Ids{1}), boost::test_tools::per_element());
  BOOST_TEST(db.search("离婚") == (Ids{1}), boost::test_tools::per_element());
  BOOST_TEST(db.search("遭受家暴") == (Ids{1}), boost::test_tools::per_element());
  BOOST_TEST(db.search("长期遭受家暴") == (Ids{1}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(does_not_match_characters_that_are_not_adjacent) {
  SearchDb db;
  // Row 1 has 家暴 and 离婚 but not 暴离; row 3 has 家, 暴 and 离 apart.
  BOOST_TEST(db.search("暴离").empty());
  BOOST_TEST(db.search("家暴离婚").empty());
  BOOST_TEST(db.search("暴力") == (Ids{3}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(finds_latin_names_and_digit_substrings_in_any_case) {
  SearchDb db;
  BOOST_TEST(db.search("zhang") == (Ids{2}), boost::test_tools::per_element());
  BOOST_TEST(db.search("ZHANG") == (Ids{2}), boost::test_tools::per_element());
  BOOST_TEST(db.search("zHaNg wei") == (Ids{2}), boost::test_tools::per_element());
  BOOST_TEST(db.search("3800") == (Ids{2}), boost::test_tools::per_element());
  BOOST_TEST(db.search("１３８００") == (Ids{2}), boost::test_tools::per_element());
  BOOST_TEST(db.search("zhang 家暴").empty());  // terms are ANDed
}

BOOST_AUTO_TEST_CASE(one_character_queries_yield_no_query) {
  BOOST_TEST(hl::db::fts_query_from_user_text("家") == "");
  BOOST_TEST(hl::db::fts_query_from_user_text("  a  b ") == "");
  BOOST_TEST(hl::db::fts_query_from_user_text("") == "");
  BOOST_TEST(hl::db::fts_query_from_user_text("\"\" ** ！") == "");
  SearchDb db;
  BOOST_TEST(db.search("家").empty());
}

BOOST_AUTO_TEST_CASE(builds_quoted_phrases_joined_by_and) {
  BOOST_TEST(hl::db::fts_query_from_user_text("家暴　离婚") == "\"家暴\" AND \"离婚\"");  // U+3000 space
  BOOST_TEST(hl::db::fts_query_from_user_text("say\"hi\"") == "\"say\"\"hi\"\"\"");
}

BOOST_AUTO_TEST_CASE(quotes_stars_and_operators_in_user_text_cannot_break_the_query) {
  SearchDb db;
  for (const char* hostile : {"\"", "\"家暴", "家暴\"", "家暴*", "* OR *", "OR", "NOT 家暴", "a\" OR \"b",
                              "body:家暴", "NEAR(家暴 离婚)", "(家暴", "家暴) OR (1", "\"\"\"\"", "^家暴", "-- 家暴"}) {
    BOOST_TEST_CONTEXT("user text: " << hostile) {
      BOOST_CHECK_NO_THROW(db.search(hostile));
    }
  }
  // "OR" is a word to look for, not an operator: only the row containing it matches.
  BOOST_TEST(db.search("OR") == (Ids{4}), boost::test_tools::per_element());
  BOOST_TEST(db.search("家暴 OR zhang").empty());
  BOOST_TEST(db.search("家暴*") == (Ids{1}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(random_hostile_user_text_always_yields_a_valid_query) {
  SearchDb db;
  const std::vector<std::string> pieces{"\"", "*", "(", ")", ":", "^", "-", "+", " ", "OR", "NOT", "AND", "NEAR",
                                        "家", "暴", "a", "b", "\xFF", "\xE5", std::string(1, '\0'), "\t", "，", "{"};
  std::mt19937 rng(20240601);  // fixed seed: a failure is reproducible
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    const int n = static_cast<int>(rng() % 12);
    for (int i = 0; i < n; ++i) text += pieces[rng() % pieces.size()];
    BOOST_TEST_CONTEXT("user text: " << text) { BOOST_CHECK_NO_THROW(db.search(text)); }
  }
}

BOOST_AUTO_TEST_CASE(random_bytes_tokenize_within_bounds) {
  TempDb db;
  std::mt19937 rng(7);
  for (int round = 0; round < 500; ++round) {
    std::string text(rng() % 40, '\0');
    // Mostly UTF-8 lead and continuation bytes, so truncated and overlong sequences are common.
    for (char& c : text) c = static_cast<char>(rng() % 3 ? 0x80 + rng() % 0x80 : rng() % 0x80);
    int last_start = -1;
    for (const Token& t : tokenize(db.conn.raw(), text)) {
      BOOST_TEST(t.start > last_start);  // in order, as FTS5 requires
      BOOST_TEST(t.end <= static_cast<int>(text.size()));
      last_start = t.start;
    }
  }
}

BOOST_AUTO_TEST_CASE(malformed_utf8_in_user_text_and_documents_does_not_crash) {
  SearchDb db;
  const std::string bad = "\xFF\xFE家暴\xC3\x28\xE5\xAE";
  db.conn.prepare("INSERT INTO t(body) VALUES (?1)").bind(1, bad).run();
  BOOST_CHECK_NO_THROW(db.search(bad));
  BOOST_TEST(db.search(bad) == (Ids{1, 5}), boost::test_tools::per_element());
  const std::string query = hl::db::fts_query_from_user_text(bad);
  BOOST_TEST(query.find('\xFF') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(rejects_tokenizer_arguments) {
  TempDb db;
  BOOST_CHECK_THROW(db.conn.exec("CREATE VIRTUAL TABLE u USING fts5(body, tokenize='bigram extra')"),
                    hl::db::DbError);
}

BOOST_AUTO_TEST_SUITE_END()
