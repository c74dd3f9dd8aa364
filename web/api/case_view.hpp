#pragma once
// A case as the API shows it: the record, names for its ids, the people with phones revealed or
// masked for this viewer, its running deadlines and the events the viewer may apply now.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "casework/actor.hpp"
#include "casework/case_query.hpp"
#include "casework/case_record.hpp"
#include "casework/person_repository.hpp"
#include "casework/case_timeline.hpp"
#include "casework/vocabulary.hpp"
#include "core/crypto/field_cipher.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::web {

struct CaseView {
  casework::CaseRecord record;
  std::string office_name;
  std::optional<std::string> assignee_name;
  std::vector<casework::PersonRecord> persons;
  bool partner_view = false;
  bool reveal_phones = true;
  std::vector<casework::CaseEvent> available;
};

// Scoped load (not_found outside the actor's scope). Runs on any connection.
Result<CaseView> load_case_view(db::Connection& conn, std::int64_t case_id, const casework::Actor& actor);

nlohmann::json case_summary_json(const casework::CaseRecord& c, const std::optional<std::string>& assignee_name, TimeMs now);
nlohmann::json case_json(const CaseView& view, const crypto::FieldCipher& cipher, TimeMs now);
nlohmann::json case_page_json(const casework::CasePage& page, TimeMs now);
nlohmann::json timeline_json(const std::vector<casework::TimelineItem>& items);

}  // namespace hl::web
