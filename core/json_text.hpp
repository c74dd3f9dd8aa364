#pragma once
// Minimal JSON text output for code that must not depend on nlohmann (core, casework): event
// payloads stored in the database. Escapes per RFC 8259; invalid UTF-8 is replaced by U+FFFD so
// the stored text is always valid JSON.
#include <map>
#include <string>
#include <string_view>

namespace hl {

std::string json_quote(std::string_view text);
// {"k":"v",...}; keys in map order.
std::string json_object(const std::map<std::string, std::string>& fields);

}  // namespace hl
