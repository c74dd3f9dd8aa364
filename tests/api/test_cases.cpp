// /api/v1/cases: the list with its filters, search and paging; the case; edits with optimistic
// concurrency; workflow transitions; timeline and notes.
#include <boost/test/unit_test.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "api/case_helpers.hpp"
#include "api/server_process.hpp"

using namespace hl::apitest;

namespace {

struct Desk {
  ServerProcess server;
  Login op = server.login(kOperator);
};

// Every case of a listing (following next_cursor), checking the paging as it goes.
std::vector<Json> list_all(const Desk& d, const std::string& query, int limit = 200) {
  std::vector<Json> out;
  std::set<std::int64_t> seen;
  std::string cursor;
  for (int page = 0; page < 200; ++page) {
    std::string target = "/api/v1/cases?limit=" + std::to_string(limit) + (query.empty() ? "" : "&" + query);
    if (!cursor.empty()) target += "&cursor=" + url_encode(cursor);
    auto r = d.server.get(d.op, target);
    REQUIRE_STATUS(r, 200);
    const Json j = body_json(r);
    BOOST_REQUIRE(j.at("items").is_array());
    BOOST_TEST(j.at("items").size() <= static_cast<std::size_t>(limit));
    for (const auto& c : j.at("items")) {
      BOOST_CHECK_MESSAGE(seen.insert(c.at("id").get<std::int64_t>()).second,
                          "case " << c.at("id") << " listed twice (" << target << ")");
      out.push_back(c);
    }
    if (j.at("next_cursor").is_null()) return out;
    BOOST_REQUIRE(j.at("next_cursor").is_string());
    cursor = j.at("next_cursor").get<std::string>();
  }
  BOOST_FAIL("next_cursor never became null for " << query);
  return out;
}

std::int64_t sum_counts(const Json& counts) {
  std::int64_t n = 0;
  for (const auto& [status, count] : counts.items()) n += count.get<std::int64_t>();
  return n;
}

Json counts_for(const Desk& d, const std::string& query) {
  auto r = d.server.get(d.op, "/api/v1/cases?limit=1" + (query.empty() ? "" : "&" + query));
  REQUIRE_STATUS(r, 200);
  return body_json(r).at("counts");
}

std::set<std::int64_t> ids(const std::vector<Json>& cases) {
  std::set<std::int64_t> out;
  for (const auto& c : cases) out.insert(c.at("id").get<std::int64_t>());
  return out;
}

bool contains(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

std::vector<std::string> event_names(const Json& timeline) {
  std::vector<std::string> out;
  for (const auto& item : timeline)
    if (item.at("kind") == "event") out.push_back(item.at("event").get<std::string>());
  return out;
}

const Json closure_data = {{"outcome", "resolved"}, {"summary", "经调解双方达成协议，当事人表示满意"}, {"losses_avoided_fen", 150000}};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(cases, Desk)

BOOST_AUTO_TEST_CASE(the_list_answers_summaries_with_counts_per_status) {
  auto r = server.get(op, "/api/v1/cases");
  REQUIRE_STATUS(r, 200);
  const Json j = body_json(r);
  BOOST_REQUIRE(!j.at("items").empty());
  BOOST_TEST(j.at("items").size() <= 50u);  // the default limit
  BOOST_TEST(j.at("counts").is_object());
  for (const char* key : {"id", "case_no", "status", "category", "channel", "received_at", "assignee", "office_id",
                          "risk_level", "due_at", "overdue", "age_days", "version"})
    BOOST_TEST_CONTEXT("field " << key) { BOOST_TEST(j.at("items").at(0).contains(key)); }

  const auto all = list_all(*this, "");
  BOOST_TEST(static_cast<std::int64_t>(all.size()) == sum_counts(j.at("counts")));
  for (const auto& [status, count] : j.at("counts").items()) {
    BOOST_TEST_CONTEXT("status " << status) {
      const auto of_status = list_all(*this, "status=" + status);
      BOOST_TEST(static_cast<std::int64_t>(of_status.size()) == count.get<std::int64_t>());
      for (const auto& c : of_status) BOOST_TEST(c.at("status") == status);
      // The counts ignore the status filter.
      BOOST_TEST(counts_for(*this, "status=" + status) == j.at("counts"));
    }
  }
  // Newest first.
  for (std::size_t i = 1; i < all.size(); ++i)
    BOOST_TEST(all[i - 1].at("received_at").get<std::string>() >= all[i].at("received_at").get<std::string>());
}

BOOST_AUTO_TEST_CASE(cursor_paging_returns_every_case_once_and_ends_with_a_null_cursor) {
  const auto whole = list_all(*this, "");
  const auto paged = list_all(*this, "", 7);
  BOOST_TEST(whole.size() > 14u);
  BOOST_TEST(paged.size() == whole.size());
  BOOST_TEST(ids(paged) == ids(whole));
  for (std::size_t i = 0; i < std::min(paged.size(), whole.size()); ++i) BOOST_TEST(paged[i].at("id") == whole[i].at("id"));

  // The other sort orders page just as well (due_asc has cases without a deadline at its end).
  for (const char* sort : {"received_asc", "due_asc"}) {
    BOOST_TEST_CONTEXT(sort) {
      const auto sorted = list_all(*this, std::string("sort=") + sort);
      const auto sorted_paged = list_all(*this, std::string("sort=") + sort, 6);
      BOOST_TEST(sorted.size() == whole.size());
      BOOST_TEST(ids(sorted_paged) == ids(whole));
      BOOST_TEST(sorted_paged.size() == whole.size());
    }
  }
  const auto asc = list_all(*this, "sort=received_asc");
  for (std::size_t i = 1; i < asc.size(); ++i)
    BOOST_TEST(asc[i - 1].at("received_at").get<std::string>() <= asc[i].at("received_at").get<std::string>());
  const auto due = list_all(*this, "sort=due_asc", 5);
  bool seen_null = false;
  for (std::size_t i = 0; i < due.size(); ++i) {
    if (due[i].at("due_at").is_null()) {
      seen_null = true;
      continue;
    }
    BOOST_TEST(!seen_null);  // no deadline sorts last
    if (i > 0 && !due[i - 1].at("due_at").is_null())
      BOOST_TEST(due[i - 1].at("due_at").get<std::string>() <= due[i].at("due_at").get<std::string>());
  }

  // A case opened while paging does not disturb the pages already fetched (keyset paging).
  auto first = body_json(server.get(op, "/api/v1/cases?limit=5"));
  require_open_case(server, op);
  auto second = body_json(server.get(op, "/api/v1/cases?limit=5&cursor=" + url_encode(first.at("next_cursor").get<std::string>())));
  std::set<std::int64_t> first_ids;
  for (const auto& c : first.at("items")) first_ids.insert(c.at("id").get<std::int64_t>());
  for (const auto& c : second.at("items")) BOOST_TEST(!first_ids.contains(c.at("id").get<std::int64_t>()));
}

BOOST_AUTO_TEST_CASE(filters_by_category_channel_overdue_and_received_dates) {
  // Every list below against the same instant: a deadline passing midway (at midnight, say) would
  // make "overdue" differ between two of them.
  server.freeze_clock();
  const auto all = list_all(*this, "");

  const auto dv = list_all(*this, "category=marriage_family.domestic_violence");
  BOOST_TEST(!dv.empty());
  for (const auto& c : dv) BOOST_TEST(c.at("category") == "marriage_family.domestic_violence");
  std::size_t expected_dv = 0;
  for (const auto& c : all) expected_dv += c.at("category") == "marriage_family.domestic_violence";
  BOOST_TEST(dv.size() == expected_dv);

  const auto family = list_all(*this, "category=marriage_family");
  BOOST_TEST(family.size() >= dv.size());
  for (const auto& c : family) BOOST_TEST(c.at("category").get<std::string>().starts_with("marriage_family."));

  for (const char* channel : {"hotline", "letter", "walk_in"}) {
    BOOST_TEST_CONTEXT("channel " << channel) {
      const auto by_channel = list_all(*this, std::string("channel=") + channel);
      std::size_t expected = 0;
      for (const auto& c : all) expected += c.at("channel") == channel;
      BOOST_TEST(by_channel.size() == expected);
      BOOST_TEST(expected > 0u);
      for (const auto& c : by_channel) BOOST_TEST(c.at("channel") == channel);
    }
  }

  // overdue=true lists exactly the cases the list marks overdue.
  const auto overdue = list_all(*this, "overdue=true");
  std::set<std::int64_t> expected_overdue;
  for (const auto& c : all)
    if (c.at("overdue") == true) expected_overdue.insert(c.at("id").get<std::int64_t>());
  BOOST_TEST(ids(overdue) == expected_overdue);
  for (const auto& c : overdue) BOOST_TEST(c.at("status") != "closed");

  // received_from/received_to are inclusive local dates.
  const std::string from = server.date(-60), to = server.date(-20);
  const auto window = list_all(*this, "received_from=" + from + "&received_to=" + to);
  std::set<std::int64_t> expected_window;
  for (const auto& c : all) {
    const auto day = c.at("received_at").get<std::string>().substr(0, 10);
    if (day >= from && day <= to) expected_window.insert(c.at("id").get<std::int64_t>());
  }
  BOOST_TEST(!expected_window.empty());
  BOOST_TEST(ids(window) == expected_window);
}

BOOST_AUTO_TEST_CASE(office_and_assignee_filters_stay_inside_the_callers_scope) {
  const Login sup = server.login(kSupervisor);
  const Login op2 = server.login(kOperator2);
  const auto own = op.user.at("office_id").get<std::int64_t>();
  const auto other = op2.user.at("office_id").get<std::int64_t>();

  // The supervisor narrows the city's list to one county.
  for (auto office : {own, other}) {
    auto r = server.get(sup, "/api/v1/cases?limit=200&office_id=" + std::to_string(office));
    REQUIRE_STATUS(r, 200);
    const Json items = body_json(r).at("items");
    BOOST_TEST(!items.empty());
    for (const auto& c : items) BOOST_TEST(c.at("office_id") == office);
  }
  // An operator asking for the other county's cases gets none of them.
  auto r = server.get(op, "/api/v1/cases?limit=200&office_id=" + std::to_string(other));
  if (r.status == 200) {
    BOOST_TEST(body_json(r).at("items").empty());
    for (const auto& [status, n] : body_json(r).at("counts").items()) BOOST_TEST(n == 0);
  } else {
    BOOST_CHECK_MESSAGE(r.status == 404 || r.status == 403 || r.status == 422, describe(r));
  }

  // assignee_id=me lists the cases the operator took on.
  const auto id = require_open_case(server, op);
  require_transition(server, op, id, "accept", notice_data());
  const auto mine = list_all(*this, "assignee_id=me");
  BOOST_TEST(ids(mine).contains(id));
  for (const auto& c : mine) BOOST_TEST(c.at("assignee").at("id") == op.id());
  BOOST_TEST(ids(list_all(*this, "assignee_id=" + std::to_string(op.id()))) == ids(mine));
}

BOOST_AUTO_TEST_CASE(open_unassigned_and_partner_filters_match_the_dashboard_rows) {
  // status=open: every status but closed (the dashboard's "open cases").
  const auto open = list_all(*this, "status=open");
  BOOST_TEST(!open.empty());
  for (const auto& c : open) BOOST_TEST(c.at("status") != "closed");
  std::size_t all_open = 0;
  for (const auto& c : list_all(*this, "")) all_open += c.at("status") != "closed";
  BOOST_TEST(open.size() == all_open);

  // assignee_id=none: unassigned cases only; a fresh intake is unassigned until accepted.
  const auto fresh = require_open_case(server, op);
  const auto unassigned = list_all(*this, "assignee_id=none");
  BOOST_TEST(ids(unassigned).contains(fresh));
  for (const auto& c : unassigned) BOOST_TEST(c.at("assignee").is_null());

  // partner_id: cases with an open referral to that partner.
  require_transition(server, op, fresh, "accept", notice_data());
  const Login police = server.login(kPolice);
  const auto police_org = require_police_partner(server, op, police);
  require_transition(server, op, fresh, "refer", refer_data(police_org, true));
  const auto referred = list_all(*this, "partner_id=" + std::to_string(police_org));
  BOOST_TEST(ids(referred).contains(fresh));
  CHECK_ERROR(server.get(op, "/api/v1/cases?status=opened"), 422, "validation_failed");
  CHECK_ERROR(server.get(op, "/api/v1/cases?partner_id=x"), 422, "validation_failed");
}

BOOST_AUTO_TEST_CASE(q_finds_two_character_chinese_words_in_summaries_and_narratives) {
  // Only the narrative says 家暴 here; the summary does not.
  const auto hidden = require_open_case(server, op, "", "丈夫酒后打人", "来电人称长期遭受家暴，最近一次被打伤住院。");
  const auto baoli = list_all(*this, "q=" + url_encode("家暴"));
  BOOST_TEST(ids(baoli).contains(hidden));
  BOOST_TEST(baoli.size() > 1u);  // the demo data's 家暴 cases too
  for (const auto& c : baoli)
    if (c.at("id") != hidden) BOOST_TEST(contains(c.at("summary").get<std::string>(), "家暴"));
  // Every case whose summary says 家暴 is found.
  for (const auto& c : list_all(*this, ""))
    if (contains(c.at("summary").get<std::string>(), "家暴")) BOOST_TEST(ids(baoli).contains(c.at("id").get<std::int64_t>()));

  const auto divorce = list_all(*this, "q=" + url_encode("离婚"));
  BOOST_TEST(!divorce.empty());
  BOOST_TEST(!ids(divorce).contains(hidden));

  // A name (complainant 王桂兰 from the intake) is searchable too.
  BOOST_TEST(ids(list_all(*this, "q=" + url_encode("桂兰"))).contains(hidden));
  BOOST_TEST(list_all(*this, "q=" + url_encode("保险理赔")).empty());

  // Search syntax in the text is taken literally, never as an error of the server.
  for (const std::string& q : std::vector<std::string>{"\"", "家暴\"", "a*b", "(家暴", "家暴 AND", "NOT 离婚", "^家暴", "家暴 OR 离婚", "NEAR(家暴 离婚)",
                              "col:家暴", "'; DROP TABLE cases; --", std::string(3000, 'x'), "家暴家暴家暴家暴家暴家暴家暴"}) {
    BOOST_TEST_CONTEXT("q=" << q.substr(0, 40)) {
      auto r = server.get(op, "/api/v1/cases?q=" + url_encode(q));
      BOOST_CHECK_MESSAGE(r.status == 200 || (r.status == 422 && error_code(r) == "validation_failed"), describe(r));
    }
  }
  CHECK_STATUS(server.get(op, "/api/v1/cases"), 200);

  // One character is too short to search.
  auto short_q = server.get(op, "/api/v1/cases?q=" + url_encode("家"));
  CHECK_ERROR(short_q, 422, "validation_failed");
  CHECK_NAMES_FIELD(short_q, "q");
}

BOOST_AUTO_TEST_CASE(invalid_list_parameters_are_422_naming_the_parameter) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"status=opened", "status"},        {"channel=fax", "channel"},   {"limit=0", "limit"},
      {"limit=201", "limit"},             {"limit=ten", "limit"},       {"cursor=garbage", "cursor"},
      {"received_from=2026-13-45", "received_from"}, {"sort=random", "sort"}, {"risk_level=apocalyptic", "risk_level"}};
  for (const auto& [query, field] : bad) {
    BOOST_TEST_CONTEXT(query) {
      auto r = server.get(op, "/api/v1/cases?" + query);
      CHECK_ERROR(r, 422, "validation_failed");
      CHECK_NAMES_FIELD(r, field);
    }
  }
  CHECK_STATUS(server.get(op, "/api/v1/cases?limit=200"), 200);
}

