// A database an office ran at schema 014 (before 015–023: contact kinds, report filings, 督办, the
// protection-order dates, 复查/复核, 存档, offices below the county, 复议) migrates to this release's schema
// through the real binary (`hotline migrate`), with cases in every state that release knew — registered,
// in progress, referred, in mediation, pending closure, closed, 交办中 (delegated, with the county's copy),
// 已转送 (forwarded, with the receiving office's copy) and one reopened — plus their events, contacts,
// persons, a referral, a protection order and an audit chain. Afterwards nothing is lost (row counts),
// every case reads back through the casework services with its history and procedure, the states are
// what the migration headers say (015–023 change no status; 019 moves an order's expiry to the end of
// its day and takes the application as the court's acceptance; 021 archives nothing itself — the
// sweep does, later), the cases can be worked on, and `hotline audit verify` passes. A database from
// before 013 (the first version's transfers) is checked against 013's documented mapping too.
#include <boost/test/unit_test.hpp>

#include <map>
#include <string>
#include <vector>

#include "api/server_process.hpp"
#include "casework/actor.hpp"
#include "casework/case_archive.hpp"
#include "casework/case_procedure.hpp"
#include "casework/case_repository.hpp"
#include "casework/case_service.hpp"
#include "casework/dv_protection_order.hpp"
#include "casework/schema_setup.hpp"
#include "casework/user_repository.hpp"
#include "casework/vocabulary.hpp"
#include "core/audit/audit_chain.hpp"
#include "core/crypto/keys.hpp"
#include "core/db/connection.hpp"
#include "core/db/migrations.hpp"
#include "core/db/transaction.hpp"
#include "core/local_time.hpp"
#include "schema/embedded_schema.hpp"
#include "support/temp_dir.hpp"

using namespace hl;
using namespace hl::apitest;

namespace {

constexpr TimeMs kDay = 86'400'000;
const std::vector<std::string> kCountedTables = {"cases", "case_events", "contacts", "persons", "referrals", "mediations",
                                                 "case_transfers", "case_access", "dv_protection_orders", "audit_log", "users",
                                                 "offices", "partners"};

// Rows as the schema-014 release wrote them, by hand: its services are gone, its tables are not.
struct OldDatabase {
  db::Connection& conn;
  TimeMs now;
  std::map<std::string, std::int64_t> ids;  // by name: offices, users, partners, cases

  std::int64_t office(const std::string& name, const char* code, std::optional<std::int64_t> parent, const char* level) {
    conn.prepare("INSERT INTO offices(name, region_code, parent_id, path, level, created_at) VALUES (?1, ?2, ?3, ?2, ?4, ?5)")
        .bind_all(name, code, parent, level, now)
        .run();
    const auto id = conn.last_insert_rowid();
    std::string path = "/" + std::to_string(id) + "/";
    if (parent) {
      auto st = conn.prepare("SELECT path FROM offices WHERE id = ?1");
      st.bind_all(*parent);
      st.step();
      path = st.text(0) + std::to_string(id) + "/";
    }
    conn.prepare("UPDATE offices SET path = ?2 WHERE id = ?1").bind_all(id, path).run();
    return ids[name] = id;
  }

  std::int64_t user(const std::string& name, const char* role, std::optional<std::int64_t> office_id) {
    conn.prepare("INSERT INTO users(username, display_name, role, office_id, password_hash, created_at) VALUES (?1, ?1, ?2, ?3, 'x', ?4)")
        .bind_all(name, role, office_id, now)
        .run();
    return ids[name] = conn.last_insert_rowid();
  }

  std::string path_of(std::int64_t office_id) {
    auto st = conn.prepare("SELECT path FROM offices WHERE id = ?1");
    st.bind_all(office_id);
    st.step();
    return st.text(0);
  }

