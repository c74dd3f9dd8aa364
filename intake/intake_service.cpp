#include "intake/intake_service.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <vector>

#include "casework/call_log.hpp"
#include "casework/case_repository.hpp"
#include "casework/case_review.hpp"
#include "casework/case_search.hpp"
#include "casework/case_service.hpp"
#include "casework/contact_repository.hpp"
#include "casework/office_repository.hpp"
#include "intake/repeat_rules.hpp"
#include "intake/intake_validator.hpp"
#include "casework/person_numbers.hpp"

namespace hl::intake {
namespace {

constexpr std::string_view kActiveCategory =
    "SELECT 1 FROM categories WHERE code = ?1 AND parent_code IS NOT NULL AND active = 1";

// Repeat-caller matching: the people with one of the caller's fingerprints: their contact, the case they belong to (directly
// or through the contact) and the path of the office that took the contact. One indexed lookup per
// hash; the scope filters and the de-duplication happen in C++, because the single-statement form
// (IN lists, UNION, a materialised CTE) made SQLite open four temporary b-trees on every intake,
// which cost the writer more than the rest of the repeat check.
constexpr std::string_view kMatchesByPhone =
    "SELECT p.contact_id, coalesce(p.case_id, c.case_id), o.path FROM persons p"
    " JOIN contacts c ON c.id = p.contact_id JOIN offices o ON o.id = c.office_id WHERE p.phone_hash = ?1";
constexpr std::string_view kMatchesByIdNumber =
    "SELECT p.contact_id, coalesce(p.case_id, c.case_id), o.path FROM persons p"
    " JOIN contacts c ON c.id = p.contact_id JOIN offices o ON o.id = c.office_id WHERE p.id_number_hash = ?1";
// A matched case, scoped by the case's own office (a case may have moved beyond the office that
// took the first call).
constexpr std::string_view kCaseBrief =
    "SELECT id, case_no, status, category, risk_level, received_at, office_path, closed_at FROM cases WHERE id = ?1";
constexpr std::size_t kMaxPriorCases = 10;

// Up to two phone and two ID-number fingerprints (complainant's and victim's).
struct Fingerprints {
  std::array<std::optional<std::string>, 2> phone, id_number;
  bool empty() const { return !phone[0] && !phone[1] && !id_number[0] && !id_number[1]; }
};

std::optional<std::string> non_empty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

bool nothing_given(const PersonInput& p) {
  return p.name.empty() && p.phone.empty() && p.gender.empty() && p.region_code.empty() && p.id_number.empty() &&
         p.relationship_to_victim.empty() && !p.age && !p.safe_contact.ok_to_call && p.safe_contact.safe_times.empty() &&
         p.safe_contact.note.empty();
}

// A person as it will be stored: numbers normalised and protected, empty optional text as NULL.
// Called after validation, so a given phone or ID number is known to normalise.
casework::NewPerson person_row(std::string role, const PersonInput& p, const casework::PersonIdentity& identity) {
  casework::NewPerson row;
  row.role = std::move(role);
  row.name = p.name;
  row.relationship = p.relationship_to_victim;
  row.safe_times_enc = identity.protect_safe_times(p.safe_contact.safe_times);
  row.safe_note_enc = identity.protect_safe_note(p.safe_contact.note);
  row.gender = non_empty(p.gender);
  row.region_code = non_empty(p.region_code);
  if (!p.phone.empty()) row.phone = identity.protect_phone(*casework::normalize_person_phone(p.phone));
  if (!p.id_number.empty()) row.id_number = identity.protect_id_number(casework::normalize_id_number(p.id_number));
  row.age = p.age;
  row.ok_to_call = p.safe_contact.ok_to_call;
  return row;
}

std::vector<casework::NewPerson> person_rows(const IntakeRequest& r, const casework::PersonIdentity& identity) {
  std::vector<casework::NewPerson> rows;
  if (r.complainant && !nothing_given(*r.complainant)) rows.push_back(person_row("complainant", *r.complainant, identity));
  if (r.victim && !nothing_given(*r.victim)) rows.push_back(person_row("victim", *r.victim, identity));
  if (r.respondent && (!r.respondent->name.empty() || !r.respondent->relationship.empty())) {
    casework::NewPerson row;
    row.role = "respondent";
    row.name = r.respondent->name;
    row.relationship = r.respondent->relationship;
    rows.push_back(std::move(row));
  }
  return rows;
}

bool category_active(db::Connection& conn, const std::string& code) {
  auto st = conn.prepare(kActiveCategory);
  st.bind_all(code);
  return st.step();
}

// The repeat-caller query for one actor's scope.
class RepeatFinder {
 public:
  RepeatFinder(db::Connection& conn, const casework::Actor& actor, TimeMs now) : conn_(conn), actor_(actor), now_(now) {}