BOOST_AUTO_TEST_CASE(the_case_shows_its_deadlines_persons_and_available_events) {
  const auto id = require_open_case(server, op, "13800138000");
  const Json c = require_case(server, op, id);
  BOOST_TEST(c.at("id") == id);
  BOOST_TEST(c.at("status") == "registered");
  BOOST_TEST(c.at("version").is_number_integer());
  BOOST_TEST(c.at("narrative") == "来电人称丈夫酒后殴打她，要求妇联帮助。");
  BOOST_TEST(c.at("office").at("id") == op.user.at("office_id"));
  BOOST_REQUIRE(c.at("deadlines").is_array());
  BOOST_REQUIRE(c.at("deadlines").size() == 1u);
  BOOST_TEST(c.at("deadlines").at(0).at("kind") == "acceptance");
  BOOST_TEST(c.at("deadlines").at(0).at("overdue") == false);
  BOOST_TEST(c.at("due_at") == c.at("deadlines").at(0).at("due_at"));
  const auto events = c.at("available_events");
  BOOST_TEST((std::find(events.begin(), events.end(), "accept") != events.end()));
  BOOST_TEST((std::find(events.begin(), events.end(), "approve_closure") == events.end()));
  std::set<std::string> roles;
  for (const auto& p : c.at("persons")) roles.insert(p.at("role").get<std::string>());
  BOOST_TEST(roles.contains("complainant"));
  BOOST_TEST(roles.contains("respondent"));
}

