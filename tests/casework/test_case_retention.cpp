// Retention (casework/case_retention.hpp): a case archived longer than the retention period loses its
// personal data and free text — people, notes, attachments, event notes and free-text payload keys —
// and keeps what is counted (the period report gives the same figures before and after); a legal hold
// stops it until released; who may hold, and the refusals.
#include <boost/test/unit_test.hpp>

#include <string>

#include "casework/case_retention.hpp"
#include "casework/period_report.hpp"
#include "fixture.hpp"

using namespace hl;
using namespace hl::casework;

namespace {

constexpr TimeMs kDay = 86'400'000;

struct RetentionFixture : hl::test::CaseworkFixture {
  std::int64_t count(const std::string& sql, std::int64_t id) {
    auto st = conn.prepare(sql);
    st.bind_all(id);
    return st.step() ? st.int64(0) : -1;
  }
  std::string text(const std::string& sql, std::int64_t id) {
    auto st = conn.prepare(sql);
    st.bind_all(id);
    return st.step() ? st.opt_text(0).value_or("<null>") : "<none>";
  }
  // A case with a victim's name and numbers, a note, a reply (its basis is free text), archived
  // `days_ago` days ago.
  CaseRecord archived_case(int days_ago) {
    auto c = open();
    conn.prepare("INSERT INTO contacts(office_id, case_id, channel, received_at, created_at, summary, narrative)"
                 " VALUES (?1, ?2, 'hotline', ?3, ?3, '丈夫殴打', '她说昨晚又被打了')")
        .bind_all(county.id, c.id, clock.now_ms())
        .run();
    conn.prepare("INSERT INTO persons(contact_id, case_id, role, name, relationship, phone_enc, phone_hash, id_number_enc,"
                 " id_number_hash, safe_times_enc, region_code) VALUES (?1, ?2, 'victim', '王芳', '妻子', x'01', x'02', x'03',"
                 " x'04', x'05', '431023102')")
        .bind_all(conn.last_insert_rowid(), c.id)
        .run();
    conn.prepare("INSERT INTO notes(case_id, author_id, at, text) VALUES (?1, ?2, ?3, '她住在娘家，白天可以打电话')")
        .bind_all(c.id, op.user_id, clock.now_ms())
        .run();
    reply(must(service.apply(conn, c.id, c.version, CaseEvent::accept, op, notice())), op);
    conn.prepare("UPDATE cases SET archived_at = ?2 WHERE id = ?1").bind_all(c.id, clock.now_ms() - days_ago * kDay).run();
    return c;
  }
  std::vector<std::int64_t> figures() {
    const auto p = *parse_period(format_date(local_date(clock.now_ms())).substr(0, 7));
    auto r = PeriodReportService::compute(conn, Actor::system(), county.id, p, ReportScope::subtree, clock.now_ms());
    BOOST_REQUIRE(r.has_value());
    std::vector<std::int64_t> out;
    for (const auto& f : r->figures) out.insert(out.end(), {f.amount, f.numerator, f.denominator});
    return out;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(case_retention, RetentionFixture)

BOOST_AUTO_TEST_CASE(past_retention_personal_data_go_and_the_counts_stay) {
  const auto old = archived_case(400);
  const auto young = archived_case(100);
  const auto before = figures();
  BOOST_TEST(CaseRetention::anonymise_due(conn, clock.now_ms(), 0).empty());  // 0: keep for ever
  const auto done = CaseRetention::anonymise_due(conn, clock.now_ms(), 365);
  BOOST_TEST(done == std::vector<std::int64_t>{old.id});
  BOOST_TEST(figures() == before, boost::test_tools::per_element());

  BOOST_TEST(text("SELECT name || '|' || relationship || '|' || region_code FROM persons WHERE case_id = ?1", old.id) ==
             "||431023");
  BOOST_TEST(count("SELECT count(*) FROM persons WHERE case_id = ?1 AND (phone_enc IS NOT NULL OR phone_hash IS NOT NULL"
                   " OR id_number_enc IS NOT NULL OR id_number_hash IS NOT NULL OR safe_times_enc IS NOT NULL)", old.id) == 0);
  BOOST_TEST(count("SELECT count(*) FROM notes WHERE case_id = ?1", old.id) == 0);
  BOOST_TEST(text("SELECT summary || '|' || narrative FROM contacts WHERE case_id = ?1", old.id) == "|");
  BOOST_TEST(text("SELECT summary || '|' || narrative FROM cases WHERE id = ?1", old.id) == "（已匿名化）|");
  BOOST_TEST(count("SELECT anonymised_at IS NOT NULL FROM cases WHERE id = ?1", old.id) == 1);
  // The reply's event keeps its codes, not its basis; the anonymisation is on the timeline.
  const std::string payload = text("SELECT payload FROM case_events WHERE case_id = ?1 AND event = 'reply'", old.id);
  BOOST_TEST(payload.find("method") != std::string::npos);
  BOOST_TEST(payload.find("opinion") != std::string::npos);
  BOOST_TEST(payload.find("basis") == std::string::npos, payload);
  BOOST_TEST(count("SELECT count(*) FROM case_events WHERE case_id = ?1 AND event = 'anonymise'", old.id) == 1);
  // Not found by its text any more.
  BOOST_TEST(count("SELECT count(*) FROM case_search WHERE rowid = ?1", old.id) == 0);
  // The young one is untouched, and a second sweep does nothing more.
  BOOST_TEST(count("SELECT count(*) FROM notes WHERE case_id = ?1", young.id) == 1);
  BOOST_TEST(CaseRetention::anonymise_due(conn, clock.now_ms(), 365).empty());
}

BOOST_AUTO_TEST_CASE(a_legal_hold_stops_it_until_released) {
  const auto c = archived_case(400);
  auto held = CaseRetention::hold(conn, sup, c.id, "当事人已起诉，法院调取材料", clock.now_ms());
  BOOST_REQUIRE(held.has_value());
  BOOST_TEST(held->by == sup.user_id);
  BOOST_TEST(CaseRetention::anonymise_due(conn, clock.now_ms(), 365).empty());
  BOOST_TEST(count("SELECT count(*) FROM notes WHERE case_id = ?1", c.id) == 1);
  BOOST_TEST((CaseRetention::hold(conn, sup, c.id, "again", clock.now_ms()).error().code == Errc::conflict));
  BOOST_TEST(CaseRetention::hold_of(conn, c.id)->reason == "当事人已起诉，法院调取材料");
  // The city above may release it; then the next sweep anonymises.
  BOOST_TEST(CaseRetention::release(conn, city_sup, c.id, clock.now_ms()).has_value());
  BOOST_TEST(!CaseRetention::hold_of(conn, c.id).has_value());
  BOOST_TEST((CaseRetention::release(conn, city_sup, c.id, clock.now_ms()).error().code == Errc::conflict));
  BOOST_TEST(CaseRetention::anonymise_due(conn, clock.now_ms(), 365) == std::vector<std::int64_t>{c.id});
  // Nothing left to hold.
  BOOST_TEST((CaseRetention::hold(conn, sup, c.id, "late", clock.now_ms()).error().code == Errc::conflict));
}

BOOST_AUTO_TEST_CASE(only_a_supervisor_in_scope_holds_and_she_says_why) {
  const auto c = archived_case(10);
  BOOST_TEST((CaseRetention::hold(conn, op, c.id, "x", clock.now_ms()).error().code == Errc::forbidden));
  BOOST_TEST((CaseRetention::hold(conn, admin, c.id, "x", clock.now_ms()).error().code == Errc::forbidden));
  BOOST_TEST((CaseRetention::hold(conn, partner_police, c.id, "x", clock.now_ms()).error().code == Errc::forbidden));
  const auto other = user("gy_sup", "supervisor", other_county.id, std::nullopt);
  BOOST_TEST((CaseRetention::hold(conn, other, c.id, "x", clock.now_ms()).error().code == Errc::not_found));
  auto blank = CaseRetention::hold(conn, sup, c.id, "  ", clock.now_ms());
  BOOST_TEST((blank.error().code == Errc::invalid_input));
  BOOST_TEST(blank.error().fields.contains("reason"));
  BOOST_TEST(CaseRetention::hold(conn, city_sup, c.id, "上级督查需要", clock.now_ms()).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
