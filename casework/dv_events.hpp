#pragma once
// The DV interventions recorded on a case, each a row plus a case event on the timeline:
// police warning letters (家庭暴力告诫书, event `warning_letter`), temporary shelter stays with civil
// affairs (临时庇护, `shelter_stay`) and mandatory reports (强制报告, `mandatory_report`) by the
// bodies the law obliges to report. Staff only; writes run on the single writer.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "casework/actor.hpp"
#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

struct WarningLetter {
  std::int64_t id = 0;
  std::int64_t case_id = 0;
  std::int64_t police_partner_id = 0;
  std::string police_name;
  TimeMs issued_at = 0;
  std::string note;
  std::string document_no;  // 告诫书文号, when known
  std::optional<std::int64_t> created_by;
  TimeMs created_at = 0;
};

struct ShelterStay {
  std::int64_t id = 0;
  std::int64_t case_id = 0;
  std::int64_t partner_id = 0;
  std::string partner_name;
  TimeMs from = 0;
  std::optional<TimeMs> to;  // nullopt while she is still there
  std::string note;
  std::optional<std::int64_t> created_by;
  TimeMs created_at = 0;
};

struct MandatoryReport {
  std::int64_t id = 0;
  std::int64_t case_id = 0;
  std::string reporter_type;  // dv_reporter_types()
  std::string reporter_name;
  TimeMs reported_at = 0;
  std::optional<std::int64_t> police_partner_id;
  std::optional<std::string> police_name;
  std::string note;
  std::optional<std::int64_t> created_by;
  TimeMs created_at = 0;
};

struct NewWarningLetter {
  std::int64_t police_partner_id = 0;
  TimeMs issued_at = 0;
  std::string note;
  std::string document_no = {};
};

struct NewShelterStay {
  std::int64_t partner_id = 0;
  TimeMs from = 0;
  std::optional<TimeMs> to;
  std::string note;
};

struct NewMandatoryReport {
  std::string reporter_type, reporter_name;
  TimeMs reported_at = 0;
  std::optional<std::int64_t> police_partner_id;
  std::string note;
};

class DvEventService {
 public:
  explicit DvEventService(const Clock& clock) : clock_(clock) {}

  // invalid_input naming the field: police_partner_id not an active police partner, issued_at
  // missing or in the future, note too long. not_found out of scope; transition_not_allowed closed.
  Result<WarningLetter> add_warning_letter(db::Connection& conn, std::int64_t case_id, const NewWarningLetter& in,
                                           const Actor& actor) const;
  // partner_id must be an active civil-affairs partner; `to`, when given, not before `from`.
  Result<ShelterStay> add_shelter_stay(db::Connection& conn, std::int64_t case_id, const NewShelterStay& in,
                                       const Actor& actor) const;
  // Records when an ongoing stay ended: `to` not before its start nor in the future; an ended stay is
  // transition_not_allowed (naming "to"). Event `shelter_stay_ended`.
  Result<ShelterStay> end_shelter_stay(db::Connection& conn, std::int64_t stay_id, TimeMs to, const Actor& actor) const;
  // reporter_type from dv_reporter_types(); police_partner_id, when given, an active police partner.
  Result<MandatoryReport> add_mandatory_report(db::Connection& conn, std::int64_t case_id, const NewMandatoryReport& in,
                                               const Actor& actor) const;

  static Result<std::vector<WarningLetter>> warning_letters(db::Connection& conn, std::int64_t case_id, const Actor& actor);
  static Result<std::vector<ShelterStay>> shelter_stays(db::Connection& conn, std::int64_t case_id, const Actor& actor);
  static Result<std::vector<MandatoryReport>> mandatory_reports(db::Connection& conn, std::int64_t case_id,
                                                                const Actor& actor);

 private:
  const Clock& clock_;
};

}  // namespace hl::casework
