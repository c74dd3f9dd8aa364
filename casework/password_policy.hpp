#pragma once
// What a new password must be (NIST SP 800-63B's advice rather than composition rules): at least
// 12 characters, not one character repeated, not the username nor containing it, and not on the
// list of common passwords (casework/data/common_passwords.txt, embedded at build time; how it was
// made is in scripts/gen-common-passwords.py). Checked wherever a person sets a password: POST
// /api/v1/users and `hotline user add`. Usernames and the list compare without ASCII case.
//
// Shared between threads: safe (the list is built once, on first use, then only read).
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace hl::casework {

inline constexpr std::size_t kMinPasswordChars = 12;
inline constexpr std::size_t kMaxPasswordBytes = 1024;

// "" when `password` may be set for `username`; else what is wrong, in English (the desk maps these
// messages to its own language: web/static/app/errors.js):
//   "at least 12 characters", "at most 1024 bytes", "must not be one character repeated",
//   "must not contain the username", "too common: it is on the list of common passwords".
std::string password_problem(std::string_view username, std::string_view password);

// True when the password, ASCII-lower-cased, is on the embedded list.
bool is_common_password(std::string_view password);

// How many of a user's passwords a new one may not repeat (the current one included).
inline constexpr int kPasswordHistory = 5;

// The optional expiry and the first-login change (config password_max_age_days,
// password_change_first_login). Default: neither.
struct PasswordAgeRules {
  int max_age_days = 0;             // 0: passwords never expire
  bool change_first_login = false;  // an administrator-set password must be changed at first login
};

// True when a password set at `changed_at` is expired at `now`: max_age_days > 0 and at least that
// many whole days (of 24 h; no calendar) have passed.
bool password_expired(TimeMs changed_at, TimeMs now, int max_age_days);

// True when a session of a user whose password was set at `changed_at` (by an administrator when
// `admin_set`) may do nothing but change it.
bool must_change_password(TimeMs changed_at, bool admin_set, TimeMs now, const PasswordAgeRules& rules);

}  // namespace hl::casework
