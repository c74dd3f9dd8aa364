#include "casework/case_timeline.hpp"

#include <algorithm>
#include <iterator>

#include "casework/case_repository.hpp"
#include "casework/partner_access.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kEvents =
    "SELECT e.id, e.at, e.actor_id, u.display_name, e.event, coalesce(e.from_status, ''), e.to_status, e.note, e.payload,"
    " u.partner_id FROM case_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.case_id = ?1";
constexpr std::string_view kNotes =
    "SELECT n.id, n.at, n.author_id, u.display_name, n.text, u.partner_id FROM notes n"
    " LEFT JOIN users u ON u.id = n.author_id WHERE n.case_id = ?1";
constexpr std::string_view kContacts =
    "SELECT k.id, k.received_at, k.operator_id, u.display_name, k.channel, coalesce(k.call_type, ''), k.summary,"
    " coalesce(k.duration_s, 0), k.persons, k.repeat_of_case_id IS NOT NULL, k.level_skipping"
    " FROM contacts k LEFT JOIN users u ON u.id = k.operator_id"
    // A repeat (重复访) taken by an office above the case's is not the case's own contact but shows here.
    " WHERE k.case_id = ?1 OR k.repeat_of_case_id = ?1";
constexpr std::string_view kReferrals =
    "SELECT r.id, r.sent_at, r.created_by, u.display_name, p.name, r.service, r.status, coalesce(r.outcome, ''),"
    " r.partner_id, coalesce(r.outcome_kind, '')"
    " FROM referrals r JOIN partners p ON p.id = r.partner_id LEFT JOIN users u ON u.id = r.created_by"
    " WHERE r.case_id = ?1";
constexpr std::string_view kMediations =
    "SELECT m.id, m.created_at, m.created_by, u.display_name, m.mediator, m.scheduled_at, m.place, coalesce(m.result, '')"
    " FROM mediations m LEFT JOIN users u ON u.id = m.created_by WHERE m.case_id = ?1";

TimelineItem head(db::Statement& st, const char* kind) {
  TimelineItem t;
  t.kind = kind;
  t.id = st.int64(0);
  t.at = st.int64(1);
  t.actor_id = st.opt_int64(2);
  t.actor_name = st.opt_text(3);
  return t;
}

}  // namespace

namespace {

// One case's own items, as this actor may see them: a partner (`partner` set) only what its
// organisation's referral gives it (casework/partner_access.hpp).
void append_items(db::Connection& conn, std::int64_t case_id, const PartnerTimelineFilter* partner,
                  std::vector<TimelineItem>& out) {
  using Show = PartnerTimelineFilter::Show;
  auto events = conn.prepare(kEvents);
  events.bind_all(case_id);
  while (events.step()) {
    const auto actor_partner = events.opt_int64(9);
    Show show = Show::with_data;
    if (partner) show = partner->event(events.text(4), events.text(8), actor_partner);
    if (show == Show::nothing) continue;
    auto t = head(events, "event");
    const bool own_words = !partner || partner->note(actor_partner);
    t.fields = {{"event", events.text(4)}, {"from_status", events.text(5)}, {"to_status", events.text(6)},
                {"note", show == Show::with_data && own_words ? events.text(7) : ""}};
    t.payload_json = show == Show::with_data ? events.text(8) : "{}";
    out.push_back(std::move(t));
  }
  auto notes = conn.prepare(kNotes);
  notes.bind_all(case_id);
  while (notes.step()) {
    // A partner sees only the notes its own organisation's users wrote (their progress reports).
    if (partner && !partner->note(notes.opt_int64(5))) continue;
    auto t = head(notes, "note");
    t.fields = {{"text", notes.text(4)}};
    out.push_back(std::move(t));
  }
  if (!partner) {
    auto contacts = conn.prepare(kContacts);
    contacts.bind_all(case_id);
    while (contacts.step()) {
      auto t = head(contacts, "contact");
      t.fields = {{"channel", contacts.text(4)}, {"call_type", contacts.text(5)}, {"summary", contacts.text(6)},
                  {"duration_s", std::to_string(contacts.int64(7))}, {"persons", std::to_string(contacts.int64(8))},
                  {"repeat", contacts.int64(9) ? "true" : "false"},
                  {"level_skipping", contacts.int64(10) ? "true" : "false"},
                  {"group_visit", is_group_visit(contacts.text(4), static_cast<int>(contacts.int64(8))) ? "true" : "false"}};
      out.push_back(std::move(t));
    }
  }
  auto referrals = conn.prepare(kReferrals);
  referrals.bind_all(case_id);
  while (referrals.step()) {
    if (partner && !partner->referral(referrals.int64(8))) continue;
    auto t = head(referrals, "referral");
    t.fields = {{"partner", referrals.text(4)}, {"service", referrals.text(5)}, {"status", referrals.text(6)},
                {"outcome", referrals.text(7)}, {"partner_id", std::to_string(referrals.int64(8))},
                {"outcome_kind", referrals.text(9)}};
    out.push_back(std::move(t));
  }
  if (!partner) {
    auto mediations = conn.prepare(kMediations);
    mediations.bind_all(case_id);
    while (mediations.step()) {
      auto t = head(mediations, "mediation");
      t.fields = {{"mediator", mediations.text(4)}, {"scheduled_at", std::to_string(mediations.int64(5))},
                  {"place", mediations.text(6)}, {"result", mediations.text(7)}};
      out.push_back(std::move(t));
    }
  }
}

}  // namespace

Result<std::vector<TimelineItem>> CaseTimeline::load(db::Connection& conn, std::int64_t case_id, const Actor& actor) {
  if (actor.role == Role::partner) {
    // A partner whose referral ended still reads what its organisation wrote; without any
    // (withdrawn) referral the case is not found, like one that does not exist.
    const auto access = actor.partner_id ? partner_access(conn, case_id, *actor.partner_id) : PartnerAccess::none;
    if (access == PartnerAccess::none) return fail(Errc::not_found, "no such case");
    const auto filter = PartnerTimelineFilter::load(conn, case_id, actor, access);
    std::vector<TimelineItem> out;
    append_items(conn, case_id, &filter, out);
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
    return out;
  }
  auto readable = CaseRepository::get_readable(conn, case_id, actor);
  if (!readable) return std::unexpected(readable.error());
  // Blocks oldest case first, so that at equal times (the transfer and the new case's register
  // share a millisecond) the stable sort keeps the earlier case's items first.
  std::vector<std::vector<TimelineItem>> blocks(1);
  append_items(conn, case_id, nullptr, blocks[0]);
  // The history the case brought with it, back along the chain of transfers (bounded: a chain is
  // a handful of offices; the bound only guards against a cycle in damaged data).
  auto from = readable->record.transferred_from_case_id;
  for (int hop = 0; from && hop < 16; ++hop) {
    auto earlier = CaseRepository::get_unscoped(conn, *from);
    if (!earlier) break;
    auto& block = blocks.emplace_back();
    append_items(conn, earlier->id, nullptr, block);
    for (auto& t : block) {
      t.from_case_id = earlier->id;
      t.from_case_no = earlier->case_no;
    }
    from = earlier->transferred_from_case_id;
  }
  std::vector<TimelineItem> out;
  for (auto b = blocks.rbegin(); b != blocks.rend(); ++b) std::move(b->begin(), b->end(), std::back_inserter(out));
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
  return out;
}

}  // namespace hl::casework
