#include "casework/password_change.hpp"

#include "casework/password_history.hpp"
#include "casework/password_policy.hpp"

namespace hl::casework {

Result<bool> PasswordChange::acceptable(std::string_view username, std::string_view new_password) {
  if (auto problem = password_problem(username, new_password); !problem.empty())
    return fail(Errc::invalid_input, "the new password is not allowed", {{"new_password", problem}});
  return true;
}

PasswordChange::Check PasswordChange::check(db::Connection& conn, const std::string& username,
                                            std::string_view current_password, std::string_view new_password) const {
  Check out;
  out.current = guard_.check(conn, username, current_password);
  // The history is only consulted for someone who knows the current password: it is hers to know.
  if (!out.current.password_ok) return out;
  out.reused = PasswordHistory::reused(conn, hasher_, out.current.user->id, out.current.user->password_hash, new_password);
  if (!out.reused) out.new_hash = hasher_.hash(new_password);
  return out;
}

PasswordChange::Outcome PasswordChange::settle(db::Connection& conn, const Check& check, const std::string& username) {
  Outcome out{guard_.settle(conn, check.current, username), std::nullopt};
  const auto& d = out.decision;
  if (d.result == LoginGuard::Result::locked || (d.result == LoginGuard::Result::refused && d.retry_after_ms > 0)) {
    out.error = Error{Errc::rate_limited, "too many failed attempts; try again later", {}};
    return out;
  }
  if (d.result != LoginGuard::Result::accepted) {
    out.error = Error{Errc::invalid_input, "the current password is wrong", {{"current_password", std::string(kWrongCurrentPassword)}}};
    return out;
  }
  if (check.reused) {
    out.error = Error{Errc::invalid_input, "the new password is not allowed", {{"new_password", std::string(kReusedPassword)}}};
    return out;
  }
  auto stored = PasswordHistory::set_own(conn, d.user->id, check.current.user->password_hash, check.new_hash, clock_.now_ms());
  if (!stored) out.error = stored.error();
  return out;
}

}  // namespace hl::casework
