// Behaviours README.md and web/API.md promise that no other test would notice breaking: the audited
// override of a referral without consent, the refusal to start without the key file, the period
// report's downloads and the monthly report's redirects, `hotline import` on the command line, the
// DV repeat check's limits, and `Secure` cookies when configured.
#include <fcntl.h>
#include <sstream>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "api/case_helpers.hpp"
#include "api/server_process.hpp"

extern char** environ;

using namespace hl::apitest;
using namespace std::chrono_literals;

namespace {

// A read-only sqlite3 handle for checking what the server stored.
class Db {
 public:
  explicit Db(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
      throw std::runtime_error("cannot open " + path);
    sqlite3_busy_timeout(db_, 5000);
  }
  ~Db() { sqlite3_close(db_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // The first column of every row of `sql` with `text` bound to ?1 (when given), as text.
  std::vector<std::string> column(const std::string& sql, const std::string& text = {}) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
      throw std::runtime_error(sql + ": " + sqlite3_errmsg(db_));
    if (!text.empty()) sqlite3_bind_text(st, 1, text.c_str(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    std::vector<std::string> out;
    while (sqlite3_step(st) == SQLITE_ROW) {
      const auto* v = sqlite3_column_text(st, 0);
      out.emplace_back(v ? reinterpret_cast<const char*>(v) : "");
    }
    sqlite3_finalize(st);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

// `hotline serve ARGS…` on an existing database, for what ServerProcess cannot pass (a config file):
// the first stdout line gives the port; SIGTERM and a bounded wait on destruction. The child gets
// SIGTERM when the test program dies.
class LaunchedServer {
 public:
  LaunchedServer(const std::vector<std::string>& args, const std::string& log_path) {
    const int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    int out[2];
    if (log_fd < 0 || null_fd < 0 || ::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("cannot open the server's files");
    pid_ = spawn_hotline(args, null_fd, out[1], log_fd);
    ::close(out[1]);
    ::close(log_fd);
    ::close(null_fd);
    stdout_fd_ = out[0];
    std::string line, rest;
    port_ = read_listening_port(stdout_fd_, line, rest);
    if (port_ == 0) {
      stop();
      throw std::runtime_error("the server did not start; stdout: " + line);
    }
  }
  ~LaunchedServer() { stop(); }
  LaunchedServer(const LaunchedServer&) = delete;
  LaunchedServer& operator=(const LaunchedServer&) = delete;

  unsigned short port() const { return port_; }

  // SIGTERM, then up to 30 s for the exit (SIGKILL after); the exit status, -1 when killed.
  int stop() {
    if (pid_ <= 0) return status_;
    ::kill(pid_, SIGTERM);
    if (auto status = wait_for(pid_, 30s)) {
      status_ = *status;
    } else {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      status_ = -1;
    }
    pid_ = -1;
    if (stdout_fd_ >= 0) ::close(stdout_fd_), stdout_fd_ = -1;
    return status_;
  }

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  unsigned short port_ = 0;
  int status_ = -1;
};

HttpClientResponse login_at(unsigned short port, const Credentials& who) {
  const Json body = {{"username", who.username}, {"password", who.password}};
  return hl::test::request(port, "POST", "/api/v1/session", body.dump(), {{"Content-Type", "application/json"}});
}

std::string session_cookie(const HttpClientResponse& login) {
  const std::string cookie = login.header("set-cookie");
  const auto at = cookie.find("hl_session=");
  if (at == std::string::npos) return "";
  const auto start = at + std::string_view("hl_session=").size();
  return cookie.substr(start, cookie.find(';', start) - start);
}

// The attributes of a Set-Cookie value after its name=value, lower-cased and trimmed.
std::vector<std::string> cookie_attributes(const std::string& set_cookie) {
  std::vector<std::string> out;
  std::size_t p = set_cookie.find(';');
  while (p != std::string::npos) {
    const std::size_t next = set_cookie.find(';', p + 1);
    std::string a = set_cookie.substr(p + 1, next == std::string::npos ? std::string::npos : next - p - 1);
    a.erase(0, a.find_first_not_of(' '));
    a.erase(a.find_last_not_of(' ') + 1);
    std::transform(a.begin(), a.end(), a.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    out.push_back(a);
    p = next;
  }
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::int64_t> previous_case_ids(const Json& repeat) {
  std::vector<std::int64_t> out;
  for (const auto& c : repeat.at("previous_cases")) out.push_back(c.at("id").get<std::int64_t>());
  return out;
}

bool contains(const std::vector<std::int64_t>& v, std::int64_t x) { return std::find(v.begin(), v.end(), x) != v.end(); }

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) throw std::runtime_error("cannot write " + path);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(promises)

// web/API.md: "A referral without consent is audited with its override reason." The desk refers
// through the `refer` transition, the API also through POST /cases/{id}/referrals: both count.
BOOST_AUTO_TEST_CASE(a_referral_without_consent_is_audited_with_its_override_reason) {
  ServerProcess server;
  const auto op = server.login(kOperator);
  const auto police = server.login(kPolice);
  const auto partner = require_police_partner(server, op, police);

  const auto by_endpoint = require_open_case(server, op);
  const Json accepted = require_transition(server, op, by_endpoint, "accept", notice_data());
  const std::string endpoint_reason = "当事人有生命危险，紧急转介（接口-7391）";
  auto r = server.send(op, "POST", case_path(by_endpoint, "/referrals"),
                       {{"partner_id", partner},
                        {"service", "police_response"},
                        {"reason", "需要出警"},
                        {"consent", {{"given", false}, {"override_reason", endpoint_reason}}},
                        {"version", accepted.at("version")}});
  REQUIRE_STATUS(r, 201);
  BOOST_TEST(body_json(r).at("consent").at("given") == false);
  BOOST_TEST(body_json(r).at("consent").at("override_reason") == endpoint_reason);

  const auto by_transition = require_open_case(server, op);
  require_transition(server, op, by_transition, "accept", notice_data());
  const std::string transition_reason = "施暴人正在现场，来不及征得同意（事件-5528）";
  require_transition(server, op, by_transition, "refer", refer_data(partner, false, transition_reason));

  const auto with_consent = require_open_case(server, op);  // control: nothing to account for
  require_transition(server, op, with_consent, "accept", notice_data());
  require_transition(server, op, with_consent, "refer", refer_data(partner, true));

  BOOST_REQUIRE_EQUAL(server.stop(), 0);
  Db db(server.db_path());
  auto details = [&](std::int64_t case_id) {
    return db.column("SELECT action || ': ' || detail FROM audit_log WHERE object_type = 'case' AND object_id = " +
                     std::to_string(case_id));
  };
  auto mentions = [](const std::vector<std::string>& rows, const std::string& text) {
    return std::any_of(rows.begin(), rows.end(), [&](const std::string& d) { return d.find(text) != std::string::npos; });
  };
  const auto endpoint_rows = details(by_endpoint);
  BOOST_TEST(mentions(endpoint_rows, endpoint_reason), "audit rows of the case: " << Json(endpoint_rows).dump());
  const auto transition_rows = details(by_transition);
  BOOST_TEST(mentions(transition_rows, transition_reason), "audit rows of the case: " << Json(transition_rows).dump());
  BOOST_TEST(!mentions(details(with_consent), "override"));
  // The reason sits in the tamper-evident chain: verify passes over these rows.
  auto verify = run_hotline({"audit", "verify", "--db", server.db_path()});
  BOOST_TEST(verify.exit_code == 0, verify.out << verify.err);
}

// README: the server "refuses to start when [the key file] is missing for a database that already
// holds encrypted data" — new keys would make every stored phone number unreadable and break the chain.
BOOST_AUTO_TEST_CASE(the_server_refuses_to_start_without_the_key_file_once_data_are_encrypted) {
  ServerProcess server;
  const auto op = server.login(kOperator);
  const auto id = require_open_case(server, op, "13607351234");
  BOOST_REQUIRE_EQUAL(server.stop(), 0);
  const std::string keys = server.db_path() + ".keys";
  BOOST_REQUIRE(std::filesystem::exists(keys));
  std::filesystem::rename(keys, keys + ".away");

  auto refused = run_hotline({"serve", "--db", server.db_path(), "--listen", "127.0.0.1:0"}, {}, 30s);
  BOOST_TEST(refused.exit_code != 0);
  BOOST_TEST(refused.out.find("listening on") == std::string::npos, refused.out);
  BOOST_TEST(refused.err.find(keys) != std::string::npos, refused.err);  // names the missing file
  BOOST_TEST(!std::filesystem::exists(keys));  // and did not create new keys in its place

  // Control: with its key file back, the same database serves and the phone number reads back.
  std::filesystem::rename(keys + ".away", keys);
  LaunchedServer again({"serve", "--db", server.db_path(), "--listen", "127.0.0.1:0"}, server.file("again.log"));
  auto login = login_at(again.port(), kOperator);
  REQUIRE_STATUS(login, 200);
  auto c = hl::test::request(again.port(), "GET", case_path(id), {}, {{"Cookie", "hl_session=" + session_cookie(login)}});
  REQUIRE_STATUS(c, 200);
  BOOST_TEST(c.body.find("13607351234") != std::string::npos);
  BOOST_TEST(again.stop() == 0);
}

// web/API.md: reports.csv and reports.xlsx — their content types, file names (ASCII and UTF-8) and
// the CSV's number formats (rates and yuan with two decimals, counts as integers, empty without a
// rate); the retired monthly URLs answer 308 to the same month of the period report.
BOOST_AUTO_TEST_CASE(the_report_downloads_are_named_typed_and_formatted_and_old_monthly_links_redirect) {
  ServerProcess server;
  const auto op = server.login(kOperator);
  const auto sup = server.login(kSupervisor);  // 郴州市妇联, 431000
  // Something to count: a case accepted, which makes the month's closure-rate cohort. The month is
  // the Beijing month of its acceptance, as the server recorded it (the wire shows +08:00).
  const auto accepted = require_open_case(server, op);
  const std::string accepted_at = require_transition(server, op, accepted, "accept", notice_data()).at("accepted_at").get<std::string>();
  BOOST_REQUIRE(accepted_at.ends_with("+08:00"));
  const std::string month = accepted_at.substr(0, 7);
  BOOST_REQUIRE(std::regex_match(month, std::regex(R"(\d{4}-\d{2})")));
  const std::string title = std::to_string(std::stoi(month.substr(0, 4))) + "年" + std::to_string(std::stoi(month.substr(5, 2))) +
                            "月妇联信访统计月报";

  struct Download {
    std::string path, ascii, content_type;
  };
  const std::vector<Download> downloads = {
      {"/api/v1/reports.csv?period=" + month, "report-431000-" + month + "-subtree.csv", "text/csv; charset=utf-8"},
      {"/api/v1/reports.csv?scope=office&period=" + month, "report-431000-" + month + "-office.csv",
       "text/csv; charset=utf-8"},
      {"/api/v1/reports.xlsx?period=" + month, "report-431000-" + month + "-subtree.xlsx",
       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
  };
  for (const auto& d : downloads) {
    BOOST_TEST_CONTEXT(d.path) {
      auto r = server.get(sup, d.path);
      REQUIRE_STATUS(r, 200);
      BOOST_TEST(r.header("content-type") == d.content_type);
      const std::string disposition = r.header("content-disposition");
      const std::string ext = d.ascii.substr(d.ascii.rfind('.'));
      const std::string prefix = "attachment; filename=\"" + d.ascii + "\"; filename*=UTF-8''";
      BOOST_TEST(disposition.starts_with(prefix), disposition);
      if (disposition.starts_with(prefix)) {
        const std::string encoded = disposition.substr(prefix.size());
        // RFC 5987: only attr-chars and %XX escapes, which decode to the UTF-8 name.
        BOOST_TEST(std::regex_match(encoded, std::regex(R"(([A-Za-z0-9._~-]|%[0-9A-F]{2})+)")), encoded);
        BOOST_TEST(percent_decode(encoded) == title + "-郴州市妇联" + ext);
      }
      if (ext == ".xlsx") BOOST_TEST(r.body.starts_with(std::string("PK\x03\x04", 4)));
      if (ext == ".csv") {
        BOOST_TEST(r.body.starts_with("\xEF\xBB\xBF" + title + "\r\n"));
        BOOST_TEST(r.body.find("统计范围," + std::string(d.ascii.find("office") == std::string::npos ? "本级及下级" : "本级") +
                               "\r\n") != std::string::npos);
        // Every line ends with CRLF; no bare LF.
        BOOST_TEST(std::count(r.body.begin(), r.body.end(), '\n') == std::count(r.body.begin(), r.body.end(), '\r'));
        std::map<std::string, std::string> values;
        // 指标 → 数值 or 合计 (the rows 指标,单位,数值,注 — or 指标,单位,合计,本级,<offices below>…,注)
        for (std::size_t p = r.body.find("\r\n") + 2; p < r.body.size(); p = r.body.find("\r\n", p) + 2) {
          std::vector<std::string> cells;
          std::stringstream line(r.body.substr(p, r.body.find("\r\n", p) - p));
          for (std::string cell; std::getline(line, cell, ',');) cells.push_back(cell);
          if (cells.size() >= 4 && cells.back().starts_with("[")) values[cells[0]] = cells[2];
        }
        for (const char* rate : {"办结率", "按期办结率", "处理率", "满意率"})
          BOOST_TEST_CONTEXT(rate) {
            BOOST_REQUIRE(values.contains(rate));
            BOOST_TEST(std::regex_match(values.at(rate), std::regex(R"((\d{1,3}\.\d{2})?)")), values.at(rate));
          }
        BOOST_REQUIRE(values.contains("避免经济损失（元）"));
        BOOST_TEST(std::regex_match(values.at("避免经济损失（元）"), std::regex(R"(\d+\.\d{2})")), values.at("避免经济损失（元）"));
        BOOST_REQUIRE(values.contains("受理"));
        BOOST_TEST(std::regex_match(values.at("受理"), std::regex(R"(\d+)")), values.at("受理"));
        // The case the county accepted this month makes the city-and-below closure rate's cohort: a
        // rate, not an empty cell; the city alone accepted none (no rate, an empty cell).
        const bool alone = d.ascii.find("-office.") != std::string::npos;
        BOOST_TEST(values["办结率"].empty() == alone, values["办结率"]);
        BOOST_TEST((values.at("受理") == "0") == alone, values.at("受理"));
      }
    }
  }
  // The retired monthly report: its three URLs, with their old parameters, point at the period report.
  for (const auto& [old, location] : std::initializer_list<std::pair<std::string, std::string>>{
           {"/api/v1/reports/monthly?month=" + month, "/api/v1/reports?period=" + month + "&scope=subtree"},
           {"/api/v1/reports/monthly.csv?subtree=false&month=" + month + "&office_id=2",
            "/api/v1/reports.csv?period=" + month + "&scope=office&office_id=2"},
           {"/api/v1/reports/monthly.xlsx?month=" + month, "/api/v1/reports.xlsx?period=" + month + "&scope=subtree"}}) {
    auto r = server.get(sup, old);
    BOOST_TEST(r.status == 308u, old);
    BOOST_TEST(r.header("location") == location, old);
  }
  CHECK_ERROR(server.get(sup, "/api/v1/reports/monthly?month=2026-Q3"), 422, "validation_failed");
  CHECK_ERROR(server.get(op, "/api/v1/reports/monthly?month=" + month), 403, "forbidden");
}

// web/API.md: `hotline import FILE --office REGION_CODE [--db] [--keys]` — rejected lines and a
// summary on stdout, exit 1 when rows were rejected (0 when none); the valid rows land like an
// upload's: cases of the office, found by search, the caller recognised by /callers/lookup.
BOOST_AUTO_TEST_CASE(hotline_import_on_the_command_line) {
  ServerProcess server;
  const auto op = server.login(kOperator);
  const std::string good = server.file("good.csv"), mixed = server.file("mixed.csv");
  write_file(good,
             "登记日期,来源,问题类别,诉求,姓名,电话\n"
             "2025-10-08,来电,家庭暴力,命令行导入甲：丈夫酒后殴打,李桂芳,13700001111\n"
             "2025/10/9,来访,家庭暴力,命令行导入乙：要求申请保护令,张秀英,\n");
  write_file(mixed,
             "登记日期,来源,问题类别,诉求,姓名,电话\n"
             "2025-10-10,来电,家庭暴力,命令行导入丙：被赶出家门,王丽,13700002222\n"
             "2025-13-40,来电,没有这个类别,命令行导入丁：坏的一行,赵敏,\n");

  auto ok = run_hotline({"import", good, "--office", "431023", "--db", server.db_path()});
  BOOST_TEST(ok.exit_code == 0, ok.out << ok.err);
  BOOST_TEST(ok.out.find("2 imported") != std::string::npos, ok.out);
  // The same file again (issue #15): nothing written twice, the rows named as duplicates, exit 0.
  auto again = run_hotline({"import", good, "--office", "431023", "--db", server.db_path()});
  BOOST_TEST(again.exit_code == 0, again.out << again.err);
  BOOST_TEST(again.out.find("0 imported") != std::string::npos, again.out);
  BOOST_TEST(again.out.find("2 duplicates not imported") != std::string::npos, again.out);
  BOOST_TEST(again.out.find("line 2: duplicate: this row was imported before as case 431023-") != std::string::npos, again.out);

  auto partly = run_hotline({"import", mixed, "--office", "431023", "--db", server.db_path()});
  BOOST_TEST(partly.exit_code == 1, partly.out << partly.err);
  BOOST_TEST(partly.out.find("line 3") != std::string::npos, partly.out);  // the bad row, header = line 1
  BOOST_TEST(partly.out.find("1 imported") != std::string::npos, partly.out);
  BOOST_TEST(partly.out.find("1 rejected") != std::string::npos, partly.out);

  // The rows really landed, in the office, usable from the desk.
  const Json found = require_items(server, op, "/api/v1/cases?q=" + url_encode("命令行导入"));
  std::vector<std::string> summaries;
  for (const auto& c : found) summaries.push_back(c.at("summary").get<std::string>());
  std::sort(summaries.begin(), summaries.end());
  const std::vector<std::string> expected = {"命令行导入丙：被赶出家门", "命令行导入乙：要求申请保护令",
                                             "命令行导入甲：丈夫酒后殴打"};
  std::vector<std::string> sorted_expected = expected;
  std::sort(sorted_expected.begin(), sorted_expected.end());
  BOOST_TEST(summaries == sorted_expected, boost::test_tools::per_element());
  for (const auto& c : found) BOOST_TEST(c.at("office_id") == op.user.at("office_id"));
  auto lookup = server.get(op, "/api/v1/callers/lookup?phone=13700001111");
  REQUIRE_STATUS(lookup, 200);
  BOOST_TEST(body_json(lookup).at("prior_contacts").get<int>() >= 1);

  // A file that cannot be read at all: nothing imported, exit 1.
  auto missing = run_hotline({"import", server.file("no-such.csv"), "--office", "431023", "--db", server.db_path()});
  BOOST_TEST(missing.exit_code == 1);
}

// An import with the key file missing would store phone numbers under new keys the server never has:
// refused like `serve`, naming the file, creating no keys and importing nothing.
BOOST_AUTO_TEST_CASE(hotline_import_refuses_to_create_new_keys_for_a_database_with_encrypted_data) {
  ServerProcess server;
  const auto op = server.login(kOperator);
  require_open_case(server, op, "13607354321");
  BOOST_REQUIRE_EQUAL(server.stop(), 0);
  const std::string keys = server.db_path() + ".keys", csv = server.file("ledger.csv");
  write_file(csv, "登记日期,来源,问题类别,诉求,姓名,电话\n2025-10-08,来电,家庭暴力,无钥匙导入：丈夫殴打,李桂芳,13700003333\n");
  std::filesystem::rename(keys, keys + ".away");
  auto refused = run_hotline({"import", csv, "--office", "431023", "--db", server.db_path()});
  BOOST_TEST(refused.exit_code == 1, refused.out << refused.err);
  BOOST_TEST(refused.err.find(keys) != std::string::npos, refused.err);
  BOOST_TEST(!std::filesystem::exists(keys));
  // Control: with the key file back the same import goes in.
  std::filesystem::rename(keys + ".away", keys);
  auto ok = run_hotline({"import", csv, "--office", "431023", "--db", server.db_path()});
  BOOST_TEST(ok.exit_code == 0, ok.out << ok.err);
  BOOST_TEST(ok.out.find("1 imported") != std::string::npos, ok.out);
}

// web/API.md: GET /cases/{id}/dv/repeat lists "at most 20" other DV cases sharing a number, most
// recent first, and leaves out "cases this one was transferred from or to" (the same matter, copied).
BOOST_AUTO_TEST_CASE(the_dv_repeat_check_stops_at_twenty_and_skips_transfer_copies) {
  ServerProcess server;
  const auto op = server.login(kOperator);
  const auto op2 = server.login(kOperator2);
  const auto sup = server.login(kSupervisor);  // sees both counties

  std::vector<std::int64_t> same_victim;
  for (int i = 0; i < 22; ++i) same_victim.push_back(require_open_case(server, op, "13912340022"));
  const auto latest = same_victim.back();
  auto r = server.get(op, case_path(latest, "/dv/repeat"));
  REQUIRE_STATUS(r, 200);
  const Json repeat = body_json(r);
  BOOST_TEST(repeat.at("repeat") == true);
  std::vector<std::int64_t> expected(same_victim.rbegin() + 1, same_victim.rbegin() + 21);  // the 20 most recent others
  BOOST_TEST(previous_case_ids(repeat) == expected, boost::test_tools::per_element());
  BOOST_TEST(!contains(previous_case_ids(repeat), same_victim.front()));  // the 21st is past the cap

  // A transfer copies the case and its persons to the receiving office: the copy is the same matter.
  const auto original = require_open_case(server, op, "13912340033");
  const auto other = require_open_case(server, op, "13912340033");  // a genuine earlier-or-later case
  const Json moved = require_transition(server, op, original, "forward",
                                        notice_data({{"target_office_id", op2.user.at("office_id")}, {"reason", "转当地办理"}}));
  BOOST_REQUIRE(moved.at("transferred_to_case_id").is_number_integer());
  const auto copy = moved.at("transferred_to_case_id").get<std::int64_t>();
  for (const auto& [from, skip] : {std::pair{copy, original}, std::pair{original, copy}}) {
    BOOST_TEST_CONTEXT("repeat check of case " << from) {
      auto answer = server.get(sup, case_path(from, "/dv/repeat"));
      REQUIRE_STATUS(answer, 200);
      const auto ids = previous_case_ids(body_json(answer));
      BOOST_TEST(contains(ids, other));  // control: the check works for this case
      BOOST_TEST(!contains(ids, skip), "listed its own transfer: " << Json(ids).dump());
    }
  }
}

// README: `Secure` cookies (behind TLS) with `secure_cookies` in the configuration file; without it
// the cookie has no Secure attribute (plain-HTTP intranets could not log in otherwise).
BOOST_AUTO_TEST_CASE(secure_cookies_when_configured) {
  ServerProcess server;
  const auto plain = server.login_raw(kOperator.username, kOperator.password);
  REQUIRE_STATUS(plain, 200);
  const auto plain_attributes = cookie_attributes(plain.header("set-cookie"));
  BOOST_TEST(has(plain_attributes, "httponly"));
  BOOST_TEST(has(plain_attributes, "samesite=strict"));
  BOOST_TEST(!has(plain_attributes, "secure"), plain.header("set-cookie"));
  BOOST_REQUIRE_EQUAL(server.stop(), 0);

  const std::string config = server.file("secure.json");
  write_file(config, R"({"secure_cookies": true})");
  LaunchedServer secure({"serve", "--config", config, "--db", server.db_path(), "--listen", "127.0.0.1:0"},
                        server.file("secure.log"));
  const auto login = login_at(secure.port(), kOperator);
  REQUIRE_STATUS(login, 200);
  const auto attributes = cookie_attributes(login.header("set-cookie"));
  BOOST_TEST(has(attributes, "secure"), login.header("set-cookie"));
  BOOST_TEST(has(attributes, "httponly"));
  BOOST_TEST(has(attributes, "samesite=strict"));
  BOOST_TEST(secure.stop() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
