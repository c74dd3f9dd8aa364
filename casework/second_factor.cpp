#include "casework/second_factor.hpp"

#include <liboath/oath.h>
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <memory>

#include "core/crypto/random.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kContext = "user.totp";
constexpr unsigned kStepSeconds = 30;
constexpr std::size_t kSecretBytes = 20;  // 160 bits, as RFC 4226 recommends for HMAC-SHA1
// Recovery codes: ten characters from an alphabet without look-alikes (no 0/O, 1/I/L), in two
// groups of five: about 49 bits each, far beyond guessing within the login lockout.
constexpr std::string_view kRecoveryAlphabet = "23456789abcdefghjkmnpqrstuvwxyz";

// liboath keeps global state set up by oath_init (idempotent and thread-safe after the first call).
void ensure_oath() {
  static const int rc = oath_init();
  (void)rc;
}

std::string base32(std::string_view bytes) {
  ensure_oath();
  char* out = nullptr;
  std::size_t len = 0;
  if (oath_base32_encode(bytes.data(), bytes.size(), &out, &len) != OATH_OK) return {};
  std::unique_ptr<char, decltype(&std::free)> owned(out, &std::free);
  std::string s(out, len);
  std::erase(s, '=');  // apps expect the secret without padding
  return s;
}

std::optional<std::string> from_base32(std::string_view text) {
  ensure_oath();
  std::string padded(text);
  while (padded.size() % 8 != 0) padded += '=';
  char* out = nullptr;
  std::size_t len = 0;
  if (oath_base32_decode(padded.data(), padded.size(), &out, &len) != OATH_OK) return std::nullopt;
  std::unique_ptr<char, decltype(&std::free)> owned(out, &std::free);
  return std::string(out, len);
}

// "123 456" and "123456" alike; recovery codes without their dash, lower case.
std::string normalised(std::string_view code) {
  std::string s;
  for (char c : code)
    if (c != ' ' && c != '-') s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool six_digits(std::string_view s) {
  return s.size() == 6 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string uri_escape(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else out += {'%', kHex[c >> 4], kHex[c & 15]};
  }
  return out;
}

struct Stored {
  std::string secret;  // raw bytes
  bool confirmed = false;
  std::int64_t last_step = 0;
};

std::optional<Stored> stored(db::Connection& conn, const crypto::FieldCipher& cipher, std::int64_t user_id) {
  auto st = conn.prepare("SELECT secret_enc, confirmed_at IS NOT NULL, last_step FROM user_totp WHERE user_id = ?1");
  st.bind_all(user_id);
  if (!st.step()) return std::nullopt;
  auto secret = cipher.decrypt(st.blob(0), kContext);
  if (!secret) return std::nullopt;  // another key file: as if not enrolled is wrong, so refuse below
  return Stored{std::move(*secret), st.int64(1) != 0, st.int64(2)};
}

}  // namespace

bool SecondFactor::enabled(db::Connection& conn, std::int64_t user_id) {
  auto st = conn.prepare("SELECT 1 FROM user_totp WHERE user_id = ?1 AND confirmed_at IS NOT NULL");
  st.bind_all(user_id);
  return st.step();
}

int SecondFactor::recovery_codes_left(db::Connection& conn, std::int64_t user_id) {
  auto st = conn.prepare("SELECT count(*) FROM user_recovery_codes WHERE user_id = ?1 AND used_at IS NULL");
  st.bind_all(user_id);
  st.step();
  return static_cast<int>(st.int64(0));
}

std::optional<std::string> SecondFactor::code_at(std::string_view secret_base32, TimeMs at) {
  auto secret = from_base32(secret_base32);
  if (!secret) return std::nullopt;
  char otp[7] = {};
  if (oath_totp_generate(secret->data(), secret->size(), static_cast<time_t>(at / 1000), kStepSeconds, 0, 6, otp) !=
      OATH_OK)
    return std::nullopt;
  return std::string(otp, 6);
}

std::optional<std::int64_t> SecondFactor::matching_step(const std::string& secret, std::string_view code,
                                                        std::int64_t last_step) const {
  const std::string otp(code);
  if (!six_digits(otp)) return std::nullopt;
  ensure_oath();
  int pos = 0;
  std::uint64_t counter = 0;
  const int rc = oath_totp_validate3(secret.data(), secret.size(), static_cast<time_t>(clock_.now_ms() / 1000),
                                     kStepSeconds, 0, 1, &pos, &counter, otp.c_str());
  if (rc < 0) return std::nullopt;
  const auto step = static_cast<std::int64_t>(counter);
  if (step <= last_step) return std::nullopt;  // already used (or older than one that was)
  return step;
}

