// The case list's plans for large scopes and the per-office counters behind its counts (schema 008):
// whichever plan runs, the page and the counts are what a plain scan says they are.
#include <boost/test/unit_test.hpp>

#include <array>
#include <map>
#include <string>
#include <vector>

#include "casework/case_edits.hpp"
#include "casework/case_query.hpp"
#include "casework/case_repository.hpp"
#include "core/crypto/field_cipher.hpp"
#include "core/crypto/keyed_hash.hpp"
#include "core/db/transaction.hpp"
#include "fixture.hpp"

using namespace hl;
using namespace hl::casework;
using hl::test::CaseworkFixture;

namespace {

struct QueryFixture : CaseworkFixture {
  crypto::FieldCipher cipher{test_key(1)};
  crypto::KeyedHash hash{test_key(2)};
  PersonIdentity identity{cipher, hash};
  static std::array<unsigned char, 32> test_key(unsigned char seed) {
    std::array<unsigned char, 32> key{};
    key.fill(seed);
    return key;
  }
  // The counts a full scan gives for a subtree, per status (for a category prefix when given).
  std::map<std::string, std::int64_t> scanned_counts(const std::string& path, const std::string& category = "") {
    std::map<std::string, std::int64_t> out;
    auto st = conn.prepare(
        "SELECT status, count(*) FROM cases WHERE office_path >= ?1 AND office_path < ?2 AND category LIKE ?3 || '%'"
        " GROUP BY status");
    st.bind_all(path, subtree_upper_bound(path), category);
    while (st.step()) out[st.text(0)] = st.int64(1);
    return out;
  }
  // The ids a plain ordered scan gives: the expected first page.
  std::vector<std::int64_t> scanned_page(const std::string& path, const std::string& status, int limit) {
    std::vector<std::int64_t> out;
    auto st = conn.prepare(
        "SELECT id FROM cases WHERE office_path >= ?1 AND office_path < ?2 AND (?3 = '' OR status = ?3)"
        " ORDER BY received_at DESC, id DESC LIMIT ?4");
    st.bind_all(path, subtree_upper_bound(path), status, limit);
    while (st.step()) out.push_back(st.int64(0));
    return out;
  }
  std::vector<std::int64_t> page_ids(const CasePage& p) {
    std::vector<std::int64_t> out;
    for (const auto& s : p.items) out.push_back(s.record.id);
    return out;
  }
  std::map<std::string, std::int64_t> counter_table() {
    std::map<std::string, std::int64_t> out;
    auto st = conn.prepare("SELECT office_id || ':' || status || ':' || category, n FROM case_counts WHERE n <> 0");
    while (st.step()) out[st.text(0)] = st.int64(1);
    return out;
  }
  std::map<std::string, std::int64_t> counted_by_scan() {
    std::map<std::string, std::int64_t> out;
    auto st = conn.prepare("SELECT office_id || ':' || status || ':' || category, count(*) FROM cases GROUP BY office_id, status, category");
    while (st.step()) out[st.text(0)] = st.int64(1);
    return out;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(case_query, QueryFixture)

BOOST_AUTO_TEST_CASE(the_counters_follow_every_insert_transition_and_transfer) {
  auto a = open();
  auto b = open();
  open("marriage_family.divorce", other_county.id);
  a = must(service.apply(conn, a.id, a.version, CaseEvent::accept, op, notice()));
  must(service.apply(conn, b.id, b.version, CaseEvent::forward, op,
                     notice({{"target_office_id", std::to_string(other_county.id)}, {"reason", "转当地"}})));
  a = reply(a, op);
  a = must(service.apply(conn, a.id, a.version, CaseEvent::request_closure, op,
                         {{"outcome", "resolved"}, {"summary", "已解决"}, {"losses_avoided_fen", "0"}}));
  CasePatch recategorise;
  recategorise.category = "marriage_family.divorce";
  must(CaseEdits(clock).patch(conn, a.id, a.version, recategorise, op));
  BOOST_TEST(counter_table() == counted_by_scan());
}

BOOST_AUTO_TEST_CASE(a_wide_scope_lists_and_counts_exactly_what_a_scan_gives) {
  // Enough cases for the wide-scope plan (≥ 5000 in scope and ≥ 1 % of all), in several statuses
  // and received at interleaved times in both counties.
  {
    db::Transaction tx(conn);
    for (int i = 0; i < 5200; ++i) {
      const bool here = i % 3 != 0;
      NewCase n{here ? county.id : other_county.id, i % 4 ? "marriage_family.domestic_violence" : "labour.wages_insurance", "hotline", "normal",
                i % 2 ? "丈夫家暴求助" : "邻里纠纷", "来电",
                clock.now_ms() - static_cast<TimeMs>((i * 7919) % 100000) * 60000, std::nullopt, std::nullopt};
      auto c = must(service.open_case(conn, n, here ? op : other_op));
      if (i % 5 == 0) must(service.apply(conn, c.id, c.version, CaseEvent::accept, here ? op : other_op, notice()));
    }
    tx.commit();
  }
  BOOST_TEST(counter_table() == counted_by_scan());
  for (const auto* who : {&city_sup, &sup}) {
    for (std::string status : {"", "registered", "in_progress"}) {
      BOOST_TEST_CONTEXT("scope " << who->office_path << " status '" << status << "'") {
        CaseFilter f;
        if (!status.empty()) f.status = status;
        f.limit = 50;
        auto page = CaseQuery::list(conn, f, *who, clock.now_ms(), identity);
        BOOST_REQUIRE(page.has_value());
        BOOST_TEST(page_ids(*page) == scanned_page(who->office_path, status, 50));
        BOOST_TEST(page->counts == scanned_counts(who->office_path));
        BOOST_TEST(page->counts_exact);
        // The second page continues where the first ended.
        f.cursor = page->next_cursor.value_or("");
        auto next = CaseQuery::list(conn, f, *who, clock.now_ms(), identity);
        BOOST_REQUIRE(next.has_value());
        auto both = scanned_page(who->office_path, status, 100);
        std::vector<std::int64_t> second(both.begin() + 50, both.end());
        BOOST_TEST(page_ids(*next) == second);
      }
    }
    for (std::string category : {"marriage_family.domestic_violence", "marriage_family", "labour"}) {
      BOOST_TEST_CONTEXT("scope " << who->office_path << " category " << category) {
        CaseFilter f;
        f.category = category;
        auto page = CaseQuery::list(conn, f, *who, clock.now_ms(), identity);
        BOOST_REQUIRE(page.has_value());
        BOOST_TEST(page->counts == scanned_counts(who->office_path, category));
      }
    }
    // Deadline first: open cases by their running deadline, the rest after.
    CaseFilter due;
    due.sort = CaseSort::due_asc;
    due.limit = 40;
    auto by_due = CaseQuery::list(conn, due, *who, clock.now_ms(), identity);
    BOOST_REQUIRE(by_due.has_value());
    std::vector<std::int64_t> expected;
    auto st = conn.prepare(
        "SELECT id FROM cases WHERE office_path >= ?1 AND office_path < ?2"
        " ORDER BY coalesce(next_due, 9000000000000000), id LIMIT 40");
    st.bind_all(who->office_path, subtree_upper_bound(who->office_path));
    while (st.step()) expected.push_back(st.int64(0));
    BOOST_TEST(page_ids(*by_due) == expected);
  }
}

BOOST_AUTO_TEST_CASE(a_search_with_many_matches_lists_the_newest_matches_without_counting_them) {
  std::vector<std::int64_t> matching;
  {
    db::Transaction tx(conn);
    for (int i = 0; i < 4500; ++i) {
      NewCase n{county.id, "marriage_family.domestic_violence", "hotline", "normal", i % 2 ? "丈夫家暴求助" : "邻里纠纷",
                "来电", clock.now_ms() - static_cast<TimeMs>((i * 7919) % 100000) * 60000, std::nullopt, std::nullopt};
      must(service.open_case(conn, n, op));
    }
    // A rare phrase: 12 cases, 3 of them accepted.
    for (int i = 0; i < 12; ++i) {
      NewCase n{county.id, "marriage_family.domestic_violence", "hotline", "normal", "抚养费纠纷求助", "来电",
                clock.now_ms() - static_cast<TimeMs>(i * 5000 + 30) * 60000 - 30000, std::nullopt, std::nullopt};
      auto c = must(service.open_case(conn, n, op));
      if (i % 4 == 0) must(service.apply(conn, c.id, c.version, CaseEvent::accept, op, notice()));
    }
    tx.commit();
  }
  auto st = conn.prepare("SELECT id FROM cases WHERE summary LIKE '%家暴%' ORDER BY received_at DESC, id DESC LIMIT 30");
  while (st.step()) matching.push_back(st.int64(0));
  CaseFilter f;
  f.q = "家暴";
  f.limit = 30;
  auto page = CaseQuery::list(conn, f, sup, clock.now_ms(), identity);
  BOOST_REQUIRE(page.has_value());
  BOOST_TEST(!page->counts_exact);  // 2250 matches: more than the count cap
  BOOST_TEST(page->counts.empty());
  BOOST_TEST(page_ids(*page) == matching);
  // A longer phrase is no rarer when it is in as many cases: 邻里纠纷 is in 2250, not counted either.
  f.q = "邻里纠纷";
  auto common = CaseQuery::list(conn, f, sup, clock.now_ms(), identity);
  BOOST_REQUIRE(common.has_value());
  BOOST_TEST(!common->counts_exact);
  BOOST_TEST(common->counts.empty());
  // A rare phrase (12 cases, far below the 2,000 cap) is counted exactly and listed whole.
  f.q = "抚养费";
  auto rare = CaseQuery::list(conn, f, sup, clock.now_ms(), identity);
  BOOST_REQUIRE(rare.has_value());
  BOOST_TEST(rare->counts_exact);
  BOOST_TEST((rare->counts == std::map<std::string, std::int64_t>{{"registered", 9}, {"in_progress", 3}}));
  std::vector<std::int64_t> rare_ids;
  auto rare_scan = conn.prepare("SELECT id FROM cases WHERE summary LIKE '%抚养费%' ORDER BY received_at DESC, id DESC");
  while (rare_scan.step()) rare_ids.push_back(rare_scan.int64(0));
  BOOST_TEST(rare_ids.size() == 12u);
  BOOST_TEST(page_ids(*rare) == rare_ids);
  f.q = "不存在的词语";
  auto none = CaseQuery::list(conn, f, sup, clock.now_ms(), identity);
  BOOST_REQUIRE(none.has_value());
  BOOST_TEST(none->counts_exact);
  BOOST_TEST(none->items.empty());
}

BOOST_AUTO_TEST_SUITE_END()
