// Over HTTP, the flows the other suites leave to the casework unit tests: a referral answered by the
// partner (POST /cases/{id}/referrals, /referrals/{id}/respond), mediation sessions, follow-ups of a
// closed case, the supervisor's workload and report downloads, and the category list. Their answers
// are also what tests/openapi checks against the OpenAPI description, so every operation is seen.
#include <boost/test/unit_test.hpp>
#include <string>

#include "api/case_helpers.hpp"
#include "api/server_process.hpp"
#include "core/clock.hpp"
#include "core/local_time.hpp"

using namespace hl::apitest;

namespace {

struct PartnerWork {
  ServerProcess server;
  Login op = server.login(kOperator);
  Login police = server.login(kPolice);

  // A case of the operator's office, accepted (in_progress).
  std::int64_t accepted_case() const {
    const auto id = require_open_case(server, op);
    require_transition(server, op, id, "accept", notice_data());
    return id;
  }

  Json refer_to_police(std::int64_t case_id) const {
    const Json body = {{"partner_id", require_police_partner(server, op, police)},
                       {"service", "police_response"},
                       {"reason", "需要派出所出警并出具告诫书"},
                       {"consent", {{"given", true}}},
                       {"version", require_case(server, op, case_id).at("version")}};
    auto r = server.send(op, "POST", case_path(case_id, "/referrals"), body);
    REQUIRE_STATUS(r, 201);
    return body_json(r);
  }

  HttpClientResponse respond(const Login& who, const Json& referral, const Json& fields) const {
    Json body = fields;
    body["version"] = referral.at("version");
    return server.send(who, "POST", "/api/v1/referrals/" + std::to_string(referral.at("id").get<std::int64_t>()) + "/respond",
                       body);
  }

  // Mediation sessions of a case, from its timeline.
  Json mediation_items(std::int64_t case_id) const {
    Json out = Json::array();
    for (const auto& item : require_items(server, op, case_path(case_id, "/timeline")))
      if (item.at("kind") == "mediation") out.push_back(item);
    return out;
  }
};

// An ISO 8601 time `hours` from the server's now (its test clock).
std::string hours_from_now(const ServerProcess& server, int hours) { return hl::format_iso8601(server.now_ms() + hours * 3'600'000LL); }

}  // namespace

BOOST_FIXTURE_TEST_SUITE(partner_work, PartnerWork)

BOOST_AUTO_TEST_CASE(a_referral_accepted_and_completed_by_the_partner_returns_the_case_to_in_progress) {
  const auto id = accepted_case();
  const Json sent = refer_to_police(id);
  BOOST_TEST(sent.at("status") == "sent");
  BOOST_TEST(sent.at("case_id") == id);
  BOOST_TEST(sent.at("partner").at("type") == "police");
  BOOST_TEST(sent.at("due_at") == sent.at("response_due"));
  BOOST_TEST(require_case(server, op, id).at("status") == "referred");

  // The police user finds it among its organisation's referrals.
  bool listed = false;
  for (const auto& r : require_items(server, police, "/api/v1/referrals"))
    if (r.at("id") == sent.at("id")) listed = true;
  BOOST_TEST(listed);

  // The office may not accept on the partner's behalf.
  CHECK_ERROR(respond(op, sent, {{"action", "accept"}}), 422, "transition_not_allowed");

  auto accepted = respond(police, sent, {{"action", "accept"}});
  REQUIRE_STATUS(accepted, 200);
  const Json a = body_json(accepted);
  BOOST_TEST(a.at("status") == "accepted");
  BOOST_TEST(!a.at("responded_at").is_null());
  BOOST_TEST(a.at("due_at") == a.at("feedback_due"));
  // A stale version is a conflict.
  CHECK_ERROR(respond(police, sent, {{"action", "progress"}, {"note", "已出警"}}), 409, "conflict");

  auto progress = respond(police, a, {{"action", "progress"}, {"note", "已出警，已对男方批评教育"}});
  REQUIRE_STATUS(progress, 200);
  const Json p = body_json(progress);
  BOOST_TEST(p.at("status") == "in_progress");

  auto completed = respond(police, p, {{"action", "complete"}, {"outcome", "已对男方批评教育"},
                                       {"result", {{"kind", "handled_otherwise"}}}});
  REQUIRE_STATUS(completed, 200);
  const Json c = body_json(completed);
  BOOST_TEST(c.at("status") == "completed");
  BOOST_TEST(c.at("outcome") == "已对男方批评教育");
  BOOST_TEST(c.at("result").at("kind") == "handled_otherwise");
  BOOST_TEST(!c.at("completed_at").is_null());
  BOOST_TEST(require_case(server, op, id).at("status") == "in_progress");

  // The partner's progress report is a note on the case the office sees.
  bool note_seen = false;
  for (const auto& item : require_items(server, op, case_path(id, "/timeline")))
    if (item.at("kind") == "note" && item.at("text") == "已出警，已对男方批评教育") note_seen = true;
  BOOST_TEST(note_seen);
}