Result<SecondFactor::Enrolment> SecondFactor::begin(db::Connection& conn, std::int64_t user_id,
                                                    std::string_view username, std::string_view issuer) const {
  if (enabled(conn, user_id)) return fail(Errc::conflict, "two-step verification is already on");
  std::string secret(kSecretBytes, '\0');
  randombytes_buf(secret.data(), secret.size());
  conn.prepare(
          "INSERT INTO user_totp(user_id, secret_enc, created_at) VALUES (?1, ?2, ?3)"
          " ON CONFLICT(user_id) DO UPDATE SET secret_enc = excluded.secret_enc, created_at = excluded.created_at,"
          " confirmed_at = NULL, last_step = 0")
      .bind(1, user_id)
      .bind_blob(2, cipher_.encrypt(secret, kContext))
      .bind(3, clock_.now_ms())
      .run();
  Enrolment e;
  e.secret_base32 = base32(secret);
  const std::string label = uri_escape(issuer) + ":" + uri_escape(username);
  e.otpauth_uri = "otpauth://totp/" + label + "?secret=" + e.secret_base32 + "&issuer=" + uri_escape(issuer) +
                  "&algorithm=SHA1&digits=6&period=30";
  return e;
}

Result<std::vector<std::string>> SecondFactor::confirm(db::Connection& conn, std::int64_t user_id,
                                                       std::string_view code) const {
  auto s = stored(conn, cipher_, user_id);
  if (!s || s->confirmed) return fail(Errc::conflict, "no enrolment is waiting for a code");
  auto step = matching_step(s->secret, normalised(code), s->last_step);
  if (!step) return fail(Errc::invalid_input, "wrong code", {{"code", "wrong code"}});
  conn.prepare("UPDATE user_totp SET confirmed_at = ?2, last_step = ?3 WHERE user_id = ?1")
      .bind_all(user_id, clock_.now_ms(), *step)
      .run();
  conn.prepare("DELETE FROM user_recovery_codes WHERE user_id = ?1").bind_all(user_id).run();
  std::vector<std::string> codes;
  for (int i = 0; i < kRecoveryCodeCount; ++i) {
    std::string c;
    for (int j = 0; j < 10; ++j)
      c += kRecoveryAlphabet[randombytes_uniform(static_cast<std::uint32_t>(kRecoveryAlphabet.size()))];
    conn.prepare("INSERT INTO user_recovery_codes(user_id, code_hash) VALUES (?1, ?2)")
        .bind(1, user_id)
        .bind_blob(2, recovery_hash(user_id, c))
        .run();
    codes.push_back(c.substr(0, 5) + "-" + c.substr(5));
  }
  return codes;
}

std::string SecondFactor::recovery_hash(std::int64_t user_id, std::string_view code) const {
  return code_hash_.digest("recovery-code:" + std::to_string(user_id) + ":" + std::string(code));
}

bool SecondFactor::spend_recovery_code(db::Connection& conn, std::int64_t user_id, std::string_view code) const {
  if (code.size() != 10) return false;
  auto st = conn.prepare("UPDATE user_recovery_codes SET used_at = ?3 WHERE user_id = ?1 AND code_hash = ?2 AND used_at IS NULL");
  st.bind(1, user_id).bind_blob(2, recovery_hash(user_id, code)).bind(3, clock_.now_ms());
  st.run();
  return conn.changes() > 0;
}

SecondFactor::Verdict SecondFactor::verify(db::Connection& conn, std::int64_t user_id, std::string_view code) const {
  auto st = conn.prepare("SELECT confirmed_at IS NOT NULL FROM user_totp WHERE user_id = ?1");
  st.bind_all(user_id);
  if (!st.step() || st.int64(0) == 0) return Verdict::not_enrolled;
  const std::string c = normalised(code);
  if (c.empty()) return Verdict::missing;
  auto s = stored(conn, cipher_, user_id);
  if (!s) return Verdict::wrong;  // unreadable secret (another key file): nobody gets in with it
  if (auto step = matching_step(s->secret, c, s->last_step)) {
    conn.prepare("UPDATE user_totp SET last_step = ?2 WHERE user_id = ?1").bind_all(user_id, *step).run();
    return Verdict::accepted;
  }
  return spend_recovery_code(conn, user_id, c) ? Verdict::accepted : Verdict::wrong;
}

void SecondFactor::remove(db::Connection& conn, std::int64_t user_id) const {
  conn.prepare("DELETE FROM user_totp WHERE user_id = ?1").bind_all(user_id).run();
  conn.prepare("DELETE FROM user_recovery_codes WHERE user_id = ?1").bind_all(user_id).run();
}

}  // namespace hl::casework
