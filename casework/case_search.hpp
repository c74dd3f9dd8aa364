#pragma once
// The substring-search document of a case: its summary, narrative and the names of the people in
// its contacts, indexed by the bigram FTS5 table case_search (rowid = case id).
#include <cstdint>

#include "core/db/connection.hpp"

namespace hl::casework {

// Rebuilds the case's document; call in the same transaction as any change to those fields. Inside
// a transaction the rebuild happens once, just before it commits (Connection::before_commit).
void refresh_search_document(db::Connection& conn, std::int64_t case_id);

}  // namespace hl::casework
