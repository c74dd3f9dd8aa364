#include "casework/safe_contact_sealing.hpp"

#include <array>
#include <string>
#include <vector>

#include "casework/dv_safety_plan.hpp"
#include "casework/person_identity.hpp"
#include "core/db/db_error.hpp"
#include "core/db/erasure.hpp"
#include "core/db/transaction.hpp"

namespace hl::casework {
namespace {

// Where a moved value goes: migration_014_plaintext.source, the UPDATE that stores its ciphertext
// (?1) in the row it came from (row_id ?2, position ?3), and the context it is encrypted under.
struct Destination {
  std::string_view source, update, context;
};

using Plan = SafetyPlanService;
constexpr std::array<Destination, 9> kDestinations = {{
    {"persons.safe_times", "UPDATE persons SET safe_times_enc = ?1 WHERE id = ?2 AND ?3 = 0", kSafeTimesContext},
    {"persons.safe_note", "UPDATE persons SET safe_note_enc = ?1 WHERE id = ?2 AND ?3 = 0", kSafeNoteContext},
    {"dv_safety_plans.safe_times", "UPDATE dv_safety_plans SET safe_times_enc = ?1 WHERE id = ?2 AND ?3 = 0",
     Plan::kSafeTimesContext},
    {"dv_safety_plan_steps.text", "UPDATE dv_safety_plan_steps SET text_enc = ?1 WHERE plan_id = ?2 AND position = ?3",
     Plan::kStepTextContext},
    {"dv_safety_plan_contacts.name",
     "UPDATE dv_safety_plan_contacts SET name_enc = ?1 WHERE plan_id = ?2 AND position = ?3", Plan::kContactNameContext},
    {"dv_safety_plan_contacts.relation",
     "UPDATE dv_safety_plan_contacts SET relation_enc = ?1 WHERE plan_id = ?2 AND position = ?3",
     Plan::kContactRelationContext},
    {"dv_safety_plan_places.name", "UPDATE dv_safety_plan_places SET name_enc = ?1 WHERE plan_id = ?2 AND position = ?3",
     Plan::kPlaceNameContext},
    {"dv_safety_plan_places.address",
     "UPDATE dv_safety_plan_places SET address_enc = ?1 WHERE plan_id = ?2 AND position = ?3",
     Plan::kPlaceAddressContext},
    {"dv_safety_plan_places.note", "UPDATE dv_safety_plan_places SET note_enc = ?1 WHERE plan_id = ?2 AND position = ?3",
     Plan::kPlaceNoteContext},
}};

constexpr std::string_view kPending =
    "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'migration_014_plaintext'";
constexpr std::string_view kMoved = "SELECT source, row_id, position, value FROM migration_014_plaintext ORDER BY rowid";
constexpr std::string_view kDrop = "DROP TABLE migration_014_plaintext";

struct Moved {
  std::string source;
  std::int64_t row_id = 0, position = 0;
  std::string value;
};

const Destination* destination_of(std::string_view source) {
  for (const auto& d : kDestinations)
    if (d.source == source) return &d;
  return nullptr;
}

bool pending(db::Connection& conn) {
  auto st = conn.prepare(kPending);
  st.step();
  return st.int64(0) > 0;
}

}  // namespace

Result<int> seal_safe_contact_fields(db::Connection& conn, const crypto::FieldCipher& cipher) {
  if (!pending(conn)) return 0;
  int sealed = 0;
  std::string problem;
  try {
    const db::SecureDelete erasing(conn);
    db::Transaction tx(conn);
    std::vector<Moved> moved;
    {
      auto st = conn.prepare(kMoved);
      while (st.step()) moved.push_back({st.text(0), st.int64(1), st.int64(2), st.text(3)});
    }
    for (const auto& m : moved) {
      const Destination* d = destination_of(m.source);
      if (!d) {
        problem = "migration_014_plaintext names an unknown column " + m.source;
        break;
      }
      conn.prepare(d->update)
          .bind_blob(1, cipher.encrypt(m.value, d->context))
          .bind(2, m.row_id)
          .bind(3, m.position)
          .run();
      ++sealed;
    }
    if (problem.empty()) {
      conn.exec(kDrop);
      tx.commit();
    }
  } catch (const db::DbError& e) {
    problem = e.what();
  }
  if (!problem.empty())
    return fail(Errc::internal, "encrypting the safe-contact fields (migration 014) failed: " + problem);
  // The WAL still holds pages as they were before (plaintext included): copy the new ones into the
  // database and empty it. Nothing else has the database open yet, so the checkpoint is complete.
  conn.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  return sealed;
}

}  // namespace hl::casework
