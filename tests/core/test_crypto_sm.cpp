// The 国密 suite (core/crypto/sm.hpp, suite.hpp): known-answer tests of SM3 from GB/T 32905-2016
// (appendix A, examples 1 and 2) and of SM4 from GB/T 32907-2016 (appendix A, examples 1 and 2, the
// second a million encryptions), HMAC-SM3 against the HMAC construction (RFC 2104) built on SM3, and
// the suite's field cipher, keyed hash, key file and key fingerprint.
#include <boost/test/unit_test.hpp>

#include <array>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/crypto/field_cipher.hpp"
#include "core/crypto/key_fingerprint.hpp"
#include "core/crypto/keyed_hash.hpp"
#include "core/crypto/keys.hpp"
#include "core/crypto/sm.hpp"

using namespace hl::crypto;

namespace {

std::string unhex(std::string_view h) {
  std::string out;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2) out += static_cast<char>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16));
  return out;
}

std::string hex(std::string_view b) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : b) out += {kDigits[c >> 4], kDigits[c & 15]};
  return out;
}

std::array<unsigned char, 32> key_filled(unsigned char b) {
  std::array<unsigned char, 32> k;
  k.fill(b);
  return k;
}

struct TempDir {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("hl-sm-" + std::to_string(::getpid()) + "-" + std::to_string(reinterpret_cast<std::uintptr_t>(this)));
  TempDir() { std::filesystem::create_directories(path); }
  ~TempDir() { std::filesystem::remove_all(path); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(sm_suite)

BOOST_AUTO_TEST_CASE(sm3_matches_gb_t_32905) {
  BOOST_TEST(hex(sm::sm3("abc")) == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  std::string abcd;
  for (int i = 0; i < 16; ++i) abcd += "abcd";
  BOOST_TEST(hex(sm::sm3(abcd)) == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
}

BOOST_AUTO_TEST_CASE(sm4_matches_gb_t_32907) {
  const std::string key = unhex("0123456789abcdeffedcba9876543210");
  BOOST_TEST(hex(sm::sm4_encrypt_block(key, key)) == "681edf34d206965e86b3e94f536e4246");
  std::string block = key;
  for (int i = 0; i < 1'000'000; ++i) block = sm::sm4_encrypt_block(key, block);
  BOOST_TEST(hex(block) == "595298c7c6fd271f0402f804c33d3f66");
  // CTR is its own inverse and keeps the length.
  const std::string iv(16, '\x07');
  const std::string text = "13800138000 工作日上午9-11点";
  const std::string sealed = sm::sm4_ctr(key, iv, text);
  BOOST_TEST(sealed.size() == text.size());
  BOOST_TEST(sealed != text);
  BOOST_TEST(sm::sm4_ctr(key, iv, sealed) == text);
}

BOOST_AUTO_TEST_CASE(hmac_sm3_is_rfc_2104_over_sm3) {
  const std::string key = "a key of the field cipher", data = "person.phone|13800138000";
  std::string k = key;
  k.resize(64, '\0');  // SM3's block is 64 bytes
  std::string ipad = k, opad = k;
  for (auto& c : ipad) c = static_cast<char>(c ^ 0x36);
  for (auto& c : opad) c = static_cast<char>(c ^ 0x5c);
  BOOST_TEST(hex(sm::hmac_sm3(key, data)) == hex(sm::sm3(opad + sm::sm3(ipad + data))));
}

BOOST_AUTO_TEST_CASE(the_sm_field_cipher_authenticates_and_binds_the_context) {
  const FieldCipher cipher(key_filled(3), Suite::sm);
  const std::string blob = cipher.encrypt("13800138000", "person.phone");
  BOOST_TEST(blob.size() == 11u + 48u);  // IV 16 + tag 32
  BOOST_TEST(blob.find("13800138000") == std::string::npos);
  BOOST_TEST(*cipher.decrypt(blob, "person.phone") == "13800138000");
  BOOST_TEST(cipher.encrypt("13800138000", "person.phone") != blob);  // a fresh IV each time
  BOOST_TEST(!cipher.decrypt(blob, "person.id_number").has_value());
  std::string altered = blob;
  altered[20] = static_cast<char>(altered[20] ^ 1);
  BOOST_TEST(!cipher.decrypt(altered, "person.phone").has_value());
  BOOST_TEST(!cipher.decrypt(blob.substr(0, 40), "person.phone").has_value());
  BOOST_TEST(!FieldCipher(key_filled(4), Suite::sm).decrypt(blob, "person.phone").has_value());
  // The suites do not read each other's blobs.
  BOOST_TEST(!FieldCipher(key_filled(3)).decrypt(blob, "person.phone").has_value());
  BOOST_TEST(*cipher.decrypt(cipher.encrypt("", "x"), "x") == "");
}

BOOST_AUTO_TEST_CASE(the_sm_keyed_hash_is_hmac_sm3) {
  const auto key = key_filled(5);
  const KeyedHash h(key, Suite::sm);
  BOOST_TEST(h.digest("13800138000") == sm::hmac_sm3(std::string(32, '\x05'), "13800138000"));
  BOOST_TEST(h.hex("x").size() == 64u);
  BOOST_TEST(h.digest("13800138000") != KeyedHash(key).digest("13800138000"));
}

BOOST_AUTO_TEST_CASE(a_key_file_names_its_suite_and_the_fingerprint_tells_them_apart) {
  TempDir dir;
  const auto file = (dir.path / "sm.keys").string();
  const auto made = load_or_create_keys(file, Suite::sm);
  BOOST_REQUIRE(made.has_value());
  BOOST_TEST((made->suite == Suite::sm));
  std::ifstream in(file);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  BOOST_TEST(text.find("\nsuite=sm\n") != std::string::npos);
  // Read again (whatever is asked for a new file): the file's suite.
  const auto again = load_or_create_keys(file);
  BOOST_REQUIRE(again.has_value());
  BOOST_TEST((again->suite == Suite::sm));
  // The same key bytes under the other suite fingerprint differently.
  Keys as_sodium = *again;
  as_sodium.suite = Suite::sodium;
  BOOST_TEST(key_fingerprint(*again) != key_fingerprint(as_sodium));
  // A sodium file has no suite line (as before) and reads as sodium.
  const auto plain = load_or_create_keys((dir.path / "plain.keys").string());
  BOOST_REQUIRE(plain.has_value());
  BOOST_TEST((plain->suite == Suite::sodium));
  // An unknown suite is refused, naming the problem, not the key material.
  const auto bad = (dir.path / "bad.keys").string();
  {
    std::ofstream out(bad);
    out << text.substr(0, text.find("suite=")) << "suite=rot13\n";
  }
  std::filesystem::permissions(bad, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  const auto refused = load_or_create_keys(bad);
  BOOST_REQUIRE(!refused.has_value());
  BOOST_TEST(refused.error().message.find("suite is not sodium or sm") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
