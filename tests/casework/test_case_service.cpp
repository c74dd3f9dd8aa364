#include <boost/test/unit_test.hpp>

#include <regex>
#include <set>
#include <thread>

#include "casework/case_repository.hpp"
#include "core/db/db_error.hpp"
#include "core/db/transaction.hpp"
#include "core/db/writer.hpp"
#include "fixture.hpp"
#include "support/error_of.hpp"

using namespace hl;
using namespace hl::casework;
using hl::test::CaseworkFixture;
using hl::test::error_of;

BOOST_FIXTURE_TEST_SUITE(case_service, CaseworkFixture)

BOOST_AUTO_TEST_CASE(the_embedded_schema_carries_the_taxonomy_deadlines_and_dv_instrument) {
  BOOST_TEST(known_schema_version() >= 3);
  BOOST_TEST(scalar("SELECT count(*) FROM categories WHERE parent_code IS NULL") == 8);
  BOOST_TEST(scalar("SELECT count(*) FROM categories WHERE code = 'marriage_family.domestic_violence'") == 1);
  BOOST_TEST(scalar("SELECT value FROM deadline_config WHERE office_id = 0 AND key = 'acceptance_days'") == 15);
  BOOST_TEST(scalar("SELECT count(*) FROM dv_instrument_items WHERE version = 1") == 15);
  BOOST_TEST(scalar("SELECT sum(weight) FROM dv_instrument_items WHERE version = 1") == 37);
}

BOOST_AUTO_TEST_CASE(the_rewritten_check_constraints_still_refuse_unknown_values) {
  // Schema 009 turned the IN-list CHECKs of cases, contacts and persons into OR chains; a fresh
  // connection (reading the stored text) must still refuse what they refused and accept NULLs.
  auto c = open();
  auto fresh = db::Connection::open(path);
  {
    auto text = fresh.prepare("SELECT count(*) FROM sqlite_schema WHERE name IN ('cases','contacts','persons') AND sql LIKE '% IN (''%'");
    text.step();
    BOOST_TEST(text.int64(0) == 0);
  }
  // true when refused by a CHECK constraint (any other failure fails the test).
  auto refused = [&](const std::string& sql) {
    try {
      fresh.exec(sql);
      return false;
    } catch (const db::DbError& e) {
      BOOST_CHECK_MESSAGE(std::string(e.what()).find("CHECK constraint failed") != std::string::npos, sql << ": " << e.what());
      return true;
    }
  };
  BOOST_TEST(refused("UPDATE cases SET status = 'lost' WHERE id = " + std::to_string(c.id)));
  BOOST_TEST(refused("UPDATE cases SET channel = 'fax' WHERE id = " + std::to_string(c.id)));
  BOOST_TEST(refused("UPDATE cases SET urgency = 'later' WHERE id = " + std::to_string(c.id)));
  BOOST_TEST(refused("UPDATE cases SET risk_level = 'apocalyptic' WHERE id = " + std::to_string(c.id)));
  BOOST_TEST(refused("INSERT INTO contacts(office_id, channel, received_at, created_at) VALUES (1, 'fax', 1, 1)"));
  BOOST_TEST(refused("INSERT INTO contacts(office_id, channel, call_type, received_at, created_at) VALUES (1, 'hotline', 'prank', 1, 1)"));
  BOOST_TEST(refused("INSERT INTO contacts(office_id, channel, resolution, received_at, created_at) VALUES (1, 'hotline', 'maybe', 1, 1)"));
  BOOST_TEST(!refused("INSERT INTO contacts(office_id, channel, received_at, created_at) VALUES (" + std::to_string(county.id) +
                      ", 'hotline', 1, 1)"));  // call_type and resolution may be NULL
  const auto contact = std::to_string(fresh.last_insert_rowid());
  BOOST_TEST(refused("INSERT INTO persons(contact_id, role) VALUES (" + contact + ", 'bystander')"));
  BOOST_TEST(refused("INSERT INTO persons(contact_id, role, gender) VALUES (" + contact + ", 'victim', 'x')"));
  BOOST_TEST(!refused("INSERT INTO persons(contact_id, role) VALUES (" + contact + ", 'victim')"));
  auto check = fresh.prepare("PRAGMA integrity_check");
  check.step();
  BOOST_TEST(check.text(0) == "ok");
}