// Issue #15 point 4: "已出具家庭暴力告诫书" as free text left the 月报's 告诫书 line at 0. The structured
// outcome creates the warning letter, which the period report counts.
BOOST_AUTO_TEST_CASE(a_warning_letter_issued_on_completion_counts_in_the_period_report) {
  const Login sup = server.login(kSupervisor);
  const std::string today = shanghai_date();  // once: the letter's date and the report's month
  const std::string month = today.substr(0, 7);
  auto letters = [&] {
    auto r = server.get(sup, "/api/v1/reports?period=" + month);
    REQUIRE_STATUS(r, 200);
    const Json report = body_json(r);  // kept: a range-for over a temporary's member would dangle
    for (const auto& s : report.at("sections"))
      for (const auto& f : s.at("figures"))
        if (f.at("key") == "dv.warning_letters") return f.at("value").get<std::int64_t>();
    BOOST_FAIL("no dv.warning_letters");
    return std::int64_t{-1};
  };
  const auto before = letters();
  const auto id = accepted_case();
  auto a = respond(police, refer_to_police(id), {{"action", "accept"}});
  REQUIRE_STATUS(a, 200);
  auto done = respond(police, body_json(a),
                      {{"action", "complete"},
                       {"outcome", "已出具家庭暴力告诫书"},
                       {"result", {{"kind", "warning_letter_issued"}, {"date", today}, {"document_no", "永公(城)告字〔2026〕12号"}}}});
  REQUIRE_STATUS(done, 200);
  const Json d = body_json(done);
  BOOST_TEST(d.at("result").at("kind") == "warning_letter_issued");
  BOOST_TEST(d.at("result").at("date") == today);
  BOOST_TEST(d.at("result").at("document_no") == "永公(城)告字〔2026〕12号");
  BOOST_TEST(d.at("result").at("record").get<std::string>().starts_with("warning_letter:"));
  BOOST_TEST(letters() == before + 1);
  // The office sees the letter among the case's DV measures, with its number.
  const Json list = require_items(server, op, case_path(id, "/warning-letters"));
  BOOST_REQUIRE(list.size() == 1u);
  BOOST_TEST(list[0].at("document_no") == "永公(城)告字〔2026〕12号");
}

BOOST_AUTO_TEST_CASE(an_outcome_that_does_not_fit_the_service_is_422_naming_the_field) {
  const auto id = accepted_case();
  auto a = respond(police, refer_to_police(id), {{"action", "accept"}});
  REQUIRE_STATUS(a, 200);
  const Json accepted = body_json(a);
  auto field_of = [](const HttpClientResponse& r) { return body_json(r).at("error").at("fields"); };
  auto granted = respond(police, accepted, {{"action", "complete"}, {"result", {{"kind", "order_granted"}, {"date", shanghai_date()}}}});
  CHECK_ERROR(granted, 422, "validation_failed");
  BOOST_TEST(field_of(granted).contains("result.kind"));
  auto no_number = respond(police, accepted, {{"action", "complete"}, {"result", {{"kind", "warning_letter_issued"}, {"date", shanghai_date()}}}});
  CHECK_ERROR(no_number, 422, "validation_failed");
  BOOST_TEST(field_of(no_number).contains("result.document_no"));
  auto text_only = respond(police, accepted, {{"action", "complete"}, {"outcome", "已出具家庭暴力告诫书"}});
  CHECK_ERROR(text_only, 422, "validation_failed");
  BOOST_TEST(field_of(text_only).contains("result.kind"));
  BOOST_TEST(require_items(server, police, "/api/v1/referrals?case_id=" + std::to_string(id))[0].at("status") == "accepted");
}

BOOST_AUTO_TEST_CASE(a_declined_referral_keeps_its_reason_and_the_partner_sees_only_its_own_referral) {
  const auto id = accepted_case();
  const Json sent = refer_to_police(id);
  CHECK_ERROR(respond(police, sent, {{"action", "decline"}}), 422, "transition_not_allowed");  // names decline_reason
  auto declined = respond(police, sent, {{"action", "decline"}, {"decline_reason", "不在本所辖区"}});
  REQUIRE_STATUS(declined, 200);
  BOOST_TEST(body_json(declined).at("status") == "declined");
  BOOST_TEST(body_json(declined).at("decline_reason") == "不在本所辖区");
  BOOST_TEST(require_case(server, op, id).at("status") == "in_progress");

  // The partner reads the case through its referral: its timeline has that referral and no contacts.
  bool referral_seen = false;
  for (const auto& item : require_items(server, police, case_path(id, "/timeline"))) {
    BOOST_TEST(item.at("kind") != "contact");
    if (item.at("kind") == "referral") referral_seen = true;
  }
  BOOST_TEST(referral_seen);
}

