// The audit chain and data at rest, checked from outside: after real requests, `hotline audit
// verify` passes; altering or deleting one audit row makes it fail naming the row; phone and ID
// numbers never reach the database files in plain text.
#include <sqlite3.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>

#include "api/case_helpers.hpp"
#include "api/server_process.hpp"

using namespace hl::apitest;

namespace {

// A plain sqlite3 handle on the test's database (the server is stopped by then).
class Db {
 public:
  explicit Db(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
      throw std::runtime_error("cannot open " + path);
  }
  ~Db() { sqlite3_close(db_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string message = err ? err : "?";
      sqlite3_free(err);
      throw std::runtime_error(sql + ": " + message);
    }
  }
  std::int64_t scalar(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) throw std::runtime_error(sql);
    std::int64_t v = -1;
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
  }

 private:
  sqlite3* db_ = nullptr;
};

// A workday at the desk: logins (one failed), intakes, reads, edits, transitions, notes, lookups.
struct Workday {
  ServerProcess server;
  std::int64_t case_id = 0;

  Workday() {
    BOOST_TEST_REQUIRE(server.login_raw("operator", "wrong-password").status == 401u);
    const Login op = server.login(kOperator);
    const Login sup = server.login(kSupervisor);
    case_id = require_open_case(server, op, "13912345678");
    CHECK_STATUS(server.send(op, "POST", "/api/v1/intakes", {{"channel", "hotline"}, {"call_type", "silent"}}), 201);
    const Json c = require_case(server, op, case_id);
    CHECK_STATUS(server.send(op, "PATCH", case_path(case_id), {{"version", c.at("version")}, {"urgency", "urgent"}}), 200);
    require_transition(server, op, case_id, "accept", notice_data());
    CHECK_STATUS(server.send(op, "POST", case_path(case_id, "/notes"), {{"text", "已电话回访"}}), 201);
    CHECK_STATUS(server.get(op, case_path(case_id, "/timeline")), 200);
    CHECK_STATUS(server.get(op, "/api/v1/cases?q=" + url_encode("家暴")), 200);
    CHECK_STATUS(server.get(op, "/api/v1/callers/lookup?phone=13912345678"), 200);
    CHECK_STATUS(server.get(sup, case_path(case_id)), 200);
    CHECK_STATUS(server.del(op, "/api/v1/session"), 204);
  }

  CommandResult verify() const { return run_hotline({"audit", "verify", "--db", server.db_path()}); }

  void stop_cleanly() { BOOST_REQUIRE_EQUAL(server.stop(), 0); }
};

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A valid resident ID number (GB 11643 check character) from its first 17 digits.
std::string id_number(const std::string& first17) {
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[static_cast<std::size_t>(i)] - '0') * kWeights[i];
  return first17 + "10X98765432"[sum % 11];
}

// The database files (main, WAL, shared memory) that exist right now, with their bytes.
std::map<std::string, std::string> database_files(const ServerProcess& server) {
  std::map<std::string, std::string> out;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    const std::filesystem::path p = server.db_path() + suffix;
    if (std::filesystem::exists(p)) out[p.filename().string()] = read_bytes(p);
  }
  return out;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(audit, Workday)

BOOST_AUTO_TEST_CASE(every_case_read_and_write_is_in_the_chain_and_audit_verify_passes) {
  stop_cleanly();
  auto r = verify();
  BOOST_CHECK_MESSAGE(r.exit_code == 0, "audit verify: exit " << r.exit_code << "\n" << r.out << r.err);
  BOOST_TEST(r.out.find("ok") != std::string::npos);

  Db db(server.db_path());
  const std::string for_case = " AND object_id = " + std::to_string(case_id);
  for (const std::string action : {"case.create", "case.read", "case.update", "case.transition", "case.note", "case.timeline"})
    BOOST_TEST_CONTEXT(action) { BOOST_TEST(db.scalar("SELECT count(*) FROM audit_log WHERE action = '" + action + "'" + for_case) >= 1); }
  BOOST_TEST(db.scalar("SELECT count(*) FROM audit_log WHERE action = 'case.read'" + for_case) >= 2);  // operator and supervisor
  for (const std::string action : {"session.login", "session.login_failed", "session.logout", "case.list", "caller.lookup", "contact.create"})
    BOOST_TEST_CONTEXT(action) { BOOST_TEST(db.scalar("SELECT count(*) FROM audit_log WHERE action = '" + action + "'") >= 1); }
}

