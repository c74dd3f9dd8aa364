#pragma once
// The closed sets of the domestic-violence module and their wire names. The forms of violence are
// the list of the Anti-Domestic Violence Law and the 2022 Supreme People's Court provisions; the
// reporter types are the bodies the law obliges to report (强制报告).
#include <span>
#include <string_view>

namespace hl::casework {

std::span<const std::string_view> dv_violence_forms();
std::span<const std::string_view> dv_frequencies();     // once, occasional, monthly, weekly, daily
std::span<const std::string_view> dv_relationships();   // the victim's relationship to the abuser
std::span<const std::string_view> dv_cohabitations();   // cohabiting, separated
std::span<const std::string_view> dv_reporter_types();
// The DV risk levels from lowest to highest (general, elevated, high, extreme).
std::span<const std::string_view> dv_risk_levels();
// High and extreme need a safety plan and supervisor attention.
bool dv_level_needs_safety_plan(std::string_view level);

// The category whose cases count for repeat victimisation.
inline constexpr std::string_view kDvCategory = "marriage_family.domestic_violence";

}  // namespace hl::casework