BOOST_AUTO_TEST_CASE(a_patch_with_a_stale_version_is_409_and_changes_nothing) {
  const auto id = require_open_case(server, op);
  const Json before = require_case(server, op, id);
  const auto v = before.at("version").get<std::int64_t>();

  auto ok = server.send(op, "PATCH", case_path(id), {{"version", v}, {"summary", "丈夫多次殴打并威胁"}, {"urgency", "urgent"}});
  REQUIRE_STATUS(ok, 200);
  const Json patched = body_json(ok);
  BOOST_TEST(patched.at("summary") == "丈夫多次殴打并威胁");
  BOOST_TEST(patched.at("urgency") == "urgent");
  BOOST_TEST(patched.at("version") == v + 1);

  auto stale = server.send(op, "PATCH", case_path(id), {{"version", v}, {"summary", "旧版本的修改"}, {"urgency", "emergency"}});
  CHECK_ERROR(stale, 409, "conflict");
  const Json after = require_case(server, op, id);
  BOOST_TEST(after.at("summary") == "丈夫多次殴打并威胁");
  BOOST_TEST(after.at("urgency") == "urgent");
  BOOST_TEST(after.at("version") == v + 1);

  // A stale transition is refused the same way.
  CHECK_ERROR(transition(server, op, id, "accept", v, notice_data()), 409, "conflict");
  BOOST_TEST(require_case(server, op, id).at("status") == "registered");

  // Unknown values are 422 naming the field, and also change nothing.
  auto bad = server.send(op, "PATCH", case_path(id), {{"version", v + 1}, {"category", "no.such_category"}, {"summary", "x"}});
  CHECK_ERROR(bad, 422, "validation_failed");
  CHECK_NAMES_FIELD(bad, "category");
  auto missing_version = server.send(op, "PATCH", case_path(id), {{"summary", "x"}});
  CHECK_ERROR(missing_version, 422, "validation_failed");
  CHECK_NAMES_FIELD(missing_version, "version");
  BOOST_TEST(require_case(server, op, id) == after);
}

