#include "casework/contact_repository.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kInsertContact =
    "INSERT INTO contacts(office_id, case_id, channel, call_type, received_at, duration_s, persons, category,"
    " urgency, resolution, summary, narrative, answer, operator_id, created_at,"
    " consultation_kind, repeat_of_case_id, level_skipping, jurisdiction_office_id)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)";

constexpr std::string_view kInsertPerson =
    "INSERT INTO persons(contact_id, case_id, role, name, gender, age, region_code, relationship, phone_enc,"
    " phone_hash, id_number_enc, id_number_hash, ok_to_call, safe_times_enc, safe_note_enc)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";

constexpr std::string_view kCopyPersons =
    "INSERT INTO persons(contact_id, case_id, role, name, gender, age, region_code, relationship, phone_enc, phone_hash,"
    " id_number_enc, id_number_hash, ok_to_call, safe_times_enc, safe_note_enc)"
    " SELECT contact_id, ?2, role, name, gender, age, region_code, relationship, phone_enc, phone_hash, id_number_enc,"
    " id_number_hash, ok_to_call, safe_times_enc, safe_note_enc FROM persons WHERE case_id = ?1 ORDER BY id";

// Ciphertexts and fingerprints are bytes: bound as blobs, NULL when absent.
void bind_bytes(db::Statement& st, int index, const std::optional<ProtectedNumber>& n, bool fingerprint) {
  if (!n) st.bind(index, nullptr);
  else st.bind_blob(index, fingerprint ? n->fingerprint : n->ciphertext);
}

void bind_sealed(db::Statement& st, int index, const std::optional<std::string>& ciphertext) {
  if (ciphertext) st.bind_blob(index, *ciphertext);
  else st.bind(index, nullptr);
}

}  // namespace

std::int64_t ContactRepository::insert(db::Connection& conn, const NewContact& c) {
  conn.prepare(kInsertContact)
      .bind_all(c.office_id, c.case_id, c.channel, c.call_type, c.received_at, c.duration_s, c.persons, c.category,
                c.urgency, c.resolution, c.summary, c.narrative, c.answer, c.operator_id, c.created_at,
                c.consultation_kind, c.repeat_of_case_id, c.level_skipping ? 1 : 0, c.jurisdiction_office_id)
      .run();
  return conn.last_insert_rowid();
}

void ContactRepository::insert_person(db::Connection& conn, std::int64_t contact_id, std::optional<std::int64_t> case_id,
                                      const NewPerson& p) {
  auto st = conn.prepare(kInsertPerson);
  st.bind_all(contact_id, case_id, p.role, p.name, p.gender, p.age, p.region_code, p.relationship);
  bind_bytes(st, 9, p.phone, false);
  bind_bytes(st, 10, p.phone, true);
  bind_bytes(st, 11, p.id_number, false);
  bind_bytes(st, 12, p.id_number, true);
  if (p.ok_to_call) st.bind(13, *p.ok_to_call ? 1 : 0);
  else st.bind(13, nullptr);
  bind_sealed(st, 14, p.safe_times_enc);
  bind_sealed(st, 15, p.safe_note_enc);
  st.run();
}

void ContactRepository::copy_persons(db::Connection& conn, std::int64_t from_case_id, std::int64_t to_case_id) {
  conn.prepare(kCopyPersons).bind_all(from_case_id, to_case_id).run();
}

}  // namespace hl::casework
