// Partner access follows the referral (casework/partner_access.hpp): live while a referral is sent,
// accepted or in progress, a read-only view of its own writing once it was declined or completed,
// nothing after a withdrawal; and an attachment's bytes are read only after the scope check.
#include <sqlite3.h>

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "casework/attachment_service.hpp"
#include "casework/case_repository.hpp"
#include "casework/partner_access.hpp"
#include "casework/referral_service.hpp"
#include "core/json_text.hpp"
#include "fixture.hpp"

using namespace hl;
using namespace hl::casework;

namespace {

struct AccessFixture : hl::test::CaseworkFixture {
  ReferralService referrals{clock};

  ReferralRecord referred() {
    const auto c = must(service.apply(conn, open().id, 1, CaseEvent::accept, op, notice()));
    NewReferral n{police_id, "police_response", "需要出警", true, std::nullopt, "", std::nullopt, std::nullopt};
    auto r = referrals.create(conn, c.id, n, op);
    BOOST_REQUIRE_MESSAGE(r.has_value(), (r ? std::string() : r.error().message));
    return *r;
  }

  ReferralRecord act(const ReferralRecord& r, const char* action, const Actor& who) {
    const ReferralOutcome result{action == std::string("complete") ? "handled_otherwise" : ""};
    auto out = referrals.respond(conn, r.id, r.version, action, "进展", "已出警并制止", "不属于管辖", who, result);
    BOOST_REQUIRE_MESSAGE(out.has_value(), (out ? std::string() : out.error().message));
    return *out;
  }

  bool can_read(std::int64_t case_id) { return CaseRepository::get(conn, case_id, partner_police).has_value(); }
};

// Collects the SQL of every statement the connection runs (sqlite3_trace_v2, SQLITE_TRACE_STMT).
int collect_sql(unsigned, void* context, void*, void* text) {
  static_cast<std::vector<std::string>*>(context)->push_back(static_cast<const char*>(text));
  return 0;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(partner_access_rules, AccessFixture)

BOOST_AUTO_TEST_CASE(access_is_live_only_while_a_referral_is_open) {
  auto sent = referred();
  BOOST_TEST((partner_access(conn, sent.case_id, police_id) == PartnerAccess::live));
  BOOST_TEST(can_read(sent.case_id));
  BOOST_TEST((partner_access(conn, sent.case_id, court_id) == PartnerAccess::none));

  auto declined = act(sent, "decline", partner_police);
  BOOST_TEST((partner_access(conn, declined.case_id, police_id) == PartnerAccess::ended));
  BOOST_TEST(!can_read(declined.case_id));

  auto other = referred();
  auto done = act(act(other, "accept", partner_police), "complete", partner_police);
  BOOST_TEST((partner_access(conn, done.case_id, police_id) == PartnerAccess::ended));
  BOOST_TEST(!can_read(done.case_id));

  auto third = referred();
  act(third, "withdraw", op);
  BOOST_TEST((partner_access(conn, third.case_id, police_id) == PartnerAccess::none));
  BOOST_TEST(!can_read(third.case_id));
}

BOOST_AUTO_TEST_CASE(payload_values_are_found_only_as_keys) {
  const std::string j = json_object({{"note", R"(x","referral_id":"99)"}, {"referral_id", "12"}, {"a", "b\\"}});
  BOOST_TEST(payload_value(j, "referral_id").value_or("?") == "12");
  BOOST_TEST(!payload_value(j, "partner_id").has_value());
  BOOST_TEST(payload_value(json_object({{"partner_id", "7"}}), "partner_id").value_or("?") == "7");
}

BOOST_AUTO_TEST_CASE(an_attachment_out_of_scope_is_refused_before_its_bytes_are_read) {
  const auto c = open();
  AttachmentService attachments{clock};
  auto added = attachments.add(conn, c.id, {"a.txt", "text/plain", "00", 4, "blob"}, op);
  BOOST_REQUIRE(added.has_value());
  std::vector<std::string> sql;
  sqlite3_trace_v2(conn.raw(), SQLITE_TRACE_STMT, collect_sql, &sql);
  auto refused = AttachmentService::fetch(conn, added->id, other_op);
  sqlite3_trace_v2(conn.raw(), 0, nullptr, nullptr);
  BOOST_TEST(!refused.has_value());
  BOOST_REQUIRE(!sql.empty());
  for (const auto& s : sql) BOOST_TEST(s.find("data_enc") == std::string::npos, s);
  // The reader in scope gets the bytes.
  auto fetched = AttachmentService::fetch(conn, added->id, op);
  BOOST_REQUIRE(fetched.has_value());
  BOOST_TEST(fetched->second == "blob");
}

BOOST_AUTO_TEST_SUITE_END()
