#pragma once
// The casework fixture (office tree, one user per role) plus the intake service with fresh keys.
#include <array>
#include <random>
#include <string>

#include "casework/fixture.hpp"
#include "core/crypto/field_cipher.hpp"
#include "core/crypto/keyed_hash.hpp"
#include "intake/intake_service.hpp"
#include "requests.hpp"

namespace hl::test {

inline std::array<unsigned char, 32> random_key() {
  std::random_device device;
  std::array<unsigned char, 32> key{};
  for (auto& b : key) b = static_cast<unsigned char>(device());
  return key;
}

struct IntakeFixture : CaseworkFixture {
  crypto::FieldCipher cipher{random_key()};
  crypto::KeyedHash hash{random_key()};
  casework::PersonIdentity identity{cipher, hash};
  intake::IntakeService intake{clock, identity};

  intake::IntakeResult must_record(const intake::IntakeRequest& r, const casework::Actor& actor) {
    auto result = intake.record(conn, r, actor);
    BOOST_REQUIRE_MESSAGE(result.has_value(), (result ? std::string() : result.error().message));
    return std::move(*result);
  }

  std::int64_t count(const std::string& table) { return scalar("SELECT count(*) FROM " + table); }

  std::string text(const std::string& sql, std::int64_t id) {
    auto st = conn.prepare(sql);
    st.bind_all(id);
    BOOST_REQUIRE(st.step());
    return st.is_null(0) ? std::string("<null>") : st.blob(0);
  }
};

}  // namespace hl::test
