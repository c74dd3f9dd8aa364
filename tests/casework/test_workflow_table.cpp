// Every row of the transition table: allowed from each from-state by each allowed role, refused
// from every other state, refused for every other role, refused when any required field is missing.
#include <boost/test/unit_test.hpp>

#include "casework/workflow.hpp"
#include "core/local_time.hpp"
#include "support/error_of.hpp"

using namespace hl;
using namespace hl::casework;
using hl::test::error_of;

namespace {

constexpr CaseStatus kAllStatuses[] = {CaseStatus::registered, CaseStatus::in_progress, CaseStatus::referred,
                                       CaseStatus::mediation,  CaseStatus::pending_closure, CaseStatus::closed,
                                       CaseStatus::delegated,  CaseStatus::forwarded};
constexpr Role kAllRoles[] = {Role::operator_, Role::supervisor, Role::partner, Role::sysadmin,
                              Role::secadmin,  Role::auditor,    Role::system};

EventData with_notice(EventData d) {
  d["notice_method"] = "written";
  d["notice_at"] = "2026-11-24";
  d["notice_document_no"] = "郴妇告〔2026〕12号";
  return d;
}

EventData good_data(CaseEvent e) {
  switch (e) {
    case CaseEvent::answer: return {{"answer", "告知可向法院申请保护令"}};
    case CaseEvent::accept: return with_notice({});
    case CaseEvent::decline: return with_notice({{"reason", "不属于受理范围"}, {"referred_to", "人民法院"}});
    case CaseEvent::refer: return {{"partner_id", "3"}, {"service", "police_response"}, {"consent_given", "true"}};
    case CaseEvent::start_mediation: return {{"mediator", "王调解员"}, {"scheduled_at", "2026-11-25T10:00:00+08:00"}};
    case CaseEvent::end_mediation: return {{"outcome", "agreement"}};
    case CaseEvent::reply:
      return {{"replied_at", "2026-11-30"}, {"method", "written"}, {"opinion", "support"},
              {"basis", "《反家庭暴力法》第二十三条"}, {"document_no", "郴妇复〔2026〕3号"}};
    case CaseEvent::request_closure: return {{"outcome", "resolved"}, {"summary", "已解决"}, {"losses_avoided_fen", "0"}};
    case CaseEvent::reject_closure:
    case CaseEvent::report_returned:
    case CaseEvent::reopen: return {{"reason", "回访不满意"}};
    case CaseEvent::forward: return with_notice({{"target_office_id", "4"}, {"reason", "当事人户籍地在桂阳县，转当地妇联办理"}});
    case CaseEvent::delegate:
      return with_notice({{"target_office_id", "4"}, {"reason", "交县妇联办理并报结果"}, {"report_due_days", "20"}});
    case CaseEvent::return_report: return {{"reason", "未见调解记录，请补充"}, {"report_due_days", "10"}};
    case CaseEvent::extend_handling: return with_notice({{"days", "30"}, {"reason", "等待法院判决"}});
    default: return {};
  }
}

// Facts in which every guard of `e` passes, in state `s`.
CaseFacts good_facts(CaseEvent e, CaseStatus s) {
  CaseFacts f{s, 0, 30, 0};
  f.has_reply = e == CaseEvent::request_closure || e == CaseEvent::submit_report;
  f.report_owed = e == CaseEvent::submit_report;
  f.report_in = e == CaseEvent::accept_report || e == CaseEvent::return_report;
  f.received_at = *parse_iso8601("2026-11-23T09:30:00+08:00");
  f.now = *parse_iso8601("2026-12-01T10:00:00+08:00");
  return f;
}

Actor actor(Role r) { return Actor{7, r, 1, "/1/", r == Role::partner ? std::optional<std::int64_t>(3) : std::nullopt}; }

bool allowed_from(const Transition& t, CaseStatus s) { return (t.from_mask >> static_cast<unsigned>(s)) & 1u; }
bool allowed_role(const Transition& t, Role r) { return (t.roles_mask >> static_cast<unsigned>(r)) & 1u; }

std::string name(const Transition& t) { return std::string(to_string(t.event)); }

}  // namespace

BOOST_AUTO_TEST_SUITE(workflow_table)

