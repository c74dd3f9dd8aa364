#pragma once
// Who is acting: every domain call takes one, and every case query is scoped by it.
#include <cstdint>
#include <optional>
#include <string>

#include "casework/vocabulary.hpp"

namespace hl::casework {

struct Actor {
  std::int64_t user_id = 0;  // 0 for the system
  Role role = Role::operator_;
  std::optional<std::int64_t> office_id;   // operator, supervisor
  std::string office_path;                 // e.g. "/1/4/9/": the subtree this actor may see
  std::optional<std::int64_t> partner_id;  // partner users

  bool is_staff() const { return role == Role::operator_ || role == Role::supervisor; }
  static Actor system() { return Actor{0, Role::system, std::nullopt, "/", std::nullopt}; }
};

}  // namespace hl::casework
