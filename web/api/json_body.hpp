#pragma once
// Reading request bodies: malformed JSON and wrong types are 400 bad_request naming the field;
// missing or invalid values are the domain's 422. Only web/ sees nlohmann::json.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace hl::web {

// Parses a body that must be a JSON object.
Result<nlohmann::json> parse_object(const std::string& body);

// Typed field access that records type errors in `bad` (field path → problem) instead of throwing.
class JsonFields {
 public:
  JsonFields(const nlohmann::json& object, std::string prefix = {});
  std::optional<std::string> text(const char* name);
  std::optional<std::int64_t> integer(const char* name);
  // A whole number that fits in an int (ages, durations, counts); "out of range" otherwise.
  std::optional<int> int32(const char* name);
  std::optional<bool> flag(const char* name);
  // An ISO 8601 time with offset, or a bare date YYYY-MM-DD (the start of that Beijing day).
  std::optional<TimeMs> time(const char* name);
  // A calendar date (the start of its Beijing day); a full time is accepted and cut to its day.
  std::optional<TimeMs> date(const char* name);
  // A nested object, or nullptr when absent/null (records a type error when not an object).
  const nlohmann::json* object(const char* name);
  // Event data: a flat object whose values are strings, numbers or booleans, as text.
  std::map<std::string, std::string> flat_text_map(const char* name);
  std::map<std::string, std::string>& problems() { return *bad_; }
  // 400 naming every wrongly typed field, or success.
  Status result() const;
  JsonFields nested(const nlohmann::json& object, const char* name);

 private:
  const nlohmann::json* get(const char* name);
  const nlohmann::json& obj_;
  std::string prefix_;
  std::shared_ptr<std::map<std::string, std::string>> bad_;
};

// The `version` a write must send (optimistic concurrency): 422 naming it when absent.
Result<std::int64_t> required_version(const std::optional<std::int64_t>& version);

// The {id} path parameter as a positive integer; not_found when it is not one.
Result<std::int64_t> id_param(const std::map<std::string, std::string>& params, const char* name = "id");

}  // namespace hl::web