  // A case as the old services left it in `status`, registered `age_days` ago by `who`, with its
  // contact and person and the events named (each from the previous status to the next).
  struct Step {
    const char* event;
    const char* to;
  };
  std::int64_t kase(const std::string& name, std::int64_t office_id, const char* status, int age_days,
                    const std::vector<Step>& history, const char* who = "op") {
    const TimeMs received = now - age_days * kDay;
    const bool accepted = std::string(status) != "registered";
    const bool ended = std::string(status) == "closed" || std::string(status) == "forwarded";
    const std::int64_t n = static_cast<std::int64_t>(ids.size());
    conn.prepare(
            "INSERT INTO cases(case_no, office_id, office_path, status, category, channel, summary, narrative, assignee_id,"
            " received_at, accepted_at, closed_at, acceptance_due, handling_due, next_due, outcome, closure_summary,"
            " losses_avoided_fen, created_by, created_at, updated_at, version)"
            " VALUES (?1, ?2, ?3, ?4, 'marriage_family.domestic_violence', 'hotline', ?5, '旧版本登记的个案', ?6, ?7, ?8, ?9, ?10,"
            " ?11, ?12, ?13, ?14, ?15, ?6, ?7, ?7, ?16)")
        .bind_all("431023-2026-9" + std::to_string(10000 + n), office_id, path_of(office_id), status, name, ids.at(who), received,
                  accepted ? std::optional(received + kDay) : std::nullopt,
                  ended ? std::optional(received + 10 * kDay) : std::nullopt,
                  accepted ? std::nullopt : std::optional(received + 15 * kDay),
                  accepted && !ended ? std::optional(received + 61 * kDay) : std::nullopt,
                  ended ? std::nullopt : std::optional(received + (accepted ? 61 : 15) * kDay),
                  std::string(status) == "closed" || std::string(status) == "pending_closure" ? std::optional<std::string>("resolved")
                  : std::string(status) == "forwarded" ? std::optional<std::string>("forwarded")
                                                       : std::nullopt,
                  std::string(status) == "closed" || std::string(status) == "pending_closure" ? std::optional<std::string>("已协调解决")
                                                                                              : std::nullopt,
                  std::string(status) == "closed" ? std::optional<std::int64_t>(0) : std::nullopt,
                  static_cast<std::int64_t>(history.size() + 1))
        .run();
    const auto id = conn.last_insert_rowid();
    ids[name] = id;
    conn.prepare("INSERT INTO contacts(office_id, case_id, channel, call_type, received_at, duration_s, category, resolution, summary,"
                 " operator_id, created_at) VALUES (?1, ?2, 'hotline', 'help_request', ?3, 300, 'marriage_family.domestic_violence',"
                 " 'open_case', ?4, ?5, ?3)")
        .bind_all(office_id, id, received, name, ids.at(who))
        .run();
    conn.prepare("INSERT INTO persons(contact_id, case_id, role, name) VALUES (?1, ?2, 'complainant', '王女士')")
        .bind_all(conn.last_insert_rowid(), id)
        .run();
    const char* from = nullptr;
    TimeMs at = received;
    auto event = [&](const char* ev, const char* to) {
      conn.prepare("INSERT INTO case_events(case_id, event, from_status, to_status, actor_id, at, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6, '{}')")
          .bind_all(id, ev, from ? std::optional<std::string>(from) : std::nullopt, to, ids.at(who), at)
          .run();
      from = to;
      at += kDay;
    };
    event("register", "registered");
    for (const auto& s : history) event(s.event, s.to);
    BOOST_REQUIRE_MESSAGE(std::string(from) == status, name << ": the history ends in " << from);
    return id;
  }

