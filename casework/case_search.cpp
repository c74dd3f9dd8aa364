#include "casework/case_search.hpp"

#include <string>

namespace hl::casework {
namespace {

constexpr std::string_view kCaseText = "SELECT summary, narrative FROM cases WHERE id = ?1";
constexpr std::string_view kNames = "SELECT name FROM persons WHERE case_id = ?1 AND name <> ''";
constexpr std::string_view kDelete = "DELETE FROM case_search WHERE rowid = ?1";
constexpr std::string_view kInsert = "INSERT INTO case_search(rowid, body) VALUES (?1, ?2)";
// FTS5's 'merge' command: a negative page count starts merging every segment into one, a positive
// one continues it.
constexpr std::string_view kMerge = "INSERT INTO case_search(case_search, rank) VALUES ('merge', ?1)";

// The document as the case is now; none when the case is gone (its insert was rolled back).
void write_search_document(db::Connection& conn, std::int64_t case_id) {
  conn.prepare(kDelete).bind_all(case_id).run();
  auto text = conn.prepare(kCaseText);
  text.bind_all(case_id);
  if (!text.step()) return;
  std::string body = text.text(0) + "\n" + text.text(1);
  auto names = conn.prepare(kNames);
  names.bind_all(case_id);
  while (names.step()) body += "\n" + names.text(0);
  conn.prepare(kInsert).bind_all(case_id, body).run();
}

}  // namespace

void refresh_search_document(db::Connection& conn, std::int64_t case_id) {
  // Once per transaction, just before it commits (see Connection::before_commit): a burst of
  // intakes in one group commit then updates the FTS index once instead of once per savepoint.
  conn.before_commit("case_search:" + std::to_string(case_id),
                     [case_id](db::Connection& c) { write_search_document(c, case_id); });
}

bool merge_search_index(db::Connection& conn, bool start, int pages) {
  const auto before = conn.total_changes();
  conn.prepare(kMerge).bind_all(std::int64_t{start ? -pages : pages}).run();
  // The FTS5 documentation's test: fewer than two rows changed means there was nothing to merge.
  return conn.total_changes() - before >= 2;
}

}  // namespace hl::casework