BOOST_AUTO_TEST_CASE(opening_a_case_numbers_it_records_register_and_sets_acceptance_due) {
  auto a = open();
  auto b = open();
  BOOST_TEST(a.case_no == "431023-2026-000001");
  BOOST_TEST(b.case_no == "431023-2026-000002");
  auto other = open("marriage_family.divorce", other_county.id);
  BOOST_TEST(other.case_no == "431021-2026-000001");  // numbered per office
  BOOST_TEST((a.status == CaseStatus::registered));
  BOOST_TEST(*a.acceptance_due == *parse_iso8601("2026-12-08T23:59:59.999+08:00"));
  BOOST_TEST(*a.next_due == *a.acceptance_due);
  auto events = *CaseRepository::events(conn, a.id, op);
  BOOST_REQUIRE(events.size() == 1u);
  BOOST_TEST(events[0].event == "register");
  BOOST_TEST(!events[0].from_status.has_value());
  BOOST_TEST(events[0].to_status == "registered");
  BOOST_TEST(*events[0].actor_id == op.user_id);
}

BOOST_AUTO_TEST_CASE(case_numbers_restart_each_year) {
  open();
  clock.set(*parse_iso8601("2027-01-01T00:00:01+08:00"));
  BOOST_TEST(open().case_no == "431023-2027-000001");
}

BOOST_AUTO_TEST_CASE(bad_case_fields_are_named) {
  NewCase n{county.id, "no.such", "pigeon", "panic", "", "", clock.now_ms(), std::nullopt, std::nullopt};
  auto r = service.open_case(conn, n, op);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST((r.error().code == Errc::invalid_input));
  BOOST_TEST(r.error().fields.contains("category"));
  BOOST_TEST(r.error().fields.contains("channel"));
  BOOST_TEST(r.error().fields.contains("urgency"));
  n = {other_county.id, "marriage_family.divorce", "hotline", "normal", "", "", clock.now_ms(), std::nullopt, std::nullopt};
  BOOST_TEST(error_of(service.open_case(conn, n, op)).fields.contains("office_id"));  // not op's office
  BOOST_TEST(scalar("SELECT count(*) FROM cases") == 0);
}

BOOST_AUTO_TEST_CASE(accept_moves_the_case_sets_handling_due_and_appends_one_event) {
  auto c = open();
  clock.advance_ms(2 * kMsPerDay);
  auto accepted = must(service.apply(conn, c.id, c.version, CaseEvent::accept, op, notice(), "已受理"));
  BOOST_TEST((accepted.status == CaseStatus::in_progress));
  BOOST_TEST(accepted.version == c.version + 1);
  BOOST_TEST(!accepted.acceptance_due.has_value());
  BOOST_TEST(*accepted.handling_due == *parse_iso8601("2027-01-24T23:59:59.999+08:00"));  // 60 days after 11-25
  BOOST_TEST(*accepted.assignee_id == op.user_id);
  auto events = *CaseRepository::events(conn, c.id, op);
  BOOST_REQUIRE(events.size() == 2u);
  BOOST_TEST(events[1].event == "accept");
  BOOST_TEST(*events[1].from_status == "registered");
  BOOST_TEST(events[1].note == "已受理");
}

BOOST_AUTO_TEST_CASE(a_stale_version_is_a_conflict_and_changes_nothing) {
  auto c = open();
  must(service.apply(conn, c.id, c.version, CaseEvent::accept, op, notice()));
  auto stale = service.apply(conn, c.id, c.version, CaseEvent::refer, op,
                             {{"partner_id", std::to_string(police_id)}, {"service", "police_response"}, {"consent_given", "true"}});
  BOOST_REQUIRE(!stale.has_value());
  BOOST_TEST((stale.error().code == Errc::conflict));
  BOOST_TEST(scalar("SELECT count(*) FROM case_events WHERE case_id = " + std::to_string(c.id)) == 2);
  BOOST_TEST(scalar("SELECT count(*) FROM referrals") == 0);
}