  RepeatInfo find(const Fingerprints& fp) {
    RepeatInfo info;
    // An actor without an office subtree sees no contacts, so there is nothing to report.
    if (fp.empty() || actor_.office_path.empty()) return info;
    lower_ = actor_.office_path;
    upper_ = casework::subtree_upper_bound(actor_.office_path);
    std::set<std::int64_t> contacts, cases;
    for (const auto& h : fp.phone) collect(kMatchesByPhone, h, contacts, cases);
    for (const auto& h : fp.id_number) collect(kMatchesByIdNumber, h, contacts, cases);
    info.prior_contacts = static_cast<int>(contacts.size());
    for (auto id : cases) {
      auto st = conn_.prepare(kCaseBrief);
      st.bind_all(id);
      if (!st.step() || !in_scope(st.text(6))) continue;
      PriorCase c{st.int64(0), st.text(1), st.text(2), st.text(3), st.text(4), st.int64(5), st.opt_int64(7), ""};
      const auto status = casework::parse_status(c.status);
      c.repeat_reason = repeat_candidate_reason(status && casework::is_ended(*status), c.closed_at, now_);
      c.no_further_acceptance = casework::ReviewService::is_final(conn_, c.id);
      info.prior_cases.push_back(std::move(c));
    }
    std::sort(info.prior_cases.begin(), info.prior_cases.end(), [](const auto& a, const auto& b) {
      return a.received_at != b.received_at ? a.received_at > b.received_at : a.id > b.id;
    });
    if (info.prior_cases.size() > kMaxPriorCases) info.prior_cases.resize(kMaxPriorCases);
    return info;
  }

 private:
  // The same comparison SQLite makes for `path >= lower AND path < upper` (binary collation).
  bool in_scope(const std::string& path) const { return path >= lower_ && path < upper_; }

  void collect(std::string_view sql, const std::optional<std::string>& hash, std::set<std::int64_t>& contacts,
               std::set<std::int64_t>& cases) {
    if (!hash) return;
    auto st = conn_.prepare(sql);
    st.bind_blob(1, *hash);
    while (st.step()) {
      if (in_scope(st.text(2))) contacts.insert(st.int64(0));
      if (auto c = st.opt_int64(1)) cases.insert(*c);
    }
  }

