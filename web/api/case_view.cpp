#include "web/api/case_view.hpp"

#include "casework/case_repository.hpp"
#include "casework/office_repository.hpp"
#include "casework/person_numbers.hpp"
#include "casework/user_repository.hpp"
#include "casework/workflow.hpp"
#include "core/local_time.hpp"
#include "web/api/json_values.hpp"

namespace hl::web {
namespace {

using nlohmann::json;

}  // namespace

Result<CaseView> load_case_view(db::Connection& conn, std::int64_t case_id, const casework::Actor& actor) {
  using namespace casework;
  auto c = CaseRepository::get_readable(conn, case_id, actor);
  if (!c) return std::unexpected(c.error());
  CaseView v;
  v.record = std::move(c->record);
  v.read_only = c->read_only;
  if (auto o = OfficeRepository::get(conn, v.record.office_id)) {
    v.office_name = o->name;
    v.office_phone = o->phone;
  }
  v.assignee_name = casework::UserRepository::display_name(conn, v.record.assignee_id);
  v.persons = PersonRepository::for_case(conn, case_id);
  v.partner_view = actor.role == Role::partner;
  v.reveal_phones = !v.partner_view || PersonRepository::partner_has_consent(conn, case_id, actor.partner_id.value_or(-1));
  // Which events to offer depends on the state, the role and the procedure's facts (a used extension,
  // a reply, a report owed or arrived); the guards that need the deadline policy or the open
  // referrals run when the event is applied.
  v.procedure = ProcedureRepository::load(conn, case_id);
  if (v.procedure.extension)
    v.extension_approver_name = UserRepository::display_name(conn, v.procedure.extension->approved_by);
  v.archived_at = v.record.archived_at;
  if (!v.read_only && !v.archived_at) v.available = available_events(procedure_facts(v.record, v.procedure, 0, 0, 0), actor);
  // Where a transferred case went and where it came from, so each office follows the other side.
  auto link = [&conn](const std::optional<std::int64_t>& id) -> std::optional<CaseLink> {
    if (!id) return std::nullopt;
    auto other = CaseRepository::get_unscoped(conn, *id);
    if (!other) return std::nullopt;
    CaseLink l{other->id, other->case_no, other->office_id, "", std::string(to_string(other->status)), other->outcome,
               other->closed_at};
    if (auto o = OfficeRepository::get(conn, other->office_id)) l.office_name = o->name;
    return l;
  };
  if (!v.partner_view) {
    v.contact_flags = load_case_contact_flags(conn, case_id);
    v.transferred_to = link(v.record.transferred_to_case_id);
    v.transferred_from = link(v.record.transferred_from_case_id);
    v.supervisions = SupervisionService::for_case(conn, case_id);
    v.may_supervise = SupervisionService::offers_open(conn, v.record, actor);
    v.may_answer_supervision = SupervisionService::may_answer(v.record, actor);
  }
  return v;
}

// Built field by field: nlohmann's initializer-list form copies every value through temporary
// arrays, which was the largest single cost of an audited case GET (callgrind).
json case_summary_json(const casework::CaseRecord& c, const std::optional<std::string>& assignee_name, TimeMs now,
                       bool partner_view) {
  json j = json::object();
  j["id"] = c.id;
  j["case_no"] = c.case_no;
  j["status"] = casework::to_string(c.status);
  j["category"] = c.category;
  j["channel"] = c.channel;
  j["urgency"] = c.urgency;
  j["received_at"] = format_iso8601(c.received_at);
  if (c.assignee_id) {
    json& a = j["assignee"];
    a["id"] = *c.assignee_id;
    a["display_name"] = assignee_name.value_or("");
  } else {
    j["assignee"] = nullptr;
  }
  j["office_id"] = c.office_id;
  if (!partner_view) j["risk_level"] = c.risk_level;
  j["due_at"] = opt_time(c.next_due);
  j["overdue"] = c.overdue(now);
  j["age_days"] = local_days_between(c.received_at, c.closed_at.value_or(now));
  j["version"] = c.version;
  j["summary"] = c.summary;
  return j;
}

json case_json(const CaseView& v, const casework::PersonIdentity& identity, TimeMs now) {
  const auto& c = v.record;
  json j = case_summary_json(c, v.assignee_name, now, v.partner_view);
  j["narrative"] = c.narrative;
  j["office"]["id"] = c.office_id;
  j["office"]["name"] = v.office_name;
  j["office"]["phone"] = v.office_phone;
  j["deadlines"] = deadlines_json(v, now);
  json events = json::array();
  for (auto e : v.available) events.push_back(casework::to_string(e));
  j["available_events"] = std::move(events);
  json persons = json::array();
  for (const auto& p : v.persons) {
    json phone = nullptr;
    if (p.phone_enc) {
      if (auto plain = identity.reveal_phone(*p.phone_enc))
        phone = v.reveal_phones ? *plain : casework::mask_phone(*plain);
    }
    json person = json::object();
    person["role"] = p.role;
    person["name"] = p.name;
    person["gender"] = opt(p.gender);
    person["age"] = opt(p.age);
    person["phone"] = std::move(phone);
    person["relationship"] = p.relationship;
    if (!v.partner_view) {
      person["region_code"] = opt(p.region_code);
      person["has_id_number"] = p.id_number_enc.has_value();
    }
    // The safe-contact rules travel with the number: whoever may see it in full (staff, a partner
    // whose referral has consent) sees when and how to call too; where it is masked, so are they.
    if (v.reveal_phones) {
      json& safe = person["safe_contact"];
      safe["ok_to_call"] = p.ok_to_call ? json(*p.ok_to_call) : json(nullptr);
      safe["safe_times"] = identity.reveal_safe_times(p.safe_times_enc);
      safe["note"] = identity.reveal_safe_note(p.safe_note_enc);
    }
    persons.push_back(std::move(person));
  }
  j["persons"] = std::move(persons);
  j["accepted_at"] = opt_time(c.accepted_at);
  j["closed_at"] = opt_time(c.closed_at);
  j["extension_days"] = c.extension_days;
  if (!v.partner_view) {
    j["outcome"] = opt(c.outcome);
    j["closure_summary"] = opt(c.closure_summary);
    j["losses_avoided_fen"] = opt(c.losses_avoided_fen);
    j["decline_reason"] = opt(c.decline_reason);
    j["transferred_to_case_id"] = opt(c.transferred_to_case_id);
    j["transferred_from_case_id"] = opt(c.transferred_from_case_id);
    auto link_json = [](const std::optional<CaseLink>& l) -> json {
      if (!l) return nullptr;
      return {{"id", l->id}, {"case_no", l->case_no}, {"office", {{"id", l->office_id}, {"name", l->office_name}}},
              {"status", l->status}, {"outcome", opt(l->outcome)}, {"closed_at", opt_time(l->closed_at)}};
    };
    j["transferred_to"] = link_json(v.transferred_to);
    j["transferred_from"] = link_json(v.transferred_from);
    add_procedure_json(j, v);
    const auto& f = v.contact_flags;
    j["group_visit"] = f.group_visit;
    j["repeat_contacts"] = f.repeat_contacts;
    j["level_skipping"] = f.level_skipping;
    j["jurisdiction_office"] = f.jurisdiction_office_id
                                   ? json{{"id", *f.jurisdiction_office_id}, {"name", f.jurisdiction_office_name}}
                                   : json(nullptr);
    json supervisions = json::array();
    for (const auto& s : v.supervisions) supervisions.push_back(supervision_json(s, now));
    j["supervisions"] = std::move(supervisions);
    j["may_supervise"] = v.may_supervise;
    j["may_answer_supervision"] = v.may_answer_supervision;
    const auto& r = v.record;
    j["legal_hold"] = r.legal_hold_at ? json{{"at", format_iso8601(*r.legal_hold_at)},
                                            {"by", r.legal_hold_by ? json(*r.legal_hold_by) : json(nullptr)},
                                            {"reason", r.legal_hold_reason.value_or("")}}
                                      : json(nullptr);
  }
  j["read_only"] = v.read_only;
  j["archived_at"] = opt_time(v.archived_at);
  j["anonymised_at"] = opt_time(v.record.anonymised_at);
  return j;
}

json supervision_json(const casework::SupervisionRecord& s, TimeMs now) {
  auto user = [](const std::optional<std::int64_t>& id, const std::optional<std::string>& name) -> json {
    if (!id) return nullptr;
    return {{"id", *id}, {"display_name", name.value_or("")}};
  };
  json j = json::object();
  j["id"] = s.id;
  j["case_id"] = s.case_id;
  j["office"] = {{"id", s.office_id}, {"name", s.office_name}};
  j["supervisor"] = user(s.user_id, s.user_name);
  j["note"] = s.note;
  j["due_date"] = format_date(local_date(s.due_at));
  j["due_at"] = format_iso8601(s.due_at);
  j["created_at"] = format_iso8601(s.created_at);
  j["open"] = s.is_open();
  j["overdue"] = s.overdue(now);
  j["answer"] = opt(s.answer);
  j["answered_at"] = opt_time(s.answered_at);
  j["answered_by"] = user(s.answered_by, s.answered_by_name);
  j["on_time"] = s.is_open() ? json(nullptr) : json(s.on_time());
  return j;
}

json case_page_json(const casework::CasePage& page, TimeMs now, bool partner_view) {
  json items = json::array();
  for (const auto& s : page.items) {
    items.push_back(case_summary_json(s.record, s.assignee_name, now, partner_view));
    // A partner is not told which of its cases an office supervises.
    if (!partner_view) items.back()["supervised"] = s.supervised;
  }
  return {{"items", items},
          {"next_cursor", page.next_cursor ? json(*page.next_cursor) : json(nullptr)},
          {"counts", page.counts},
          {"counts_exact", page.counts_exact}};
}

json timeline_json(const std::vector<casework::TimelineItem>& items) {
  json out = json::array();
  for (const auto& t : items) {
    json j = {{"kind", t.kind}, {"id", t.id}, {"at", format_iso8601(t.at)}};
    j["actor"] = t.actor_id ? json{{"id", *t.actor_id}, {"display_name", t.actor_name.value_or("")}} : json(nullptr);
    for (const auto& [k, v] : t.fields) j[k] = v;
    if (t.kind == "contact")
      for (const char* flag : {"repeat", "level_skipping", "group_visit"}) j[flag] = t.fields.at(flag) == "true";
    if (t.kind == "event") j["data"] = json::parse(t.payload_json, nullptr, false);
    if (t.kind == "mediation" && !t.fields.at("scheduled_at").empty())
      j["scheduled_at"] = format_iso8601(std::stoll(t.fields.at("scheduled_at")));
    if (t.from_case_id > 0) j["from_case"] = {{"id", t.from_case_id}, {"case_no", t.from_case_no}};
    out.push_back(std::move(j));
  }
  return {{"items", out}};
}

}  // namespace hl::web
