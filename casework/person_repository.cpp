#include "casework/person_repository.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kForCase =
    "SELECT id, contact_id, role, name, gender, age, region_code, relationship, phone_enc, id_number_enc, ok_to_call,"
    " safe_times_enc, safe_note_enc FROM persons WHERE case_id = ?1 ORDER BY contact_id, id";
constexpr std::string_view kConsent =
    "SELECT 1 FROM referrals WHERE case_id = ?1 AND partner_id = ?2 AND consent_given = 1"
    " AND status IN ('sent','accepted','in_progress')";

}  // namespace

std::vector<PersonRecord> PersonRepository::for_case(db::Connection& conn, std::int64_t case_id) {
  std::vector<PersonRecord> out;
  auto st = conn.prepare(kForCase);
  st.bind_all(case_id);
  while (st.step()) {
    PersonRecord p;
    p.id = st.int64(0);
    p.contact_id = st.int64(1);
    p.role = st.text(2);
    p.name = st.text(3);
    p.gender = st.opt_text(4);
    p.age = st.opt_int64(5);
    p.region_code = st.opt_text(6);
    p.relationship = st.text(7);
    if (!st.is_null(8)) p.phone_enc = st.blob(8);
    if (!st.is_null(9)) p.id_number_enc = st.blob(9);
    if (!st.is_null(10)) p.ok_to_call = st.int64(10) != 0;
    if (!st.is_null(11)) p.safe_times_enc = st.blob(11);
    if (!st.is_null(12)) p.safe_note_enc = st.blob(12);
    out.push_back(std::move(p));
  }
  return out;
}

bool PersonRepository::partner_has_consent(db::Connection& conn, std::int64_t case_id, std::int64_t partner_id) {
  auto st = conn.prepare(kConsent);
  st.bind_all(case_id, partner_id);
  return st.step();
}

}  // namespace hl::casework
