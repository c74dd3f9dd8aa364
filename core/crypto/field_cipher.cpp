#include "core/crypto/field_cipher.hpp"

#include <sodium.h>

#include "core/crypto/sodium_init.hpp"

namespace hl::crypto {
namespace {

constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == 32);

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
unsigned char* bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

}  // namespace

FieldCipher::FieldCipher(const std::array<unsigned char, 32>& key) : key_(key) { ensure_sodium(); }

std::string FieldCipher::encrypt(std::string_view plaintext, std::string_view context) const {
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
