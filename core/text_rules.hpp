#pragma once
// The rules every free-text field obeys, wherever it enters (intake, case edits, notes): valid
// UTF-8, no control characters (one-line fields allow none; multi-line ones allow line breaks and
// tabs), a size limit in bytes.
#include <cstddef>
#include <string>
#include <string_view>

namespace hl {

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool valid_utf8(std::string_view s);
bool has_control_character(std::string_view s, bool multiline);
bool is_blank(std::string_view s);

// What is wrong with the text, or "" when it is fine. `required` also refuses blank text.
std::string text_problem(std::string_view value, std::size_t max_bytes, bool multiline, bool required = false);

}  // namespace hl
