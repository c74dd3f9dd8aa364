#pragma once
// Contacts (件: one call, visit, letter, screening or ledger row) and the persons named in them: the
// one place that writes the contacts and persons tables. Intake, the ledger import and the demo data
// all come through here, so a contact means the same whoever recorded it.
//
// Phone and ID numbers arrive already protected (PersonIdentity): ciphertext and fingerprint; so do
// the safe-contact rules (ciphertext only).
#include <cstdint>
#include <optional>
#include <string>

#include "casework/person_identity.hpp"
#include "core/clock.hpp"
#include "core/db/connection.hpp"

namespace hl::casework {

struct NewContact {
  std::int64_t office_id = 0;
  std::optional<std::int64_t> case_id;  // the case it opened or follows up; none for a consultation
  std::string channel;
  std::optional<std::string> call_type;  // hotline calls only
  TimeMs received_at = 0;
  std::optional<int> duration_s;
  int persons = 1;  // 人次
  std::optional<std::string> category;
  std::string urgency = "normal";
  std::string resolution;  // answered | open_case | none (calls without data)
  std::string summary, narrative, answer;
  std::optional<std::int64_t> operator_id;
  TimeMs created_at = 0;
  // Schema 015 (what the reports count): the kind of an on-the-spot consultation; the case a repeat
  // contact (重复访) is about; a level-skipping contact (越级访) and the office with jurisdiction.
  std::optional<std::string> consultation_kind;
  std::optional<std::int64_t> repeat_of_case_id;
  bool level_skipping = false;
  std::optional<std::int64_t> jurisdiction_office_id;
};

struct NewPerson {
  std::string role;  // complainant | victim | respondent
  std::string name;
  std::optional<std::string> gender, region_code;
  std::optional<int> age;
  std::string relationship;
  std::optional<ProtectedNumber> phone, id_number;
  std::optional<bool> ok_to_call;
  // PersonIdentity::protect_safe_times / protect_safe_note: nullopt when nothing was said.
  std::optional<std::string> safe_times_enc, safe_note_enc;
};

class ContactRepository {
 public:
  // Inserts the contact and returns its id. Runs in the caller's transaction or savepoint; the
  // caller has validated the values (the table's CHECK constraints are the last guard).
  static std::int64_t insert(db::Connection& conn, const NewContact& contact);
  // Inserts a person of a contact (and of its case, when it has one).
  static void insert_person(db::Connection& conn, std::int64_t contact_id, std::optional<std::int64_t> case_id,
                            const NewPerson& person);
  // Links copies of every person of case `from` to case `to` (a transfer: the receiving office needs
  // the people to call back and to recognise repeat callers); the copies keep their contact.
  static void copy_persons(db::Connection& conn, std::int64_t from_case_id, std::int64_t to_case_id);
};

}  // namespace hl::casework
