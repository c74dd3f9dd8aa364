// CallLog (issue #15 point 9): a call from the seat's call-centre is recorded once per system and
// call id, finds its operator by agent id within the system's offices, keeps the caller's number
// only encrypted, ends with a duration, and is linked to the one contact its operator records.
#include <boost/test/unit_test.hpp>

#include <array>

#include "casework/call_log.hpp"
#include "core/crypto/field_cipher.hpp"
#include "core/crypto/keyed_hash.hpp"
#include "fixture.hpp"

using namespace hl;
using namespace hl::casework;
using hl::test::CaseworkFixture;

namespace {

std::array<unsigned char, 32> key(unsigned char seed) {
  std::array<unsigned char, 32> k{};
  k.fill(seed);
  return k;
}

struct CallFixture : CaseworkFixture {
  crypto::FieldCipher cipher{key(1)};
  crypto::KeyedHash hash{key(2)};
  PersonIdentity identity{cipher, hash};
  CallFixture() {
    conn.prepare("UPDATE users SET agent_id = 'A1' WHERE id = ?1").bind_all(op.user_id).run();
    conn.prepare("UPDATE users SET agent_id = 'A2' WHERE id = ?1").bind_all(other_op.user_id).run();
  }
  RingingCall call(const char* ref, const char* agent, std::vector<std::int64_t> offices = {}) {
    return RingingCall{"pbx", ref, "138 0013 8000", agent, "S1", std::nullopt, std::move(offices)};
  }
  std::int64_t contact() {
    conn.prepare("INSERT INTO contacts(office_id, channel, received_at, created_at) VALUES (?1, 'hotline', 0, 0)")
        .bind_all(county.id)
        .run();
    return conn.last_insert_rowid();
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(call_log, CallFixture)

BOOST_AUTO_TEST_CASE(a_call_is_recorded_once_for_the_agents_operator_with_the_number_encrypted) {
  auto first = CallLog::ring(conn, identity, call("c1", "A1"), clock.now_ms());
  BOOST_REQUIRE(first.has_value());
  BOOST_TEST((first->user_id == op.user_id));
  BOOST_TEST(first->caller_number == "13800138000");
  BOOST_TEST(!first->repeated);
  auto again = CallLog::ring(conn, identity, call("c1", "A2"), clock.now_ms());
  BOOST_REQUIRE(again.has_value());
  BOOST_TEST(again->repeated);
  BOOST_TEST(again->id == first->id);
  BOOST_TEST((again->user_id == op.user_id));  // the first report stands
  auto st = conn.prepare("SELECT count(*), max(caller_hash) FROM calls WHERE caller_enc NOT LIKE '%13800138000%'");
  BOOST_REQUIRE(st.step());
  BOOST_TEST(st.int64(0) == 1);
  BOOST_TEST(st.blob(1) == *identity.fingerprint_typed_phone("13800138000"));
}

BOOST_AUTO_TEST_CASE(an_operator_outside_the_systems_offices_or_disabled_is_not_found) {
  auto outside = CallLog::ring(conn, identity, call("c2", "A2", {county.id}), clock.now_ms());
  BOOST_REQUIRE(outside.has_value());
  BOOST_TEST(!outside->user_id.has_value());
  auto within = CallLog::ring(conn, identity, call("c3", "A2", {city.id}), clock.now_ms());
  BOOST_TEST((within->user_id == other_op.user_id));  // the city's subtree holds her county
  conn.prepare("UPDATE users SET disabled = 1 WHERE id = ?1").bind_all(op.user_id).run();
  BOOST_TEST(!CallLog::ring(conn, identity, call("c4", "A1"), clock.now_ms())->user_id.has_value());
  BOOST_TEST(!CallLog::ring(conn, identity, call("c5", "nobody"), clock.now_ms())->user_id.has_value());
}

BOOST_AUTO_TEST_CASE(bad_reports_name_their_fields_and_record_nothing) {
  RingingCall bad{"pbx", "has space", "12", "", "", std::nullopt, {}};
  auto r = CallLog::ring(conn, identity, bad, clock.now_ms());
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST((r.error().code == Errc::invalid_input));
  for (const char* field : {"call_id", "caller_number", "agent_id"}) BOOST_TEST(r.error().fields.contains(field), field);
  auto st = conn.prepare("SELECT count(*) FROM calls");
  BOOST_REQUIRE(st.step());
  BOOST_TEST(st.int64(0) == 0);
}

BOOST_AUTO_TEST_CASE(the_end_gives_the_duration_once) {
  const TimeMs rang = clock.now_ms();
  BOOST_REQUIRE(CallLog::ring(conn, identity, call("c6", "A1"), rang).has_value());
  BOOST_TEST((CallLog::end(conn, identity, "other-pbx", "c6", std::nullopt, std::nullopt, rang).error().code == Errc::not_found));
  BOOST_TEST(CallLog::end(conn, identity, "pbx", "c6", rang - 1000, std::nullopt, rang).error().fields.contains("ended_at"));
  BOOST_TEST(CallLog::end(conn, identity, "pbx", "c6", std::nullopt, -1, rang).error().fields.contains("duration_seconds"));
  auto ended = CallLog::end(conn, identity, "pbx", "c6", rang + 95'400, std::nullopt, rang + 99'000);
  BOOST_REQUIRE(ended.has_value());
  BOOST_TEST(*ended->duration_s == 95);
  auto again = CallLog::end(conn, identity, "pbx", "c6", std::nullopt, 5, rang + 120'000);
  BOOST_TEST(again->repeated);
  BOOST_TEST(*again->duration_s == 95);
}

BOOST_AUTO_TEST_CASE(only_its_operator_links_one_contact_to_the_call) {
  auto c = CallLog::ring(conn, identity, call("c7", "A1"), clock.now_ms());
  const auto first = contact();
  BOOST_TEST(!CallLog::can_link(conn, c->id, other_op.user_id));
  BOOST_TEST(!CallLog::link_contact(conn, c->id, other_op.user_id, first).has_value());
  BOOST_TEST(CallLog::can_link(conn, c->id, op.user_id));
  BOOST_TEST(CallLog::link_contact(conn, c->id, op.user_id, first).has_value());
  BOOST_TEST(!CallLog::can_link(conn, c->id, op.user_id));
  BOOST_TEST(!CallLog::link_contact(conn, c->id, op.user_id, contact()).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
