#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "casework/case_repository.hpp"
#include "core/db/writer.hpp"
#include "fixture.hpp"
#include "casework/person_numbers.hpp"
#include "support/error_of.hpp"

using namespace hl;
using namespace hl::intake;
using hl::test::consultation;
using hl::test::help_request;
using hl::test::IntakeFixture;
using hl::test::silent_call;
using hl::test::error_of;

namespace {

constexpr std::string_view kCounts =
    "SELECT (SELECT count(*) FROM contacts) || '/' || (SELECT count(*) FROM persons) || '/' ||"
    " (SELECT count(*) FROM cases) || '/' || (SELECT count(*) FROM case_events)";

// Every table (case_search's FTS shadow tables included) whose cells contain `needle` anywhere,
// as text or inside a blob.
std::vector<std::string> tables_containing(db::Connection& conn, const std::string& needle) {
  std::vector<std::string> tables, hits;
  auto names = conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table'");
  while (names.step()) tables.push_back(names.text(0));
  for (const auto& table : tables) {
    auto rows = conn.prepare("SELECT * FROM \"" + table + "\"");
    bool hit = false;
    while (!hit && rows.step()) {
      for (int c = 0; c < rows.column_count() && !hit; ++c)
        hit = !rows.is_null(c) && rows.blob(c).find(needle) != std::string::npos;
    }
    if (hit) hits.push_back(table);
  }
  return hits;
}

std::string counts(db::Connection& conn) {
  auto st = conn.prepare(kCounts);
  st.step();
  return st.text(0);
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(intake_service, IntakeFixture)

BOOST_AUTO_TEST_CASE(a_silent_call_is_stored_as_a_bare_contact) {
  auto r = must_record(silent_call(), op);
  BOOST_TEST(!r.opened_case.has_value());
  BOOST_TEST(r.repeat.prior_contacts == 0);
  BOOST_TEST(counts(conn) == "1/0/0/0");
  BOOST_TEST(text("SELECT channel || ' ' || call_type || ' ' || resolution || ' ' || office_id || ' ' ||"
                  " operator_id || ' ' || duration_s || ' ' || (case_id IS NULL) FROM contacts WHERE id = ?1",
                  r.contact_id) ==
             "hotline silent none " + std::to_string(county.id) + " " + std::to_string(op.user_id) + " 15 1");
  BOOST_TEST(scalar("SELECT received_at FROM contacts") == clock.now_ms());
}

BOOST_AUTO_TEST_CASE(repeated_silent_calls_from_one_number_are_recognised) {
  // A victim who calls and cannot speak is a known danger sign: the caller ID is kept (encrypted).
  auto call = silent_call();
  call.complainant = PersonInput{};
  call.complainant->phone = "13800138000";
  must_record(call, op);
  call.call_type = "hang_up";
  auto second = must_record(call, op);
  BOOST_TEST(second.repeat.prior_contacts == 1);
  BOOST_TEST(second.repeat.prior_cases.empty());
  BOOST_TEST(counts(conn) == "2/2/0/0");
}

BOOST_AUTO_TEST_CASE(an_answered_consultation_is_a_contact_without_a_case) {
  auto r = must_record(consultation(), op);
  BOOST_TEST(!r.opened_case.has_value());
  BOOST_TEST(counts(conn) == "1/1/0/0");
  BOOST_TEST(text("SELECT call_type || '|' || category || '|' || resolution || '|' || answer || '|' || urgency"
                  " FROM contacts WHERE id = ?1", r.contact_id) ==
             "consultation|marriage_family.divorce|answered|" + consultation().answer + "|normal");
  BOOST_TEST(text("SELECT role || '|' || name || '|' || gender || '|' || age || '|' || (case_id IS NULL)"
                  " FROM persons WHERE contact_id = ?1", r.contact_id) == "complainant|王芳|female|34|1");
}

BOOST_AUTO_TEST_CASE(a_help_request_opens_a_registered_case_linked_to_contact_and_persons) {
  auto r = must_record(help_request(), op);
  BOOST_REQUIRE(r.opened_case.has_value());
  const auto& c = *r.opened_case;
  BOOST_TEST((c.status == casework::CaseStatus::registered));
  BOOST_TEST(c.case_no == "431023-2026-000001");
  BOOST_TEST(c.office_id == county.id);
  BOOST_TEST(c.category == "marriage_family.domestic_violence");
  BOOST_TEST(c.channel == "hotline");
  BOOST_TEST(c.urgency == "urgent");
  BOOST_TEST(c.summary == help_request().summary);
  BOOST_TEST(c.received_at == clock.now_ms());
  BOOST_TEST(c.acceptance_due.has_value());
  BOOST_TEST(counts(conn) == "1/2/1/1");  // complainant and respondent; the register event
  BOOST_TEST(scalar("SELECT case_id FROM contacts") == c.id);
  BOOST_TEST(scalar("SELECT count(*) FROM persons WHERE case_id = " + std::to_string(c.id)) == 2);
  BOOST_TEST(text("SELECT resolution FROM contacts WHERE id = ?1", r.contact_id) == "open_case");
  BOOST_TEST(text("SELECT relationship || '|' || ok_to_call || '|' || region_code FROM persons"
                  " WHERE role = 'complainant' AND contact_id = ?1", r.contact_id) == "本人|0|431023");
  // The safe-contact rules are stored only encrypted (issue #16, finding 5), each under its own label,
  // and no table (case events, the search index) holds them in clear.
  const std::string times =
      text("SELECT safe_times_enc FROM persons WHERE role = 'complainant' AND contact_id = ?1", r.contact_id);
  const std::string note =
      text("SELECT safe_note_enc FROM persons WHERE role = 'complainant' AND contact_id = ?1", r.contact_id);
  BOOST_TEST(identity.reveal_safe_times(times) == "工作日上午");
  BOOST_TEST(identity.reveal_safe_note(note) == "只发短信，不要来电");
  BOOST_TEST(identity.reveal_safe_note(times) == "");
  for (const std::string needle : {"工作日上午", "只发短信"}) {
    BOOST_TEST_CONTEXT(needle) { BOOST_TEST(tables_containing(conn, needle).empty()); }
  }
  BOOST_TEST(text("SELECT relationship FROM persons WHERE role = 'respondent' AND contact_id = ?1", r.contact_id) ==
             "丈夫");
  // The names are searchable: open_case built the document before the persons were linked.
  const std::string body = text("SELECT body FROM case_search WHERE rowid = ?1", c.id);
  BOOST_TEST(body.find("李梅") != std::string::npos);
  BOOST_TEST(body.find("张强") != std::string::npos);
  BOOST_TEST(scalar("SELECT count(*) FROM case_search WHERE case_search MATCH '李梅'") == 1);
}

BOOST_AUTO_TEST_CASE(an_explicit_received_at_is_kept_for_contact_and_case) {
  auto req = help_request();
  req.received_at = clock.now_ms() - 3'600'000;
  auto r = must_record(req, op);
  BOOST_TEST(r.opened_case->received_at == *req.received_at);
  BOOST_TEST(scalar("SELECT received_at FROM contacts") == *req.received_at);
  BOOST_TEST(scalar("SELECT created_at FROM contacts") == clock.now_ms());
}

BOOST_AUTO_TEST_CASE(phone_and_id_numbers_are_never_stored_readably) {
  auto req = help_request();
  req.complainant->phone = "+86 138-0013-8000";
  req.victim = PersonInput{};
  req.victim->name = "小红";
  req.victim->id_number = "11010519491231002x";
  req.victim->phone = "0735-5123456";
  auto r = must_record(req, op);
  for (const std::string needle : {"13800138000", "38001380", "431023198503071233", "198503071233",
                                   "11010519491231002", "07355123456", "5123456"}) {
    BOOST_TEST_CONTEXT(needle) { BOOST_TEST(tables_containing(conn, needle).empty()); }
  }
  // What is stored decrypts (with the key) to the normalised numbers, and only under its own label.
  const std::string phone_blob =
      text("SELECT phone_enc FROM persons WHERE role = 'complainant' AND contact_id = ?1", r.contact_id);
  const std::string id_blob =
      text("SELECT id_number_enc FROM persons WHERE role = 'victim' AND contact_id = ?1", r.contact_id);
  BOOST_TEST(identity.reveal_phone(phone_blob).value_or("") == "13800138000");
  BOOST_TEST(identity.reveal_id_number(id_blob).value_or("") == "11010519491231002X");
  BOOST_TEST(!identity.reveal_phone(id_blob).has_value());
  const crypto::FieldCipher other_key(test::random_key());
  BOOST_TEST(!casework::PersonIdentity(other_key, hash).reveal_phone(phone_blob).has_value());
  BOOST_TEST(text("SELECT phone_hash FROM persons WHERE role = 'complainant' AND contact_id = ?1", r.contact_id) ==
             hash.digest("phone:13800138000"));
  BOOST_TEST(text("SELECT id_number_hash FROM persons WHERE role = 'victim' AND contact_id = ?1", r.contact_id) ==
             hash.digest("id:11010519491231002X"));
  BOOST_TEST(scalar("SELECT count(*) FROM persons WHERE role = 'respondent' AND phone_enc IS NULL"
                    " AND phone_hash IS NULL AND id_number_enc IS NULL") == 1);
}

BOOST_AUTO_TEST_CASE(a_second_call_from_the_same_number_reports_the_first) {
  auto first_call = help_request();
  first_call.complainant->phone = "138 0013 8000";
  auto first = must_record(first_call, op);
  BOOST_TEST(first.repeat.prior_contacts == 0);
  BOOST_TEST(first.repeat.prior_cases.empty());

  auto again = consultation();
  again.complainant->phone = "+86 13800138000";
  auto second = must_record(again, op);
  BOOST_TEST(second.repeat.prior_contacts == 1);
  BOOST_REQUIRE(second.repeat.prior_cases.size() == 1u);
  const auto& prior = second.repeat.prior_cases[0];
  BOOST_TEST(prior.id == first.opened_case->id);
  BOOST_TEST(prior.case_no == "431023-2026-000001");
  BOOST_TEST(prior.status == "registered");
  BOOST_TEST(prior.category == "marriage_family.domestic_violence");
  BOOST_TEST(prior.risk_level == "none");
  BOOST_TEST(prior.received_at == first.opened_case->received_at);

  // The screen-pop sees both contacts and the one case, however the number is typed.
  auto lookup = intake.lookup_caller(conn, "0086-138-0013-8000", op);
  BOOST_REQUIRE(lookup.has_value());
  BOOST_TEST(lookup->prior_contacts == 2);
  BOOST_TEST(lookup->prior_cases.size() == 1u);
  BOOST_TEST(intake.lookup_caller(conn, "13900001111", op)->prior_contacts == 0);
}

BOOST_AUTO_TEST_CASE(a_victim_is_recognised_by_id_number_whoever_calls) {
  auto mother = consultation();
  mother.complainant->phone = "13700001111";
  mother.victim = PersonInput{};
  mother.victim->name = "小红";
  mother.victim->id_number = "11010519491231002X";
  must_record(mother, op);

  auto aunt = consultation();
  aunt.complainant->phone = "0735-5123456";
  aunt.victim = PersonInput{};
  aunt.victim->id_number = "110105 19491231 002x";
  BOOST_TEST(must_record(aunt, op).repeat.prior_contacts == 1);
}

BOOST_AUTO_TEST_CASE(prior_cases_are_the_ten_most_recent_distinct_ones) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 12; ++i) {
    clock.advance_ms(3'600'000);
    ids.push_back(must_record(help_request(), op).opened_case->id);
    must_record(consultation(), op);  // another contact about no new case: no duplicate
  }
  auto lookup = intake.lookup_caller(conn, "13800138000", op);
  BOOST_REQUIRE(lookup.has_value());
  BOOST_TEST(lookup->prior_contacts == 24);
  BOOST_REQUIRE(lookup->prior_cases.size() == 10u);
  for (std::size_t i = 0; i < 10; ++i) BOOST_TEST(lookup->prior_cases[i].id == ids[11 - i]);
}

