#include "casework/deadline_policy.hpp"

#include <string>
#include <vector>

#include "core/local_time.hpp"

namespace hl::casework {
namespace {

TimeMs end_of_day_after(TimeMs start, int days) { return end_of_local_day(add_days(local_date(start), days)); }

// Office ids from the root down to the office itself, from its path "/1/4/9/".
std::vector<std::int64_t> ancestry(db::Connection& conn, std::int64_t office_id) {
  std::vector<std::int64_t> ids;
  auto st = conn.prepare("SELECT path FROM offices WHERE id = ?1");
  st.bind_all(office_id);
  if (!st.step()) return ids;
  const std::string path = st.text(0);
  std::size_t pos = 1;
  while (pos < path.size()) {
    const auto next = path.find('/', pos);
    if (next == std::string::npos) break;
    ids.push_back(std::stoll(path.substr(pos, next - pos)));
    pos = next + 1;
  }
  return ids;
}

void set(DeadlinePolicy& p, const std::string& key, int v) {
  if (key == "acceptance_days") p.acceptance_days = v;
  else if (key == "handling_days") p.handling_days = v;
  else if (key == "max_extension_days") p.max_extension_days = v;
  else if (key == "referral_response_days") p.referral_response_days = v;
  else if (key == "referral_feedback_days") p.referral_feedback_days = v;
  else if (key == "po_ruling_hours") p.po_ruling_hours = v;
  else if (key == "po_ruling_emergency_hours") p.po_ruling_emergency_hours = v;
  else if (key == "review_request_days") p.review_request_days = v;
  else if (key == "review_answer_days") p.review_answer_days = v;
  else if (key == "archive_after_days") p.archive_after_days = v;
}

}  // namespace

TimeMs DeadlinePolicy::acceptance_due(TimeMs t) const { return end_of_day_after(t, acceptance_days); }
TimeMs DeadlinePolicy::handling_due(TimeMs t) const { return end_of_day_after(t, handling_days); }
TimeMs DeadlinePolicy::extended_handling_due(TimeMs due, int days) const { return end_of_day_after(due, days); }
TimeMs DeadlinePolicy::referral_response_due(TimeMs t) const { return end_of_day_after(t, referral_response_days); }
TimeMs DeadlinePolicy::referral_feedback_due(TimeMs t) const { return end_of_day_after(t, referral_feedback_days); }
TimeMs DeadlinePolicy::report_due(TimeMs t, int days) const { return end_of_day_after(t, days); }
TimeMs DeadlinePolicy::review_request_until(TimeMs t) const { return end_of_day_after(t, review_request_days); }
TimeMs DeadlinePolicy::review_answer_due(TimeMs t) const { return end_of_day_after(t, review_answer_days); }
TimeMs DeadlinePolicy::protection_order_ruling_due(TimeMs t, bool emergency) const {
  return t + (emergency ? po_ruling_emergency_hours : po_ruling_hours) * kMsPerHour;
}

DeadlinePolicy load_deadline_policy(db::Connection& conn, std::int64_t office_id) {
  DeadlinePolicy p;
  auto st = conn.prepare("SELECT key, value FROM deadline_config WHERE office_id = ?1");
  auto apply_rows = [&](std::int64_t id) {
    st.reset();
    st.bind_all(id);
    while (st.step()) set(p, st.text(0), static_cast<int>(st.int64(1)));
  };
  apply_rows(0);
  for (auto id : ancestry(conn, office_id)) apply_rows(id);  // nearer offices override
  return p;
}

}  // namespace hl::casework