BOOST_AUTO_TEST_CASE(accept_then_refer_to_a_police_partner_with_consent) {
  const Login police = server.login(kPolice);
  const auto partner = require_police_partner(server, op, police);
  const auto id = require_open_case(server, op, "13800138000");

  const Json accepted = require_transition(server, op, id, "accept", notice_data());
  BOOST_TEST(accepted.at("status") == "in_progress");
  BOOST_TEST(!accepted.at("accepted_at").is_null());
  BOOST_REQUIRE(accepted.at("deadlines").size() == 1u);
  BOOST_TEST(accepted.at("deadlines").at(0).at("kind") == "handling");
  BOOST_TEST(accepted.at("assignee").at("id") == op.id());

  // No consent and no override reason: refused, naming override_reason; nothing changes.
  const auto v = accepted.at("version").get<std::int64_t>();
  auto no_reason = transition(server, op, id, "refer", v, refer_data(partner, false));
  CHECK_ERROR(no_reason, 422, "transition_not_allowed");
  CHECK_NAMES_FIELD(no_reason, "override_reason");
  auto blank_reason = transition(server, op, id, "refer", v, refer_data(partner, false, "   "));
  CHECK_ERROR(blank_reason, 422, "transition_not_allowed");
  CHECK_NAMES_FIELD(blank_reason, "override_reason");
  // Missing partner or an unknown one.
  Json no_partner = refer_data(partner, true);
  no_partner.erase("partner_id");
  auto r1 = transition(server, op, id, "refer", v, no_partner);
  CHECK_ERROR(r1, 422, "transition_not_allowed");
  CHECK_NAMES_FIELD(r1, "partner_id");
  auto r2 = transition(server, op, id, "refer", v, refer_data(987654, true));
  CHECK_ERROR(r2, 422, "transition_not_allowed");
  CHECK_NAMES_FIELD(r2, "partner_id");
  Json bad_service = refer_data(partner, true);
  bad_service["service"] = "teleportation";
  auto r3 = transition(server, op, id, "refer", v, bad_service);
  CHECK_ERROR(r3, 422, "transition_not_allowed");
  CHECK_NAMES_FIELD(r3, "service");
  const Json unchanged = require_case(server, op, id);
  BOOST_TEST(unchanged.at("status") == "in_progress");
  BOOST_TEST(unchanged.at("version") == v);

  auto referred = transition(server, op, id, "refer", v, refer_data(partner, true));
  REQUIRE_STATUS(referred, 200);
  BOOST_TEST(body_json(referred).at("status") == "referred");

  bool referral_shown = false;
  for (const auto& item : require_items(server, op, case_path(id, "/timeline")))
    if (item.at("kind") == "referral") referral_shown = true;
  BOOST_TEST(referral_shown);
  // A referred case cannot be closed while the referral is open.
  CHECK_ERROR(transition(server, op, id, "request_closure", v + 1, closure_data), 422, "transition_not_allowed");
}

