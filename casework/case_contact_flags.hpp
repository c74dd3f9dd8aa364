#pragma once
// What a case's contacts say about how the matter arrived (issue #13, schema 015): whether it came as
// a group visit (集体访, derived from persons), how many repeat contacts (重复访) it has had, and the
// office with jurisdiction named by a level-skipping contact (越级访) — which the case page offers as
// the target of 交办 / 转送.
#include <cstdint>
#include <optional>
#include <string>

#include "core/db/connection.hpp"

namespace hl::casework {

struct CaseContactFlags {
  bool group_visit = false;
  int repeat_contacts = 0;
  bool level_skipping = false;
  std::optional<std::int64_t> jurisdiction_office_id;  // of the earliest level-skipping contact
  std::string jurisdiction_office_name;
};

// The contacts linked to the case (case_id) or repeating it (repeat_of_case_id). No scope check:
// the caller has loaded the case through a scoped read.
CaseContactFlags load_case_contact_flags(db::Connection& conn, std::int64_t case_id);

}  // namespace hl::casework
