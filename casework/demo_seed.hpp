#pragma once
// Demo data written for this project (no real people): a province/city/county office tree, partner
// organisations of every type, one user per role and a few hundred cases spread over every state,
// created through the workflow engine so their histories are genuine.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

struct DemoLogin {
  std::string username;
  std::string password;
  std::string role;
  std::string where;
};

struct DemoSeedResult {
  std::vector<DemoLogin> logins;
  int cases = 0;
};

// Seeds an empty database (no offices yet); does nothing and returns no logins otherwise.
// `hash_password` turns a password into the stored hash. Runs as one transaction on `conn`.
Result<DemoSeedResult> seed_demo(db::Connection& conn, const Clock& clock, int case_count,
                                 const std::function<std::string(std::string_view)>& hash_password);

}  // namespace hl::casework
