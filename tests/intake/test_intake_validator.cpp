#include <boost/test/unit_test.hpp>

#include <functional>
#include <string>
#include <vector>

#include "core/local_time.hpp"
#include "intake/intake_validator.hpp"
#include "requests.hpp"

using namespace hl;
using namespace hl::intake;
using hl::test::consultation;
using hl::test::help_request;
using hl::test::silent_call;

namespace {

const TimeMs kNow = *parse_iso8601("2026-11-23T09:30:00+08:00");
constexpr TimeMs kMinute = 60'000;

// The field paths validate() complains about, comma-separated ("" when valid), so a failure
// shows every field at once.
std::string problems(const IntakeRequest& r) {
  auto s = validate(r, kNow);
  if (s) return "";
  BOOST_TEST((s.error().code == Errc::invalid_input));
  BOOST_TEST(s.error().message == "the intake has invalid fields");
  std::string out;
  for (const auto& [field, why] : s.error().fields) {
    BOOST_TEST(!why.empty());
    out += (out.empty() ? "" : ",") + field;
  }
  return out;
}

struct Rule {
  std::string name;
  std::function<IntakeRequest()> request;
  std::string expected;  // the field paths at fault, sorted, or "" for a valid variant
};

IntakeRequest with(IntakeRequest r, const std::function<void(IntakeRequest&)>& change) {
  change(r);
  return r;
}

void check(const std::vector<Rule>& rules) {
  for (const auto& rule : rules) {
    BOOST_TEST_CONTEXT(rule.name) { BOOST_TEST(problems(rule.request()) == rule.expected); }
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(intake_validator)

BOOST_AUTO_TEST_CASE(the_typical_intakes_are_valid) {
  BOOST_TEST(problems(consultation()) == "");
  BOOST_TEST(problems(help_request()) == "");
  BOOST_TEST(problems(silent_call()) == "");
  BOOST_TEST(is_non_data_call(silent_call()));
  BOOST_TEST(!is_non_data_call(consultation()));
}

BOOST_AUTO_TEST_CASE(channel_and_call_type) {
  check({
      {"unknown channel", [] { return with(consultation(), [](auto& r) { r.channel = "pigeon"; r.call_type.clear(); }); }, "channel"},
      {"missing channel", [] { return with(consultation(), [](auto& r) { r.channel.clear(); r.call_type.clear(); }); }, "channel"},
      {"hotline needs a call type", [] { return with(consultation(), [](auto& r) { r.call_type.clear(); }); }, "call_type"},
      {"unknown call type", [] { return with(consultation(), [](auto& r) { r.call_type = "prank"; }); }, "call_type"},
      {"a visit has no call type", [] { return with(consultation(), [](auto& r) { r.channel = "walk_in"; }); }, "call_type"},
      {"a visit without call type", [] { return with(consultation(), [](auto& r) { r.channel = "walk_in"; r.call_type.clear(); }); }, ""},
      {"a letter", [] { return with(help_request(), [](auto& r) { r.channel = "letter"; r.call_type.clear(); }); }, ""},
      {"screening", [] { return with(help_request(), [](auto& r) { r.channel = "screening"; r.call_type.clear(); }); }, ""},
  });
}

BOOST_AUTO_TEST_CASE(non_data_calls_need_nothing_but_resolve_nothing) {
  check({
      {"hang-up", [] { return with(silent_call(), [](auto& r) { r.call_type = "hang_up"; }); }, ""},
      {"abusive", [] { return with(silent_call(), [](auto& r) { r.call_type = "abusive"; }); }, ""},
      {"wrong number", [] { return with(silent_call(), [](auto& r) { r.call_type = "wrong_number"; }); }, ""},
      {"resolution none", [] { return with(silent_call(), [](auto& r) { r.resolution = "none"; }); }, ""},
      {"a caller ID", [] { return with(silent_call(), [](auto& r) { r.complainant = PersonInput{}; r.complainant->phone = "13800138000"; }); }, ""},
      {"resolution answered", [] { return with(silent_call(), [](auto& r) { r.resolution = "answered"; r.answer = "x"; }); }, "resolution"},
      {"resolution open_case", [] { return with(silent_call(), [](auto& r) { r.resolution = "open_case"; r.category = "marriage_family.divorce"; }); }, "resolution"},
      {"personal data still validated", [] { return with(silent_call(), [](auto& r) { r.complainant = PersonInput{}; r.complainant->phone = "12"; }); }, "complainant.phone"},
      {"summary still bounded", [] { return with(silent_call(), [](auto& r) { r.summary = std::string(501, 'a'); }); }, "summary"},
      // A silent call on a walk-in form is no silent call: it needs the data of any contact.
      {"silent is hotline only", [] { return with(silent_call(), [](auto& r) { r.channel = "walk_in"; }); }, "call_type,resolution,summary"},
  });
}

BOOST_AUTO_TEST_CASE(other_contacts_need_a_summary_and_a_resolution) {
  check({
      {"no summary", [] { return with(consultation(), [](auto& r) { r.summary.clear(); }); }, "summary"},
      {"blank summary", [] { return with(consultation(), [](auto& r) { r.summary = " \n\t"; }); }, "summary"},
      {"summary 500 bytes", [] { return with(consultation(), [](auto& r) { r.summary = std::string(500, 'a'); }); }, ""},
      {"summary 501 bytes", [] { return with(consultation(), [](auto& r) { r.summary = std::string(501, 'a'); }); }, "summary"},
      {"narrative 20000 bytes", [] { return with(consultation(), [](auto& r) { r.narrative = std::string(20000, 'a'); }); }, ""},
      {"narrative 20001 bytes", [] { return with(consultation(), [](auto& r) { r.narrative = std::string(20001, 'a'); }); }, "narrative"},
      {"answer 5000 bytes", [] { return with(consultation(), [](auto& r) { r.answer = std::string(5000, 'a'); }); }, ""},
      {"answer 5001 bytes", [] { return with(consultation(), [](auto& r) { r.answer = std::string(5001, 'a'); }); }, "answer"},
      {"no resolution", [] { return with(consultation(), [](auto& r) { r.resolution.clear(); }); }, "resolution"},
      {"resolution none", [] { return with(consultation(), [](auto& r) { r.resolution = "none"; }); }, "resolution"},
      {"unknown resolution", [] { return with(consultation(), [](auto& r) { r.resolution = "forwarded"; }); }, "resolution"},
      {"answered without answer", [] { return with(consultation(), [](auto& r) { r.answer.clear(); }); }, "answer"},
      {"answered without category", [] { return with(consultation(), [](auto& r) { r.category.clear(); }); }, ""},
      {"open_case without category", [] { return with(help_request(), [](auto& r) { r.category.clear(); }); }, "category"},
      {"open_case with a first-level category", [] { return with(help_request(), [](auto& r) { r.category = "marriage_family"; }); }, "category"},
      {"malformed category", [] { return with(consultation(), [](auto& r) { r.category = "a.b.c"; }); }, "category"},
      {"category with odd characters", [] { return with(consultation(), [](auto& r) { r.category = "marriage_family.div'orce"; }); }, "category"},
      {"unknown urgency", [] { return with(help_request(), [](auto& r) { r.urgency = "panic"; }); }, "urgency"},
      {"empty urgency", [] { return with(help_request(), [](auto& r) { r.urgency.clear(); }); }, "urgency"},
      {"emergency", [] { return with(help_request(), [](auto& r) { r.urgency = "emergency"; }); }, ""},
      {"follow-up answered", [] { return with(consultation(), [](auto& r) { r.case_id = 7; }); }, ""},
      {"follow-up cannot open a case", [] { return with(help_request(), [](auto& r) { r.case_id = 7; }); }, "case_id"},
      {"case id must be positive", [] { return with(consultation(), [](auto& r) { r.case_id = 0; }); }, "case_id"},
      {"invalid UTF-8 summary", [] { return with(consultation(), [](auto& r) { r.summary = "\xE4\xB8"; }); }, "summary"},
      {"surrogate in narrative", [] { return with(consultation(), [](auto& r) { r.narrative = "\xED\xA0\x80"; }); }, "narrative"},
      {"multi-line narrative", [] { return with(consultation(), [](auto& r) { r.narrative = "第一段\n第二段\r\n"; }); }, ""},
  });
}

BOOST_AUTO_TEST_CASE(times_durations_and_person_counts_have_bounds) {
  check({
      {"received 4 minutes ahead", [] { return with(consultation(), [](auto& r) { r.received_at = kNow + 4 * kMinute; }); }, ""},
      {"received 6 minutes ahead", [] { return with(consultation(), [](auto& r) { r.received_at = kNow + 6 * kMinute; }); }, "received_at"},
      {"received 1990-01-01", [] { return with(consultation(), [](auto& r) { r.received_at = *parse_iso8601("1990-01-01T00:00:00+08:00"); }); }, ""},
      {"received 1989", [] { return with(consultation(), [](auto& r) { r.received_at = *parse_iso8601("1989-12-31T23:59:59+08:00"); }); }, "received_at"},
      {"duration 0", [] { return with(consultation(), [](auto& r) { r.duration_s = 0; }); }, ""},
      {"duration 86400", [] { return with(consultation(), [](auto& r) { r.duration_s = 86400; }); }, ""},
      {"duration -1", [] { return with(consultation(), [](auto& r) { r.duration_s = -1; }); }, "duration_s"},
      {"duration 86401", [] { return with(consultation(), [](auto& r) { r.duration_s = 86401; }); }, "duration_s"},
      {"a group of 1000", [] { return with(consultation(), [](auto& r) { r.persons = 1000; }); }, ""},
      {"no persons", [] { return with(consultation(), [](auto& r) { r.persons = 0; }); }, "persons"},
      {"1001 persons", [] { return with(consultation(), [](auto& r) { r.persons = 1001; }); }, "persons"},
  });
}

BOOST_AUTO_TEST_CASE(each_persons_fields_are_checked_under_their_path) {
  auto victim = [](const std::function<void(PersonInput&)>& change) {
    return with(help_request(), [&](IntakeRequest& r) {
      r.victim = PersonInput{};
      r.victim->name = "小红";
      change(*r.victim);
    });
  };
  check({
      {"name 100 bytes", [] { return with(consultation(), [](auto& r) { r.complainant->name = std::string(100, 'a'); }); }, ""},
      {"name 101 bytes", [] { return with(consultation(), [](auto& r) { r.complainant->name = std::string(101, 'a'); }); }, "complainant.name"},
      {"name with a newline", [] { return with(consultation(), [](auto& r) { r.complainant->name = "王\n芳"; }); }, "complainant.name"},
      {"name not UTF-8", [] { return with(consultation(), [](auto& r) { r.complainant->name = "\xC0\xAF"; }); }, "complainant.name"},
      {"bad phone", [] { return with(consultation(), [](auto& r) { r.complainant->phone = "138-0013-800"; }); }, "complainant.phone"},
      {"landline", [] { return with(consultation(), [](auto& r) { r.complainant->phone = "0735-5123456"; }); }, ""},
      {"no phone", [] { return with(consultation(), [](auto& r) { r.complainant->phone.clear(); }); }, ""},
      // A service number is no person's own number (issue #15: the ledger import keeps the same rule).
      {"service number 12345", [] { return with(consultation(), [](auto& r) { r.complainant->phone = "12345"; }); }, "complainant.phone"},
      {"victim on 110", [&] { return victim([](PersonInput& v) { v.phone = "110"; }); }, "victim.phone"},
      {"ID with lower-case x", [] { return with(consultation(), [](auto& r) { r.complainant->id_number = "11010519491231002x"; }); }, ""},
      {"ID with a bad checksum", [] { return with(consultation(), [](auto& r) { r.complainant->id_number = "431023198503071234"; }); }, "complainant.id_number"},
      {"ID born tomorrow", [] { return with(consultation(), [](auto& r) { r.complainant->id_number = "431023202611240013"; }); }, "complainant.id_number"},
      {"unknown gender", [] { return with(consultation(), [](auto& r) { r.complainant->gender = "woman"; }); }, "complainant.gender"},
      {"gender unknown", [] { return with(consultation(), [](auto& r) { r.complainant->gender = "unknown"; }); }, ""},
      {"age 0", [] { return with(consultation(), [](auto& r) { r.complainant->age = 0; }); }, ""},
      {"age 130", [] { return with(consultation(), [](auto& r) { r.complainant->age = 130; }); }, ""},
      {"age -1", [] { return with(consultation(), [](auto& r) { r.complainant->age = -1; }); }, "complainant.age"},
      {"age 131", [] { return with(consultation(), [](auto& r) { r.complainant->age = 131; }); }, "complainant.age"},
      {"township code", [] { return with(consultation(), [](auto& r) { r.complainant->region_code = "431021112"; }); }, ""},
      {"county that does not exist", [] { return with(consultation(), [](auto& r) { r.complainant->region_code = "431099"; }); }, "complainant.region_code"},
      {"region code with leading 0", [] { return with(consultation(), [](auto& r) { r.complainant->region_code = "031023"; }); }, "complainant.region_code"},
      {"relationship 101 bytes", [] { return with(consultation(), [](auto& r) { r.complainant->relationship_to_victim = std::string(101, 'a'); }); }, "complainant.relationship_to_victim"},
      {"safe-contact note 501 bytes", [] { return with(help_request(), [](auto& r) { r.complainant->safe_contact.note = std::string(501, 'a'); }); }, "complainant.safe_contact.note"},
      {"safe times 501 bytes", [] { return with(help_request(), [](auto& r) { r.complainant->safe_contact.safe_times = std::string(501, 'a'); }); }, "complainant.safe_contact.safe_times"},
      {"a valid victim", [&] { return victim([](PersonInput& v) { v.age = 9; v.gender = "female"; }); }, ""},
      {"victim ID", [&] { return victim([](PersonInput& v) { v.id_number = "43102319850307123"; }); }, "victim.id_number"},
      {"victim phone", [&] { return victim([](PersonInput& v) { v.phone = "phone"; }); }, "victim.phone"},
      {"victim safe times", [&] { return victim([](PersonInput& v) { v.safe_contact.safe_times = std::string(501, 'a'); }); }, "victim.safe_contact.safe_times"},
      {"victim region", [&] { return victim([](PersonInput& v) { v.region_code = "43102"; }); }, "victim.region_code"},
      {"respondent name 101 bytes", [] { return with(help_request(), [](auto& r) { r.respondent->name = std::string(101, 'a'); }); }, "respondent.name"},
      {"respondent relationship 101 bytes", [] { return with(help_request(), [](auto& r) { r.respondent->relationship = std::string(101, 'a'); }); }, "respondent.relationship"},
  });
}

BOOST_AUTO_TEST_CASE(every_problem_is_reported_at_once) {
  IntakeRequest r = help_request();
  r.call_type = "prank";
  r.summary.clear();
  r.urgency = "panic";
  r.persons = 0;
  r.complainant->phone = "12";
  r.complainant->age = 200;
  r.victim = PersonInput{};
  r.victim->id_number = "123";
  r.victim->safe_contact.note = std::string(600, 'a');
  r.respondent->name = std::string(101, 'a');
  BOOST_TEST(problems(r) ==
             "call_type,complainant.age,complainant.phone,persons,respondent.name,summary,urgency,"
             "victim.id_number,victim.safe_contact.note");
}

// Issue #13/#14: the kind of an on-the-spot consultation, repeats and level-skipping (schema 015).
BOOST_AUTO_TEST_CASE(consultation_kind_is_required_exactly_when_answered_on_the_spot) {
  check({
      {"each kind", [] { return with(consultation(), [](auto& r) { r.consultation_kind = "psychological"; }); }, ""},
      {"marriage and family", [] { return with(consultation(), [](auto& r) { r.consultation_kind = "marriage_family"; }); }, ""},
      {"other", [] { return with(consultation(), [](auto& r) { r.consultation_kind = "other"; }); }, ""},
      {"missing", [] { return with(consultation(), [](auto& r) { r.consultation_kind.clear(); }); }, "consultation_kind"},
      {"unknown", [] { return with(consultation(), [](auto& r) { r.consultation_kind = "medical"; }); }, "consultation_kind"},
      {"wrong case", [] { return with(consultation(), [](auto& r) { r.consultation_kind = "Legal"; }); }, "consultation_kind"},
      {"a follow-up answered needs one too", [] { return with(consultation(), [](auto& r) { r.case_id = 7; r.consultation_kind.clear(); }); }, "consultation_kind"},
      {"refused on a case", [] { return with(help_request(), [](auto& r) { r.consultation_kind = "legal"; }); }, "consultation_kind"},
      {"refused on a silent call", [] { return with(silent_call(), [](auto& r) { r.consultation_kind = "legal"; }); }, "consultation_kind"},
  });
}

BOOST_AUTO_TEST_CASE(a_repeat_names_one_case_and_is_no_new_matter) {
  check({
      {"repeat of a case, answered", [] { return with(consultation(), [](auto& r) { r.repeat_of_case_id = 7; }); }, ""},
      {"repeat instead of a new case", [] { return with(help_request(), [](auto& r) { r.repeat_of_case_id = 7; }); }, ""},
      {"a new matter", [] { return with(help_request(), [](auto& r) { r.new_matter = true; }); }, ""},
      {"not a case id", [] { return with(help_request(), [](auto& r) { r.repeat_of_case_id = 0; }); }, "repeat_of_case_id"},
      {"and a follow-up", [] { return with(consultation(), [](auto& r) { r.repeat_of_case_id = 7; r.case_id = 7; }); }, "repeat_of_case_id"},
      {"and a new matter", [] { return with(help_request(), [](auto& r) { r.repeat_of_case_id = 7; r.new_matter = true; }); }, "new_matter"},
      {"a silent call", [] { return with(silent_call(), [](auto& r) { r.repeat_of_case_id = 7; }); }, "repeat_of_case_id"},
  });
}

BOOST_AUTO_TEST_CASE(level_skipping_names_the_office_with_jurisdiction) {
  check({
      {"flag and office", [] { return with(help_request(), [](auto& r) { r.level_skipping = true; r.jurisdiction_office_id = 3; }); }, ""},
      {"flag without office", [] { return with(help_request(), [](auto& r) { r.level_skipping = true; }); }, "jurisdiction_office_id"},
      {"office without flag", [] { return with(help_request(), [](auto& r) { r.jurisdiction_office_id = 3; }); }, "jurisdiction_office_id"},
      {"not an office id", [] { return with(help_request(), [](auto& r) { r.level_skipping = true; r.jurisdiction_office_id = -1; }); }, "jurisdiction_office_id"},
      {"a silent call", [] { return with(silent_call(), [](auto& r) { r.level_skipping = true; }); }, "level_skipping"},
  });
}

BOOST_AUTO_TEST_SUITE_END()