BOOST_AUTO_TEST_CASE(the_table_has_every_event_once) {
  BOOST_TEST(transition_table().size() == 21u);
  for (const auto& t : transition_table()) BOOST_TEST(find_transition(t.event) == &t);
}

BOOST_AUTO_TEST_CASE(every_row_is_allowed_from_its_states_for_its_roles) {
  int checked = 0;
  for (const auto& t : transition_table()) {
    for (auto s : kAllStatuses) {
      if (!allowed_from(t, s)) continue;
      for (auto r : kAllRoles) {
        if (!allowed_role(t, r)) continue;
        auto to = decide(good_facts(t.event, s), t.event, actor(r), good_data(t.event));
        BOOST_TEST_REQUIRE(to.has_value(), name(t) << " from " << to_string(s) << " as " << to_string(r) << ": "
                                                   << (to ? "" : to.error().message));
        BOOST_TEST((*to == (t.keeps_status ? s : t.to)), name(t));
        ++checked;
      }
    }
  }
  BOOST_TEST(checked >= 20);
}

BOOST_AUTO_TEST_CASE(every_row_is_refused_from_every_other_state) {
  for (const auto& t : transition_table()) {
    for (auto s : kAllStatuses) {
      if (allowed_from(t, s)) continue;
      Role r = Role::supervisor;
      for (auto candidate : kAllRoles)
        if (allowed_role(t, candidate)) { r = candidate; break; }
      auto to = decide(good_facts(t.event, s), t.event, actor(r), good_data(t.event));
      BOOST_TEST_REQUIRE(!to.has_value(), name(t) << " from " << to_string(s));
      BOOST_TEST((to.error().code == Errc::transition_not_allowed));
      if (t.from_mask != 0) BOOST_TEST(to.error().message.find(std::string(to_string(s))) != std::string::npos, to.error().message);
    }
  }
}

BOOST_AUTO_TEST_CASE(every_row_is_refused_for_every_other_role) {
  for (const auto& t : transition_table()) {
    if (t.from_mask == 0) continue;  // register is refused for existing cases whatever the role
    CaseStatus s = CaseStatus::registered;
    for (auto candidate : kAllStatuses)
      if (allowed_from(t, candidate)) { s = candidate; break; }
    for (auto r : kAllRoles) {
      if (allowed_role(t, r)) continue;
      auto to = decide(good_facts(t.event, s), t.event, actor(r), good_data(t.event));
      BOOST_TEST_REQUIRE(!to.has_value(), name(t) << " as " << to_string(r));
      BOOST_TEST((to.error().code == Errc::transition_not_allowed));
      BOOST_TEST(to.error().message.find("role") != std::string::npos, to.error().message);
    }
  }
}

BOOST_AUTO_TEST_CASE(every_required_field_is_named_when_missing_or_blank) {
  int checked = 0;
  for (const auto& t : transition_table()) {
    if (t.from_mask == 0) continue;
    CaseStatus s = CaseStatus::registered;
    for (auto candidate : kAllStatuses)
      if (allowed_from(t, candidate)) { s = candidate; break; }
    Role r = Role::supervisor;
    for (auto candidate : kAllRoles)
      if (allowed_role(t, candidate)) { r = candidate; break; }
    for (const auto& rule : t.required) {
      for (const char* replacement : {"<missing>", "   "}) {
        EventData d = good_data(t.event);
        if (std::string(replacement) == "<missing>") d.erase(std::string(rule.name));
        else d[std::string(rule.name)] = replacement;
        auto to = decide(good_facts(t.event, s), t.event, actor(r), d);
        BOOST_TEST_REQUIRE(!to.has_value(), name(t) << " without " << rule.name);
        BOOST_TEST((to.error().code == Errc::transition_not_allowed));
        BOOST_TEST(to.error().fields.contains(std::string(rule.name)), name(t) << " names " << rule.name);
        ++checked;
      }
    }
  }
  BOOST_TEST(checked >= 30);
}

