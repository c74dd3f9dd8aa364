#pragma once
// The substring-search document of a case: its summary, narrative and the names of the people in
// its contacts, indexed by the bigram FTS5 table case_search (rowid = case id).
#include <cstdint>

#include "core/db/connection.hpp"

namespace hl::casework {

// Rebuilds the case's document; call in the same transaction as any change to those fields. Inside
// a transaction the rebuild happens once, just before it commits (Connection::before_commit).
void refresh_search_document(db::Connection& conn, std::int64_t case_id);

// A deleted document's terms (an anonymised case's names and words, as 2-character terms) stay in
// the index's segments, unreadable through a search but in the file, until the segments holding
// them are merged. One step of an incremental merge of the whole index (FTS5 'merge': `start`
// begins one, later steps go on), about `pages` leaf pages of work, so each step is a short Writer
// command between intakes. Returns whether the step did work: false when the index is whole again.
bool merge_search_index(db::Connection& conn, bool start, int pages = 500);

}  // namespace hl::casework
