#pragma once
// The case ids a list, search or lookup answered with, for its audit row: "cases=3,17,42". The
// audit log then says which cases each read showed (a search that matched a narrative included),
// in one row per request. Every route using it bounds its answer (a page, or a fixed limit), so the
// text is bounded too: at most 200 ids on the case list.
#include <string>

namespace hl::web {

template <class Range, class IdOf>
std::string case_ids_detail(const Range& items, IdOf id_of) {
  std::string out = "cases=";
  bool first = true;
  for (const auto& item : items) {
    if (!first) out += ',';
    first = false;
    out += std::to_string(id_of(item));
  }
  return out;
}

}  // namespace hl::web
