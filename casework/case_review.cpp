#include "casework/case_review.hpp"

#include <map>

#include "casework/case_event_log.hpp"
#include "casework/case_procedure.hpp"
#include "casework/case_repository.hpp"
#include "casework/deadline_policy.hpp"
#include "casework/office_repository.hpp"
#include "core/local_time.hpp"

namespace hl::casework {
namespace {

// Times typed on a client may run a little ahead of the server's clock.
constexpr TimeMs kClockSkewMs = 5 * 60'000;
constexpr std::size_t kMaxText = 5000;

constexpr std::string_view kByCase =
    "SELECT r.id, r.case_id, r.kind, r.office_id, o.name, r.requested_at, r.request, r.due_at, r.recorded_by,"
    " r.recorded_at, r.decided_at, r.decision, r.basis, r.document_no, r.decided_by"
    " FROM case_reviews r JOIN offices o ON o.id = r.office_id WHERE r.case_id = ?1"
    " ORDER BY CASE r.kind WHEN 'review' THEN 0 ELSE 1 END";
constexpr std::string_view kFinal =
    "SELECT 1 FROM case_reviews WHERE case_id = ?1 AND kind = 're_review' AND decided_at IS NOT NULL";
constexpr std::string_view kInsert =
    "INSERT INTO case_reviews(case_id, kind, office_id, requested_at, request, due_at, recorded_by, recorded_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr std::string_view kDecide =
    "UPDATE case_reviews SET decided_at = ?2, decision = ?3, basis = ?4, document_no = ?5, decided_by = ?6"
    " WHERE id = ?1 AND decided_at IS NULL";

std::vector<CaseReview> load(db::Connection& conn, std::int64_t case_id) {
  std::vector<CaseReview> out;
  auto st = conn.prepare(kByCase);
  st.bind_all(case_id);
  while (st.step()) {
    CaseReview r;
    r.id = st.int64(0);
    r.case_id = st.int64(1);
    r.kind = st.text(2);
    r.office_id = st.int64(3);
    r.office_name = st.text(4);
    r.requested_at = st.int64(5);
    r.request = st.text(6);
    r.due_at = st.int64(7);
    r.recorded_by = st.opt_int64(8);
    r.recorded_at = st.int64(9);
    r.decided_at = st.opt_int64(10);
    r.decision = st.opt_text(11);
    r.basis = st.opt_text(12);
    r.document_no = st.opt_text(13);
    r.decided_by = st.opt_int64(14);
    out.push_back(std::move(r));
  }
  return out;
}

const char* name_of(std::string_view kind) { return kind == "review" ? "复查 (review)" : "复核 (re-review)"; }

std::optional<std::int64_t> user_of(const Actor& a) { return a.user_id > 0 ? std::optional(a.user_id) : std::nullopt; }

// What may be asked next, and why not when nothing may.
struct Step {
  std::optional<NextReview> next;
  std::string why_not;
};

Step next_step(db::Connection& conn, const CaseRecord& c, const std::vector<CaseReview>& items) {
  const CaseReview* review = nullptr;
  const CaseReview* re_review = nullptr;
  for (const auto& r : items) (r.kind == "review" ? review : re_review) = &r;
  if (re_review) {
    if (re_review->decided_at) return {std::nullopt, "the re-review (复核) is answered: the matter is not accepted again (不再受理)"};
    return {std::nullopt, "the re-review (复核) is not answered yet"};
  }
  std::string kind;
  std::int64_t answered_by = 0;
  TimeMs answered_at = 0;
  if (review) {
    if (!review->decided_at) return {std::nullopt, "the review (复查) is not answered yet"};
    kind = "re_review";
    answered_by = review->office_id;
    answered_at = *review->decided_at;
  } else {
    const auto reply = ProcedureRepository::load(conn, c.id).reply;
    if (c.status != CaseStatus::closed || !reply)
      return {std::nullopt, "a review (复查) is asked about the office's reply: the case is not closed with a reply"};
    kind = "review";
    answered_by = c.office_id;
    answered_at = reply->replied_at;
  }
  const auto answering = OfficeRepository::get(conn, answered_by);
  const auto above = answering && answering->parent_id ? OfficeRepository::get(conn, *answering->parent_id) : std::nullopt;
  if (!above) return {std::nullopt, std::string("there is no office above ") + (answering ? answering->name : "the office") +
                                        " to ask for a " + name_of(kind)};
  const auto policy = load_deadline_policy(conn, above->id);
  return {NextReview{kind, above->id, above->name, answered_at, policy.review_request_until(answered_at)}, {}};
}

}  // namespace

bool ReviewService::is_final(db::Connection& conn, std::int64_t case_id) {
  auto st = conn.prepare(kFinal);
  st.bind_all(case_id);
  return st.step();
}

bool ReviewService::review_may_follow(db::Connection& conn, std::int64_t case_id, TimeMs now) {
  auto c = CaseRepository::get_unscoped(conn, case_id);
  if (!c) return false;
  const auto items = load(conn, case_id);
  for (const auto& r : items)
    if (!r.decided_at) return true;
  const auto next = next_step(conn, *c, items).next;
  return next && now <= next->window_ends;
}

Result<CaseReviews> ReviewService::for_case(db::Connection& conn, std::int64_t case_id, const Actor& actor, TimeMs) {
  if (!actor.is_staff()) return fail(Errc::not_found, "no such case");
  auto c = CaseRepository::get(conn, case_id, actor);
  if (!c) return std::unexpected(c.error());
  CaseReviews out;
  out.items = load(conn, case_id);
  out.next = next_step(conn, *c, out.items).next;
  for (const auto& r : out.items)
    if (r.kind == "re_review" && r.decided_at) out.final = true;
  return out;
}

Result<CaseReview> ReviewService::request(db::Connection& conn, std::int64_t case_id, const NewReview& in,
                                          const Actor& actor) const {
  if (!actor.is_staff()) return fail(Errc::not_found, "no such case");
  auto c = CaseRepository::get(conn, case_id, actor);
  if (!c) return std::unexpected(c.error());
  const auto step = next_step(conn, *c, load(conn, case_id));
  if (!step.next) return fail(Errc::transition_not_allowed, step.why_not);
  const NextReview& next = *step.next;
  if (in.kind != "review" && in.kind != "re_review")
    return fail(Errc::invalid_input, "unknown kind", {{"kind", "review or re_review"}});
  if (in.kind != next.kind)
    return fail(Errc::invalid_input, std::string("the next step on this case is a ") + name_of(next.kind),
                {{"kind", "must be " + next.kind}});
  if (actor.office_id != next.office_id)
    return fail(Errc::forbidden, std::string("a ") + name_of(next.kind) +
                                     " is asked of the office one level above the one that answered: " + next.office_name);

  const TimeMs now = clock_.now_ms();
  std::map<std::string, std::string> bad;
  if (in.requested_at <= 0) bad["requested_at"] = "required";
  else if (in.requested_at > now + kClockSkewMs) bad["requested_at"] = "must not be in the future";
  // By the day: a request typed to the minute on the day of the answer is not "before" it.
  else if (in.requested_at < start_of_local_day(local_date(next.answered_at)))
    bad["requested_at"] = "must not be before the day of the answer it contests";
  else if (in.requested_at > next.window_ends)
    bad["requested_at"] = "after the window: it had to be asked by " + format_date(local_date(next.window_ends));
  if (in.request.find_first_not_of(" \t\r\n") == std::string::npos || in.request.size() > kMaxText)
    bad["request"] = "1 to 5000 bytes";
  if (!bad.empty()) return fail(Errc::invalid_input, "the request cannot be recorded", std::move(bad));

  const TimeMs due = load_deadline_policy(conn, next.office_id).review_answer_due(in.requested_at);
  conn.prepare(kInsert)
      .bind_all(case_id, in.kind, next.office_id, in.requested_at, in.request, due, user_of(actor), now)
      .run();
  CaseEventLog::append_in_place(conn, case_id, in.kind + "_requested", actor, now,
                                {{"office", next.office_name},
                                 {"requested_at", format_iso8601(in.requested_at)},
                                 {"due_at", format_iso8601(due)}},
                                in.request);
  for (auto& r : load(conn, case_id))
    if (r.kind == in.kind) return r;
  return fail(Errc::internal, "the request was not stored");
}

Result<CaseReview> ReviewService::decide(db::Connection& conn, std::int64_t case_id, std::int64_t review_id,
                                         const ReviewDecision& in, const Actor& actor) const {
  if (!actor.is_staff()) return fail(Errc::not_found, "no such case");
  if (auto c = CaseRepository::get(conn, case_id, actor); !c) return std::unexpected(c.error());
  std::optional<CaseReview> found;
  for (auto& r : load(conn, case_id))
    if (r.id == review_id) found = std::move(r);
  if (!found) return fail(Errc::not_found, "no such review");
  const CaseReview& r = *found;
  if (actor.role != Role::supervisor || actor.office_id != r.office_id)
    return fail(Errc::forbidden, std::string("the ") + name_of(r.kind) + " is answered by a supervisor of " + r.office_name);
  if (r.decided_at) return fail(Errc::transition_not_allowed, std::string("the ") + name_of(r.kind) + " is already answered");

  const TimeMs now = clock_.now_ms();
  const TimeMs at = in.decided_at.value_or(now);
  std::map<std::string, std::string> bad;
  if (in.decision != "upheld" && in.decision != "changed") bad["decision"] = "upheld or changed";
  if (in.basis.find_first_not_of(" \t\r\n") == std::string::npos || in.basis.size() > kMaxText) bad["basis"] = "1 to 5000 bytes";
  if (in.document_no && in.document_no->size() > 100) bad["document_no"] = "at most 100 bytes";
  if (at > now + kClockSkewMs) bad["decided_at"] = "must not be in the future";
  else if (at < r.requested_at) bad["decided_at"] = "must not be before the request";
  if (!bad.empty()) return fail(Errc::invalid_input, "the answer cannot be recorded", std::move(bad));

  std::optional<std::string> document_no = in.document_no;
  if (document_no && document_no->empty()) document_no.reset();
  conn.prepare(kDecide).bind_all(review_id, at, in.decision, in.basis, document_no, user_of(actor)).run();
  if (conn.changes() != 1) return fail(Errc::conflict, "the review was answered by someone else; reload it");
  EventData payload{{"office", r.office_name}, {"decision", in.decision}, {"decided_at", format_iso8601(at)}};
  if (document_no) payload["document_no"] = *document_no;
  CaseEventLog::append_in_place(conn, case_id, r.kind + "_decided", actor, now, payload, in.basis);
  for (auto& x : load(conn, case_id))
    if (x.id == review_id) return x;
  return fail(Errc::internal, "the answer was not stored");
}

}  // namespace hl::casework
