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

}  // namespace hl::casework