BOOST_AUTO_TEST_CASE(a_transition_from_the_wrong_state_is_422_transition_not_allowed) {
  const auto id = require_open_case(server, op);
  const auto v = require_case(server, op, id).at("version").get<std::int64_t>();
  for (const char* event : {"request_closure", "end_mediation", "reopen"}) {
    BOOST_TEST_CONTEXT(event) {
      auto r = transition(server, op, id, event, v, closure_data);
      CHECK_ERROR(r, 422, "transition_not_allowed");
      BOOST_TEST(contains(body_json(r).at("error").at("message").get<std::string>(), "registered"));
    }
  }
  require_transition(server, op, id, "accept", notice_data());
  CHECK_ERROR(transition(server, op, id, "accept", v + 1, notice_data()), 422, "transition_not_allowed");
  BOOST_TEST(require_case(server, op, id).at("version") == v + 1);
  // Required event data is named.
  auto no_data = transition(server, op, id, "request_closure", v + 1);
  CHECK_ERROR(no_data, 422, "transition_not_allowed");
  for (const char* f : {"outcome", "summary", "losses_avoided_fen"}) CHECK_NAMES_FIELD(no_data, f);
}

BOOST_AUTO_TEST_CASE(closure_needs_a_supervisor_and_the_timeline_keeps_every_step_in_order) {
  const auto id = require_open_case(server, op);
  require_transition(server, op, id, "accept", notice_data());
  require_reply(server, op, id);
  const Json pending = require_transition(server, op, id, "request_closure", closure_data);
  BOOST_TEST(pending.at("status") == "pending_closure");

  // The operator may not approve their own closure.
  auto by_operator = transition(server, op, id, "approve_closure", pending.at("version").get<std::int64_t>());
  CHECK_ERROR(by_operator, 422, "transition_not_allowed");
  BOOST_TEST(contains(body_json(by_operator).at("error").at("message").get<std::string>(), "operator"));
  BOOST_TEST(require_case(server, op, id).at("status") == "pending_closure");

  const Login sup = server.login(kSupervisor);
  const Json closed = require_transition(server, sup, id, "approve_closure");
  BOOST_TEST(closed.at("status") == "closed");
  BOOST_TEST(!closed.at("closed_at").is_null());
  BOOST_TEST(closed.at("outcome") == "resolved");
  BOOST_TEST(closed.at("losses_avoided_fen") == 150000);
  BOOST_TEST(closed.at("closure_summary") == "经调解双方达成协议，当事人表示满意");
  BOOST_TEST(closed.at("deadlines").empty());
  BOOST_TEST(closed.at("due_at").is_null());

  auto note = server.send(op, "POST", case_path(id, "/notes"), {{"text", "回访：当事人对处理结果满意。"}});
  REQUIRE_STATUS(note, 201);
  const Json n = body_json(note);
  BOOST_TEST(n.at("id").is_number_integer());
  BOOST_TEST(n.at("text") == "回访：当事人对处理结果满意。");
  BOOST_TEST(n.at("at").is_string());
  auto empty_note = server.send(op, "POST", case_path(id, "/notes"), {{"text", ""}});
  CHECK_ERROR(empty_note, 422, "validation_failed");
  CHECK_NAMES_FIELD(empty_note, "text");

  const Json timeline = require_items(server, op, case_path(id, "/timeline"));
  const std::vector<std::string> expected = {"register", "accept", "reply", "request_closure", "approve_closure"};
  BOOST_TEST(event_names(timeline) == expected, boost::test_tools::per_element());
  std::string previous_at;
  bool note_seen = false, contact_seen = false;
  for (const auto& item : timeline) {
    BOOST_TEST(item.at("at").get<std::string>() >= previous_at);
    previous_at = item.at("at").get<std::string>();
    if (item.at("kind") == "note") note_seen = item.at("text") == "回访：当事人对处理结果满意。";
    if (item.at("kind") == "contact") contact_seen = item.at("summary") == "丈夫酒后殴打，求助";
    if (item.at("kind") == "event" && item.at("event") == "approve_closure") {
      BOOST_TEST(item.at("from_status") == "pending_closure");
      BOOST_TEST(item.at("to_status") == "closed");
      BOOST_TEST(item.at("actor").at("id") == sup.id());
    }
    if (item.at("kind") == "event" && item.at("event") == "request_closure") {
      BOOST_TEST(item.at("actor").at("id") == op.id());
      BOOST_TEST(item.at("data").at("outcome") == "resolved");
    }
  }
  BOOST_TEST(note_seen);
  BOOST_TEST(contact_seen);

  // A closed case is listed as closed and can be reopened by the supervisor only.
  BOOST_TEST(closed.at("version") == require_case(server, op, id).at("version"));
  const auto v = closed.at("version").get<std::int64_t>();
  CHECK_ERROR(transition(server, op, id, "reopen", v, {{"reason", "当事人回访不满意"}}), 422, "transition_not_allowed");
  CHECK_STATUS(transition(server, sup, id, "reopen", v, {{"reason", "当事人回访不满意"}}), 200);
}

