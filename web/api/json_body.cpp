#include "web/api/json_body.hpp"

#include <charconv>
#include <cstdint>
#include <memory>

#include <nlohmann/json.hpp>

#include "core/local_time.hpp"

namespace hl::web {

Result<nlohmann::json> parse_object(const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return fail(Errc::bad_request, "the request body is not valid JSON");
  if (!j.is_object()) return fail(Errc::bad_request, "the request body must be a JSON object");
  return j;
}

JsonFields::JsonFields(const nlohmann::json& object, std::string prefix)
    : obj_(object), prefix_(std::move(prefix)), bad_(std::make_shared<std::map<std::string, std::string>>()) {}

JsonFields JsonFields::nested(const nlohmann::json& object, const char* name) {
  JsonFields f(object, prefix_ + name + ".");
  f.bad_ = bad_;
  return f;
}

const nlohmann::json* JsonFields::get(const char* name) {
  auto it = obj_.find(name);
  if (it == obj_.end() || it->is_null()) return nullptr;
  return &*it;
}

std::optional<TimeMs> JsonFields::time(const char* name) {
  auto t = text(name);
  if (!t) return std::nullopt;
  auto at = parse_iso8601(*t);
  if (!at) (*bad_)[prefix_ + name] = "must be an ISO 8601 time with offset or a date YYYY-MM-DD";
  return at;
}

std::optional<TimeMs> JsonFields::date(const char* name) {
  auto t = time(name);
  if (!t) return std::nullopt;
  return start_of_local_day(local_date(*t));
}

Result<std::int64_t> required_version(const std::optional<std::int64_t>& version) {
  if (!version) return fail(Errc::invalid_input, "version is required", {{"version", "required"}});
  return *version;
}

std::optional<std::string> JsonFields::text(const char* name) {
  const auto* v = get(name);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    (*bad_)[prefix_ + name] = "must be a string";
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<std::int64_t> JsonFields::integer(const char* name) {
  const auto* v = get(name);
  if (!v) return std::nullopt;
  if (v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
    (*bad_)[prefix_ + name] = "out of range";
    return std::nullopt;
  }
  if (v->is_number_integer()) return v->get<std::int64_t>();
  // Accept integral strings too ("12"): form inputs send text.
  if (v->is_string()) {
    const auto& s = v->get_ref<const std::string&>();
    std::int64_t n = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec == std::errc() && p == s.data() + s.size() && !s.empty()) return n;
  }
  (*bad_)[prefix_ + name] = "must be a whole number";
  return std::nullopt;
}

std::optional<int> JsonFields::int32(const char* name) {
  auto v = integer(name);
  if (!v) return std::nullopt;
  if (*v < INT32_MIN || *v > INT32_MAX) {
    (*bad_)[prefix_ + name] = "out of range";
    return std::nullopt;
  }
  return static_cast<int>(*v);
}

std::optional<bool> JsonFields::flag(const char* name) {
  const auto* v = get(name);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) {
    (*bad_)[prefix_ + name] = "must be true or false";
    return std::nullopt;
  }
  return v->get<bool>();
}

const nlohmann::json* JsonFields::object(const char* name) {
  const auto* v = get(name);
  if (!v) return nullptr;
  if (!v->is_object()) {
    (*bad_)[prefix_ + name] = "must be an object";
    return nullptr;
  }
  return v;
}

std::map<std::string, std::string> JsonFields::flat_text_map(const char* name) {
  std::map<std::string, std::string> out;
  const auto* v = object(name);
  if (!v) return out;
  for (const auto& [k, value] : v->items()) {
    if (value.is_string()) out[k] = value.get<std::string>();
    else if (value.is_boolean()) out[k] = value.get<bool>() ? "true" : "false";
    else if (value.is_number_integer()) out[k] = std::to_string(value.get<std::int64_t>());
    else if (value.is_null()) continue;
    else (*bad_)[prefix_ + name + "." + k] = "must be a string, a whole number or a boolean";
  }
  return out;
}

Status JsonFields::result() const {
  if (bad_->empty()) return {};
  return fail(Errc::bad_request, "some fields have the wrong type", *bad_);
}

Result<std::int64_t> id_param(const std::map<std::string, std::string>& params, const char* name) {
  auto it = params.find(name);
  std::int64_t id = 0;
  if (it != params.end()) {
    const auto& s = it->second;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
    if (ec == std::errc() && p == s.data() + s.size() && id > 0) return id;
  }
  return fail(Errc::not_found, "no such object");
}

}  // namespace hl::web
