#pragma once
// An FTS5 tokenizer named "bigram" that indexes every pair of adjacent characters (Unicode code
// points, case-folded for ASCII) so that any substring of two or more characters — including
// two-character Chinese words such as 家暴 or 离婚, which the trigram tokenizer cannot index — is
// found through the index: a query string of n characters becomes a phrase of its n-1 bigrams.
// Whitespace and punctuation break runs; a lone character between breaks is indexed as itself.
#include <string>
#include <string_view>

struct sqlite3;

namespace hl::db {

// Registers the tokenizer on this connection (every connection that reads or writes an FTS5 table
// using it must have it). Throws DbError when FTS5 is unavailable.
void register_bigram_tokenizer(sqlite3* db);

// Turns user input into an FTS5 MATCH expression: each whitespace-separated term becomes a quoted
// phrase (quotes doubled), terms are ANDed. Returns "" when no term has two or more characters.
std::string fts_query_from_user_text(std::string_view text);

}  // namespace hl::db
