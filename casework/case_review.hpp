#pragma once
// 复查 and 复核 (DOMAIN.md, "The handling process" and "Legal time limits"): a person dissatisfied with
// an office's reply asks the office one level above the one that replied for a review (复查) within 30
// days of the reply; that office answers within 30 days. Dissatisfied with the review, she asks the next
// level up for a re-review (复核) within 30 days of the review's answer, answered within 30 days. After
// the re-review the same matter is not accepted again (不再受理).
//
// Both are recorded on the case whose reply is contested (schema/020_case_reviews.sql): the case stays
// closed at its office, the reviewing office records the request (any of its staff) and the answer
// (its supervisor, once). Each leaves a case event. The windows come from the reviewing office's
// deadline policy (review_request_days, review_answer_days). Writes run on the single writer.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "casework/actor.hpp"
#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

struct CaseReview {
  std::int64_t id = 0, case_id = 0;
  std::string kind;  // review (复查) | re_review (复核)
  std::int64_t office_id = 0;
  std::string office_name;
  TimeMs requested_at = 0;
  std::string request;
  TimeMs due_at = 0;
  std::optional<std::int64_t> recorded_by;
  TimeMs recorded_at = 0;
  std::optional<TimeMs> decided_at;
  std::optional<std::string> decision;  // upheld (维持) | changed (撤销或变更)
  std::optional<std::string> basis, document_no;
  std::optional<std::int64_t> decided_by;

  bool overdue(TimeMs now) const { return !decided_at && due_at < now; }
};

// The step the person may take next on a case, the office that takes it and the last moment to ask.
struct NextReview {
  std::string kind;
  std::int64_t office_id = 0;
  std::string office_name;
  TimeMs answered_at = 0;  // the reply (for a review) or the review's answer (for a re-review)
  TimeMs window_ends = 0;
};

struct CaseReviews {
  std::vector<CaseReview> items;  // the review, then the re-review
  std::optional<NextReview> next;  // none: no reply yet, a request unanswered, or nothing left
  bool final = false;              // the re-review is answered: the matter is not accepted again
};

struct NewReview {
  std::string kind;
  TimeMs requested_at = 0;
  std::string request;
};

struct ReviewDecision {
  std::optional<TimeMs> decided_at;  // default: now
  std::string decision, basis;
  std::optional<std::string> document_no;
};

class ReviewService {
 public:
  explicit ReviewService(const Clock& clock) : clock_(clock) {}

  // True once the re-review (复核) is answered: the same matter is not accepted again (不再受理).
  static bool is_final(db::Connection& conn, std::int64_t case_id);

  // True while a review is unanswered or may still be asked at `now` (what keeps a case from 存档).
  static bool review_may_follow(db::Connection& conn, std::int64_t case_id, TimeMs now);

  // The case's reviews and what may come next. not_found unless staff with the case in scope.
  static Result<CaseReviews> for_case(db::Connection& conn, std::int64_t case_id, const Actor& actor, TimeMs now);

  // Records a request. transition_not_allowed when nothing may be asked (no reply yet on a closed
  // case, a request unanswered, 不再受理 after a re-review); forbidden unless the actor is staff of
  // the office that takes it (one level above the office that answered); invalid_input naming "kind"
  // (not the step that comes next), "requested_at" (missing, in the future, before the day of the
  // answer, after the window), "request" (1 to 5000 bytes).
  Result<CaseReview> request(db::Connection& conn, std::int64_t case_id, const NewReview& in, const Actor& actor) const;

  // Records the reviewing office's answer, once. forbidden unless a supervisor of that office;
  // transition_not_allowed when already answered; invalid_input naming "decision", "basis",
  // "decided_at" (before the request, in the future), "document_no".
  Result<CaseReview> decide(db::Connection& conn, std::int64_t case_id, std::int64_t review_id, const ReviewDecision& in,
                            const Actor& actor) const;

 private:
  const Clock& clock_;
};

}  // namespace hl::casework
