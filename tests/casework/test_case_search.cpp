// The case list's one search box (issue #15): what a query is taken for, what each kind finds within
// the actor's scope, and that a number is found through an index, not by scanning the cases.
#include <boost/test/unit_test.hpp>

#include <sqlite3.h>

#include <array>
#include <string>
#include <vector>

#include "casework/case_query.hpp"
#include "casework/case_search.hpp"
#include "casework/case_search_query.hpp"
#include "casework/contact_repository.hpp"
#include "casework/person_numbers.hpp"
#include "core/crypto/field_cipher.hpp"
#include "core/crypto/keyed_hash.hpp"
#include "core/db/transaction.hpp"
#include "fixture.hpp"

using namespace hl;
using namespace hl::casework;
using hl::test::CaseworkFixture;

namespace {

std::array<unsigned char, 32> key(unsigned char seed) {
  std::array<unsigned char, 32> k{};
  k.fill(seed);
  return k;
}

// The SQL text of every statement run on a connection while it lives, and the virtual-machine steps
// they took (sqlite3_trace_v2): what a query plan and its cost are checked on.
class StatementTrace {
 public:
  explicit StatementTrace(db::Connection& conn) : db_(conn.raw()) {
    sqlite3_trace_v2(db_, SQLITE_TRACE_STMT | SQLITE_TRACE_PROFILE, &StatementTrace::on_trace, this);
  }
  ~StatementTrace() { sqlite3_trace_v2(db_, 0, nullptr, nullptr); }
  StatementTrace(const StatementTrace&) = delete;
  StatementTrace& operator=(const StatementTrace&) = delete;

  std::vector<std::string> sql;
  long vm_steps = 0;

 private:
  static int on_trace(unsigned kind, void* self, void* p, void* x) {
    auto* t = static_cast<StatementTrace*>(self);
    if (kind == SQLITE_TRACE_STMT) {
      const std::string text = static_cast<const char*>(x);
      if (!text.starts_with("--")) t->sql.push_back(text);
    } else if (kind == SQLITE_TRACE_PROFILE) {
      t->vm_steps += sqlite3_stmt_status(static_cast<sqlite3_stmt*>(p), SQLITE_STMTSTATUS_VM_STEP, 1);
    }
    return 0;
  }
  sqlite3* db_;
};

struct SearchFixture : CaseworkFixture {
  crypto::FieldCipher cipher{key(3)};
  crypto::KeyedHash hash{key(4)};
  PersonIdentity identity{cipher, hash};

  // A call on the case from a complainant with this phone and ID number (empty: none), stored the
  // way intake stores them.
  void add_caller(const CaseRecord& c, const std::string& phone, const std::string& id_number, const std::string& name) {
    NewContact contact;
    contact.office_id = c.office_id;
    contact.case_id = c.id;
    contact.channel = "hotline";
    contact.resolution = "open_case";
    contact.received_at = c.received_at;
    contact.created_at = c.received_at;
    const auto contact_id = ContactRepository::insert(conn, contact);
    NewPerson p;
    p.role = "complainant";
    p.name = name;
    if (!phone.empty()) p.phone = identity.protect_phone(*normalize_phone(phone));
    if (!id_number.empty()) p.id_number = identity.protect_id_number(normalize_id_number(id_number));
    ContactRepository::insert_person(conn, contact_id, c.id, p);
    refresh_search_document(conn, c.id);  // the name, as intake does
  }

  std::vector<std::int64_t> found(const std::string& q, const Actor& who) {
    CaseFilter f;
    f.q = q;
    auto page = CaseQuery::list(conn, f, who, clock.now_ms(), identity);
    BOOST_REQUIRE_MESSAGE(page.has_value(), (page ? std::string() : page.error().message));
    std::vector<std::int64_t> ids;
    for (const auto& s : page->items) ids.push_back(s.record.id);
    return ids;
  }

  // "SCAN" lines of the plans of the statements traced, except over the small per-office tables.
  std::vector<std::string> scans(const StatementTrace& trace) {
    std::vector<std::string> out;
    for (const auto& sql : trace.sql) {
      auto st = conn.prepare("EXPLAIN QUERY PLAN " + sql);
      while (st.step()) {
        const std::string detail = st.text(3);
        // case_counters (n), offices (o) and the per-office counts (case_counts, k there) hold a
        // row or a few per office, not per case.
        const bool small_table = detail.starts_with("SCAN n") || detail.starts_with("SCAN o") ||
                                 detail.starts_with("SCAN case_counts") ||
                                 (sql.find("FROM case_counts k") != std::string::npos && detail.starts_with("SCAN k"));
        if (detail.starts_with("SCAN") && !small_table) out.push_back(detail + "   in: " + sql);
      }
    }
    return out;
  }
};

using V = std::vector<std::int64_t>;

}  // namespace

BOOST_AUTO_TEST_SUITE(case_search_query)