BOOST_AUTO_TEST_CASE(cases_outside_the_actors_scope_are_not_found) {
  auto c = open();
  for (const auto& outsider : {other_op, partner_police, admin}) {
    BOOST_TEST((error_of(CaseRepository::get(conn, c.id, outsider)).code == Errc::not_found));
    auto r = service.apply(conn, c.id, c.version, CaseEvent::accept, outsider, notice());
    BOOST_TEST((error_of(r).code == Errc::not_found));
  }
  BOOST_TEST(CaseRepository::get(conn, c.id, city_sup).has_value());  // the city sees its counties
  BOOST_TEST((error_of(CaseRepository::get(conn, 999999, op)).code == Errc::not_found));
}

BOOST_AUTO_TEST_CASE(referral_gives_the_partner_access_until_withdrawn_and_the_case_returns_when_it_ends) {
  auto c = must(service.apply(conn, open().id, 1, CaseEvent::accept, op, notice()));
  auto referred = must(service.apply(conn, c.id, c.version, CaseEvent::refer, op,
                                     {{"partner_id", std::to_string(police_id)}, {"service", "police_response"},
                                      {"consent_given", "true"}, {"reason", "需要出警"}}));
  BOOST_TEST((referred.status == CaseStatus::referred));
  BOOST_TEST(scalar("SELECT response_due > sent_at FROM referrals") == 1);
  BOOST_TEST(CaseRepository::get(conn, c.id, partner_police).has_value());
  BOOST_TEST(!CaseRepository::get(conn, c.id, partner_court).has_value());
  // Still open: settling does nothing.
  BOOST_TEST((must(service.settle_referrals(conn, c.id)).status == CaseStatus::referred));
  conn.exec("UPDATE referrals SET status = 'completed'");
  auto back = must(service.settle_referrals(conn, c.id));
  BOOST_TEST((back.status == CaseStatus::in_progress));
  auto events = *CaseRepository::events(conn, c.id, op);
  BOOST_TEST(events.back().event == "referral_done");
  BOOST_TEST(!events.back().actor_id.has_value());  // the system did it
  conn.exec("UPDATE referrals SET status = 'withdrawn'");
  BOOST_TEST(!CaseRepository::get(conn, c.id, partner_police).has_value());
}

BOOST_AUTO_TEST_CASE(refer_to_an_inactive_or_unknown_partner_is_refused_with_the_field) {
  auto c = must(service.apply(conn, open().id, 1, CaseEvent::accept, op, notice()));
  for (auto id : {inactive_partner_id, std::int64_t{4242}}) {
    auto r = service.apply(conn, c.id, c.version, CaseEvent::refer, op,
                           {{"partner_id", std::to_string(id)}, {"service", "other"}, {"consent_given", "true"}});
    BOOST_REQUIRE(!r.has_value());
    BOOST_TEST(r.error().fields.contains("partner_id"));
  }
}

BOOST_AUTO_TEST_CASE(full_lifecycle_with_mediation_closure_approval_and_reopen) {
  auto c = must(service.apply(conn, open().id, 1, CaseEvent::accept, op, notice()));
  c = must(service.apply(conn, c.id, c.version, CaseEvent::start_mediation, op,
                         {{"mediator", "王调解员"}, {"scheduled_at", "2026-11-25T10:00:00+08:00"}, {"place", "调解室"}}));
  BOOST_TEST(scalar("SELECT count(*) FROM mediations WHERE result IS NULL") == 1);
  c = must(service.apply(conn, c.id, c.version, CaseEvent::end_mediation, op, {{"outcome", "agreement"}, {"agreement_summary", "双方达成协议"}}));
  BOOST_TEST(scalar("SELECT count(*) FROM mediations WHERE result = 'agreement'") == 1);
  c = reply(c, op);
  c = must(service.apply(conn, c.id, c.version, CaseEvent::request_closure, op,
                         {{"outcome", "resolved"}, {"summary", "调解成功"}, {"losses_avoided_fen", "1200000"}}));
  BOOST_TEST((c.status == CaseStatus::pending_closure));
  auto by_operator = service.apply(conn, c.id, c.version, CaseEvent::approve_closure, op, {});
  BOOST_TEST((error_of(by_operator).code == Errc::transition_not_allowed));
  c = must(service.apply(conn, c.id, c.version, CaseEvent::approve_closure, sup, {}));
  BOOST_TEST((c.status == CaseStatus::closed));
  BOOST_TEST(c.closed_at.has_value());
  BOOST_TEST(!c.next_due.has_value());
  BOOST_TEST(*c.losses_avoided_fen == 1200000);
  c = must(service.apply(conn, c.id, c.version, CaseEvent::reopen, city_sup, {{"reason", "回访不满意"}}));
  BOOST_TEST((c.status == CaseStatus::in_progress));
  BOOST_TEST(!c.closed_at.has_value());
  BOOST_TEST(c.handling_due.has_value());
  BOOST_TEST(*c.next_due == *c.handling_due);  // reopened, the old reply no longer stands
  BOOST_TEST(scalar("SELECT count(*) FROM case_events WHERE case_id = " + std::to_string(c.id)) == 8);
}

