#pragma once
// Writing CSV fields (RFC 4180) that a spreadsheet opens safely: the one writer of every CSV the
// server produces (the monthly report today), so that the escaping below cannot be forgotten.
//
// CSV injection (OWASP "CSV Injection"): Excel, WPS and LibreOffice run a cell that starts with
// `=`, `+`, `-` or `@` as a formula (`=HYPERLINK(...)`, `=cmd|'/c calc'!A1`), and a leading tab or
// CR lets one slip past tools that trim. Text that came from a person (an office name, a summary)
// and starts with one of those, or with their full-width forms (＝ ＋ － ＠, which Chinese input
// methods type and some spreadsheets fold to ASCII), gets a single quote in front: the spreadsheet
// shows the text and runs nothing. Numbers the server formatted itself ("-12.50", "97.50%") are
// written as they are, so that a negative amount stays a number the spreadsheet can add up.
#include <string>
#include <string_view>

namespace hl {

// Appends `text` as one field: formula-escaped as above, then quoted when it holds a comma, quote,
// CR or LF (quotes doubled inside).
void append_csv_text(std::string& out, std::string_view text);

// Appends a value the server formatted from a number (digits, sign, point, percent): never escaped.
void append_csv_number(std::string& out, std::string_view number);

// True when a spreadsheet would take `text` as a formula (what append_csv_text escapes).
bool csv_formula_risk(std::string_view text);

}  // namespace hl
