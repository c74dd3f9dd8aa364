#pragma once
// The fields that come with a workflow event (e.g. {"reason": "...", "partner_id": "12"}), as text:
// the web layer flattens JSON into it, the engine validates it against the transition's guard.
#include <map>
#include <string>

namespace hl::casework {

using EventData = std::map<std::string, std::string>;

}  // namespace hl::casework