BOOST_AUTO_TEST_CASE(concurrent_edits_with_the_same_version_let_exactly_one_win) {
  const auto id = require_open_case(server, op);
  const auto v = require_case(server, op, id).at("version").get<std::int64_t>();
  constexpr int kThreads = 6;
  std::vector<HttpClientResponse> answers(kThreads);
  {
    std::vector<std::jthread> threads;
    for (int i = 0; i < kThreads; ++i)
      threads.emplace_back([&, i] {
        try {
          answers[static_cast<std::size_t>(i)] =
              server.send(op, "PATCH", case_path(id), {{"version", v}, {"summary", "版本" + std::to_string(i)}});
        } catch (const std::exception& e) {
          answers[static_cast<std::size_t>(i)].body = e.what();
        }
      });
  }
  int won = 0, conflicts = 0;
  std::string winner;
  for (const auto& r : answers) {
    if (r.status == 200) ++won, winner = body_json(r).at("summary").get<std::string>();
    else if (r.status == 409 && error_code(r) == "conflict") ++conflicts;
    else BOOST_ERROR("unexpected answer " << describe(r));
  }
  BOOST_TEST(won == 1);
  BOOST_TEST(conflicts == kThreads - 1);
  const Json after = require_case(server, op, id);
  BOOST_TEST(after.at("version") == v + 1);
  BOOST_TEST(after.at("summary") == winner);

  // The same for transitions: one accept, the rest conflict.
  std::vector<HttpClientResponse> steps(kThreads);
  {
    std::vector<std::jthread> threads;
    for (int i = 0; i < kThreads; ++i)
      threads.emplace_back([&, i] {
        try {
          steps[static_cast<std::size_t>(i)] = transition(server, op, id, "accept", v + 1, notice_data());
        } catch (const std::exception& e) {
          steps[static_cast<std::size_t>(i)].body = e.what();
        }
      });
  }
  int accepted = 0;
  for (const auto& r : steps) {
    if (r.status == 200) ++accepted;
    else BOOST_CHECK_MESSAGE(r.status == 409 && error_code(r) == "conflict", describe(r));
  }
  BOOST_TEST(accepted == 1);
  int accepts_in_timeline = 0;
  for (const auto& item : require_items(server, op, case_path(id, "/timeline")))
    accepts_in_timeline += item.at("kind") == "event" && item.at("event") == "accept";
  BOOST_TEST(accepts_in_timeline == 1);
}

BOOST_AUTO_TEST_SUITE_END()
