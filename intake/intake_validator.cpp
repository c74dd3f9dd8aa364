#include "intake/intake_validator.hpp"

#include "core/text_rules.hpp"

#include <array>
#include <map>
#include <string>
#include <tuple>

#include "casework/vocabulary.hpp"
#include "core/local_time.hpp"
#include "casework/person_numbers.hpp"

namespace hl::intake {
namespace {

using Fields = std::map<std::string, std::string>;
using casework::is_one_of;

// Sizes in bytes of UTF-8 (a Chinese character takes 3): generous for the text a form asks for,
// small enough that one request cannot bloat the database or the search index.
constexpr std::size_t kMaxName = 100;
constexpr std::size_t kMaxRelationship = 100;
constexpr std::size_t kMaxCategory = 100;
constexpr std::size_t kMaxSummary = 500;
constexpr std::size_t kMaxNarrative = 20000;
constexpr std::size_t kMaxAnswer = 5000;
constexpr std::size_t kMaxSafeText = 500;
// Clocks of the operator's PC and the server disagree a little; more than this is a typo.
constexpr TimeMs kMaxFutureSkew = 5 * 60 * 1000;
constexpr int kMaxDurationS = 86400;
constexpr int kMaxPersons = 1000;
constexpr int kMaxAge = 130;

constexpr std::array<std::string_view, 4> kGenders = {"female", "male", "other", "unknown"};
constexpr std::array<std::string_view, 4> kNonDataCallTypes = {"silent", "hang_up", "abusive", "wrong_number"};
constexpr std::array<std::string_view, 2> kDataResolutions = {"answered", "open_case"};

// Keeps the first problem found for a field: later checks of the same field are less specific.
void add(Fields& bad, const std::string& path, std::string message) { bad.emplace(path, std::move(message)); }

bool blank(std::string_view s) { return is_blank(s); }

// Size, encoding and (for one-line fields) control characters of a free-text field.
void check_text(Fields& bad, const std::string& path, std::string_view value, std::size_t max_bytes,
                bool multiline = false) {
  if (value.size() > max_bytes)
    add(bad, path, "too long (at most " + std::to_string(max_bytes) + " bytes)");
  else if (!valid_utf8(value))
    add(bad, path, "not valid UTF-8 text");
  else if (has_control_character(value, multiline))
    add(bad, path, "contains control characters");
}

// "parent.child" made of lower-case letters, digits and '_': the shape of a second-level code.
bool second_level_code(std::string_view code) {
  const auto dot = code.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == code.size()) return false;
  if (code.find('.', dot + 1) != std::string_view::npos) return false;
  for (char c : code)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.')) return false;
  return true;
}

void check_person(Fields& bad, const std::string& prefix, const PersonInput& p, TimeMs now) {
  check_text(bad, prefix + ".name", p.name, kMaxName);
  check_text(bad, prefix + ".relationship_to_victim", p.relationship_to_victim, kMaxRelationship);
  // The person rules of casework/person_numbers.hpp, which the ledger import keeps too.
  if (!p.phone.empty() && !casework::normalize_person_phone(p.phone))
    add(bad, prefix + ".phone", std::string(casework::kPersonPhoneProblem));
  if (!p.id_number.empty())
    if (auto problem = casework::id_number_problem(p.id_number, local_date(now))) add(bad, prefix + ".id_number", *problem);
  if (!p.gender.empty() && !is_one_of(kGenders, p.gender))
    add(bad, prefix + ".gender", "must be female, male, other or unknown");
  if (p.age && (*p.age < 0 || *p.age > kMaxAge)) add(bad, prefix + ".age", "must be between 0 and 130");
  if (!p.region_code.empty() && !casework::valid_person_region_code(p.region_code))
    add(bad, prefix + ".region_code", std::string(casework::kPersonRegionProblem));
  check_text(bad, prefix + ".safe_contact.safe_times", p.safe_contact.safe_times, kMaxSafeText);
  check_text(bad, prefix + ".safe_contact.note", p.safe_contact.note, kMaxSafeText, true);
}

// Schema 015's facts about the contact: consultation kind, repeat, level-skipping.
void check_report_flags(Fields& bad, const IntakeRequest& r) {
  const bool non_data = is_non_data_call(r);
  if (!non_data && r.resolution == "answered") {
    if (r.consultation_kind.empty())
      add(bad, "consultation_kind", "the kind of consultation is required when answered on the spot");
    else if (!is_one_of(kConsultationKinds, r.consultation_kind))
      add(bad, "consultation_kind", "must be legal, marriage_family, psychological or other");
  } else if (!r.consultation_kind.empty() && (non_data || r.resolution == "open_case")) {
    add(bad, "consultation_kind", "only a contact answered on the spot has a consultation kind");
  }
  if (r.repeat_of_case_id) {
    if (*r.repeat_of_case_id <= 0) add(bad, "repeat_of_case_id", "must be a case id");
    else if (non_data) add(bad, "repeat_of_case_id", "a call without data is not a repeat");
    else if (r.case_id) add(bad, "repeat_of_case_id", "give either case_id (a follow-up) or repeat_of_case_id");
    else if (r.new_matter) add(bad, "new_matter", "a repeat of a case is not a new matter");
  }
  if (r.level_skipping) {
    if (non_data) add(bad, "level_skipping", "a call without data is not level-skipping");
    else if (!r.jurisdiction_office_id) add(bad, "jurisdiction_office_id", "required for a level-skipping contact");
  } else if (r.jurisdiction_office_id) {
    add(bad, "jurisdiction_office_id", "only a level-skipping contact names the office with jurisdiction");
  }
  if (r.jurisdiction_office_id && *r.jurisdiction_office_id <= 0)
    add(bad, "jurisdiction_office_id", "must be an office id");
}

}  // namespace

