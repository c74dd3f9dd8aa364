#include "api/report_dataset.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <tuple>

#include "api/case_helpers.hpp"
#include "core/local_time.hpp"

namespace hl::apitest {
namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The ledger has no quoted fields (checked here), so a line is its fields split at commas.
std::vector<std::string> split_line(const std::string& line) {
  BOOST_REQUIRE_MESSAGE(line.find('"') == std::string::npos, "ledger.csv: quoted fields are not expected: " << line);
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == ',') out.emplace_back();
    else if (c != '\r') out.back() += c;
  }
  return out;
}

// "2026-01-05 09:30" (the ledger's Beijing time) → epoch ms.
TimeMs ledger_time(const std::string& text) {
  auto t = parse_iso8601(text.substr(0, 10) + "T" + text.substr(11) + ":00+08:00");
  BOOST_REQUIRE_MESSAGE(t.has_value(), "ledger.csv: bad time " << text);
  return *t;
}

TimeMs step_time(const Json& step) {
  auto t = parse_iso8601(step.at("at").get<std::string>());
  BOOST_REQUIRE_MESSAGE(t.has_value(), "scenario.json: bad time in " << step.dump());
  return *t;
}

// Yes-answers of the default instrument (schema 003) that sum to a score in each level's band.
Json risk_answers(const std::string& level) {
  if (level == "general") return {{"substance_abuse", true}, {"unemployed", true}};                      // 2
  if (level == "elevated") return {{"escalation", true}, {"coercive_control", true}, {"stalking", true},  // 8
                                   {"substance_abuse", true}};
  if (level == "high") return {{"weapon", true}, {"strangulation", true}, {"escalation", true}, {"separation", true}};
  return {{"weapon", true}, {"strangulation", true}, {"death_threat", true}, {"fears_death", true},  // 18
          {"escalation", true}};
}

// Columns of ledger.csv.
enum Col { kNo = 0, kOffice = 1, kReceived = 2, kPhone = 7, kStatus = 9, kClosed = 10, kConsultation = 14 };

const std::map<std::string, std::string> kOfficeCodes = {
    {"郴州市妇联", "431000"}, {"永兴县妇联", "431023"}, {"桂阳县妇联", "431021"}};

// The demo seed has no one at the province (湖南省妇联, 430000), the office that takes a 复核 of the
// city's 复查 and may 督办 the city's cases: the data set adds this supervisor there (admin API).
constexpr Credentials kProvince{"province", "xiangfu-review-2026"};

const std::map<std::string, Credentials> kUsers = {
    {"operator", kOperator}, {"operator2", kOperator2}, {"supervisor", kSupervisor}, {"province", kProvince}};

}  // namespace

std::string report_dataset_dir() { return HOTLINE_REPORT_DATASET_DIR; }

ReportDataset::ReportDataset() {
  const TimeMs seeded_at = *parse_iso8601("2025-12-31T12:00:00+08:00");
  {
    std::ofstream clock(dir_.file("seed-clock"));
    clock << seeded_at << " frozen\n";
  }
  auto r = run_hotline({"seed-demo", "--db", dir_.file("t.db"), "--cases", "0", "--clock-file", dir_.file("seed-clock")});
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, "seed-demo --cases 0: " << r.out << r.err);
  server_ = std::make_unique<ServerProcess>(ServerOptions{.db_dir = dir_.path().string(), .copy_seed = false}, seeded_at);
  const Login& sup = as("supervisor");
  for (const auto& o : require_items(*server_, sup, "/api/v1/offices?scope=all"))
    if (o.at("region_code").is_string()) offices_[o.at("region_code")] = o.at("id").get<std::int64_t>();
  for (const char* type : {"court", "police", "legal_aid", "civil_affairs"})
    for (const auto& p : require_items(*server_, sup, std::string("/api/v1/partners?type=") + type))
      if (p.at("active").get<bool>() && !partners_.contains(type)) partners_[type] = p.at("id").get<std::int64_t>();
  {
    const Login admin = server_->login(kAdmin);
    auto r = create_account(*server_,
                           {{"username", kProvince.username}, {"display_name", "省妇联权益部"},
                            {"password", kProvince.password}, {"role", "supervisor"},
                            {"office_id", offices_.at("430000")}});
    BOOST_REQUIRE_MESSAGE(r.status == 201, "creating the province supervisor: " << describe(r));
  }
  std::istringstream lines(read_text(report_dataset_dir() + "/ledger.csv"));
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line == "\r") continue;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    ledger_lines_.push_back(line);
    ledger_.push_back(split_line(line));
  }
}

