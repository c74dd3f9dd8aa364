#pragma once
// A case as the API shows it: the record, names for its ids, the people with phones revealed or
// masked for this viewer, its running deadlines and the events the viewer may apply now.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "casework/case_contact_flags.hpp"
#include "casework/actor.hpp"
#include "casework/case_procedure.hpp"
#include "casework/case_query.hpp"
#include "casework/case_record.hpp"
#include "casework/case_supervision.hpp"
#include "casework/person_repository.hpp"
#include "casework/case_timeline.hpp"
#include "casework/vocabulary.hpp"
#include "casework/person_identity.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::web {

// The other end of a transfer (交办 / 转送), as either office may see it.
struct CaseLink {
  std::int64_t id = 0;
  std::string case_no;
  std::int64_t office_id = 0;
  std::string office_name;
  std::string status;
  std::optional<std::string> outcome;
  std::optional<TimeMs> closed_at;
};

struct CaseView {
  casework::CaseRecord record;
  std::string office_name;
  std::string office_phone;  // the number the handling office answers ("" when none is set)
  std::optional<std::string> assignee_name;
  std::vector<casework::PersonRecord> persons;
  bool partner_view = false;
  bool reveal_phones = true;
  std::vector<casework::CaseEvent> available;  // empty when read_only
  // true: readable through a transfer grant only (the sending office following the case).
  bool read_only = false;
  std::optional<CaseLink> transferred_to, transferred_from;
  // The notices, reply, extension and 转送 / 交办 records (staff views only).
  casework::CaseProcedure procedure;
  std::optional<std::string> extension_approver_name;
  // 存档: when the case was archived (read-only since then: no events offered).
  std::optional<TimeMs> archived_at;
  // Group visit, repeats and level-skipping from the case's contacts (staff views only).
  casework::CaseContactFlags contact_flags;
  // 督办 (staff views only): every one of the case, and what this viewer may do about them.
  std::vector<casework::SupervisionRecord> supervisions;
  bool may_supervise = false;
  bool may_answer_supervision = false;
};

// Scoped load (not_found outside the actor's scope). Runs on any connection.
Result<CaseView> load_case_view(db::Connection& conn, std::int64_t case_id, const casework::Actor& actor);

// `partner_view`: without `risk_level` (a DV assessment stays with the office; casework/partner_access.hpp).
nlohmann::json case_summary_json(const casework::CaseRecord& c, const std::optional<std::string>& assignee_name, TimeMs now,
                                 bool partner_view = false);
nlohmann::json case_json(const CaseView& view, const casework::PersonIdentity& identity, TimeMs now);
nlohmann::json case_page_json(const casework::CasePage& page, TimeMs now, bool partner_view = false);
nlohmann::json timeline_json(const std::vector<casework::TimelineItem>& items);
// procedure_json.cpp: "deadlines" and the procedure's fields of a case (notices, reply, extension, transfers).
nlohmann::json deadlines_json(const CaseView& view, TimeMs now);
void add_procedure_json(nlohmann::json& out, const CaseView& view);
// One 督办 as the case view and the supervision routes show it.
nlohmann::json supervision_json(const casework::SupervisionRecord& s, TimeMs now);

}  // namespace hl::web