BOOST_AUTO_TEST_CASE(field_values_are_checked_by_kind) {
  const Actor staff = actor(Role::operator_);
  auto refer = good_data(CaseEvent::refer);
  refer["service"] = "space_travel";
  BOOST_TEST(error_of(decide({CaseStatus::in_progress}, CaseEvent::refer, staff, refer)).fields.contains("service"));
  refer = good_data(CaseEvent::refer);
  refer["partner_id"] = "-4";
  BOOST_TEST(error_of(decide({CaseStatus::in_progress}, CaseEvent::refer, staff, refer)).fields.contains("partner_id"));
  auto med = good_data(CaseEvent::start_mediation);
  med["scheduled_at"] = "next tuesday";
  BOOST_TEST(error_of(decide({CaseStatus::in_progress}, CaseEvent::start_mediation, staff, med)).fields.contains("scheduled_at"));
  auto end = good_data(CaseEvent::end_mediation);
  end["outcome"] = "postponed";  // postponement is a mediation result, not a way out of mediation
  BOOST_TEST(!decide({CaseStatus::mediation}, CaseEvent::end_mediation, staff, end).has_value());
  auto close = good_data(CaseEvent::request_closure);
  close["losses_avoided_fen"] = "12.5";
  BOOST_TEST(error_of(decide({CaseStatus::in_progress}, CaseEvent::request_closure, staff, close)).fields.contains("losses_avoided_fen"));
}

BOOST_AUTO_TEST_CASE(refer_without_consent_needs_an_override_reason) {
  const Actor staff = actor(Role::operator_);
  auto d = good_data(CaseEvent::refer);
  d["consent_given"] = "false";
  auto r = decide({CaseStatus::in_progress}, CaseEvent::refer, staff, d);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().fields.contains("override_reason"));
  d["override_reason"] = "当事人有生命危险，紧急转介公安";
  BOOST_TEST(decide({CaseStatus::in_progress}, CaseEvent::refer, staff, d).has_value());
}

BOOST_AUTO_TEST_CASE(referral_done_waits_for_the_last_open_referral) {
  auto r = decide({CaseStatus::referred, 0, 30, 2}, CaseEvent::referral_done, Actor::system(), {});
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().message.find("still open") != std::string::npos);
  BOOST_TEST(decide({CaseStatus::referred, 0, 30, 0}, CaseEvent::referral_done, Actor::system(), {}).has_value());
}

BOOST_AUTO_TEST_CASE(handling_can_be_extended_once_by_at_most_the_configured_days) {
  const Actor s = actor(Role::supervisor);
  auto d = good_data(CaseEvent::extend_handling);
  BOOST_TEST(decide({CaseStatus::in_progress, 0, 30, 0}, CaseEvent::extend_handling, s, d).has_value());
  d["days"] = "31";
  BOOST_TEST(!decide({CaseStatus::in_progress, 0, 30, 0}, CaseEvent::extend_handling, s, d).has_value());
  d["days"] = "5";
  BOOST_TEST(!decide({CaseStatus::in_progress, 10, 30, 0}, CaseEvent::extend_handling, s, d).has_value());
}

BOOST_AUTO_TEST_CASE(available_events_follow_state_and_role) {
  auto ops = available_events({CaseStatus::registered}, actor(Role::operator_));
  BOOST_TEST(ops.size() == 5u);  // answer, accept, decline, forward, delegate
  BOOST_TEST(available_events({CaseStatus::pending_closure}, actor(Role::operator_)).empty());
  auto sups = available_events({CaseStatus::pending_closure}, actor(Role::supervisor));
  BOOST_TEST(sups.size() == 2u);
  BOOST_TEST(available_events({CaseStatus::in_progress}, actor(Role::partner)).empty());
}

BOOST_AUTO_TEST_CASE(a_decision_carries_a_complete_notice) {
  const Actor staff = actor(Role::operator_);
  const CaseFacts f = good_facts(CaseEvent::accept, CaseStatus::registered);
  for (auto e : {CaseEvent::accept, CaseEvent::decline, CaseEvent::forward, CaseEvent::delegate}) {
    auto d = good_data(e);
    d.erase("notice_document_no");  // written without its number
    BOOST_TEST(error_of(decide(f, e, staff, d)).fields.contains("notice_document_no"), to_string(e));
    d = good_data(e);
    d.erase("notice_at");  // no date and not told on the spot
    BOOST_TEST(error_of(decide(f, e, staff, d)).fields.contains("notice_at"), to_string(e));
    d["notice_on_the_spot"] = "true";  // 当场告知: the date is the event's
    BOOST_TEST(decide(f, e, staff, d).has_value(), to_string(e));
    d = good_data(e);
    d["notice_method"] = "carrier_pigeon";
    BOOST_TEST(error_of(decide(f, e, staff, d)).fields.contains("notice_method"), to_string(e));
    d = good_data(e);
    d["notice_at"] = "2026-12-02";  // tomorrow
    BOOST_TEST(error_of(decide(f, e, staff, d)).fields.contains("notice_at"), to_string(e));
    d["notice_at"] = "2026-11-22";  // the day before receipt
    BOOST_TEST(error_of(decide(f, e, staff, d)).fields.contains("notice_at"), to_string(e));
    d["notice_at"] = "2026-11-23";  // the day of receipt itself is fine
    BOOST_TEST(decide(f, e, staff, d).has_value(), to_string(e));
  }
}

