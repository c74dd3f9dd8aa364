#include "core/crypto/sm.hpp"

#include <openssl/evp.h>
#include <openssl/params.h>

#include <memory>
#include <stdexcept>

namespace hl::crypto::sm {
namespace {

[[noreturn]] void broken(const char* what) { throw std::runtime_error(std::string("OpenSSL: ") + what + " failed"); }

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

std::string cipher(const EVP_CIPHER* kind, std::string_view key, std::string_view iv, std::string_view data) {
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  if (!ctx || kind == nullptr || key.size() != 16) broken("SM4 setup");
  if (EVP_EncryptInit_ex(ctx.get(), kind, nullptr, bytes(key), iv.empty() ? nullptr : bytes(iv)) != 1)
    broken("SM4 init");
  EVP_CIPHER_CTX_set_padding(ctx.get(), 0);
  std::string out(data.size() + 16, '\0');
  int n = 0, tail = 0;
  if (EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &n, bytes(data),
                        static_cast<int>(data.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + n, &tail) != 1)
    broken("SM4");
  out.resize(static_cast<std::size_t>(n + tail));
  return out;
}

}  // namespace

std::string sm3(std::string_view data) {
  std::string out(32, '\0');
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(out.data()), &len, EVP_sm3(), nullptr) != 1 ||
      len != 32)
    broken("SM3");
  return out;
}

std::string hmac_sm3(std::string_view key, std::string_view data) {
  std::unique_ptr<EVP_MAC, decltype(&EVP_MAC_free)> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr), &EVP_MAC_free);
  if (!mac) broken("HMAC fetch");
  std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx(EVP_MAC_CTX_new(mac.get()), &EVP_MAC_CTX_free);
  char digest[] = "SM3";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest, 0), OSSL_PARAM_construct_end()};
  std::string out(32, '\0');
  std::size_t len = 0;
  if (!ctx || EVP_MAC_init(ctx.get(), bytes(key), key.size(), params) != 1 ||
      EVP_MAC_update(ctx.get(), bytes(data), data.size()) != 1 ||
      EVP_MAC_final(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len, out.size()) != 1 || len != 32)
    broken("HMAC-SM3");
  return out;
}

std::string sm4_encrypt_block(std::string_view key16, std::string_view block16) {
  if (block16.size() != 16) broken("SM4 block size");
  return cipher(EVP_sm4_ecb(), key16, {}, block16);
}

std::string sm4_ctr(std::string_view key16, std::string_view iv16, std::string_view data) {
  if (iv16.size() != 16) broken("SM4-CTR IV size");
  return cipher(EVP_sm4_ctr(), key16, iv16, data);
}

}  // namespace hl::crypto::sm
