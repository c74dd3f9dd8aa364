#include <sys/stat.h>

#include <array>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <set>
#include <string>
#include <vector>

#include "core/crypto/field_cipher.hpp"
#include "core/crypto/keyed_hash.hpp"
#include "core/crypto/keys.hpp"
#include "core/crypto/password_hasher.hpp"
#include "core/crypto/random.hpp"

namespace {

namespace fs = std::filesystem;
using Key = std::array<unsigned char, 32>;

Key key_filled(unsigned char b) {
  Key k;
  k.fill(b);
  return k;
}

// A fresh directory for key files, removed at the end of the test.
struct TempDir {
  fs::path path = fs::temp_directory_path() / ("hl_keys_" + hl::crypto::random_token_hex(8));
  TempDir() { fs::create_directory(path); }
  ~TempDir() { fs::remove_all(path); }
};

unsigned mode_of(const fs::path& p) {
  struct stat st {};
  BOOST_REQUIRE_EQUAL(::stat(p.c_str(), &st), 0);
  return st.st_mode & 07777;
}

void write_file(const fs::path& p, const std::string& text, fs::perms perms) {
  std::ofstream(p) << text;
  fs::permissions(p, perms);
}

const std::string kHexA(64, 'a');
const std::string kValidKeyFile = "# comment\n\nfield_key=" + kHexA + "\nlookup_key=" + std::string(64, 'b') +
                                  "\r\naudit_key = " + std::string(64, 'c') + "\ntoken_key=" +
                                  std::string(64, 'D') + "\n";

}  // namespace

BOOST_AUTO_TEST_SUITE(password_hasher)

BOOST_AUTO_TEST_CASE(hash_then_verify_accepts_only_the_right_password) {
  hl::crypto::PasswordHasher hasher;
  const std::string stored = hasher.hash("correct horse 电池 staple");
  BOOST_TEST(stored.starts_with("$argon2id$"));
  BOOST_TEST(stored.find("t=2") != std::string::npos);
  BOOST_TEST(stored.find("m=19456") != std::string::npos);  // 19 MiB in KiB
  BOOST_TEST(hasher.verify(stored, "correct horse 电池 staple"));
  BOOST_TEST(!hasher.verify(stored, "correct horse 电池 stapl"));
  BOOST_TEST(!hasher.verify(stored, ""));
}

BOOST_AUTO_TEST_CASE(same_password_hashes_differently_each_time) {
  hl::crypto::PasswordHasher hasher;
  const std::string a = hasher.hash("pw");
  const std::string b = hasher.hash("pw");
  BOOST_TEST(a != b);  // random salt
  BOOST_TEST(hasher.verify(a, "pw"));
  BOOST_TEST(hasher.verify(b, "pw"));
}

BOOST_AUTO_TEST_CASE(empty_password_round_trips) {
  hl::crypto::PasswordHasher hasher;
  const std::string stored = hasher.hash("");
  BOOST_TEST(hasher.verify(stored, ""));
  BOOST_TEST(!hasher.verify(stored, "x"));
}

BOOST_AUTO_TEST_CASE(malformed_stored_hash_is_rejected_not_thrown) {
  hl::crypto::PasswordHasher hasher;
  const std::string good = hasher.hash("pw");
  std::string truncated = good.substr(0, good.size() - 5);
  std::string with_nul = good;
  with_nul.insert(with_nul.begin() + 10, '\0');
  std::string corrupted = good;
  corrupted[corrupted.size() - 3] = corrupted[corrupted.size() - 3] == 'A' ? 'B' : 'A';
  for (const std::string& bad : {std::string(), std::string("!"), std::string("$argon2id$"), truncated, with_nul,
                                 corrupted, std::string(500, 'x'), good + std::string(200, 'x'),
                                 std::string("$2b$12$abcdefghijklmnopqrstuu5Kx0f7aWQbTwv0b5v7pXBdZq9oJm7WW")}) {
    BOOST_TEST_CONTEXT("stored: " << bad.substr(0, 40)) { BOOST_TEST(!hasher.verify(bad, "pw")); }
  }
}