// A search that matched only a narrative leaves the ids of the cases it showed in its audit row (the
// search text stays out), and so does every list or lookup that returns cases; verify still passes.
BOOST_AUTO_TEST_CASE(lists_and_searches_record_the_case_ids_they_returned) {
  const Login op = server.login(kOperator);
  const auto hidden = require_open_case(server, op, "13912340000", "求助", "邻居称深夜常听见争吵和摔东西的声音。");
  CHECK_STATUS(server.get(op, "/api/v1/cases?q=" + url_encode("摔东西")), 200);
  CHECK_STATUS(server.get(op, "/api/v1/callers/lookup?phone=13912340000"), 200);
  CHECK_STATUS(server.get(op, "/api/v1/cases?limit=5"), 200);
  stop_cleanly();
  BOOST_REQUIRE_EQUAL(verify().exit_code, 0);
  Db db(server.db_path());
  // Its id is the first (the newest case): "cases=<id>" alone or followed by more ids.
  const std::string listed = "(detail LIKE '%cases=" + std::to_string(hidden) + "' OR detail LIKE '%cases=" +
                             std::to_string(hidden) + ",%')";
  BOOST_TEST(db.scalar("SELECT count(*) FROM audit_log WHERE action = 'case.list' AND detail LIKE '%q=<%' AND " + listed) == 1);
  BOOST_TEST(db.scalar("SELECT count(*) FROM audit_log WHERE detail LIKE '%摔东西%'") == 0);
  BOOST_TEST(db.scalar("SELECT count(*) FROM audit_log WHERE action = 'caller.lookup' AND " + listed) == 1);
  // The plain page of five: five ids, the newest case first.
  BOOST_TEST(db.scalar("SELECT count(*) FROM audit_log WHERE action = 'case.list' AND detail LIKE '%limit=5%' AND detail LIKE "
                       "'%cases=" + std::to_string(hidden) + ",%,%,%,%'") == 1);
}

