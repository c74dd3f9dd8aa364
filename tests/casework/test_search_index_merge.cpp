// merge_search_index (casework/case_search.hpp): a deleted search document's terms stay in the index's
// segments — here the bigram 0q of a unique "0qzj", whose leading digit makes it the first term of its
// leaf, stored whole — until the merge steps run; then they are gone, and the other documents are
// found as before.
#include <boost/test/unit_test.hpp>

#include <string>

#include "casework/case_search.hpp"
#include "fixture.hpp"

using namespace hl;
using namespace hl::casework;

namespace {

struct MergeFixture : hl::test::CaseworkFixture {
  // Every block of the index's segments, end to end.
  std::string index_bytes() {
    std::string all;
    auto st = conn.prepare("SELECT block FROM case_search_data");
    while (st.step()) all += st.opt_text(0).value_or("");
    return all;
  }
  std::int64_t found(const char* match) {
    auto st = conn.prepare("SELECT count(*) FROM case_search WHERE case_search MATCH ?1");
    st.bind_all(std::string(match));
    st.step();
    return st.int64(0);
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(search_index_merge, MergeFixture)

BOOST_AUTO_TEST_CASE(merging_removes_a_deleted_documents_terms_from_the_index) {
  // Many segments: documents written in separate transactions, as intakes are.
  for (int i = 1; i <= 40; ++i) {
    conn.exec("BEGIN");
    for (int j = 0; j < 25; ++j)
      conn.prepare("INSERT INTO case_search(rowid, body) VALUES (?1, ?2)")
          .bind_all(std::int64_t{100000 + i * 100 + j}, std::string("丈夫殴打，她住在娘家，第") + std::to_string(j) + "次来电")
          .run();
    conn.exec("COMMIT");
  }
  conn.prepare("INSERT INTO case_search(rowid, body) VALUES (?1, ?2)").bind_all(std::int64_t{7}, std::string("王芳 车牌 0qzj")).run();
  BOOST_TEST(found("\"0qzj\"") == 1);
  conn.prepare("DELETE FROM case_search WHERE rowid = ?1").bind_all(std::int64_t{7}).run();
  BOOST_TEST(found("\"0qzj\"") == 0);
  BOOST_TEST(index_bytes().find("0q") != std::string::npos);  // the control: still in the segments

  int steps = 0;
  for (bool start = true; merge_search_index(conn, start, 50); start = false) BOOST_REQUIRE(++steps < 1000);
  BOOST_TEST(steps >= 1);
  BOOST_TEST(index_bytes().find("0q") == std::string::npos);
  BOOST_TEST(found("\"娘家\"") == 1000);
  BOOST_TEST(!merge_search_index(conn, false, 50));  // nothing left to do
}

BOOST_AUTO_TEST_SUITE_END()