BOOST_AUTO_TEST_CASE(concurrent_hashing_from_many_threads_works) {
  hl::crypto::PasswordHasher hasher(1);  // forces the other threads to queue on the semaphore
  std::vector<std::future<bool>> results;
  for (int i = 0; i < 4; ++i)
    results.push_back(std::async(std::launch::async, [&hasher, i] {
      const std::string pw = "pw" + std::to_string(i);
      return hasher.verify(hasher.hash(pw), pw);
    }));
  for (auto& r : results) BOOST_TEST(r.get());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(field_cipher)

BOOST_AUTO_TEST_CASE(encrypt_then_decrypt_round_trips) {
  const hl::crypto::FieldCipher cipher(key_filled(1));
  for (const std::string plain : {"13800138000", "", "身份证 110101199003074258"}) {
    const std::string blob = cipher.encrypt(plain, "person.phone");
    BOOST_TEST(blob.size() == plain.size() + 40);
    BOOST_TEST(blob.find(plain.empty() ? "\x01\x02\x03" : plain) == std::string::npos);
    const auto back = cipher.decrypt(blob, "person.phone");
    BOOST_REQUIRE(back.has_value());
    BOOST_TEST(*back == plain);
  }
}

BOOST_AUTO_TEST_CASE(two_encryptions_of_the_same_value_differ) {
  const hl::crypto::FieldCipher cipher(key_filled(1));
  BOOST_TEST(cipher.encrypt("13800138000", "c") != cipher.encrypt("13800138000", "c"));
}

BOOST_AUTO_TEST_CASE(tampering_wrong_context_or_wrong_key_fail_to_decrypt) {
  const hl::crypto::FieldCipher cipher(key_filled(1));
  const std::string blob = cipher.encrypt("13800138000", "person.phone");
  for (std::size_t i = 0; i < blob.size(); ++i) {
    std::string tampered = blob;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    BOOST_TEST_CONTEXT("flipped byte " << i) { BOOST_TEST(!cipher.decrypt(tampered, "person.phone").has_value()); }
  }
  BOOST_TEST(!cipher.decrypt(blob, "person.id_number").has_value());
  BOOST_TEST(!cipher.decrypt(blob, "").has_value());
  BOOST_TEST(!hl::crypto::FieldCipher(key_filled(2)).decrypt(blob, "person.phone").has_value());
  BOOST_TEST(!cipher.decrypt(blob.substr(0, 39), "person.phone").has_value());
  BOOST_TEST(!cipher.decrypt(blob.substr(0, blob.size() - 1), "person.phone").has_value());
  BOOST_TEST(!cipher.decrypt("", "person.phone").has_value());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(keyed_hash)

BOOST_AUTO_TEST_CASE(digest_is_stable_and_depends_on_key_and_data) {
  const hl::crypto::KeyedHash h1(key_filled(1));
  const hl::crypto::KeyedHash h1_again(key_filled(1));
  const hl::crypto::KeyedHash h2(key_filled(2));
  BOOST_TEST(h1.digest("13800138000").size() == 32u);
  BOOST_TEST(h1.digest("13800138000") == h1_again.digest("13800138000"));
  BOOST_TEST(h1.digest("13800138000") != h2.digest("13800138000"));
  BOOST_TEST(h1.digest("13800138000") != h1.digest("13800138001"));
  BOOST_TEST(h1.digest("").size() == 32u);
}

BOOST_AUTO_TEST_CASE(hex_is_the_digest_in_lower_case_hex) {
  const hl::crypto::KeyedHash h(key_filled(7));
  const std::string hex = h.hex("abc");
  const std::string raw = h.digest("abc");
  BOOST_REQUIRE_EQUAL(hex.size(), 64u);
  static constexpr char digits[] = "0123456789abcdef";
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const auto b = static_cast<unsigned char>(raw[i]);
    BOOST_TEST(hex[2 * i] == digits[b >> 4]);
    BOOST_TEST(hex[2 * i + 1] == digits[b & 0xF]);
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(random_and_compare)

BOOST_AUTO_TEST_CASE(random_tokens_have_the_right_length_and_do_not_repeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string t = hl::crypto::random_token_hex(32);
    BOOST_TEST(t.size() == 64u);
    BOOST_TEST(t.find_first_not_of("0123456789abcdef") == std::string::npos);
    seen.insert(t);
  }
  BOOST_TEST(seen.size() == 100u);
  BOOST_TEST(hl::crypto::random_token_hex(0).empty());
}

BOOST_AUTO_TEST_CASE(constant_time_equal_compares_contents_and_lengths) {
  BOOST_TEST(hl::crypto::constant_time_equal("abc", "abc"));
  BOOST_TEST(!hl::crypto::constant_time_equal("abc", "abd"));
  BOOST_TEST(!hl::crypto::constant_time_equal("abc", "ab"));
  BOOST_TEST(hl::crypto::constant_time_equal("", ""));
  BOOST_TEST(!hl::crypto::constant_time_equal("", "a"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(key_file)

BOOST_AUTO_TEST_CASE(missing_file_is_created_private_and_read_back_identically) {
  TempDir dir;
  const fs::path file = dir.path / "keys.conf";
  const auto created = hl::crypto::load_or_create_keys(file.string());
  BOOST_REQUIRE_MESSAGE(created.has_value(), (created ? std::string() : created.error().message));
  BOOST_TEST(fs::exists(file));
  BOOST_TEST(mode_of(file) == 0600u);
  const auto again = hl::crypto::load_or_create_keys(file.string());
  BOOST_REQUIRE_MESSAGE(again.has_value(), (again ? std::string() : again.error().message));
  BOOST_TEST(again->field_key == created->field_key);
  BOOST_TEST(again->lookup_key == created->lookup_key);
  BOOST_TEST(again->audit_key == created->audit_key);
  BOOST_TEST(again->token_key == created->token_key);
  // Four independent random keys.
  BOOST_TEST(created->field_key != created->lookup_key);
  BOOST_TEST(created->audit_key != created->token_key);
  BOOST_TEST(created->field_key != Key{});
}

BOOST_AUTO_TEST_CASE(two_installations_get_different_keys) {
  TempDir dir;
  const auto a = hl::crypto::load_or_create_keys((dir.path / "a").string());
  const auto b = hl::crypto::load_or_create_keys((dir.path / "b").string());
  BOOST_REQUIRE(a.has_value() && b.has_value());
  BOOST_TEST(a->field_key != b->field_key);
}

BOOST_AUTO_TEST_CASE(hand_written_file_with_comments_spaces_and_crlf_is_read) {
  TempDir dir;
  const fs::path file = dir.path / "keys.conf";
  write_file(file, kValidKeyFile, fs::perms::owner_read | fs::perms::owner_write);
  const auto keys = hl::crypto::load_or_create_keys(file.string());
  BOOST_REQUIRE_MESSAGE(keys.has_value(), (keys ? std::string() : keys.error().message));
  BOOST_TEST(keys->field_key == key_filled(0xaa));
  BOOST_TEST(keys->lookup_key == key_filled(0xbb));
  BOOST_TEST(keys->audit_key == key_filled(0xcc));
  BOOST_TEST(keys->token_key == key_filled(0xdd));
  // Read-only for the owner (0400) is fine too.
  fs::permissions(file, fs::perms::owner_read);
  BOOST_TEST(hl::crypto::load_or_create_keys(file.string()).has_value());
}

BOOST_AUTO_TEST_CASE(file_readable_by_group_or_other_is_refused) {
  TempDir dir;
  const fs::path file = dir.path / "keys.conf";
  for (const fs::perms extra : {fs::perms::group_read, fs::perms::others_read, fs::perms::group_write,
                                fs::perms::others_exec}) {
    write_file(file, kValidKeyFile, fs::perms::owner_read | fs::perms::owner_write | extra);
    const auto keys = hl::crypto::load_or_create_keys(file.string());
    BOOST_REQUIRE(!keys.has_value());
    BOOST_TEST((keys.error().code == hl::Errc::forbidden));
    BOOST_TEST(keys.error().message.find("chmod 600") != std::string::npos);
    fs::remove(file);
  }
  write_file(file, kValidKeyFile, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                                      fs::perms::others_read);  // 0644
  const auto keys = hl::crypto::load_or_create_keys(file.string());
  BOOST_REQUIRE(!keys.has_value());
  BOOST_TEST(keys.error().message.find("0644") != std::string::npos);
  // Refusing must not replace the file.
  std::ifstream in(file);
  const std::string after((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  BOOST_TEST(after == kValidKeyFile);
}

BOOST_AUTO_TEST_CASE(malformed_files_are_refused_without_echoing_key_material) {
  TempDir dir;
  const fs::path file = dir.path / "keys.conf";
  const std::string b = std::string(64, 'b'), c = std::string(64, 'c'), d = std::string(64, 'd');
  const std::string rest = "lookup_key=" + b + "\naudit_key=" + c + "\ntoken_key=" + d + "\n";
  const std::vector<std::string> bad{
      "",                                                         // empty: every key missing
      rest,                                                       // field_key missing
      "field_key=" + kHexA.substr(2) + "\n" + rest,               // too short
      "field_key=" + kHexA + "00\n" + rest,                       // too long
      "field_key=" + std::string(63, 'a') + "g\n" + rest,         // not hex
      "field_key=" + kHexA + "\nfield_key=" + kHexA + "\n" + rest,  // repeated
      "field_key=" + kHexA + "\n" + rest + "secret_key=" + kHexA + "\n",  // unknown
      "field_key " + kHexA + "\n" + rest,                         // no '='
      std::string(70000, 'x'),                                    // not a key file at all
  };
  for (std::size_t i = 0; i < bad.size(); ++i) {
    write_file(file, bad[i], fs::perms::owner_read | fs::perms::owner_write);
    const auto keys = hl::crypto::load_or_create_keys(file.string());
    BOOST_TEST_CONTEXT("case " << i) {
      BOOST_REQUIRE(!keys.has_value());
      BOOST_TEST((keys.error().code == hl::Errc::internal));
      BOOST_TEST(keys.error().message.find(file.string()) != std::string::npos);
      BOOST_TEST(keys.error().message.find(kHexA) == std::string::npos);
    }
    fs::remove(file);
  }
}

BOOST_AUTO_TEST_CASE(directory_or_unwritable_location_is_an_error) {
  TempDir dir;
  const auto keys = hl::crypto::load_or_create_keys(dir.path.string());  // a directory
  BOOST_REQUIRE(!keys.has_value());
  BOOST_TEST((keys.error().code == hl::Errc::internal));
  const auto nowhere = hl::crypto::load_or_create_keys((dir.path / "no" / "such" / "dir" / "keys").string());
  BOOST_REQUIRE(!nowhere.has_value());
  BOOST_TEST((nowhere.error().code == hl::Errc::internal));
}

BOOST_AUTO_TEST_SUITE_END()
