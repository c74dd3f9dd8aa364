#pragma once
// `hotline import FILE --office CODE` (web/main.cpp parses the command line and opens the database):
// imports a ledger through the same path as the desk's import, prints each rejected line and a
// summary, and audits the run. Exit code 0 when every row was imported, 1 otherwise.
#include <string>

#include "core/clock.hpp"
#include "core/db/connection.hpp"

namespace hl::web {

int import_command(const std::string& file, const std::string& office_code, db::Connection& conn,
                   const std::string& keys_path, const Clock& clock);

}  // namespace hl::web
