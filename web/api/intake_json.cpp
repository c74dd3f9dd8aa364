// POST /api/v1/intakes: the JSON body as an intake::IntakeRequest.
#include "web/api/intake_json.hpp"

#include <nlohmann/json.hpp>

#include "core/local_time.hpp"
#include "web/api/json_body.hpp"

namespace hl::web {
namespace {

intake::PersonInput person(JsonFields f) {
  intake::PersonInput p;
  p.name = f.text("name").value_or("");
  p.phone = f.text("phone").value_or("");
  p.gender = f.text("gender").value_or("");
  p.region_code = f.text("region_code").value_or("");
  p.id_number = f.text("id_number").value_or("");
  p.relationship_to_victim = f.text("relationship_to_victim").value_or("");
  p.age = f.int32("age");
  return p;
}

}  // namespace

Result<intake::IntakeRequest> parse_intake(const std::string& raw) {
  auto body = parse_object(raw);
  if (!body) return std::unexpected(body.error());
  JsonFields f(*body);
  intake::IntakeRequest in;
  in.channel = f.text("channel").value_or("");
  in.call_type = f.text("call_type").value_or("");
  if (auto at = f.text("received_at")) {
    if (auto t = parse_iso8601(*at)) in.received_at = *t;
    else f.problems()["received_at"] = "must be an ISO 8601 time with offset";
  }
  in.duration_s = f.int32("duration_s");
  in.persons = f.int32("persons").value_or(1);
  for (const char* role : {"complainant", "victim"}) {
    if (const auto* o = f.object(role)) {
      auto nested = f.nested(*o, role);
      auto p = person(nested);
      if (const auto* sc = nested.object("safe_contact")) {
        auto safe = nested.nested(*sc, "safe_contact");
        p.safe_contact = {safe.flag("ok_to_call"), safe.text("safe_times").value_or(""), safe.text("note").value_or("")};
      }
      (std::string(role) == "complainant" ? in.complainant : in.victim) = p;
    }
  }
  if (const auto* o = f.object("respondent")) {
    auto nested = f.nested(*o, "respondent");
    in.respondent = intake::RespondentInput{nested.text("name").value_or(""), nested.text("relationship").value_or("")};
  }
  in.category = f.text("category").value_or("");
  in.summary = f.text("summary").value_or("");
  in.narrative = f.text("narrative").value_or("");
  in.urgency = f.text("urgency").value_or("normal");
  in.resolution = f.text("resolution").value_or("");
  in.answer = f.text("answer").value_or("");
  in.case_id = f.integer("case_id");
  in.consultation_kind = f.text("consultation_kind").value_or("");
  in.repeat_of_case_id = f.integer("repeat_of_case_id");
  in.new_matter = f.flag("new_matter").value_or(false);
  in.level_skipping = f.flag("level_skipping").value_or(false);
  in.jurisdiction_office_id = f.integer("jurisdiction_office_id");
  in.call_id = f.integer("call_id");
  if (auto typed = f.result(); !typed) return std::unexpected(typed.error());
  return in;
}

}  // namespace hl::web
