#pragma once
// Safety plans (安全计划): a checklist of steps, emergency contacts, the rules for contacting her
// safely (may we call, when, the code word) and places to go. Every edit stores a new version and
// keeps the old ones. A case at high or extreme risk without any plan is a breach, listed for the
// supervisor. Staff only.
//
// Everything written in a plan says where she will be or who and when to call, so every text is
// stored only encrypted (FieldCipher, one context per column so a ciphertext moved to another column
// does not decrypt): step texts, contacts' names, phones and relations, the safe times, the code
// word, places' names, addresses and notes. Only the flags (done, ok_to_call), positions, versions
// and authors are plain; nothing searches or filters on the encrypted texts.
//
// Shared between threads: safe, it holds references to immutable collaborators only.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "casework/actor.hpp"
#include "core/clock.hpp"
#include "core/crypto/field_cipher.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

struct SafetyStep {
  std::string text;
  bool done = false;
};

struct EmergencyContact {
  std::string name, phone, relation;
};

struct SafeContactRules {
  std::optional<bool> ok_to_call;
  std::string safe_times, code_word;
};

struct SafePlace {
  std::string name, address, note;
};

struct SafetyPlanContent {
  std::vector<SafetyStep> steps;
  std::vector<EmergencyContact> emergency_contacts;
  SafeContactRules safe_contact;
  std::vector<SafePlace> places;
};

struct SafetyPlanVersion {
  std::int64_t version = 0;
  TimeMs created_at = 0;
  std::optional<std::int64_t> author_id;
  std::optional<std::string> author_name;
};

struct SafetyPlan {
  std::int64_t case_id = 0;
  SafetyPlanVersion meta;  // the version shown
  SafetyPlanContent content;
};

// What GET answers: the plan (nullopt before the first one), whether the case's risk requires one,
// and every version (newest first).
struct SafetyPlanView {
  std::int64_t case_id = 0;
  std::optional<SafetyPlan> plan;
  std::int64_t current_version = 0;  // 0: no plan yet
  std::string risk_level;
  bool required = false;
  std::vector<SafetyPlanVersion> versions;
};

struct SafetyPlanBreach {
  std::int64_t case_id = 0;
  std::string case_no, status, risk_level;
  std::int64_t office_id = 0;
  TimeMs received_at = 0;
  std::optional<TimeMs> assessed_at;  // the latest assessment
  std::optional<std::int64_t> assignee_id;
  std::optional<std::string> assignee_name;
};

class SafetyPlanService {
 public:
  inline static constexpr std::string_view kPhoneContext = "dv_safety_plan.phone";
  inline static constexpr std::string_view kCodeWordContext = "dv_safety_plan.code_word";
  inline static constexpr std::string_view kSafeTimesContext = "dv_safety_plan.safe_times";
  inline static constexpr std::string_view kStepTextContext = "dv_safety_plan.step_text";
  inline static constexpr std::string_view kContactNameContext = "dv_safety_plan.contact_name";
  inline static constexpr std::string_view kContactRelationContext = "dv_safety_plan.contact_relation";
  inline static constexpr std::string_view kPlaceNameContext = "dv_safety_plan.place_name";
  inline static constexpr std::string_view kPlaceAddressContext = "dv_safety_plan.place_address";
  inline static constexpr std::string_view kPlaceNoteContext = "dv_safety_plan.place_note";

  SafetyPlanService(const Clock& clock, const crypto::FieldCipher& cipher) : clock_(clock), cipher_(cipher) {}

  // The current plan, or `version` when given (not_found for a version that does not exist).
  // not_found outside the staff actor's scope.
  Result<SafetyPlanView> get(db::Connection& conn, std::int64_t case_id, const Actor& actor,
                             std::optional<std::int64_t> version = std::nullopt) const;

  // Stores `content` as version expected_version + 1 (expected 0 for the first plan) and appends a
  // `safety_plan_updated` case event (its payload holds only the version). conflict when stale;
  // invalid_input naming fields like "steps[2].text" or "emergency_contacts[0].phone";
  // transition_not_allowed for a closed case.
  Result<SafetyPlanView> put(db::Connection& conn, std::int64_t case_id, std::int64_t expected_version,
                             const SafetyPlanContent& content, const Actor& actor) const;

  // Open cases in the staff actor's scope at high or extreme risk without a safety plan: extreme
  // first, then high, each longest-waiting (earliest latest assessment) first. not_found for
  // anyone else, as every DV read.
  static Result<std::vector<SafetyPlanBreach>> breaches(db::Connection& conn, const Actor& actor);

 private:
  const Clock& clock_;
  const crypto::FieldCipher& cipher_;
};

}  // namespace hl::casework