BOOST_AUTO_TEST_CASE(a_caller_known_only_to_another_county_is_reported_only_to_the_common_supervisor) {
  auto call = help_request();
  call.complainant->phone = "139 0000 1111";
  auto theirs = must_record(call, other_op);

  BOOST_TEST(intake.lookup_caller(conn, "13900001111", op)->prior_contacts == 0);
  BOOST_TEST(intake.lookup_caller(conn, "13900001111", sup)->prior_contacts == 0);
  auto city = intake.lookup_caller(conn, "13900001111", city_sup);
  BOOST_REQUIRE(city.has_value());
  BOOST_TEST(city->prior_contacts == 1);
  BOOST_REQUIRE(city->prior_cases.size() == 1u);
  BOOST_TEST(city->prior_cases[0].id == theirs.opened_case->id);
  BOOST_TEST(city->prior_cases[0].case_no == "431021-2026-000001");

  auto ours = must_record(call, op);
  BOOST_TEST(ours.repeat.prior_contacts == 0);
  BOOST_TEST(ours.repeat.prior_cases.empty());
  BOOST_TEST(intake.lookup_caller(conn, "13900001111", city_sup)->prior_contacts == 2);
  BOOST_TEST(intake.lookup_caller(conn, "13900001111", city_sup)->prior_cases.size() == 2u);
}

