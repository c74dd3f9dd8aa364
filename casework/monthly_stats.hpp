#pragma once
// The federation's monthly statistics (月报) for one office alone or with its subtree, as DOMAIN.md
// lists them. The month is a Shanghai calendar month [first day 00:00, next month's first day 00:00).
// Definitions (each is an index range scan on the month; see schema 005):
//   contacts by channel   contacts received in the month by the office(s): 件 = rows, 人次 = sum of
//                         persons (a group visit of 5 is 1 件, 5 人次). Silent/hang-up calls included.
//   consultations         contacts resolved on the spot (resolution "answered"), 件 and 人次.
//   opened                cases received in the month (received_at).
//   accepted              cases accepted in the month (accepted_at).
//   closed                cases closed in the month and still closed, except those closed by transfer
//                         (the receiving office counts them); declined is the part closed by decline.
//   closure rate 案结率    cohort = the cases accepted in the month; closed = those of them closed when
//                         the report is made. null when nothing was accepted.
//   handling rate 处理率   received = contacts of the month that need handling (all but silent,
//                         hang-up, abusive and wrong-number calls); handled = those answered on the
//                         spot, or linked to a case that has left `registered` (accepted, declined,
//                         answered, transferred) by the time of the report.
//   legal aid             referrals with service legal_aid sent in the month (件).
//   losses avoided        sum of losses_avoided_fen of the cases closed in the month (integer fen).
//   avg days to close     mean elapsed days from receipt to closure of the cases closed in the month.
//   protection orders     applied in the month (applied_at); granted in the month (status granted,
//                         ruled_at in the month). Warning letters (issued_at), shelter stays begun
//                         (from_at), mandatory reports (reported_at) in the month. 0 while the DV
//                         tables (schema 004) are absent.
//   satisfaction          follow-ups recorded in the month (contacted_at); rate = (satisfied +
//                         basically satisfied) / all, null when there were none.
// Cases, referrals, DV records and follow-ups count by the case's office; contacts by the office
// that took them.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "casework/actor.hpp"
#include "casework/aging.hpp"
#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"
#include "core/local_time.hpp"

namespace hl::casework {

struct CountPair {
  std::int64_t matters = 0;       // 件
  std::int64_t person_times = 0;  // 人次
};

struct ChannelCount {
  std::string channel;
  CountPair count;
};

struct Ratio {
  std::int64_t numerator = 0, denominator = 0;
  std::optional<double> rate() const {
    if (denominator == 0) return std::nullopt;
    return static_cast<double>(numerator) / static_cast<double>(denominator);
  }
};

struct MonthlyStats {
  int year = 0;
  unsigned month = 0;
  TimeMs from = 0, to = 0;  // [from, to)
  TimeMs as_of = 0;
  ScopeOffice office;
  bool subtree = true;

  std::vector<ChannelCount> by_channel;  // every channel, in vocabulary order
  CountPair contacts_total;
  CountPair consultations;
  std::int64_t cases_opened = 0, cases_accepted = 0, cases_closed = 0, cases_declined = 0;
  Ratio closure;   // cohort closed / cohort accepted
  Ratio handling;  // handled / received
  std::int64_t legal_aid_referrals = 0;
  std::int64_t losses_avoided_fen = 0;
  std::optional<double> avg_days_to_close;
  bool dv_available = false;
  std::int64_t protection_orders_applied = 0, protection_orders_granted = 0;
  std::int64_t warning_letters = 0, shelter_stays = 0, mandatory_reports = 0;
  std::int64_t follow_ups = 0, satisfied = 0, basically_satisfied = 0, dissatisfied = 0;
  Ratio satisfaction;  // (satisfied + basically satisfied) / follow-ups
};

// "2026-10" → that month; nullopt when malformed (also month 0/13, years outside 2000–2100).
std::optional<LocalDate> parse_month(std::string_view text);

class MonthlyReport {
 public:
  // Same scope rules as the aging view (supervision_scope); `subtree` false counts the office alone.
  static Result<MonthlyStats> compute(db::Connection& conn, const Actor& actor, std::optional<std::int64_t> office_id,
                                      LocalDate month, bool subtree, TimeMs now);
};

}  // namespace hl::casework
