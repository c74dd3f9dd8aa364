#include <array>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "core/audit/audit_chain.hpp"
#include "core/crypto/random.hpp"
#include "core/db/connection.hpp"
#include "core/audit/audit_anchor.hpp"
#include "core/db/transaction.hpp"

namespace {

namespace fs = std::filesystem;
using Key = std::array<unsigned char, 32>;

// The DDL of schema/001_init.sql and 011_audit_head.sql, so these tests do not depend on the migrations.
constexpr std::string_view kAuditDdl = R"sql(
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor_id INTEGER,
  action TEXT NOT NULL,
  object_type TEXT NOT NULL DEFAULT '',
  object_id INTEGER,
  detail TEXT NOT NULL DEFAULT '',
  ip TEXT NOT NULL DEFAULT '',
  hash BLOB NOT NULL
);
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last_id INTEGER NOT NULL,
  last_hash BLOB NOT NULL
);
)sql";

Key key_filled(unsigned char b) {
  Key k;
  k.fill(b);
  return k;
}

struct AuditDb {
  fs::path path = fs::temp_directory_path() / ("hl_audit_" + hl::crypto::random_token_hex(8) + ".db");
  hl::db::Connection conn = hl::db::Connection::open(path.string());
  hl::audit::AuditChain chain{key_filled(0x42)};

