#include "core/crypto/field_cipher.hpp"

#include <sodium.h>

#include "core/crypto/sm.hpp"
#include "core/crypto/sodium_init.hpp"

namespace hl::crypto {
namespace {

constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == 32);

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
unsigned char* bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

}  // namespace

namespace {
constexpr std::size_t kSmIv = 16;
constexpr std::size_t kSmTag = 32;

// What the sm suite's tag covers: the context (length-prefixed, so context and IV cannot trade
// bytes), the IV and the ciphertext.
std::string sm_tagged(std::string_view context, std::string_view iv_and_ciphertext) {
  std::string m = std::to_string(context.size()) + ":";
  m.append(context).append(iv_and_ciphertext);
  return m;
}
}  // namespace

FieldCipher::FieldCipher(const std::array<unsigned char, 32>& key, Suite suite) : key_(key), suite_(suite) {
  ensure_sodium();
  if (suite_ == Suite::sm) {
    const std::string k(reinterpret_cast<const char*>(key.data()), key.size());
    sm_enc_key_ = sm::hmac_sm3(k, "hl.field.sm4.enc").substr(0, 16);
    sm_mac_key_ = sm::hmac_sm3(k, "hl.field.sm3.mac");
  }
}

std::string FieldCipher::encrypt(std::string_view plaintext, std::string_view context) const {
  if (suite_ == Suite::sm) {
    std::string out(kSmIv, '\0');
    randombytes_buf(bytes(out), kSmIv);
    out += sm::sm4_ctr(sm_enc_key_, out, plaintext);
    out += sm::hmac_sm3(sm_mac_key_, sm_tagged(context, out));
    return out;
  }
  std::string out(kNonce + plaintext.size() + kTag, '\0');
  randombytes_buf(bytes(out), kNonce);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(bytes(out) + kNonce, &written, bytes(plaintext),
                                             plaintext.size(), bytes(context), context.size(),
                                             nullptr, bytes(out), key_.data());
  out.resize(kNonce + written);
  return out;
}

std::optional<std::string> FieldCipher::decrypt(std::string_view blob, std::string_view context) const {
  if (suite_ == Suite::sm) {
    if (blob.size() < kSmIv + kSmTag) return std::nullopt;
    const std::string_view body = blob.substr(0, blob.size() - kSmTag);
    const std::string tag = sm::hmac_sm3(sm_mac_key_, sm_tagged(context, body));
    if (sodium_memcmp(tag.data(), blob.data() + body.size(), kSmTag) != 0) return std::nullopt;
    return sm::sm4_ctr(sm_enc_key_, body.substr(0, kSmIv), body.substr(kSmIv));
  }
  if (blob.size() < kNonce + kTag) return std::nullopt;
  const std::string_view nonce = blob.substr(0, kNonce);
  const std::string_view sealed = blob.substr(kNonce);
  std::string plain(sealed.size() - kTag, '\0');
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(bytes(plain), &written, nullptr, bytes(sealed),
                                                 sealed.size(), bytes(context), context.size(),
                                                 bytes(nonce), key_.data()) != 0)
    return std::nullopt;
  plain.resize(written);
  return plain;
}

}  // namespace hl::crypto