  std::string lower_, upper_;
  db::Connection& conn_;
  const casework::Actor& actor_;
  TimeMs now_;
};

// The checks of a repeat's case and of the office with jurisdiction, which need the database.
// Returns the case to link the contact to (the repeat's case when it is the actor's office's own).
Result<std::optional<std::int64_t>> check_links(db::Connection& conn, const IntakeRequest& request,
                                                const casework::Actor& actor, TimeMs now) {
  std::optional<std::int64_t> link = request.case_id;
  if (link) {
    if (auto linked = casework::CaseRepository::get(conn, *link, actor); !linked) return std::unexpected(linked.error());
  }
  if (request.jurisdiction_office_id) {
    const auto office = casework::OfficeRepository::get(conn, *request.jurisdiction_office_id);
    // Strictly below: its path extends the actor's (an office's path ends with its own id and '/').
    if (!office || !office->active || office->path.size() <= actor.office_path.size() ||
        !office->path.starts_with(actor.office_path))
      return fail(Errc::invalid_input, "the intake has invalid fields",
                  {{"jurisdiction_office_id", "must be an active office below yours"}});
  }
  if (request.repeat_of_case_id) {
    auto repeated = casework::CaseRepository::get(conn, *request.repeat_of_case_id, actor);
    if (!repeated)
      return fail(Errc::invalid_input, "the intake has invalid fields",
                  {{"repeat_of_case_id", "no such case in your scope"}});
    if (repeat_candidate_reason(casework::is_ended(repeated->status), repeated->closed_at, now).empty())
      return fail(Errc::conflict, "the case was closed more than 12 months ago: not a repeat; record a new matter",
                  {{"repeat_of_case_id", "closed more than 12 months ago: not a repeat"}});
    if (repeated->office_id == *actor.office_id) link = repeated->id;
  }
  return link;
}

}  // namespace

Result<IntakeResult> IntakeService::record(db::Connection& conn, const IntakeRequest& request,
                                           const casework::Actor& actor) const {
  if (!actor.is_staff() || !actor.office_id)
    return fail(Errc::forbidden, "only hotline operators and supervisors record contacts");
  const TimeMs now = clock_.now_ms();

  // Everything that can be wrong is found before the first write, so a failure leaves no trace
  // even when the caller runs this outside a savepoint.
  std::map<std::string, std::string> bad;
  if (auto valid = validate(request, now); !valid) bad = std::move(valid.error().fields);
  if (!bad.contains("category") && !request.category.empty() && !category_active(conn, request.category))
    bad["category"] = "unknown or inactive category";
  if (request.call_id && !casework::CallLog::can_link(conn, *request.call_id, actor.user_id))
    bad["call_id"] = "not a call rung at your desk, or already recorded";
  if (!bad.empty()) return fail(Errc::invalid_input, "the intake has invalid fields", std::move(bad));
  auto links = check_links(conn, request, actor, now);
  if (!links) return std::unexpected(links.error());
  std::optional<std::int64_t> case_id = *links;

  const std::vector<casework::NewPerson> people = person_rows(request, identity_);
  Fingerprints fp;  // two slots each suffice: person_rows yields one complainant and one victim at most
  std::size_t next_phone = 0, next_id = 0;
  for (const casework::NewPerson& p : people) {
    if (p.role == "respondent") continue;  // matching is about who asks for help, not whom they name
    if (p.phone) fp.phone[next_phone++] = p.phone->fingerprint;
    if (p.id_number) fp.id_number[next_id++] = p.id_number->fingerprint;
  }

  IntakeResult result;
  result.repeat = RepeatFinder(conn, actor, now).find(fp);

  const bool non_data = is_non_data_call(request);
  const TimeMs received_at = request.received_at.value_or(now);
  // A repeat opens nothing: the contact joins the case it repeats.
  if (!non_data && request.resolution == "open_case" && !request.repeat_of_case_id) {
    casework::NewCase input;
    input.office_id = *actor.office_id;
    input.category = request.category;
    input.channel = request.channel;
    input.urgency = request.urgency;
    input.summary = request.summary;
    input.narrative = request.narrative;
    input.received_at = received_at;
    input.build_search_document = false;  // built below, once the people are linked
    auto opened = casework::CaseService(clock_).open_case(conn, input, actor);
    if (!opened) return std::unexpected(opened.error());
    case_id = opened->id;
    result.opened_case = std::move(*opened);
  }

  casework::NewContact contact;
  contact.office_id = *actor.office_id;
  contact.case_id = case_id;
  contact.channel = request.channel;
  contact.call_type = non_empty(request.call_type);
  contact.received_at = received_at;
  contact.duration_s = request.duration_s;
  contact.persons = request.persons;
  contact.category = non_empty(request.category);
  contact.urgency = request.urgency;
  contact.resolution = non_data ? std::string("none") : request.resolution;
  contact.summary = request.summary;
  contact.narrative = request.narrative;
  contact.answer = request.answer;
  if (actor.user_id > 0) contact.operator_id = actor.user_id;
  contact.created_at = now;
  contact.consultation_kind = non_empty(request.consultation_kind);
  contact.repeat_of_case_id = request.repeat_of_case_id;
  contact.level_skipping = request.level_skipping;
  contact.jurisdiction_office_id = request.jurisdiction_office_id;
  result.contact_id = casework::ContactRepository::insert(conn, contact);
  for (const casework::NewPerson& p : people) casework::ContactRepository::insert_person(conn, result.contact_id, case_id, p);
  if (request.call_id)
    if (auto linked = casework::CallLog::link_contact(conn, *request.call_id, actor.user_id, result.contact_id); !linked)
      return std::unexpected(linked.error());

  // The case's search document includes the names of its people, linked just above; open_case
  // was told not to build it without them.
  if (case_id) casework::refresh_search_document(conn, *case_id);
  if (!result.opened_case) result.linked_case_id = case_id;
  result.group_visit = is_group_visit(request.channel, request.persons);
  return result;
}

Result<CallerHistory> IntakeService::lookup_caller(db::Connection& conn, std::string_view raw_phone,
                                                const casework::Actor& actor) const {
  if (!actor.is_staff()) return fail(Errc::forbidden, "only hotline operators and supervisors look up callers");
  auto fingerprint = identity_.fingerprint_typed_phone(raw_phone);
  if (!fingerprint)
    return fail(Errc::invalid_input, "not a phone number",
                {{"phone", "not a phone number (mobile, landline with area code, or service number)"}});
  Fingerprints fp;
  fp.phone[0] = *fingerprint;
  CallerHistory history;
  static_cast<RepeatInfo&>(history) = RepeatFinder(conn, actor, clock_.now_ms()).find(fp);
  if (!actor.office_path.empty())
    read_caller_history(conn, *fingerprint, actor.office_path, casework::subtree_upper_bound(actor.office_path), history);
  return history;
}

}  // namespace hl::intake
