// Safe-contact data at rest (issue #16, finding 5): a person's safe-contact rules and every text of a
// safety plan are in the database file only as ciphertext — as written now, and after migration 014
// has encrypted what an older release stored in plaintext. The checks read the file's bytes (and the
// WAL's), not rows through SQL, so a copy left in free space or an old page counts too.
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>

#include "casework/contact_repository.hpp"
#include "casework/person_identity.hpp"
#include "casework/person_repository.hpp"
#include "casework/safe_contact_sealing.hpp"
#include "core/audit/audit_chain.hpp"
#include "core/db/transaction.hpp"
#include "test_dv_fixture.hpp"

using namespace hl;
using namespace hl::casework;
using hl::test::must_fail;
using hl::test::must_ok;

namespace {

constexpr std::string_view kSafeTimes = "周二下午三点后", kSafeNote = "只发短信不要来电";
constexpr std::string_view kSummary = "丈夫长期家暴";  // the fixture's case summary: stored in clear

SafetyPlanContent sample_plan() {
  SafetyPlanContent p;
  p.steps = {{"准备一个装有证件和现金的应急包", false}, {"把备用钥匙放在邻居王阿姨家", true}};
  p.emergency_contacts = {{"李娟", "138 0013 8000", "表姐"}};
  p.safe_contact = {false, "工作日 9:00-11:00", "天气不错"};
  p.places = {{"永兴县救助管理站", "城关镇解放路 12 号", "24 小时接收"}};
  return p;
}

// Every text above that says where she is, who to call or when: none may be in the files in clear.
std::vector<std::string> secrets() {
  const auto p = sample_plan();
  return {std::string(kSafeTimes), std::string(kSafeNote), p.steps[0].text, p.steps[1].text,
          p.emergency_contacts[0].name, p.emergency_contacts[0].relation, "0013 8000", p.safe_contact.safe_times,
          p.safe_contact.code_word, p.places[0].name, p.places[0].address, p.places[0].note};
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The secrets found in the database file or its WAL, joined by " | "; "" when none is.
std::string in_files(const std::string& db_path) {
  const std::string bytes = file_bytes(db_path) + file_bytes(db_path + "-wal");
  BOOST_REQUIRE(bytes.find(kSummary) != std::string::npos);  // the scan does see stored text
  std::string found;
  for (const auto& s : secrets())
    if (bytes.find(s) != std::string::npos) found += (found.empty() ? "" : " | ") + s;
  return found;
}

void check_plan(const SafetyPlanContent& got) {
  const auto want = sample_plan();
  BOOST_REQUIRE(got.steps.size() == want.steps.size());
  for (std::size_t i = 0; i < want.steps.size(); ++i) {
    BOOST_TEST(got.steps[i].text == want.steps[i].text);
    BOOST_TEST(got.steps[i].done == want.steps[i].done);
  }
  BOOST_REQUIRE(got.emergency_contacts.size() == 1u);
  BOOST_TEST(got.emergency_contacts[0].name == want.emergency_contacts[0].name);
  BOOST_TEST(got.emergency_contacts[0].phone == want.emergency_contacts[0].phone);
  BOOST_TEST(got.emergency_contacts[0].relation == want.emergency_contacts[0].relation);
  BOOST_TEST(got.safe_contact.safe_times == want.safe_contact.safe_times);
  BOOST_TEST(got.safe_contact.code_word == want.safe_contact.code_word);
  BOOST_TEST(!got.safe_contact.ok_to_call.value_or(true));
  BOOST_REQUIRE(got.places.size() == 1u);
  BOOST_TEST(got.places[0].name == want.places[0].name);
  BOOST_TEST(got.places[0].address == want.places[0].address);
  BOOST_TEST(got.places[0].note == want.places[0].note);
}

struct AtRestFixture : hl::test::DvFixture {
  PersonIdentity identity{cipher, hash};

  explicit AtRestFixture(int below_version = 0) : DvFixture(below_version) {}

  std::int64_t contact_on(const CaseRecord& c) {
    conn.prepare("INSERT INTO contacts(office_id, case_id, channel, received_at, created_at) VALUES (?1, ?2, 'hotline', ?3, ?3)")
        .bind_all(c.office_id, c.id, c.received_at)
        .run();
    return conn.last_insert_rowid();
  }

  // The victim's safe-contact rules as the case view reads them.
  std::pair<std::string, std::string> rules_of(std::int64_t case_id) {
    const auto persons = PersonRepository::for_case(conn, case_id);
    BOOST_REQUIRE(persons.size() == 1u);
    return {identity.reveal_safe_times(persons[0].safe_times_enc), identity.reveal_safe_note(persons[0].safe_note_enc)};
  }
};

// A database as the release before 014 left it: migrations 001-013 only.
struct Before014 : AtRestFixture {
  Before014() : AtRestFixture(14) {}
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(safe_contact_at_rest, AtRestFixture)

BOOST_AUTO_TEST_CASE(a_persons_safe_contact_rules_are_in_the_files_only_encrypted) {
  const auto c = open();
  NewPerson victim;
  victim.role = "victim";
  victim.name = "某某";
  victim.ok_to_call = false;
  victim.safe_times_enc = identity.protect_safe_times(kSafeTimes);
  victim.safe_note_enc = identity.protect_safe_note(kSafeNote);
  ContactRepository::insert_person(conn, contact_on(c), c.id, victim);
  BOOST_TEST((rules_of(c.id) == std::make_pair(std::string(kSafeTimes), std::string(kSafeNote))));
  BOOST_TEST(in_files(path) == "");
  BOOST_TEST(!identity.protect_safe_times("").has_value());  // nothing said: NULL

  // A transfer copies the person to the receiving office's case, still encrypted and readable there.
  const auto other = open();
  ContactRepository::copy_persons(conn, c.id, other.id);
  BOOST_TEST((rules_of(other.id) == rules_of(c.id)));

  // One context per column: a ciphertext moved into the other column does not decrypt there.
  conn.exec("UPDATE persons SET safe_note_enc = safe_times_enc");
  BOOST_TEST(rules_of(c.id).second == "");
}

BOOST_AUTO_TEST_CASE(every_text_of_a_safety_plan_is_in_the_files_only_encrypted) {
  const auto c = open();
  check_plan(must_ok(plans.put(conn, c.id, 0, sample_plan(), op)).plan->content);
  check_plan(must_ok(plans.get(conn, c.id, op)).plan->content);
  BOOST_TEST(in_files(path) == "");

  conn.exec("UPDATE dv_safety_plan_places SET note_enc = address_enc");
  BOOST_TEST(must_ok(plans.get(conn, c.id, op)).plan->content.places[0].note == "");
}

BOOST_AUTO_TEST_CASE(a_new_database_has_no_plaintext_columns_left_and_sealing_it_does_nothing) {
  BOOST_TEST(must_ok(seal_safe_contact_fields(conn, cipher)) == 0);
  BOOST_TEST(scalar("SELECT count(*) FROM pragma_table_info('persons') WHERE name IN ('safe_times', 'safe_note')") == 0);
  BOOST_TEST(scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'migration_014_plaintext'") == 0);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(safe_contact_migration, Before014)

// Plaintext rows as a release before 014 wrote them, the audit chain over them, then the upgrade:
// migrate, and the data step with the keys (as App::open and `hotline migrate` run it).
BOOST_AUTO_TEST_CASE(plaintext_rows_are_encrypted_read_back_equal_and_gone_from_the_files) {
  const auto c = open();
  conn.prepare("INSERT INTO persons(contact_id, case_id, role, name, safe_times, safe_note) VALUES (?1, ?2, 'victim', '某某', ?3, ?4)")
      .bind_all(contact_on(c), c.id, kSafeTimes, kSafeNote)
      .run();
  const auto p = sample_plan();
  conn.prepare("INSERT INTO dv_safety_plans(case_id, version, ok_to_call, safe_times, code_word_enc, author_id, created_at)"
               " VALUES (?1, 1, 0, ?2, ?3, ?4, ?5)")
      .bind_all(c.id, p.safe_contact.safe_times)
      .bind_blob(3, cipher.encrypt(p.safe_contact.code_word, SafetyPlanService::kCodeWordContext))
      .bind(4, op.user_id)
      .bind(5, clock.now_ms())
      .run();
  const auto plan_id = conn.last_insert_rowid();
  for (std::size_t i = 0; i < p.steps.size(); ++i)
    conn.prepare("INSERT INTO dv_safety_plan_steps(plan_id, position, text, done) VALUES (?1, ?2, ?3, ?4)")
        .bind_all(plan_id, static_cast<std::int64_t>(i), p.steps[i].text, p.steps[i].done ? 1 : 0)
        .run();
  const auto& k = p.emergency_contacts[0];
  conn.prepare("INSERT INTO dv_safety_plan_contacts(plan_id, position, name, phone_enc, relation) VALUES (?1, 0, ?2, ?3, ?4)")
      .bind_all(plan_id, k.name)
      .bind_blob(3, cipher.encrypt(k.phone, SafetyPlanService::kPhoneContext))
      .bind(4, k.relation)
      .run();
  conn.prepare("INSERT INTO dv_safety_plan_places(plan_id, position, name, address, note) VALUES (?1, 0, ?2, ?3, ?4)")
      .bind_all(plan_id, p.places[0].name, p.places[0].address, p.places[0].note)
      .run();
  const audit::AuditChain chain(hl::test::dv_test_key(3));
  {
    db::Transaction tx(conn);
    chain.append(conn, {clock.now_ms(), op.user_id, "dv.safety_plan.update", "case", c.id, "version 1", ""});
    tx.commit();
  }
  // In clear before the upgrade: everything but the phone and the code word, encrypted already.
  BOOST_REQUIRE(in_files(path).find(p.places[0].address) != std::string::npos);
  BOOST_REQUIRE(in_files(path).find(kSafeNote) != std::string::npos);

  // Debian's SQLite zeroes deleted content by default, another build need not: the upgrade must not
  // rely on it (the plaintext would stay in the file's free space).
  conn.exec("PRAGMA secure_delete = OFF");
  BOOST_REQUIRE(must_ok(migrate_database(conn)) >= 1);
  // Schema 014 alone already keeps the new code working (the tables have their final shape).
  // 2 of the person, the plan's safe times, 2 steps, a contact's name and relation, a place's 3 texts.
  BOOST_TEST(scalar("SELECT count(*) FROM migration_014_plaintext") == 10);
  BOOST_TEST(must_ok(seal_safe_contact_fields(conn, cipher)) == 10);

  check_plan(must_ok(plans.get(conn, c.id, op)).plan->content);
  BOOST_TEST((rules_of(c.id) == std::make_pair(std::string(kSafeTimes), std::string(kSafeNote))));
  BOOST_TEST(in_files(path) == "");
  BOOST_TEST(chain.verify(conn).ok);

  // Idempotent: a second start finds nothing to do, and the next edit is stored encrypted too.
  BOOST_TEST(must_ok(migrate_database(conn)) == 0);
  BOOST_TEST(must_ok(seal_safe_contact_fields(conn, cipher)) == 0);
  check_plan(must_ok(plans.put(conn, c.id, 1, sample_plan(), op)).plan->content);
  BOOST_TEST(in_files(path) == "");
}

BOOST_AUTO_TEST_CASE(a_failed_data_step_changes_nothing) {
  const auto c = open();
  conn.prepare("INSERT INTO persons(contact_id, case_id, role, safe_times) VALUES (?1, ?2, 'victim', ?3)")
      .bind_all(contact_on(c), c.id, kSafeTimes)
      .run();
  must_ok(migrate_database(conn));
  conn.exec("INSERT INTO migration_014_plaintext(source, row_id, position, value) VALUES ('persons.name', 1, 0, 'x')");
  must_fail(seal_safe_contact_fields(conn, cipher), Errc::internal);
  BOOST_TEST(scalar("SELECT count(*) FROM migration_014_plaintext") == 2);  // kept for the next start
  BOOST_TEST(scalar("SELECT count(*) FROM persons WHERE safe_times_enc IS NOT NULL") == 0);
}

BOOST_AUTO_TEST_SUITE_END()