  // Rows of `table`; 0 when this schema has no such table yet.
  std::int64_t count(const std::string& table) {
    auto exists = conn.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1");
    exists.bind_all(table);
    if (!exists.step()) return 0;
    auto st = conn.prepare("SELECT count(*) FROM " + table);  // names from kCountedTables only
    st.step();
    return st.int64(0);
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(schema_014_migration)

BOOST_AUTO_TEST_CASE(a_schema_014_database_migrates_with_every_case_readable_and_the_audit_chain_intact) {
  hl::test::TempDir dir;
  const std::string path = dir.file("old.db"), keys_path = path + ".keys";
  auto keys = crypto::load_or_create_keys(keys_path);
  BOOST_REQUIRE(keys.has_value());
  const TimeMs now = *parse_iso8601("2026-11-23T09:30:00+08:00");
  // What the old release left, and what the migrated one must show.
  std::map<std::string, std::string> status_of;
  std::map<std::string, std::int64_t> events_of, before;
  std::map<std::string, std::int64_t> ids;
  TimeMs order_expiry_noon = 0, order_applied = 0;
  {
    auto conn = db::Connection::open(path);
    auto all = db::migrations_from_files(schema::sql_files());
    BOOST_REQUIRE(all.has_value());
    std::vector<db::Migration> older;
    for (const auto& m : *all)
      if (m.version <= 14) older.push_back(m);
    BOOST_REQUIRE(db::migrate(conn, older).has_value());
    BOOST_REQUIRE(db::schema_version(conn) == 14);

    OldDatabase old{conn, now, {}};
    db::Transaction tx(conn);
    const auto province = old.office("湖南省妇联", "430000", std::nullopt, "province");
    const auto city = old.office("郴州市妇联", "431000", province, "city");
    const auto county = old.office("永兴县妇联", "431023", city, "county");
    const auto sibling = old.office("桂阳县妇联", "431021", city, "county");
    old.user("op", "operator", county);
    old.user("sup", "supervisor", county);
    old.user("city_sup", "supervisor", city);
    old.user("other_op", "operator", sibling);
    conn.prepare("INSERT INTO partners(name, type, active, created_at) VALUES ('城关派出所', 'police', 1, 0), ('永兴县人民法院', 'court', 1, 0)").run();
    const std::int64_t police = conn.last_insert_rowid() - 1, court = police + 1;

    using S = OldDatabase::Step;
    old.kase("registered", county, "registered", 2, {});
    old.kase("in_progress", county, "in_progress", 5, {{"accept", "in_progress"}});
    const auto referred = old.kase("referred", county, "referred", 8, {{"accept", "in_progress"}, {"refer", "referred"}});
    conn.prepare("INSERT INTO referrals(case_id, partner_id, service, status, consent_given, sent_at, response_due, created_by)"
                 " VALUES (?1, ?2, 'police_response', 'sent', 1, ?3, ?4, ?5)")
        .bind_all(referred, police, now - 6 * kDay, now - 4 * kDay, old.ids.at("op"))
        .run();
    const auto mediating = old.kase("mediation", county, "mediation", 12, {{"accept", "in_progress"}, {"start_mediation", "mediation"}});
    conn.prepare("INSERT INTO mediations(case_id, mediator, scheduled_at, created_at) VALUES (?1, '调解员李', ?2, ?2)")
        .bind_all(mediating, now - 3 * kDay)
        .run();
    old.kase("pending_closure", county, "pending_closure", 20, {{"accept", "in_progress"}, {"request_closure", "pending_closure"}});
    old.kase("closed", county, "closed", 130,
             {{"accept", "in_progress"}, {"request_closure", "pending_closure"}, {"approve_closure", "closed"}});
    old.kase("reopened", county, "in_progress", 40,
             {{"accept", "in_progress"}, {"request_closure", "pending_closure"}, {"approve_closure", "closed"}, {"reopen", "in_progress"}});
    // 交办中: the city delegated to the county, which has its own copy in progress.
    const auto delegated = old.kase("delegated", city, "delegated", 9, {{"accept", "in_progress"}, {"delegate", "delegated"}}, "city_sup");
    const auto received = old.kase("delegated_copy", county, "in_progress", 7, {{"accept", "in_progress"}});
    // 已转送: the county forwarded to its sibling county, whose copy is still registered.
    const auto forwarded = old.kase("forwarded", county, "forwarded", 6, {{"forward", "forwarded"}});
    const auto copy = old.kase("forwarded_copy", sibling, "registered", 3, {}, "other_op");
    conn.prepare("UPDATE cases SET transferred_to_case_id = ?2 WHERE id = ?1").bind_all(delegated, received).run();
    conn.prepare("UPDATE cases SET transferred_from_case_id = ?2 WHERE id = ?1").bind_all(received, delegated).run();
    conn.prepare("UPDATE cases SET transferred_to_case_id = ?2 WHERE id = ?1").bind_all(forwarded, copy).run();
    conn.prepare("UPDATE cases SET transferred_from_case_id = ?2 WHERE id = ?1").bind_all(copy, forwarded).run();
    conn.prepare("INSERT INTO case_transfers(from_case_id, to_case_id, mode, from_office_id, to_office_id, sent_at, first_received_at,"
                 " report_due, report_state) VALUES (?1, ?2, 'delegate', ?3, ?4, ?5, ?6, ?7, 'awaited'),"
                 " (?8, ?9, 'forward', ?4, ?10, ?11, ?12, NULL, NULL)")
        .bind_all(delegated, received, city, county, now - 7 * kDay, now - 9 * kDay, now + 13 * kDay, forwarded, copy, sibling,
                  now - 3 * kDay, now - 6 * kDay)
        .run();
    conn.prepare("INSERT INTO case_access(case_id, office_id, reason, granted_at) VALUES (?1, ?2, 'sender', ?3), (?4, ?5, 'sender', ?6)")
        .bind_all(received, city, now - 7 * kDay, copy, county, now - 3 * kDay)
        .run();
    // A protection order granted on the in-progress case, its expiry entered at noon (019 moves it).
    order_applied = now - 4 * kDay;
    order_expiry_noon = *parse_iso8601("2027-02-20T12:00:00+08:00");
    conn.prepare("INSERT INTO dv_protection_orders(case_id, court_partner_id, emergency, applied_at, ruling_due, status, ruled_at,"
                 " expires_at, created_by, created_at, updated_at) VALUES (?1, ?2, 0, ?3, ?4, 'granted', ?5, ?6, ?7, ?3, ?5)")
        .bind_all(old.ids.at("in_progress"), court, order_applied, order_applied + 72 * (kDay / 24), order_applied + kDay,
                  order_expiry_noon, old.ids.at("op"))
        .run();
    // The audit chain over all of it, as the old server wrote one row per write.
    const audit::AuditChain chain(keys->audit_key);
    for (const auto& [name, id] : old.ids)
      if (!name.starts_with("op") && !name.ends_with("sup") && name != "other_op" && !name.ends_with("妇联"))
        chain.append(conn, {now - kDay, old.ids.at("op"), "case.create", "case", id, name, ""});
    tx.commit();

    for (const auto& name : {"registered", "in_progress", "referred", "mediation", "pending_closure", "closed", "reopened", "delegated",
                             "delegated_copy", "forwarded", "forwarded_copy"}) {
      auto st = conn.prepare("SELECT status, (SELECT count(*) FROM case_events e WHERE e.case_id = c.id) FROM cases c WHERE id = ?1");
      st.bind_all(old.ids.at(name));
      BOOST_REQUIRE(st.step());
      status_of[name] = st.text(0);
      events_of[name] = st.int64(1);
    }
    for (const auto& t : kCountedTables) before[t] = old.count(t);
    ids = old.ids;
  }
  BOOST_REQUIRE(before.at("audit_log") == 11);

  const auto migrated = run_hotline({"migrate", "--db", path, "--keys", keys_path});
  BOOST_REQUIRE_MESSAGE(migrated.exit_code == 0, migrated.out << migrated.err);
  const auto verified = run_hotline({"audit", "verify", "--db", path, "--keys", keys_path});
  BOOST_TEST(verified.exit_code == 0, verified.out << verified.err);

  auto conn = db::Connection::open(path);
  BOOST_TEST(db::schema_version(conn) == casework::known_schema_version());
  OldDatabase counter{conn, now, {}};
  for (const auto& t : kCountedTables) BOOST_TEST_CONTEXT(t) { BOOST_TEST(counter.count(t) == before.at(t)); }

  const auto op = *casework::UserRepository::actor_for(conn, ids.at("op"));
  const auto sup = *casework::UserRepository::actor_for(conn, ids.at("sup"));
  const auto city_sup = *casework::UserRepository::actor_for(conn, ids.at("city_sup"));
  const auto other_op = *casework::UserRepository::actor_for(conn, ids.at("other_op"));
  auto reader = [&](const std::string& name) {
    if (name == "delegated") return city_sup;
    if (name == "forwarded_copy") return other_op;
    return op;
  };
  for (const auto& [name, status] : status_of) {
    BOOST_TEST_CONTEXT(name) {
      const auto c = casework::CaseRepository::get(conn, ids.at(name), reader(name));
      BOOST_REQUIRE_MESSAGE(c.has_value(), (c ? std::string() : c.error().message));
      BOOST_TEST(std::string(casework::to_string(c->status)) == status);  // 015–023 change no status
      BOOST_TEST(!casework::CaseArchive::archived_at(conn, c->id).has_value());  // 021 archives nothing itself
      const auto events = casework::CaseRepository::events(conn, c->id, reader(name));
      BOOST_REQUIRE(events.has_value());
      BOOST_TEST(static_cast<std::int64_t>(events->size()) == events_of.at(name));
    }
  }
  // The routes keep their procedure: the city awaits the county's report, the sibling has its copy.
  const auto delegated = casework::ProcedureRepository::load(conn, ids.at("delegated"));
  BOOST_REQUIRE(delegated.sent.has_value());
  BOOST_TEST(delegated.sent->mode == "delegate");
  BOOST_TEST(delegated.sent->report_state.value_or("") == "awaited");
  const auto copy = casework::ProcedureRepository::load(conn, ids.at("forwarded_copy"));
  BOOST_REQUIRE(copy.received.has_value());
  BOOST_TEST(copy.received->mode == "forward");
  BOOST_TEST(copy.received->from_case_id == ids.at("forwarded"));
  // 019: the order is in force through the whole of the day its expiry named; the application is
  // taken as the court's acceptance.
  const auto orders = casework::ProtectionOrderService::for_case(conn, ids.at("in_progress"), op);
  BOOST_REQUIRE(orders.has_value());
  BOOST_REQUIRE(orders->size() == 1u);
  BOOST_TEST(orders->at(0).expires_at.value_or(0) == end_of_local_day(local_date(order_expiry_noon)));
  BOOST_TEST(orders->at(0).court_accepted_at.value_or(0) == order_applied);
  BOOST_TEST(!orders->at(0).reconsideration.has_value());

  // The migrated cases are worked on with today's rules: the registered one is accepted (with its
  // notice), the reopened one answered; the old closed case is archived by the sweep (90 days after
  // closure, no follow-up), the others are not.
  FakeClock clock{now};
  const casework::CaseService service{clock};
  auto reg = casework::CaseRepository::get(conn, ids.at("registered"), op);
  auto accepted = service.apply(conn, reg->id, reg->version, casework::CaseEvent::accept, op,
                                {{"notice_method", "phone"}, {"notice_on_the_spot", "true"}});
  BOOST_TEST(accepted.has_value(), (accepted ? std::string() : accepted.error().message));
  auto reopened = casework::CaseRepository::get(conn, ids.at("reopened"), sup);
  auto replied = service.apply(conn, reopened->id, reopened->version, casework::CaseEvent::reply, sup,
                               {{"replied_at", format_iso8601(now)}, {"method", "phone"}, {"opinion", "support"}, {"basis", "已协调"}});
  BOOST_TEST(replied.has_value(), (replied ? std::string() : replied.error().message));
  const auto swept = casework::CaseArchive::archive_due(conn, now, std::nullopt);
  BOOST_TEST(swept.archived == 1);
  BOOST_TEST(casework::CaseArchive::archived_at(conn, ids.at("closed")).has_value());
}

// From before 013: the first version's transfer closed the sender's case with outcome 'transferred'
// and its copy kept the original received_at. 013's header: the sender's case becomes 已转送
// (forwarded, outcome forwarded) with a case_transfers row (mode forward, first_received_at the
// original date); the copy's received_at becomes the day it arrived (its created_at), and a copy still
// registered gets its 15 days again from that day. Every other state keeps its name.
BOOST_AUTO_TEST_CASE(a_schema_012_transfer_becomes_a_forward_whose_copy_counts_from_its_arrival) {
  hl::test::TempDir dir;
  const std::string path = dir.file("older.db"), keys_path = path + ".keys";
  auto keys = crypto::load_or_create_keys(keys_path);
  BOOST_REQUIRE(keys.has_value());
  const TimeMs now = *parse_iso8601("2026-11-23T09:30:00+08:00");
  const TimeMs first_received = now - 20 * kDay, arrived = now - 3 * kDay;
  std::map<std::string, std::int64_t> ids, before;
  {
    auto conn = db::Connection::open(path);
    auto all = db::migrations_from_files(schema::sql_files());
    BOOST_REQUIRE(all.has_value());
    std::vector<db::Migration> older;
    for (const auto& m : *all)
      if (m.version <= 12) older.push_back(m);
    BOOST_REQUIRE(db::migrate(conn, older).has_value());
    OldDatabase old{conn, now, {}};
    db::Transaction tx(conn);
    const auto province = old.office("湖南省妇联", "430000", std::nullopt, "province");
    const auto city = old.office("郴州市妇联", "431000", province, "city");
    const auto county = old.office("永兴县妇联", "431023", city, "county");
    const auto sibling = old.office("桂阳县妇联", "431021", city, "county");
    old.user("op", "operator", county);
    old.user("other_op", "operator", sibling);
    old.kase("registered", county, "registered", 2, {});
    old.kase("in_progress", county, "in_progress", 5, {{"accept", "in_progress"}});
    old.kase("closed", county, "closed", 30, {{"accept", "in_progress"}, {"request_closure", "pending_closure"}, {"approve_closure", "closed"}});
    const auto sent = old.kase("transferred", county, "closed", 20, {{"transfer", "closed"}});
    const auto copy = old.kase("copy", sibling, "registered", 20, {}, "other_op");
    conn.prepare("UPDATE cases SET outcome = 'transferred', closure_summary = NULL, closed_at = ?3, transferred_to_case_id = ?2 WHERE id = ?1")
        .bind_all(sent, copy, arrived)
        .run();
    // The copy as the first version made it: the original received_at, created when it arrived.
    conn.prepare("UPDATE cases SET received_at = ?2, created_at = ?3, acceptance_due = ?4, next_due = ?4, transferred_from_case_id = ?5 WHERE id = ?1")
        .bind_all(copy, first_received, arrived, first_received + 15 * kDay, sent)
        .run();
    const audit::AuditChain chain(keys->audit_key);
    for (const auto& name : {"registered", "in_progress", "closed", "transferred", "copy"})
      chain.append(conn, {now - kDay, old.ids.at("op"), "case.create", "case", old.ids.at(name), name, ""});
    tx.commit();
    for (const auto& t : kCountedTables) before[t] = old.count(t);
    ids = old.ids;
  }
  const auto migrated = run_hotline({"migrate", "--db", path, "--keys", keys_path});
  BOOST_REQUIRE_MESSAGE(migrated.exit_code == 0, migrated.out << migrated.err);
  const auto verified = run_hotline({"audit", "verify", "--db", path, "--keys", keys_path});
  BOOST_TEST(verified.exit_code == 0, verified.out << verified.err);

  auto conn = db::Connection::open(path);
  OldDatabase counter{conn, now, {}};
  for (const auto& t : kCountedTables)
    BOOST_TEST_CONTEXT(t) { BOOST_TEST(counter.count(t) == before.at(t) + (t == "case_transfers" ? 1 : 0)); }
  const auto op = *casework::UserRepository::actor_for(conn, ids.at("op"));
  const auto other_op = *casework::UserRepository::actor_for(conn, ids.at("other_op"));
  for (const auto& [name, status] : std::map<std::string, std::string>{
           {"registered", "registered"}, {"in_progress", "in_progress"}, {"closed", "closed"}, {"transferred", "forwarded"}, {"copy", "registered"}}) {
    BOOST_TEST_CONTEXT(name) {
      const auto c = casework::CaseRepository::get(conn, ids.at(name), name == "copy" ? other_op : op);
      BOOST_REQUIRE_MESSAGE(c.has_value(), (c ? std::string() : c.error().message));
      BOOST_TEST(std::string(casework::to_string(c->status)) == status);
    }
  }
  const auto sent = *casework::CaseRepository::get(conn, ids.at("transferred"), op);
  BOOST_TEST(sent.outcome.value_or("") == "forwarded");
  const auto received = casework::ProcedureRepository::load(conn, ids.at("copy")).received;
  BOOST_REQUIRE(received.has_value());
  BOOST_TEST(received->mode == "forward");
  BOOST_TEST(received->from_case_id == ids.at("transferred"));
  BOOST_TEST(received->first_received_at == first_received);
  const auto copy = *casework::CaseRepository::get(conn, ids.at("copy"), other_op);
  BOOST_TEST(copy.received_at == arrived);  // its 15 days start on the day it arrived
  BOOST_TEST(copy.acceptance_due.value_or(0) == end_of_local_day(local_date(arrived + 15 * kDay)));
}

BOOST_AUTO_TEST_SUITE_END()
