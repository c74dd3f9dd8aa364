#include "casework/case_search.hpp"

#include <string>

namespace hl::casework {
namespace {

constexpr std::string_view kCaseText = "SELECT summary, narrative FROM cases WHERE id = ?1";
constexpr std::string_view kNames = "SELECT name FROM persons WHERE case_id = ?1 AND name <> ''";
constexpr std::string_view kDelete = "DELETE FROM case_search WHERE rowid = ?1";
constexpr std::string_view kInsert = "INSERT INTO case_search(rowid, body) VALUES (?1, ?2)";

}  // namespace

void refresh_search_document(db::Connection& conn, std::int64_t case_id) {
  std::string body;
  auto text = conn.prepare(kCaseText);
  text.bind_all(case_id);
  if (text.step()) body = text.text(0) + "\n" + text.text(1);
  auto names = conn.prepare(kNames);
  names.bind_all(case_id);
  while (names.step()) body += "\n" + names.text(0);
  conn.prepare(kDelete).bind_all(case_id).run();
  conn.prepare(kInsert).bind_all(case_id, body).run();
}

}  // namespace hl::casework
