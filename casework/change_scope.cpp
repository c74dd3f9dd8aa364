#include "casework/change_scope.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kCaseOffice = "SELECT office_path FROM cases WHERE id = ?1";
constexpr std::string_view kCasePartners =
    "SELECT DISTINCT partner_id FROM referrals WHERE case_id = ?1 AND status IN ('sent','accepted','in_progress')";
constexpr std::string_view kContactOffice =
    "SELECT o.path FROM contacts k JOIN offices o ON o.id = k.office_id WHERE k.id = ?1";

}  // namespace

std::optional<ChangeScope> scope_of_change(db::Connection& conn, std::string_view object_type, std::int64_t object_id) {
  ChangeScope c;
  if (object_type == "case") {
    c.case_id = object_id;
    auto office = conn.prepare(kCaseOffice);
    office.bind_all(object_id);
    if (!office.step()) return std::nullopt;
    c.office_path = office.text(0);
    auto partners = conn.prepare(kCasePartners);
    partners.bind_all(object_id);
    while (partners.step()) c.partner_ids.push_back(partners.int64(0));
    return c;
  }
  if (object_type == "contact") {
    c.contact_id = object_id;
    auto office = conn.prepare(kContactOffice);
    office.bind_all(object_id);
    if (!office.step()) return std::nullopt;
    c.office_path = office.text(0);
    return c;
  }
  return std::nullopt;
}

}  // namespace hl::casework