BOOST_AUTO_TEST_CASE(a_postponed_mediation_schedules_the_next_session_and_an_agreement_ends_it) {
  const auto id = accepted_case();
  auto scheduled = server.send(op, "POST", case_path(id, "/mediations"),
                               {{"mediator", "人民调解员 周桂兰"}, {"scheduled_at", hours_from_now(server, 48)}, {"place", "城关镇调解室"}});
  REQUIRE_STATUS(scheduled, 201);
  const Json first = body_json(scheduled);
  BOOST_TEST(first.at("result").is_null());
  BOOST_TEST(require_case(server, op, id).at("status") == "mediation");

  const std::string first_result = "/api/v1/mediations/" + std::to_string(first.at("id").get<std::int64_t>()) + "/result";
  // Postponing needs a future next session.
  CHECK_ERROR(server.send(op, "POST", first_result, {{"result", "postponed"}, {"version", first.at("version")}}), 422,
              "validation_failed");
  auto postponed = server.send(op, "POST", first_result,
                               {{"result", "postponed"}, {"next_session_at", hours_from_now(server, 120)}, {"version", first.at("version")}});
  REQUIRE_STATUS(postponed, 200);
  BOOST_TEST(body_json(postponed).at("result") == "postponed");
  BOOST_TEST(!body_json(postponed).at("next_session_at").is_null());
  BOOST_TEST(require_case(server, op, id).at("status") == "mediation");

  // The next session is on the timeline; an agreement on it needs a summary and ends the mediation.
  const Json sessions = mediation_items(id);
  BOOST_REQUIRE_EQUAL(sessions.size(), 2u);
  const Json& next = sessions[0].at("result") == "" ? sessions[0] : sessions[1];
  BOOST_TEST(next.at("result") == "");
  BOOST_TEST(next.at("id") != first.at("id"));
  const std::string next_result = "/api/v1/mediations/" + std::to_string(next.at("id").get<std::int64_t>()) + "/result";
  CHECK_ERROR(server.send(op, "POST", next_result, {{"result", "agreement"}, {"version", 1}}), 422, "validation_failed");
  auto agreed = server.send(op, "POST", next_result,
                            {{"result", "agreement"}, {"agreement_summary", "男方书面保证不再动手"}, {"version", 1}});
  REQUIRE_STATUS(agreed, 200);
  BOOST_TEST(body_json(agreed).at("result") == "agreement");
  BOOST_TEST(require_case(server, op, id).at("status") == "in_progress");
  // The first session has its result already.
  CHECK_ERROR(server.send(op, "POST", first_result, {{"result", "failed"}, {"version", body_json(postponed).at("version")}}),
              422, "transition_not_allowed");
}

// Issue #15 point 4: 未接通 / 改期 / 拒绝回访 are attempts, listed on the case, not follow-ups done.
BOOST_AUTO_TEST_CASE(a_follow_up_attempt_is_listed_but_is_not_a_follow_up) {
  const Login sup = server.login(kSupervisor);
  const auto id = accepted_case();
  require_reply(server, op, id);
  require_transition(server, op, id, "request_closure", {{"outcome", "resolved"}, {"summary", "已调解"}, {"losses_avoided_fen", 0}});
  require_transition(server, sup, id, "approve_closure");
  const std::string attempts = case_path(id, "/follow-up-attempts");
  auto bad = server.send(op, "POST", attempts, {{"result", "rescheduled"}});
  CHECK_ERROR(bad, 422, "validation_failed");
  BOOST_TEST(body_json(bad).at("error").at("fields").contains("rescheduled_to"));
  const std::string day_after_tomorrow = shanghai_date(2);
  auto a = server.send(op, "POST", attempts, {{"result", "rescheduled"}, {"rescheduled_to", day_after_tomorrow}, {"note", "当事人说后天再打"}});
  REQUIRE_STATUS(a, 201);
  BOOST_TEST(body_json(a).at("rescheduled_to") == day_after_tomorrow);
  auto r = server.get(op, case_path(id, "/follow-ups"));
  REQUIRE_STATUS(r, 200);
  const Json all = body_json(r);
  BOOST_TEST(all.at("items").empty());  // no follow-up done
  BOOST_REQUIRE_EQUAL(all.at("attempts").size(), 1u);
  BOOST_TEST(all.at("attempts")[0].at("result") == "rescheduled");
}