BOOST_AUTO_TEST_CASE(forward_ends_here_and_opens_a_numbered_case_in_the_target_office) {
  auto c = open();
  auto r = service.apply(conn, c.id, c.version, CaseEvent::forward, op,
                         notice({{"target_office_id", std::to_string(other_county.id)}, {"reason", "当事人现居桂阳县"}}));
  auto closed = must(std::move(r));
  BOOST_TEST((closed.status == CaseStatus::forwarded));
  BOOST_TEST(closed.outcome.value_or("") == "forwarded");
  auto target = *CaseRepository::get(conn, *closed.transferred_to_case_id, other_op);
  BOOST_TEST(target.case_no == "431021-2026-000001");
  BOOST_TEST(target.channel == "transfer_in");
  BOOST_TEST(*target.transferred_from_case_id == c.id);
  auto self = service.apply(conn, target.id, target.version, CaseEvent::forward, other_op,
                            notice({{"target_office_id", std::to_string(other_county.id)}, {"reason", "r"}}));
  BOOST_TEST(error_of(self).fields.contains("target_office_id"));
}

BOOST_AUTO_TEST_CASE(concurrent_case_creation_never_duplicates_a_number) {
  conn = db::Connection::open(path);  // keep the fixture's connection idle while the writer works
  constexpr int kThreads = 8, kEach = 40;
  // Boost.Test's assertions are not thread-safe: the threads only collect what they got, and every
  // check runs on this thread after they joined.
  std::vector<std::vector<std::string>> numbers(kThreads), failures(kThreads);
  {
    db::Writer writer(db::Connection::open(path));
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kEach; ++i) {
          NewCase n{county.id, "marriage_family.divorce", "hotline", "normal", "s", "n", clock.now_ms(), std::nullopt, std::nullopt};
          auto r = writer.submit([&, n](db::Connection& c) { return service.open_case(c, n, op); }).get();
          if (r) numbers[t].push_back(r->case_no);
          else failures[t].push_back(r.error().message);
        }
      });
    }
    for (auto& th : threads) th.join();
  }
  std::set<std::string> unique;
  std::size_t got = 0;
  for (int t = 0; t < kThreads; ++t) {
    for (const auto& f : failures[t]) BOOST_ERROR("thread " << t << ": open_case failed: " << f);
    got += numbers[t].size();
    unique.insert(numbers[t].begin(), numbers[t].end());
  }
  BOOST_TEST_REQUIRE(got == static_cast<std::size_t>(kThreads * kEach));
  BOOST_TEST(unique.size() == static_cast<std::size_t>(kThreads * kEach));
  BOOST_TEST(*unique.begin() == "431023-2026-000001");
  BOOST_TEST(*unique.rbegin() == "431023-2026-000320");  // contiguous: no gaps, no repeats
  BOOST_TEST(scalar("SELECT count(DISTINCT case_no) FROM cases") == kThreads * kEach);
}

BOOST_AUTO_TEST_CASE(search_index_finds_two_character_chinese_words) {
  auto c = open();
  auto st = conn.prepare("SELECT rowid FROM case_search WHERE case_search MATCH ?1");
  for (const char* q : {"\"家暴\"", "\"离婚\"", "\"保护令\""}) {
    st.reset();
    st.bind_all(std::string(q));
    BOOST_TEST_REQUIRE(st.step(), q);
    BOOST_TEST(st.int64(0) == c.id);
  }
  st.reset();
  st.bind_all(std::string("\"调解\""));
  BOOST_TEST(!st.step());
}

BOOST_AUTO_TEST_SUITE_END()
