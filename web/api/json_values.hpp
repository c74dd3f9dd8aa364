#pragma once
// Optional values as JSON, one way everywhere: absent is null, a time is ISO 8601 with its offset
// (Beijing time), a date is YYYY-MM-DD of Beijing time.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "core/local_time.hpp"

namespace hl::web {

inline nlohmann::json opt(const std::optional<std::int64_t>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }
inline nlohmann::json opt(const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }
inline nlohmann::json opt(const std::optional<bool>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }
inline nlohmann::json opt(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }
inline nlohmann::json opt_time(const std::optional<TimeMs>& t) {
  return t ? nlohmann::json(format_iso8601(*t)) : nlohmann::json(nullptr);
}
inline nlohmann::json opt_date(const std::optional<TimeMs>& t) {
  return t ? nlohmann::json(format_date(local_date(*t))) : nlohmann::json(nullptr);
}
// Empty text as null.
inline nlohmann::json opt_text(const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); }

}  // namespace hl::web
