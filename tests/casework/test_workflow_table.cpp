// Every row of the transition table: allowed from each from-state by each allowed role, refused
// from every other state, refused for every other role, refused when any required field is missing.
#include <boost/test/unit_test.hpp>

#include "casework/workflow.hpp"
#include "support/error_of.hpp"

using namespace hl;
using namespace hl::casework;
using hl::test::error_of;

namespace {

constexpr CaseStatus kAllStatuses[] = {CaseStatus::registered, CaseStatus::in_progress, CaseStatus::referred,
                                       CaseStatus::mediation, CaseStatus::pending_closure, CaseStatus::closed};
constexpr Role kAllRoles[] = {Role::operator_, Role::supervisor, Role::partner, Role::admin, Role::system};

EventData good_data(CaseEvent e) {
  switch (e) {
    case CaseEvent::answer: return {{"answer", "告知可向法院申请保护令"}};
    case CaseEvent::decline: return {{"reason", "不属于受理范围"}, {"referred_to", "人民法院"}};
    case CaseEvent::refer: return {{"partner_id", "3"}, {"service", "police_response"}, {"consent_given", "true"}};
    case CaseEvent::start_mediation: return {{"mediator", "王调解员"}, {"scheduled_at", "2026-11-25T10:00:00+08:00"}};
    case CaseEvent::end_mediation: return {{"outcome", "agreement"}};
    case CaseEvent::request_closure: return {{"outcome", "resolved"}, {"summary", "已解决"}, {"losses_avoided_fen", "0"}};
    case CaseEvent::reject_closure:
    case CaseEvent::reopen: return {{"reason", "回访不满意"}};
    case CaseEvent::transfer: return {{"target_office_id", "4"}, {"reason", "当事人户籍地在桂阳县，转当地妇联办理"}};
    case CaseEvent::extend_handling: return {{"days", "30"}};
    default: return {};
  }
}

Actor actor(Role r) { return Actor{7, r, 1, "/1/", r == Role::partner ? std::optional<std::int64_t>(3) : std::nullopt}; }

bool allowed_from(const Transition& t, CaseStatus s) { return (t.from_mask >> static_cast<unsigned>(s)) & 1u; }
bool allowed_role(const Transition& t, Role r) { return (t.roles_mask >> static_cast<unsigned>(r)) & 1u; }

std::string name(const Transition& t) { return std::string(to_string(t.event)); }

}  // namespace

BOOST_AUTO_TEST_SUITE(workflow_table)

BOOST_AUTO_TEST_CASE(the_table_has_every_event_once) {
  BOOST_TEST(transition_table().size() == 14u);
  for (const auto& t : transition_table()) BOOST_TEST(find_transition(t.event) == &t);
}

BOOST_AUTO_TEST_CASE(every_row_is_allowed_from_its_states_for_its_roles) {
  int checked = 0;
  for (const auto& t : transition_table()) {
    for (auto s : kAllStatuses) {
      if (!allowed_from(t, s)) continue;
      for (auto r : kAllRoles) {
        if (!allowed_role(t, r)) continue;
        auto to = decide(CaseFacts{s, 0, 30, 0}, t.event, actor(r), good_data(t.event));
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
      auto to = decide(CaseFacts{s, 0, 30, 0}, t.event, actor(r), good_data(t.event));
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
      auto to = decide(CaseFacts{s, 0, 30, 0}, t.event, actor(r), good_data(t.event));
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
        auto to = decide(CaseFacts{s, 0, 30, 0}, t.event, actor(r), d);
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
  BOOST_TEST(!decide({CaseStatus::in_progress, 0, 30, 0}, CaseEvent::extend_handling, s, {{"days", "31"}}).has_value());
  BOOST_TEST(decide({CaseStatus::in_progress, 0, 30, 0}, CaseEvent::extend_handling, s, {{"days", "30"}}).has_value());
  BOOST_TEST(!decide({CaseStatus::in_progress, 10, 30, 0}, CaseEvent::extend_handling, s, {{"days", "5"}}).has_value());
}

BOOST_AUTO_TEST_CASE(available_events_follow_state_and_role) {
  auto ops = available_events({CaseStatus::registered}, actor(Role::operator_));
  BOOST_TEST(ops.size() == 4u);  // answer, accept, decline, transfer
  BOOST_TEST(available_events({CaseStatus::pending_closure}, actor(Role::operator_)).empty());
  auto sups = available_events({CaseStatus::pending_closure}, actor(Role::supervisor));
  BOOST_TEST(sups.size() == 2u);
  BOOST_TEST(available_events({CaseStatus::in_progress}, actor(Role::partner)).empty());
}

BOOST_AUTO_TEST_SUITE_END()
