#pragma once
// The schema/*.sql files compiled into the binary, in file-name order.
#include <span>

#include "core/embedded_file.hpp"

namespace hl::schema {
std::span<const hl::EmbeddedFile> sql_files();
}
