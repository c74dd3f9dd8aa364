#include "casework/intake_daily.hpp"

#include "casework/case_repository.hpp"
#include "casework/vocabulary.hpp"
#include "core/local_time.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kContacts =
    "SELECT k.received_at, k.channel, k.persons FROM offices o"
    " JOIN contacts k ON k.office_id = o.id AND k.received_at >= ?3 AND k.received_at <= ?4"
    " WHERE o.path >= ?1 AND o.path < ?2";

}  // namespace

Result<IntakeDaily> intake_daily(db::Connection& conn, const Actor& actor, std::optional<std::int64_t> office_id,
                                 int days, TimeMs now) {
  if (days < 1 || days > kMaxIntakeDays)
    return fail(Errc::invalid_input, "invalid parameters", {{"days", "between 1 and 366"}});
  auto scope = supervision_scope(conn, actor, office_id);
  if (!scope) return std::unexpected(scope.error());

  IntakeDaily out;
  out.scope = std::move(*scope);
  out.as_of = now;
  const LocalDate today = local_date(now);
  const LocalDate first = add_days(today, -(days - 1));
  for (int i = 0; i < days; ++i) out.days.push_back(format_date(add_days(first, i)));
  for (auto c : channels()) out.series.push_back({std::string(c), std::vector<std::int64_t>(days, 0)});
  out.total.assign(days, 0);
  out.persons.assign(days, 0);

  const TimeMs from = start_of_local_day(first);
  auto st = conn.prepare(kContacts);
  st.bind_all(out.scope.path, subtree_upper_bound(out.scope.path), from, now);
  while (st.step()) {
    // Whole days since the first day; Shanghai has no DST, so a day is always 24 h.
    const auto day = static_cast<int>((st.int64(0) - from) / kMsPerDay);
    if (day < 0 || day >= days) continue;
    const std::string channel = st.text(1);
    for (auto& s : out.series)
      if (s.channel == channel) ++s.counts[day];
    ++out.total[day];
    out.persons[day] += st.int64(2);
  }
  return out;
}

}  // namespace hl::casework