const Login& ReportDataset::as(const std::string& who) {
  // Sessions end after a short idle time and the scenario jumps ahead: log in afresh unless the
  // login was used less than five minutes ago.
  const TimeMs now = server_->now_ms();
  auto it = logins_.find(who);
  if (it == logins_.end() || now - it->second.first > 5 * 60'000 || now < it->second.first)
    it = logins_.insert_or_assign(who, std::pair{now, server_->login(kUsers.at(who))}).first;
  it->second.first = now;
  return it->second.second;
}

std::int64_t ReportDataset::case_of(const std::string& ref) const {
  auto it = refs_.find(ref);
  BOOST_REQUIRE_MESSAGE(it != refs_.end(), "scenario.json names " << ref << " before it exists");
  return it->second;
}

// A row is imported when the ledger knows all of it: at its closure when it has one, else when it
// was received (the import refuses future dates). The case it became is found by its phone number:
// the newest case with that number not yet taken by an earlier row.
void ReportDataset::import_row(std::size_t row) {
  const auto& f = ledger_[row];
  const std::int64_t office = offices_.at(kOfficeCodes.at(f[kOffice]));
  const Login& sup = as("supervisor");
  auto r = server_->send_text(sup, "POST", "/api/v1/imports?office_id=" + std::to_string(office),
                              ledger_lines_[0] + "\n" + ledger_lines_[row] + "\n");
  REQUIRE_STATUS(r, 200);
  const Json rep = body_json(r);
  BOOST_REQUIRE_MESSAGE(rep.at("imported") == 1, "ledger row " << f[kNo] << " not imported: " << rep.dump());
  if (f.size() > kConsultation && !f[kConsultation].empty()) return;  // answered on the spot: no case
  std::int64_t id = 0;
  for (const auto& c : require_items(*server_, sup, "/api/v1/cases?limit=100&q=" + f[kPhone])) {
    const auto cid = c.at("id").get<std::int64_t>();
    bool taken = false;
    for (const auto& [k, v] : refs_) taken = taken || v == cid;
    if (!taken) id = std::max(id, cid);
  }
  BOOST_REQUIRE_MESSAGE(id > 0, "ledger row " << f[kNo] << ": no new case with its phone");
  refs_["L" + f[kNo]] = id;
}

void ReportDataset::run_step(const Json& step) {
  const std::string what = step.at("do"), who = step.at("as");
  const Login& me = as(who);
  const std::string now = format_iso8601(server_->now_ms());
  const auto check = [&](const HttpClientResponse& r, unsigned status) {
    BOOST_REQUIRE_MESSAGE(r.status == status, "scenario step " << step.dump() << ": " << describe(r));
    return body_json(r);
  };
  if (what == "intake") {
    Json body = {{"channel", step.at("channel")}, {"persons", step.value("persons", 1)}};
    for (const char* k : {"call_type", "category", "summary", "resolution", "consultation_kind"})
      if (step.contains(k)) body[k] = step.at(k);
    if (step.contains("summary")) {
      body["narrative"] = step.at("summary");
      body["complainant"] = {{"name", "来访人" + step.at("ref").get<std::string>()}, {"gender", "female"}};
    }
    if (body.value("resolution", "") == "answered") body["answer"] = "当场解答";
    if (step.contains("repeat_of")) body["repeat_of_case_id"] = case_of(step.at("repeat_of"));
    if (step.contains("level_skipping_to")) {
      body["level_skipping"] = true;
      body["jurisdiction_office_id"] = offices_.at(step.at("level_skipping_to"));
    }
    const Json j = check(server_->send(me, "POST", "/api/v1/intakes", body), 201);
    if (j.at("case").is_object()) refs_[step.at("ref")] = j.at("case").at("id").get<std::int64_t>();
  } else if (what == "transition") {
    const std::string event = step.at("event"), ref = step.at("case");
    Json data = Json::object();
    if (event == "accept" || event == "decline" || event == "forward" || event == "delegate" ||
        event == "extend_handling")
      data = notice_data();
    if (event == "decline") data.update({{"reason", "不属于妇联受理范围"}, {"referred_to", "已告知向有关部门反映"}});
    if (event == "forward" || event == "delegate") {
      data["target_office_id"] = offices_.at(step.at("target"));
      data["reason"] = "属该单位管辖";
    }
    if (event == "delegate") data["report_due_days"] = step.at("report_due_days");
    if (event == "extend_handling") data.update({{"days", step.at("days")}, {"reason", "案情复杂，需进一步协调"}});
    if (event == "reply")
      data = {{"replied_at", now}, {"method", "phone"}, {"opinion", "support"}, {"basis", "依据有关法律协调处理"}};
    if (event == "request_closure") {
      data = {{"outcome", "resolved"}, {"summary", "已协调解决"}, {"losses_avoided_fen", step.at("losses_avoided_fen")}};
      if (step.contains("losses_recovered_fen")) data["losses_recovered_fen"] = step.at("losses_recovered_fen");
    }
    if (event == "reopen") data = {{"reason", "办理中认定事实有误，予以更正"}};
    const std::int64_t id = case_of(ref);
    const Json c = require_transition(*server_, me, id, event, data);
    if (event == "forward" || event == "delegate") refs_[ref + ">"] = c.at("transferred_to_case_id").get<std::int64_t>();
  } else if (what == "risk") {
    check(server_->send(me, "POST", case_path(case_of(step.at("case")), "/risk-assessments"),
                        {{"answers", risk_answers(step.at("level"))}}),
          201);
  } else if (what == "po_apply") {
    const Json o = check(server_->send(me, "POST", case_path(case_of(step.at("case")), "/protection-orders"),
                                       {{"court_partner_id", partners_.at("court")}, {"applied_at", now},
                                        {"court_accepted_at", now}, {"emergency", false},
                                        {"applied_by", step.at("applied_by")}}),
                         201);
    refs_[step.at("order")] = o.at("id").get<std::int64_t>();
  } else if (what == "po_rule" || what == "po_violation") {
    const std::string path = "/api/v1/protection-orders/" + std::to_string(case_of(step.at("order")));
    const Json o = check(server_->get(me, path), 200);
    Json body = {{"version", o.at("version")}};
    if (what == "po_rule") {
      body.update({{"status", step.at("status")}, {"ruled_at", now}});
      if (step.contains("expires_at")) body["expires_at"] = step.at("expires_at");
    } else {
      body["violations"] = Json::array(
          {{{"occurred_at", now}, {"description", "施暴人违反保护令到住所滋扰"}, {"police_response", "派出所出警制止"}}});
    }
    check(server_->send(me, "PATCH", path, body), 200);
  } else if (what == "warning_letter") {
    check(server_->send(me, "POST", case_path(case_of(step.at("case")), "/warning-letters"),
                        {{"police_partner_id", partners_.at("police")}, {"issued_at", now}}),
          201);
  } else if (what == "shelter") {
    check(server_->send(me, "POST", case_path(case_of(step.at("case")), "/shelter-stays"),
                        {{"partner_id", partners_.at("civil_affairs")}, {"from", now}}),
          201);
  } else if (what == "mandatory_report") {
    check(server_->send(me, "POST", case_path(case_of(step.at("case")), "/mandatory-reports"),
                        {{"reporter_type", step.at("reporter_type")}, {"reported_at", now}}),
          201);
  } else if (what == "referral") {
    check(server_->send(me, "POST", case_path(case_of(step.at("case")), "/referrals"),
                        {{"partner_id", partners_.at(step.at("service"))}, {"service", step.at("service")},
                         {"reason", "需要法律援助"}, {"consent", {{"given", true}}}}),
          201);
  } else if (what == "mediation") {
    const Json m = check(server_->send(me, "POST", case_path(case_of(step.at("case")), "/mediations"),
                                       {{"mediator", "婚调委 王调解员"}, {"scheduled_at", now}, {"place", "县妇联调解室"}}),
                         201);
    refs_[step.at("mediation")] = m.at("id").get<std::int64_t>();
    versions_[step.at("mediation")] = m.at("version").get<std::int64_t>();
  } else if (what == "mediation_result") {
    const std::string ref = step.at("mediation");
    check(server_->send(me, "POST", "/api/v1/mediations/" + std::to_string(case_of(ref)) + "/result",
                        {{"result", step.at("result")}, {"agreement_summary", "双方达成调解协议"},
                         {"version", versions_.at(ref)}}),
          200);
  } else if (what == "follow_up") {
    check(server_->send(me, "POST", case_path(case_of(step.at("case")), "/follow-ups"),
                        {{"satisfaction", step.at("satisfaction")}}),
          201);
  } else if (what == "supervise") {
    // 督办 by an office above the case's (the step's user), due at the end of due_date.
    const Json s = check(server_->send(me, "POST", case_path(case_of(step.at("case")), "/supervisions"),
                                       {{"note", "请加快办理并按期回复"}, {"due_date", step.at("due_date")}}),
                         201);
    refs_[step.at("supervision")] = s.at("id").get<std::int64_t>();
  } else if (what == "supervision_answer") {
    const std::string sid = std::to_string(case_of(step.at("supervision")));
    check(server_->send(me, "POST", case_path(case_of(step.at("case")), "/supervisions/" + sid + "/answer"),
                        {{"answer", "已按督办要求推进办理，情况如下"}}),
          200);
  } else if (what == "review_request") {
    // 复查 / 复核, recorded by the reviewing office's staff on the day it is asked.
    const Json v = check(server_->send(me, "POST", case_path(case_of(step.at("case")), "/reviews"),
                                       {{"kind", step.at("kind")}, {"requested_at", now},
                                        {"request", "对答复意见不服，申请复查（复核）"}}),
                         201);
    refs_[step.at("review")] = v.at("id").get<std::int64_t>();
  } else if (what == "review_decision") {
    const std::string rid = std::to_string(case_of(step.at("review")));
    check(server_->send(me, "POST", case_path(case_of(step.at("case")), "/reviews/" + rid + "/decision"),
                        {{"decision", step.at("decision")}, {"basis", "原答复认定事实清楚，依据正确"}}),
          200);
  } else {
    BOOST_FAIL("scenario.json: unknown step " << step.dump());
  }
}

void ReportDataset::play() {
  const Json scenario = Json::parse(read_text(report_dataset_dir() + "/scenario.json"));
  // Everything in time order: (time, 0 = ledger row / 1 = step, index). At equal times a row comes
  // before a step, so a step may act on the row imported at that moment.
  std::vector<std::tuple<TimeMs, int, std::size_t>> todo;
  for (std::size_t i = 1; i < ledger_.size(); ++i) {
    const auto& f = ledger_[i];
    todo.emplace_back(ledger_time(f[kClosed].empty() ? f[kReceived] : f[kClosed]), 0, i);
  }
  const Json& steps = scenario.at("steps");
  for (std::size_t i = 0; i < steps.size(); ++i) todo.emplace_back(step_time(steps[i]), 1, i);
  std::stable_sort(todo.begin(), todo.end());
  for (const auto& [at, kind, i] : todo) {
    server_->set_clock(at, true);
    if (kind == 0) import_row(i);
    else run_step(steps[i]);
  }
  server_->set_clock(*parse_iso8601(scenario.at("report_at").get<std::string>()), true);
}

}  // namespace hl::apitest