BOOST_AUTO_TEST_CASE(a_dissatisfied_follow_up_lists_the_closed_case_until_it_is_reopened) {
  const Login sup = server.login(kSupervisor);
  const auto id = accepted_case();
  const std::string follow_ups = case_path(id, "/follow-ups");
  CHECK_ERROR(server.send(op, "POST", follow_ups, {{"satisfaction", "satisfied"}}), 422, "transition_not_allowed");
  require_reply(server, op, id);
  require_transition(server, op, id, "request_closure",
                     {{"outcome", "resolved"}, {"summary", "已调解，当事人满意"}, {"losses_avoided_fen", 0}});
  require_transition(server, sup, id, "approve_closure");

  CHECK_ERROR(server.send(op, "POST", follow_ups, {{"satisfaction", "happy"}}), 422, "validation_failed");
  auto recorded = server.send(op, "POST", follow_ups, {{"satisfaction", "dissatisfied"}, {"note", "对方仍有骚扰"}});
  REQUIRE_STATUS(recorded, 201);
  const Json fu = body_json(recorded);
  BOOST_TEST(fu.at("reopen_suggested") == true);
  BOOST_TEST(fu.at("recorded_by") == op.id());
  BOOST_TEST(fu.at("closed_at") == require_case(server, op, id).at("closed_at"));

  const Json history = require_items(server, op, follow_ups);
  BOOST_REQUIRE_EQUAL(history.size(), 1u);
  BOOST_TEST(history[0].at("id") == fu.at("id"));

  auto listed = [&] {
    auto r = server.get(sup, "/api/v1/follow-ups?state=dissatisfied");
    REQUIRE_STATUS(r, 200);
    const Json page = body_json(r);
    for (const auto& item : page.at("items"))
      if (item.at("case").at("id") == id) return true;
    return false;
  };
  BOOST_TEST(listed());
  require_transition(server, sup, id, "reopen", {{"reason", "回访不满意，重新办理"}});
  BOOST_TEST(!listed());
  // A case closed today is not yet due for its follow-up (from the 7th day).
  auto due = server.get(sup, "/api/v1/follow-ups?state=due");
  REQUIRE_STATUS(due, 200);
  const Json due_page = body_json(due);
  for (const auto& item : due_page.at("items")) BOOST_TEST(item.at("days_since_closure").get<int>() >= 7);
  CHECK_ERROR(server.get(sup, "/api/v1/follow-ups?state=someday"), 422, "validation_failed");
}

BOOST_AUTO_TEST_CASE(the_workload_counts_a_new_case_and_the_period_report_downloads_as_csv_and_xlsx) {
  const Login sup = server.login(kSupervisor);
  auto open_total = [&] {
    auto r = server.get(sup, "/api/v1/dashboard/workload");
    REQUIRE_STATUS(r, 200);
    const Json w = body_json(r);
    std::int64_t n = w.at("unassigned").at("open").get<std::int64_t>();
    for (const auto& item : w.at("items")) n += item.at("open").get<std::int64_t>();
    return n;
  };
  const auto before = open_total();
  require_open_case(server, op);
  BOOST_TEST(open_total() == before + 1);
  CHECK_ERROR(server.get(op, "/api/v1/dashboard/workload"), 403, "forbidden");

  const std::string month = shanghai_date().substr(0, 7);
  auto csv = server.get(sup, "/api/v1/reports.csv?period=" + month);
  REQUIRE_STATUS(csv, 200);
  BOOST_TEST(csv.header("content-type").starts_with("text/csv"));
  BOOST_TEST(csv.body.starts_with("\xEF\xBB\xBF"));
  BOOST_TEST(csv.header("content-disposition").starts_with("attachment;"));
  auto xlsx = server.get(sup, "/api/v1/reports.xlsx?period=" + month + "&scope=office");
  REQUIRE_STATUS(xlsx, 200);
  BOOST_TEST(xlsx.body.starts_with("PK"));  // a zip container
  BOOST_TEST(xlsx.header("content-disposition").find("-office.xlsx") != std::string::npos);
  CHECK_ERROR(server.get(sup, "/api/v1/reports.xlsx?period=2026-13"), 400, "bad_request");
}

BOOST_AUTO_TEST_CASE(every_user_reads_the_two_level_category_list) {
  for (const Login& who : {op, police}) {
    const Json items = require_items(server, who, "/api/v1/categories");
    bool dv = false, parent = false;
    for (const auto& c : items) {
      if (c.at("code") == "marriage_family.domestic_violence") dv = c.at("parent_code") == "marriage_family";
      if (c.at("code") == "marriage_family") parent = c.at("parent_code").is_null();
    }
    BOOST_TEST(dv);
    BOOST_TEST(parent);
  }
  CHECK_ERROR(server.request("GET", "/api/v1/categories"), 401, "unauthenticated");
}

BOOST_AUTO_TEST_SUITE_END()