BOOST_AUTO_TEST_CASE(a_follow_up_links_the_contact_and_its_persons_to_the_case) {
  auto first = must_record(help_request(), op);
  const auto case_id = first.opened_case->id;
  auto follow_up = consultation();
  follow_up.case_id = case_id;
  follow_up.complainant->name = "赵兰";
  auto r = must_record(follow_up, sup);
  BOOST_TEST(!r.opened_case.has_value());
  BOOST_TEST(counts(conn) == "2/3/1/1");
  BOOST_TEST(scalar("SELECT case_id FROM contacts WHERE id = " + std::to_string(r.contact_id)) == case_id);
  BOOST_TEST(scalar("SELECT count(*) FROM persons WHERE case_id = " + std::to_string(case_id)) == 3);
  BOOST_TEST(text("SELECT body FROM case_search WHERE rowid = ?1", case_id).find("赵兰") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_follow_up_about_a_case_out_of_scope_is_not_found_and_writes_nothing) {
  auto theirs = must_record(help_request(), other_op);
  const std::string before = counts(conn);
  auto follow_up = consultation();
  follow_up.case_id = theirs.opened_case->id;
  auto r = intake.record(conn, follow_up, op);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST((r.error().code == Errc::not_found));
  follow_up.case_id = 999'999;
  BOOST_TEST((error_of(intake.record(conn, follow_up, op)).code == Errc::not_found));
  BOOST_TEST(counts(conn) == before);
  // The city supervisor above both counties may follow it up.
  follow_up.case_id = theirs.opened_case->id;
  BOOST_TEST(intake.record(conn, follow_up, city_sup).has_value());
}

BOOST_AUTO_TEST_CASE(partners_and_administrators_may_not_record_or_look_up) {
  for (const auto* actor : {&partner_police, &admin}) {
    auto r = intake.record(conn, help_request(), *actor);
    BOOST_REQUIRE(!r.has_value());
    BOOST_TEST((r.error().code == Errc::forbidden));
    BOOST_TEST((error_of(intake.lookup_caller(conn, "13800138000", *actor)).code == Errc::forbidden));
  }
  BOOST_TEST((error_of(intake.record(conn, silent_call(), casework::Actor::system())).code == Errc::forbidden));
  BOOST_TEST(counts(conn) == "0/0/0/0");
}

BOOST_AUTO_TEST_CASE(an_unknown_or_inactive_category_is_named_and_nothing_is_written) {
  auto req = help_request();
  req.category = "marriage_family.no_such";
  req.complainant->phone = "12";  // reported together with the category
  auto r = intake.record(conn, req, op);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST((r.error().code == Errc::invalid_input));
  BOOST_TEST(r.error().fields.size() == 2u);
  BOOST_TEST(r.error().fields.contains("category"));
  BOOST_TEST(r.error().fields.contains("complainant.phone"));

  conn.exec("UPDATE categories SET active = 0 WHERE code = 'marriage_family.divorce'");
  auto answered = consultation();  // category marriage_family.divorce
  r = intake.record(conn, answered, op);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().fields.contains("category"));
  BOOST_TEST(counts(conn) == "0/0/0/0");
}

