#pragma once
// A file compiled into the binary (schema migrations, web assets); see scripts/cmake/embed.cmake.
#include <span>
#include <string_view>

namespace hl {

struct EmbeddedFile {
  std::string_view path;  // relative to the embedded folder, '/'-separated
  std::string_view data;  // the bytes; lives for the whole program
};

}  // namespace hl
