#pragma once
// A QR code (libqrencode, error correction M) as a small SVG document: one path of dark modules
// with a four-module quiet zone, scaled by the page. For the two-step verification enrolment, so
// the secret never leaves the server for a third-party QR service.
#include <optional>
#include <string>
#include <string_view>

namespace hl::web {

std::optional<std::string> qr_svg(std::string_view text);

}  // namespace hl::web
