#pragma once
// Typical intakes the tests start from and then vary: each is valid as it stands.
#include "intake/intake_request.hpp"

namespace hl::test {

// A hotline consultation answered on the spot.
inline intake::IntakeRequest consultation() {
  intake::IntakeRequest r;
  r.channel = "hotline";
  r.call_type = "consultation";
  r.duration_s = 420;
  r.category = "marriage_family.divorce";
  r.summary = "咨询离婚时夫妻共同财产如何分割";
  r.resolution = "answered";
  r.answer = "告知可协议离婚或向法院起诉，共同财产原则上均等分割";
  r.consultation_kind = "legal";
  intake::PersonInput caller;
  caller.name = "王芳";
  caller.phone = "138 0013 8000";
  caller.gender = "female";
  caller.age = 34;
  r.complainant = caller;
  return r;
}

// A domestic-violence call for help that opens a case; the complainant is the victim.
inline intake::IntakeRequest help_request() {
  intake::IntakeRequest r;
  r.channel = "hotline";
  r.call_type = "help_request";
  r.duration_s = 900;
  r.category = "marriage_family.domestic_violence";
  r.summary = "丈夫长期殴打，昨晚再次动手";
  r.narrative = "来电人称结婚八年，丈夫酒后多次殴打，希望申请人身安全保护令。";
  r.urgency = "urgent";
  r.resolution = "open_case";
  intake::PersonInput caller;
  caller.name = "李梅";
  caller.phone = "13800138000";
  caller.gender = "female";
  caller.age = 32;
  caller.region_code = "431023";
  caller.id_number = "431023198503071233";
  caller.relationship_to_victim = "本人";
  caller.safe_contact = {false, "工作日上午", "只发短信，不要来电"};
  r.complainant = caller;
  r.respondent = intake::RespondentInput{"张强", "丈夫"};
  return r;
}

// A silent hotline call: nothing but the fact that it happened.
inline intake::IntakeRequest silent_call() {
  intake::IntakeRequest r;
  r.channel = "hotline";
  r.call_type = "silent";
  r.duration_s = 15;
  return r;
}

}  // namespace hl::test
