#include "casework/dv_vocabulary.hpp"

#include <array>

namespace hl::casework {
namespace {

constexpr std::array<std::string_view, 10> kForms = {"beating", "binding", "maiming", "restricting_freedom",
                                                    "starving_freezing", "frequent_insults", "defamation", "threats",
                                                    "stalking", "harassment"};
constexpr std::array<std::string_view, 5> kFrequencies = {"once", "occasional", "monthly", "weekly", "daily"};
constexpr std::array<std::string_view, 11> kRelationships = {"spouse", "former_spouse", "cohabiting_partner",
                                                            "former_partner", "parent", "child", "sibling", "in_law",
                                                            "other_family", "guardian", "other"};
constexpr std::array<std::string_view, 2> kCohabitations = {"cohabiting", "separated"};
constexpr std::array<std::string_view, 9> kReporterTypes = {"school", "kindergarten", "hospital", "residents_committee",
                                                           "villagers_committee", "social_work", "relief_agency",
                                                           "welfare_agency", "other"};
constexpr std::array<std::string_view, 4> kLevels = {"general", "elevated", "high", "extreme"};

}  // namespace

std::span<const std::string_view> dv_violence_forms() { return kForms; }
std::span<const std::string_view> dv_frequencies() { return kFrequencies; }
std::span<const std::string_view> dv_relationships() { return kRelationships; }
std::span<const std::string_view> dv_cohabitations() { return kCohabitations; }
std::span<const std::string_view> dv_reporter_types() { return kReporterTypes; }
std::span<const std::string_view> dv_risk_levels() { return kLevels; }
bool dv_level_needs_safety_plan(std::string_view level) { return level == "high" || level == "extreme"; }

}  // namespace hl::casework