bool is_non_data_call(const IntakeRequest& r) {
  return r.channel == "hotline" && is_one_of(kNonDataCallTypes, r.call_type);
}

Status validate(const IntakeRequest& r, TimeMs now) {
  Fields bad;
  const bool channel_known = is_one_of(casework::channels(), r.channel);
  if (!channel_known) add(bad, "channel", r.channel.empty() ? "required" : "unknown channel");
  if (r.channel == "hotline") {
    if (r.call_type.empty())
      add(bad, "call_type", "required for hotline calls");
    else if (!is_one_of(casework::call_types(), r.call_type))
      add(bad, "call_type", "unknown call type");
  } else if (!r.call_type.empty()) {
    add(bad, "call_type", channel_known ? "only hotline calls have a call type" : "unknown call type");
  }

  if (r.received_at) {
    if (*r.received_at > now + kMaxFutureSkew) add(bad, "received_at", "is in the future");
    if (*r.received_at < start_of_local_day(LocalDate{1990, 1, 1})) add(bad, "received_at", "is before 1990");
  }
  if (r.duration_s && (*r.duration_s < 0 || *r.duration_s > kMaxDurationS))
    add(bad, "duration_s", "must be between 0 and 86400 seconds");
  if (r.persons < 1 || r.persons > kMaxPersons) add(bad, "persons", "must be between 1 and 1000");

  if (is_non_data_call(r)) {
    if (!r.resolution.empty() && r.resolution != "none")
      add(bad, "resolution", "a silent, hang-up, abusive or wrong-number call resolves nothing: leave it empty");
  } else {
    if (blank(r.summary)) add(bad, "summary", "required");
    if (r.resolution.empty())
      add(bad, "resolution", "required");
    else if (!is_one_of(kDataResolutions, r.resolution))
      add(bad, "resolution", "must be answered or open_case");
    if (r.resolution == "answered" && blank(r.answer))
      add(bad, "answer", "required when the consultation was answered");
    if (r.resolution == "open_case" && r.category.empty()) add(bad, "category", "required to open a case");
    if (r.resolution == "open_case" && r.case_id)
      add(bad, "case_id", "a follow-up about an existing case cannot open another case");
  }
  check_text(bad, "summary", r.summary, kMaxSummary, true);
  check_text(bad, "narrative", r.narrative, kMaxNarrative, true);
  check_text(bad, "answer", r.answer, kMaxAnswer, true);
  if (!r.category.empty() && (r.category.size() > kMaxCategory || !second_level_code(r.category)))
    add(bad, "category", "must be a second-level category such as marriage_family.domestic_violence");
  if (!is_one_of(casework::urgencies(), r.urgency)) add(bad, "urgency", "must be normal, urgent or emergency");
  if (r.case_id && *r.case_id <= 0) add(bad, "case_id", "must be a case id");
  check_report_flags(bad, r);

  if (r.complainant) check_person(bad, "complainant", *r.complainant, now);
  if (r.victim) check_person(bad, "victim", *r.victim, now);
  if (r.respondent) {
    check_text(bad, "respondent.name", r.respondent->name, kMaxName);
    check_text(bad, "respondent.relationship", r.respondent->relationship, kMaxRelationship);
  }

  if (!bad.empty()) return fail(Errc::invalid_input, "the intake has invalid fields", std::move(bad));
  return {};
}

}  // namespace hl::intake