BOOST_AUTO_TEST_CASE(closing_needs_a_reply_and_a_written_reply_its_number) {
  const Actor staff = actor(Role::operator_);
  CaseFacts f = good_facts(CaseEvent::request_closure, CaseStatus::in_progress);
  f.has_reply = false;
  auto r = decide(f, CaseEvent::request_closure, staff, good_data(CaseEvent::request_closure));
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().fields.contains("reply"));
  BOOST_TEST(available_events(f, staff).size() ==
             available_events(good_facts(CaseEvent::request_closure, CaseStatus::in_progress), staff).size() - 1);
  auto reply = good_data(CaseEvent::reply);
  reply.erase("document_no");
  BOOST_TEST(error_of(decide(f, CaseEvent::reply, staff, reply)).fields.contains("document_no"));
  reply["method"] = "phone";
  BOOST_TEST(decide(f, CaseEvent::reply, staff, reply).has_value());
  reply["opinion"] = "maybe";
  BOOST_TEST(error_of(decide(f, CaseEvent::reply, staff, reply)).fields.contains("opinion"));
  reply = good_data(CaseEvent::reply);
  reply["replied_at"] = "2026-12-02";
  BOOST_TEST(error_of(decide(f, CaseEvent::reply, staff, reply)).fields.contains("replied_at"));
}

BOOST_AUTO_TEST_CASE(an_extension_needs_its_reason_and_notice) {
  const Actor s = actor(Role::supervisor);
  const CaseFacts f = good_facts(CaseEvent::extend_handling, CaseStatus::in_progress);
  auto d = good_data(CaseEvent::extend_handling);
  d.erase("notice_at");
  BOOST_TEST(error_of(decide(f, CaseEvent::extend_handling, s, d)).fields.contains("notice_at"));
  d = good_data(CaseEvent::extend_handling);
  d["days"] = "31";
  BOOST_TEST(error_of(decide(f, CaseEvent::extend_handling, s, d)).fields.contains("days"));
}

BOOST_AUTO_TEST_CASE(the_report_of_a_delegation_goes_only_where_it_is_owed) {
  const Actor staff = actor(Role::operator_), head = actor(Role::supervisor);
  CaseFacts receiver = good_facts(CaseEvent::submit_report, CaseStatus::closed);
  receiver.report_owed = false;  // not received by 交办, or already reported
  auto r = decide(receiver, CaseEvent::submit_report, staff, {});
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().message.find("交办") != std::string::npos);
  BOOST_TEST(available_events(receiver, staff).empty());
  receiver.report_owed = true;
  receiver.has_reply = false;
  BOOST_TEST(error_of(decide(receiver, CaseEvent::submit_report, staff, {})).fields.contains("reply"));

  CaseFacts sender = good_facts(CaseEvent::accept_report, CaseStatus::delegated);
  sender.report_in = false;
  BOOST_TEST(!decide(sender, CaseEvent::accept_report, head, {}).has_value());
  BOOST_TEST(!decide(sender, CaseEvent::return_report, head, good_data(CaseEvent::return_report)).has_value());
  BOOST_TEST(available_events(sender, head).empty());
  sender.report_in = true;
  BOOST_TEST(available_events(sender, head).size() == 2u);  // accept_report, return_report
  auto back = good_data(CaseEvent::return_report);
  back["report_due_days"] = std::to_string(kMaxReportDueDays + 1);
  BOOST_TEST(error_of(decide(sender, CaseEvent::return_report, head, back)).fields.contains("report_due_days"));
}

BOOST_AUTO_TEST_SUITE_END()
