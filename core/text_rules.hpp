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
// The length in bytes of the longest prefix of s that is valid UTF-8 (s.size() when all of it is):
// where a file in another encoding (a GBK export) first goes wrong.
std::size_t valid_utf8_prefix(std::string_view s);
// s without white space (ASCII, and the ideographic space U+3000 that Chinese input methods type)
// at either end.
std::string trim(std::string_view s);
// The longest prefix of s of at most max_bytes that ends on a character boundary.
std::string utf8_prefix(std::string_view s, std::size_t max_bytes);
bool has_control_character(std::string_view s, bool multiline);
// True when valid UTF-8 `s` holds a character that changes how text around it displays without
// showing itself: Unicode format characters (category Cf: the bidi overrides and isolates such as
// U+202E, which make "exe.txt" of "txt.exe", zero-width spaces and joiners, the BOM, soft hyphen,
// tags), C0 and C1 controls, and the line and paragraph separators U+2028/U+2029. File names refuse them.
bool has_invisible_character(std::string_view s);
// `s` (valid UTF-8) with each such character replaced by `replacement`.
std::string replace_invisible_characters(std::string_view s, std::string_view replacement);
bool is_blank(std::string_view s);

// What is wrong with the text, or "" when it is fine. `required` also refuses blank text.
std::string text_problem(std::string_view value, std::size_t max_bytes, bool multiline, bool required = false);

}  // namespace hl
