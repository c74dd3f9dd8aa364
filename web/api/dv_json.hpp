#pragma once
// The JSON of the domestic-violence endpoints, in and out, shared by dv_routes.cpp (record, risk,
// safety plan, repeat victimisation) and dv_measure_routes.cpp (protection orders, warning
// letters, shelter stays, mandatory reports). Shapes: web/API.md.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "casework/dv_events.hpp"
#include "casework/dv_instrument.hpp"
#include "casework/dv_protection_order.hpp"
#include "casework/dv_record.hpp"
#include "casework/dv_repeat.hpp"
#include "casework/dv_risk_assessment.hpp"
#include "casework/dv_safety_plan.hpp"
#include "core/error.hpp"
#include "web/api/json_body.hpp"
#include "web/http/request.hpp"

namespace hl::web::dv {

using nlohmann::json;

// ---- out
json person(const std::optional<std::int64_t>& id, const std::optional<std::string>& name);
json record_json(const casework::DvRecord& r);
json instrument_json(const casework::Instrument& in);
json assessment_json(const casework::RiskAssessment& a);
json plan_version_json(const casework::SafetyPlanVersion& v);
json safety_plan_json(const casework::SafetyPlanView& v);
json breach_json(const casework::SafetyPlanBreach& b);
json order_json(const casework::ProtectionOrder& o, TimeMs now);
json letter_json(const casework::WarningLetter& w);
json stay_json(const casework::ShelterStay& s);
json report_json(const casework::MandatoryReport& r);
json repeat_json(const casework::RepeatVictimisation& r, TimeMs now);

// {"items": [one(x) for x in items]}
template <class T, class F>
json items_json(const std::vector<T>& items, F one) {
  json out = json::array();
  for (const auto& x : items) out.push_back(one(x));
  return {{"items", out}};
}

// ---- in
// The array `name` of `obj`, or nullptr when absent or null; anything else is a type error.
inline const json* array_field(const json& obj, JsonFields& f, const std::string& name) {
  auto it = obj.find(name);
  if (it == obj.end() || it->is_null()) return nullptr;
  if (!it->is_array()) {
    f.problems()[name] = "must be an array";
    return nullptr;
  }
  return &*it;
}

// Calls one(element, fields-for-element, index) for each object of the array; non-objects are
// type errors named "list[i]".
template <class One>
void each_object(const json& obj, JsonFields& f, const std::string& name, One one) {
  const json* arr = array_field(obj, f, name);
  if (arr == nullptr) return;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const std::string path = name + "[" + std::to_string(i) + "]";
    if (!(*arr)[i].is_object()) {
      f.problems()[path] = "must be an object";
      continue;
    }
    auto item = f.nested((*arr)[i], path.c_str());
    one((*arr)[i], item, i);
  }
}

// The query parameter as a whole number: 422 naming it when malformed.
Result<std::optional<std::int64_t>> int_query(const HttpRequest& r, const char* name);

}  // namespace hl::web::dv
