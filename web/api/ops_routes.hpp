#pragma once
#include <span>

#include "core/embedded_file.hpp"
#include "web/app/services.hpp"
#include "web/http/router.hpp"

namespace hl::web {

// /healthz, /metrics and /api/v1/openapi.json (the file openapi.json among the embedded assets).
void add_ops_routes(Router& router, Services& s, std::span<const EmbeddedFile> static_files);

}  // namespace hl::web