  AuditDb() { conn.exec(kAuditDdl); }
  ~AuditDb() {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path.string() + suffix);
  }

  static hl::audit::AuditEntry entry(int i) {
    hl::audit::AuditEntry e;
    e.at = 1'700'000'000'000 + i * 1000;
    if (i % 3 != 0) e.actor_id = i % 7;
    e.action = i % 2 ? "record.read" : "record.update";
    e.object_type = i % 5 ? "record" : "";
    if (i % 5) e.object_id = i;
    e.detail = "detail " + std::to_string(i) + " 备注";
    e.ip = i % 4 ? "192.0.2." + std::to_string(i % 250) : "";
    return e;
  }

  void append_rows(int n) {
    hl::db::Transaction tx(conn);
    for (int i = 1; i <= n; ++i) BOOST_TEST(chain.append(conn, entry(i)) == i);
    tx.commit();
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(audit_chain)

BOOST_AUTO_TEST_CASE(empty_log_verifies) {
  AuditDb db;
  const auto report = db.chain.verify(db.conn);
  BOOST_TEST(report.ok);
  BOOST_TEST(report.rows_checked == 0);
  BOOST_TEST(!report.first_broken_id.has_value());
}

BOOST_AUTO_TEST_CASE(hundred_appended_rows_verify) {
  AuditDb db;
  db.append_rows(100);
  const auto report = db.chain.verify(db.conn);
  BOOST_TEST(report.ok);
  BOOST_TEST(report.rows_checked == 100);
  BOOST_TEST(report.reason.empty());
}

BOOST_AUTO_TEST_CASE(appends_across_transactions_continue_the_chain) {
  AuditDb db;
  db.append_rows(3);
  {
    hl::db::Transaction tx(db.conn);
    BOOST_TEST(db.chain.append(db.conn, AuditDb::entry(4)) == 4);
    tx.commit();
  }
  {
    hl::db::Transaction tx(db.conn);  // rolled back: leaves no trace and no gap
    db.chain.append(db.conn, AuditDb::entry(99));
  }
  const auto report = db.chain.verify(db.conn);
  BOOST_TEST(report.ok);
  BOOST_TEST(report.rows_checked == 4);
}

BOOST_AUTO_TEST_CASE(append_outside_a_transaction_is_refused) {
  AuditDb db;
  BOOST_CHECK_THROW(db.chain.append(db.conn, AuditDb::entry(1)), std::logic_error);
}

BOOST_AUTO_TEST_CASE(stores_every_field_as_given) {
  AuditDb db;
  hl::audit::AuditEntry e;
  e.at = 123;
  e.action = "session.login_failed";
  e.ip = "2001:db8::1";
  {
    hl::db::Transaction tx(db.conn);
    db.chain.append(db.conn, e);
    tx.commit();
  }
  auto st = db.conn.prepare("SELECT at, actor_id, action, object_type, object_id, detail, ip, length(hash) FROM audit_log");
  BOOST_REQUIRE(st.step());
  BOOST_TEST(st.int64(0) == 123);
  BOOST_TEST(st.is_null(1));
  BOOST_TEST(st.text(2) == "session.login_failed");
  BOOST_TEST(st.text(3) == "");
  BOOST_TEST(st.is_null(4));
  BOOST_TEST(st.text(5) == "");
  BOOST_TEST(st.text(6) == "2001:db8::1");
  BOOST_TEST(st.int64(7) == 32);
}

BOOST_AUTO_TEST_CASE(altered_detail_is_reported_at_that_row) {
  AuditDb db;
  db.append_rows(100);
  db.conn.exec("UPDATE audit_log SET detail = 'nothing to see' WHERE id = 57");
  const auto report = db.chain.verify(db.conn);
  BOOST_TEST(!report.ok);
  BOOST_REQUIRE(report.first_broken_id.has_value());
  BOOST_TEST(*report.first_broken_id == 57);
  BOOST_TEST(report.rows_checked == 57);
  BOOST_TEST(!report.reason.empty());
}

BOOST_AUTO_TEST_CASE(every_column_is_covered_by_the_hash) {
  for (const char* tamper : {"UPDATE audit_log SET at = at + 1 WHERE id = 10",
                             "UPDATE audit_log SET actor_id = NULL WHERE id = 10",   // was 3
                             "UPDATE audit_log SET actor_id = 0 WHERE id = 12",      // was NULL
                             "UPDATE audit_log SET action = 'record.read' WHERE id = 10",
                             "UPDATE audit_log SET object_type = 'x' WHERE id = 10",
                             "UPDATE audit_log SET object_id = 11 WHERE id = 10",
                             "UPDATE audit_log SET ip = '' WHERE id = 10",
                             "UPDATE audit_log SET hash = zeroblob(32) WHERE id = 10"}) {
    BOOST_TEST_CONTEXT(tamper) {
      AuditDb db;
      db.append_rows(20);
      db.conn.exec(tamper);
      const auto report = db.chain.verify(db.conn);
      BOOST_TEST(!report.ok);
      BOOST_TEST(report.first_broken_id.value_or(-1) == (std::string_view(tamper).ends_with("12") ? 12 : 10));
    }
  }
}

BOOST_AUTO_TEST_CASE(replacing_a_row_hash_is_noticed_at_the_next_row_too) {
  // Even someone who rewrote row 10 consistently without the key could not fix row 11's link.
  AuditDb db;
  db.append_rows(20);
  db.conn.exec("UPDATE audit_log SET hash = (SELECT hash FROM audit_log WHERE id = 9) WHERE id = 10");
  const auto report = db.chain.verify(db.conn);
  BOOST_TEST(report.first_broken_id.value_or(-1) == 10);
}

BOOST_AUTO_TEST_CASE(deleted_middle_row_is_reported) {
  AuditDb db;
  db.append_rows(100);
  db.conn.exec("DELETE FROM audit_log WHERE id = 40");
  const auto report = db.chain.verify(db.conn);
  BOOST_TEST(!report.ok);
  BOOST_TEST(report.first_broken_id.value_or(-1) == 41);
  BOOST_TEST(report.reason.find("40") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(deleted_first_row_is_reported) {
  AuditDb db;
  db.append_rows(10);
  db.conn.exec("DELETE FROM audit_log WHERE id = 1");
  const auto report = db.chain.verify(db.conn);
  BOOST_TEST(!report.ok);
  BOOST_TEST(report.first_broken_id.value_or(-1) == 2);
}

BOOST_AUTO_TEST_CASE(renumbering_to_hide_a_deletion_is_reported) {
  AuditDb db;
  db.append_rows(10);
  db.conn.exec("DELETE FROM audit_log WHERE id = 5; UPDATE audit_log SET id = id - 1 WHERE id > 5");
  const auto report = db.chain.verify(db.conn);
  BOOST_TEST(!report.ok);
  BOOST_TEST(report.first_broken_id.value_or(-1) == 5);
}

BOOST_AUTO_TEST_CASE(wrong_key_breaks_at_the_first_row) {
  AuditDb db;
  db.append_rows(10);
  const hl::audit::AuditChain other(key_filled(0x43));
  const auto report = other.verify(db.conn);
  BOOST_TEST(!report.ok);
  BOOST_TEST(report.first_broken_id.value_or(-1) == 1);
  BOOST_TEST(report.rows_checked == 1);
}

BOOST_AUTO_TEST_CASE(a_row_inserted_with_a_made_up_hash_is_reported) {
  AuditDb db;
  db.append_rows(5);
  db.conn.exec("INSERT INTO audit_log (id, at, action, hash) VALUES (6, 0, 'forged', randomblob(32))");
  const auto report = db.chain.verify(db.conn);
  BOOST_TEST(report.first_broken_id.value_or(-1) == 6);
}

BOOST_AUTO_TEST_CASE(many_rows_verify) {
  AuditDb db;
  db.conn.exec("PRAGMA synchronous=OFF");
  db.append_rows(20000);
  const auto report = db.chain.verify(db.conn);
  BOOST_TEST(report.ok);
  BOOST_TEST(report.rows_checked == 20000);
}

BOOST_AUTO_TEST_CASE(a_cut_off_tail_is_told_by_the_anchor_and_its_ids_are_not_reused) {
  AuditDb db;
  db.append_rows(10);
  const auto anchor = hl::audit::AuditChain::newest_row(db.conn);
  BOOST_TEST(anchor.row_id == 10);
  BOOST_TEST(db.chain.verify(db.conn, anchor).ok);
  db.conn.exec("DELETE FROM audit_log WHERE id > 7");
  BOOST_TEST(db.chain.verify(db.conn).ok);  // without the anchor, a shorter chain looks whole
  const auto cut = db.chain.verify(db.conn, anchor);
  BOOST_TEST(!cut.ok);
  BOOST_TEST(cut.first_broken_id.value_or(0) == 8);
  BOOST_TEST(cut.reason.find("rows 8 to 10 are missing") != std::string::npos, cut.reason);
  // The next row takes id 11, not 8: the gap stays visible even without the anchor.
  hl::db::Transaction tx(db.conn);
  BOOST_TEST(db.chain.append(db.conn, AuditDb::entry(11)) == 11);
  tx.commit();
  const auto gap = db.chain.verify(db.conn);
  BOOST_TEST(!gap.ok);
  BOOST_TEST(gap.reason.find("rows 8 to 10 are missing") != std::string::npos, gap.reason);
}

BOOST_AUTO_TEST_CASE(a_rewritten_anchored_row_is_told) {
  AuditDb db;
  db.append_rows(5);
  auto anchor = hl::audit::AuditChain::newest_row(db.conn);
  anchor.row_hash[0] = static_cast<char>(anchor.row_hash[0] ^ 1);
  const auto r = db.chain.verify(db.conn, anchor);
  BOOST_TEST(!r.ok);
  BOOST_TEST(r.first_broken_id.value_or(0) == 5);
  BOOST_TEST(r.reason.find("differs from the anchor") != std::string::npos, r.reason);
}

BOOST_AUTO_TEST_CASE(anchor_files_keep_the_highest_authentic_anchor) {
  const fs::path path = fs::temp_directory_path() / ("hl_anchor_" + hl::crypto::random_token_hex(8));
  const hl::audit::AnchorFile file(path.string(), key_filled(0x42));
  BOOST_TEST(!file.highest().value().has_value());  // absent: no anchor yet
  BOOST_TEST(file.append({100, 7, std::string(32, 'x')}).has_value());
  BOOST_TEST(file.append({200, 9, std::string(32, 'y')}).has_value());
  BOOST_TEST(file.append({300, 8, std::string(32, 'z')}).has_value());  // lower: never wins
  auto best = file.highest();
  BOOST_REQUIRE(best.has_value());
  BOOST_REQUIRE(best->has_value());
  BOOST_TEST((*best)->row_id == 9);
  BOOST_TEST((*best)->row_hash == std::string(32, 'y'));
  // Another key's line is not authentic.
  BOOST_TEST(hl::audit::AnchorFile(path.string(), key_filled(0x43)).append({400, 50, std::string(32, 'w')}).has_value());
  const auto forged = file.highest();
  BOOST_REQUIRE(!forged.has_value());
  BOOST_TEST(forged.error().message.find("line 4") != std::string::npos, forged.error().message);
  fs::remove(path);
}

BOOST_AUTO_TEST_SUITE_END()