BOOST_AUTO_TEST_CASE(each_kind_of_query_is_recognised) {
  struct Row {
    const char* q;
    SearchKind kind;
    const char* value;
  };
  const Row rows[] = {
      {"13800138000", SearchKind::phone, "13800138000"},
      {" 138 0013 8000 ", SearchKind::phone, "13800138000"},
      {"+86 138-0013-8000", SearchKind::phone, "13800138000"},
      {"＋８６１３８００１３８０００", SearchKind::phone, "13800138000"},
      {"0735-5223344", SearchKind::phone, "07355223344"},
      {"(0735) 522 3344", SearchKind::phone, "07355223344"},
      {"43102319900101002x", SearchKind::id_number, "43102319900101002X"},
      {"431023 19900101 0023", SearchKind::id_number, "431023199001010023"},
      {"431023900101002", SearchKind::id_number, "431023900101002"},
      {"008613800138000", SearchKind::phone, "13800138000"},  // 15 digits, but no valid legacy ID
      {"431023-2026-000242", SearchKind::case_number, "431023-2026-000242"},
      {"12338", SearchKind::text, "12338"},       // a service number is a word here
      {"110", SearchKind::text, "110"},
      {"1380013800", SearchKind::text, "1380013800"},  // ten digits starting 1: no phone
      {"张某某", SearchKind::text, "张某某"},
      {"2026-00024", SearchKind::text, "2026-00024"},
      {"", SearchKind::text, ""},
  };
  for (const auto& r : rows) {
    BOOST_TEST_CONTEXT("query '" << r.q << "'") {
      const auto s = classify_search_query(r.q);
      BOOST_TEST(static_cast<int>(s.kind) == static_cast<int>(r.kind));
      BOOST_TEST(s.value == r.value);
    }
  }
  const auto tail = classify_search_query("2026-000242");
  BOOST_TEST(static_cast<int>(tail.kind) == static_cast<int>(SearchKind::case_number));
  BOOST_TEST(tail.year.value_or(0) == 2026);
  BOOST_TEST(tail.serial == "000242");
  const auto serial = classify_search_query("000242");
  BOOST_TEST(static_cast<int>(serial.kind) == static_cast<int>(SearchKind::case_number));
  BOOST_TEST(!serial.year.has_value());
  BOOST_TEST(serial.serial == "000242");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(case_search, SearchFixture)

BOOST_AUTO_TEST_CASE(numbers_find_their_cases_in_the_actors_scope_only) {
  const auto mine = open();  // 431023-2026-000001
  const auto second = open();
  const auto theirs = open("marriage_family.domestic_violence", other_county.id);  // 431021-2026-000001
  add_caller(mine, "13800138000", "43102319900101003X", "王芳");
  add_caller(second, "0735-5223344", "", "李梅");
  add_caller(theirs, "13800138000", "43102319900101003X", "王芳");
  BOOST_REQUIRE(mine.case_no == "431023-2026-000001");

  for (const char* phone : {"13800138000", "138 0013 8000", "+86 138-0013-8000", "008613800138000"})
    BOOST_TEST(found(phone, op) == V{mine.id}, phone);
  BOOST_TEST(found("0735 5223344", op) == V{second.id});
  BOOST_TEST(found("43102319900101003x", op) == V{mine.id});
  BOOST_TEST(found("431023199001010031", op).empty());  // a wrong check character matches nothing
  BOOST_TEST(found("431023-2026-000001", op) == V{mine.id});
  BOOST_TEST(found("2026-000002", op) == V{second.id});
  BOOST_TEST(found("000002", op) == V{second.id});
  BOOST_TEST(found("2025-000001", op).empty());
  BOOST_TEST(found("000003", op).empty());
  // The other county's operator finds her own case by the same phone, ID and serial, never ours.
  BOOST_TEST(found("13800138000", other_op) == V{theirs.id});
  BOOST_TEST(found("43102319900101003X", other_op) == V{theirs.id});
  BOOST_TEST(found("000001", other_op) == V{theirs.id});
  BOOST_TEST(found("431023-2026-000001", other_op).empty());
  BOOST_TEST(found("000002", other_op).empty());
  // The city supervisor sees both counties: both cases of the shared number, newest first.
  BOOST_TEST(found("13800138000", city_sup) == (V{theirs.id, mine.id}));
  BOOST_TEST(found("000001", city_sup) == (V{theirs.id, mine.id}));
  // Words still search names, summaries and narratives.
  BOOST_TEST(found("王芳", op) == V{mine.id});
  BOOST_TEST(found("保护令", op) == (V{second.id, mine.id}));
}

BOOST_AUTO_TEST_CASE(a_number_is_found_through_an_index_not_a_scan) {
  CaseRecord target;
  {
    db::Transaction tx(conn);
    for (int i = 0; i < 3000; ++i) {
      auto c = open();
      if (i % 3 == 0) add_caller(c, "139" + std::to_string(10000000 + i), "", "来电人");
    }
    target = open();
    add_caller(target, "13800138000", "43102319900101003X", "王芳");
    open("marriage_family.domestic_violence", other_county.id);
    tx.commit();
  }
  const std::string number = target.case_no;  // 431023-2026-003001
  for (const auto* who : {&op, &other_op, &city_sup}) {
    for (const std::string& q : {std::string("13800138000"), std::string("43102319900101003X"), number,
                                number.substr(7), number.substr(12)}) {
      BOOST_TEST_CONTEXT("query " << q << " by " << who->office_path) {
        StatementTrace trace(conn);
        const auto ids = found(q, *who);
        BOOST_TEST(ids == (who == &other_op ? V{} : V{target.id}));
        BOOST_TEST(scans(trace) == std::vector<std::string>{});
        // A scan of the 3,000 cases would take several steps per case.
        BOOST_TEST(trace.vm_steps < 1500);
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