BOOST_AUTO_TEST_CASE(altering_one_audit_row_makes_verify_fail_naming_that_row) {
  stop_cleanly();
  BOOST_REQUIRE_EQUAL(verify().exit_code, 0);
  std::int64_t altered = 0;
  {
    Db db(server.db_path());
    altered = db.scalar("SELECT id FROM audit_log WHERE action = 'case.read' ORDER BY id LIMIT 1");
    BOOST_REQUIRE(altered > 1);
    BOOST_REQUIRE(db.scalar("SELECT max(id) FROM audit_log") > altered);  // not the last row
    db.exec("UPDATE audit_log SET detail = detail || ' ' WHERE id = " + std::to_string(altered));
  }
  auto r = verify();
  BOOST_TEST(r.exit_code != 0);
  BOOST_TEST_INFO(r.out << r.err);
  BOOST_TEST(std::regex_search(r.out + r.err, std::regex("\\brow " + std::to_string(altered) + "\\b")));
  BOOST_TEST(r.out.find("chain ok") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(changing_who_did_it_or_deleting_a_row_is_detected_too) {
  stop_cleanly();
  std::int64_t victim = 0;
  {
    Db db(server.db_path());
    victim = db.scalar("SELECT id FROM audit_log WHERE action = 'case.transition' ORDER BY id LIMIT 1");
    BOOST_REQUIRE(victim > 1);
    db.exec("UPDATE audit_log SET actor_id = actor_id + 1 WHERE id = " + std::to_string(victim));
  }
  auto altered = verify();
  BOOST_TEST(altered.exit_code != 0);
  BOOST_TEST_INFO(altered.out << altered.err);
  BOOST_TEST(std::regex_search(altered.out + altered.err, std::regex("\\brow " + std::to_string(victim) + "\\b")));

  {
    Db db(server.db_path());
    db.exec("UPDATE audit_log SET actor_id = actor_id - 1 WHERE id = " + std::to_string(victim));
  }
  BOOST_REQUIRE_EQUAL(verify().exit_code, 0);  // put back, it verifies again
  {
    Db db(server.db_path());
    db.exec("DELETE FROM audit_log WHERE id = " + std::to_string(victim));
  }
  auto deleted = verify();
  BOOST_TEST(deleted.exit_code != 0);
  BOOST_TEST_INFO(deleted.out << deleted.err);
  // The first row whose predecessor is missing is the one after the deleted row.
  BOOST_TEST(std::regex_search(deleted.out + deleted.err, std::regex("\\brow " + std::to_string(victim + 1) + "\\b")));
}

// And, since issue #16 finding 5, neither where she is nor when she can be reached: the safe-contact
// rules and every text of a safety plan.
BOOST_AUTO_TEST_CASE(phone_and_id_numbers_are_not_stored_in_plain_text) {
  const Login op = server.login(kOperator);
  const std::string id = id_number("43102319850312002");
  Json body = open_case_intake("138 0731 2468");
  body["complainant"]["id_number"] = id;
  body["complainant"]["safe_contact"] = {{"ok_to_call", false}, {"safe_times", "周二下午三点后"}, {"note", "只发短信不要来电"}};
  body["victim"] = {{"name", "张小红"}, {"phone", "15907356789"}, {"gender", "female"}, {"age", 12}};
  auto r = server.send(op, "POST", "/api/v1/intakes", body);
  REQUIRE_STATUS(r, 201);
  const auto new_case = body_json(r).at("case").at("id").get<std::int64_t>();
  const Json plan = {{"version", 0},
                     {"steps", {{{"text", "把备用钥匙放在邻居王阿姨家"}, {"done", false}}}},
                     {"emergency_contacts", {{{"name", "欧阳翠萍"}, {"phone", "13800138001"}, {"relation", "表姐"}}}},
                     {"safe_contact", {{"ok_to_call", false}, {"safe_times", "工作日九点到十一点"}, {"code_word", "天气不错"}}},
                     {"places", {{{"name", "桂阳县姨妈家"}, {"address", "城关镇解放路 12 号"}, {"note", "后门进"}}}}};
  REQUIRE_STATUS(server.send(op, "PUT", case_path(new_case, "/safety-plan"), plan), 200);
  // The numbers and rules were taken and are usable: staff see them, lookups match them.
  const Json c = require_case(server, op, new_case);
  BOOST_TEST(c.dump().find("13807312468") != std::string::npos);
  BOOST_TEST(c.dump().find("周二下午三点后") != std::string::npos);
  BOOST_TEST(body_json(server.get(op, case_path(new_case, "/safety-plan"))).dump().find("解放路") != std::string::npos);
  BOOST_TEST(body_json(server.get(op, "/api/v1/callers/lookup?phone=15907356789")).at("prior_contacts") == 1);

  const std::vector<std::string> secrets = {"13807312468", "0731 2468", "15907356789", id, id.substr(0, 14), "13912345678",
                                            "周二下午三点后", "只发短信不要来电", "王阿姨", "欧阳翠萍", "表姐",
                                            "工作日九点到十一点", "天气不错", "桂阳县姨妈家", "解放路", "后门进"};
  auto check_files = [&](const char* when) {
    const auto files = database_files(server);
    BOOST_REQUIRE(files.contains("t.db"));
    // Control: names are stored as text, so the scan does see what was written.
    bool name_found = false;
    for (const auto& [name, bytes] : files) name_found = name_found || bytes.find("张小红") != std::string::npos;
    BOOST_TEST_CONTEXT(when) { BOOST_TEST(name_found); }
    for (const auto& [name, bytes] : files)
      for (const auto& secret : secrets)
        BOOST_TEST_CONTEXT(when << ": " << name << " must not contain " << secret) {
          BOOST_TEST(bytes.find(secret) == std::string::npos);
        }
  };
  check_files("while serving");
  stop_cleanly();
  check_files("after stopping");
  // Nor does the server's log.
  const std::string log = server.log();
  for (const auto& secret : secrets) BOOST_TEST_CONTEXT("log: " << secret) { BOOST_TEST(log.find(secret) == std::string::npos); }
  BOOST_TEST(verify().exit_code == 0);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- The anchor outside the database (#18 §5): the chain's tail cannot be cut off unnoticed ----

namespace {

std::string anchor_file(const ServerProcess& server) { return server.db_path() + ".keys.anchor"; }

std::string both(const CommandResult& r) { return r.out + r.err; }

}  // namespace

BOOST_FIXTURE_TEST_SUITE(audit_anchor, Workday)

BOOST_AUTO_TEST_CASE(a_clean_stop_anchors_the_newest_row_and_verify_checks_it) {
  stop_cleanly();
  std::int64_t last = 0;
  {
    Db db(server.db_path());
    last = db.scalar("SELECT max(id) FROM audit_log");
  }
  BOOST_REQUIRE(std::filesystem::exists(anchor_file(server)));
  const auto mode = std::filesystem::status(anchor_file(server)).permissions() & std::filesystem::perms::all;
  BOOST_TEST(static_cast<unsigned>(mode) == 0600u);
  const std::string anchors = read_bytes(anchor_file(server));
  BOOST_TEST(anchors.find(" " + std::to_string(last) + " ") != std::string::npos, "the newest row is anchored:\n" << anchors);
  BOOST_TEST(server.log().find("audit anchor row=" + std::to_string(last) + " ") != std::string::npos);  // and logged
  const auto r = verify();
  BOOST_TEST(r.exit_code == 0, both(r));
  BOOST_TEST(r.out.find("anchored row " + std::to_string(last)) != std::string::npos, both(r));
}

BOOST_AUTO_TEST_CASE(cutting_off_the_newest_rows_is_detected_naming_them) {
  stop_cleanly();
  std::int64_t last = 0;
  {
    Db db(server.db_path());
    last = db.scalar("SELECT max(id) FROM audit_log");
    BOOST_REQUIRE(last > 10);
    // The tail and the high-water mark, as someone covering their tracks would.
    db.exec("DELETE FROM audit_log WHERE id > " + std::to_string(last - 5));
    db.exec("UPDATE audit_head SET last_id = " + std::to_string(last - 5) +
            ", last_hash = (SELECT hash FROM audit_log WHERE id = " + std::to_string(last - 5) + ")");
  }
  const auto r = verify();
  BOOST_TEST(r.exit_code != 0);
  BOOST_TEST(both(r).find("rows " + std::to_string(last - 4) + " to " + std::to_string(last) + " are missing") != std::string::npos,
             both(r));
}

BOOST_AUTO_TEST_CASE(an_emptied_log_is_detected) {
  stop_cleanly();
  {
    Db db(server.db_path());
    db.exec("DELETE FROM audit_log");
    db.exec("DELETE FROM audit_head");
  }
  const auto r = verify();
  BOOST_TEST(r.exit_code != 0);
  BOOST_TEST(both(r).find("the log is empty") != std::string::npos, both(r));
}

BOOST_AUTO_TEST_CASE(a_database_replaced_by_an_older_backup_is_detected) {
  const std::string backup = server.file("older.db");
  const auto copied = run_hotline({"backup", backup, "--db", server.db_path()});
  BOOST_REQUIRE_MESSAGE(copied.exit_code == 0, both(copied));
  const Login op = server.login(kOperator);  // audited after the backup
  CHECK_STATUS(server.get(op, "/api/v1/cases"), 200);
  stop_cleanly();
  BOOST_REQUIRE_EQUAL(verify().exit_code, 0);
  for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(server.db_path() + suffix);
  std::filesystem::copy_file(backup, server.db_path(), std::filesystem::copy_options::overwrite_existing);
  const auto r = verify();
  BOOST_TEST(r.exit_code != 0);
  BOOST_TEST(both(r).find("are missing") != std::string::npos, both(r));
  BOOST_TEST(both(r).find("older copy") != std::string::npos, both(r));
}

BOOST_AUTO_TEST_CASE(ids_of_deleted_rows_are_never_handed_out_again) {
  stop_cleanly();
  std::int64_t last = 0;
  {
    Db db(server.db_path());
    last = db.scalar("SELECT max(id) FROM audit_log");
    db.exec("DELETE FROM audit_log WHERE id > " + std::to_string(last - 3));
  }
  {
    // The same database served again: the next audited request continues after the deleted ids.
    const std::string dir = std::filesystem::path(server.db_path()).parent_path().string();
    ServerProcess again(ServerOptions{.db_dir = dir, .copy_seed = false});
    CHECK_STATUS(again.login_raw("operator", "wrong-password"), 401);
    BOOST_REQUIRE_EQUAL(again.stop(), 0);
    BOOST_TEST(again.log().find("AUDIT LOG DOES NOT MATCH ITS ANCHOR") != std::string::npos, again.log());
  }
  Db db(server.db_path());
  BOOST_TEST(db.scalar("SELECT min(id) FROM audit_log WHERE id > " + std::to_string(last - 3)) == last + 1);
  const auto r = verify();
  BOOST_TEST(r.exit_code != 0);
  BOOST_TEST(both(r).find("rows " + std::to_string(last - 2) + " to " + std::to_string(last) + " are missing") != std::string::npos,
             both(r));
}

BOOST_AUTO_TEST_CASE(an_anchor_line_written_without_the_key_is_refused) {
  stop_cleanly();
  {
    std::ofstream out(anchor_file(server), std::ios::app);
    out << "v1 1796268444967 999999 " << std::string(64, 'a') << " " << std::string(64, 'b') << "\n";
  }
  const auto r = verify();
  BOOST_TEST(r.exit_code != 0);
  BOOST_TEST(both(r).find("not authentic") != std::string::npos, both(r));
}

BOOST_AUTO_TEST_SUITE_END()