BOOST_AUTO_TEST_CASE(invalid_intakes_write_nothing) {
  auto req = help_request();
  req.complainant->id_number = "431023198503071234";
  auto r = intake.record(conn, req, op);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST((r.error().code == Errc::invalid_input));
  BOOST_TEST(r.error().fields.contains("complainant.id_number"));
  BOOST_TEST(counts(conn) == "0/0/0/0");
}

BOOST_AUTO_TEST_CASE(a_bad_lookup_number_is_named_phone) {
  auto r = intake.lookup_caller(conn, "not a number", op);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST((r.error().code == Errc::invalid_input));
  BOOST_TEST(r.error().fields.contains("phone"));
}

BOOST_AUTO_TEST_CASE(recording_through_the_single_writer_commits_durably) {
  db::Writer writer(db::Connection::open(path));
  auto done = writer.submit([&](db::Connection& c) { return intake.record(c, help_request(), op); }).get();
  BOOST_REQUIRE(done.has_value());
  auto failed = writer.submit([&](db::Connection& c) { return intake.record(c, silent_call(), admin); }).get();
  BOOST_TEST(!failed.has_value());
  BOOST_TEST(counts(conn) == "1/2/1/1");
  BOOST_TEST(intake.lookup_caller(conn, "13800138000", op)->prior_cases.size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
