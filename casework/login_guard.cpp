#include "casework/login_guard.hpp"

#include <algorithm>

namespace hl::casework {
namespace {

constexpr std::string_view kRecordFailure =
    "UPDATE users SET failed_logins = failed_logins + 1, locked_until = ?2 WHERE id = ?1";
constexpr std::string_view kClearFailures = "UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = ?1";

// A real hash to verify against for unknown or disabled users, so their answer takes as long as a
// real one.
const std::string& dummy_hash(crypto::PasswordHasher& hasher) {
  static const std::string hash = hasher.hash("no-such-user-placeholder");
  return hash;
}

}  // namespace

TimeMs LoginGuard::lockout_ms(int failures) {
  const int extra = std::clamp(failures - kFreeFailures, 0, 5);
  return std::min<TimeMs>(30'000LL << extra, 15 * 60'000LL);
}

LoginGuard::Check LoginGuard::check(db::Connection& conn, const std::string& username, std::string_view password) const {
  Check check;
  check.user = UserRepository::by_username(conn, username);
  if (check.user && check.user->locked_until > clock_.now_ms()) {
    check.locked_until = check.user->locked_until;
    // Locked: the password is not tried, but a hash is still verified, as for an unknown name
    // (whose lock is only known on the writer): a locked real account answering at once while an
    // unknown name takes the hash's time would tell which names exist.
    hasher_.verify(dummy_hash(hasher_), password);
    return check;
  }
  const std::string_view stored =
      check.user && !check.user->disabled ? std::string_view(check.user->password_hash) : dummy_hash(hasher_);
  check.password_ok = hasher_.verify(stored, password) && check.user && !check.user->disabled;
  return check;
}

LoginGuard::Outcome LoginGuard::settle(db::Connection& conn, const Check& check, const std::string& username,
                                       const SecondFactor* second, std::string_view code) {
  const TimeMs now = clock_.now_ms();
  Outcome out;
  // The lock and the count are re-read here, on the single writer: the read step's snapshot may
  // already be stale when guesses arrive in parallel.
  TimeMs locked_until = check.locked_until;
  std::optional<User> current;
  if (check.user) {
    out.user_id = check.user->id;
    current = UserRepository::get(conn, check.user->id);
    if (current) locked_until = current->locked_until;
  } else {
    locked_until = unknown_.locked_until(conn, username, now);
  }
  if (locked_until > now) {
    out.result = Result::locked;
    out.audit_action = "session.login_locked";
    out.retry_after_ms = locked_until - now;
    return out;
  }
  bool second_ok = true;
  if (check.password_ok && current && !current->disabled && second) {
    switch (second->verify(conn, current->id, code)) {
      case SecondFactor::Verdict::not_enrolled:
      case SecondFactor::Verdict::accepted: break;
      case SecondFactor::Verdict::missing:
        out.result = Result::second_factor_required;
        out.audit_action = "session.second_factor_required";
        return out;
      case SecondFactor::Verdict::wrong: second_ok = false; break;
    }
  }
  if (check.password_ok && current && !current->disabled && second_ok) {
    conn.prepare(kClearFailures).bind_all(current->id).run();
    out.result = Result::accepted;
    out.audit_action = "session.login";
    out.actor = UserRepository::actor_for(conn, current->id);
    out.user = *current;
    return out;
  }
  out.result = Result::refused;
  out.audit_action = second_ok ? "session.login_failed" : "session.second_factor_failed";
  if (current) {
    const int failures = current->failed_logins + 1;
    const TimeMs until = failures >= kFreeFailures ? now + lockout_ms(failures) : 0;
    conn.prepare(kRecordFailure).bind_all(current->id, until).run();
    if (until > 0) out.retry_after_ms = until - now;
  } else if (!check.user) {
    const TimeMs until = unknown_.record_failure(conn, username, now, kFreeFailures, &lockout_ms);
    if (until > 0) out.retry_after_ms = until - now;
  }
  return out;
}

}  // namespace hl::casework
