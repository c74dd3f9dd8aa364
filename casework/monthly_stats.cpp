#include "casework/monthly_stats.hpp"

#include "casework/vocabulary.hpp"

namespace hl::casework {
namespace {

// Every statement takes ?1 the scope office's path, ?2..?3 the month [from, to). The scope fragment
// ends each statement and is one of two fixed texts: a prefix test on the path (the subtree), or the
// prefix test plus equal length (the office alone). Neither can use an index on office_path, so the
// planner always drives the scan from the month's range of a time index (cases_received_month etc.,
// schema 005) and checks the scope inside it — an equality on office_path would make it walk all of
// the office's cases in every year instead.
constexpr std::string_view kCaseInSubtree = " substr(c.office_path, 1, length(?1)) = ?1";
constexpr std::string_view kCaseAlone = " substr(c.office_path, 1, length(?1)) = ?1 AND length(c.office_path) = length(?1)";
constexpr std::string_view kOfficeInSubtree = " substr(o.path, 1, length(?1)) = ?1";
constexpr std::string_view kOfficeAlone = " o.path = ?1";

// Contacts taken by the office(s) in the month, per channel: 件, 人次, consultations 件 and 人次,
// needing handling, handled (see monthly_stats.hpp). The offices of the scope drive the join, each
// a range of contacts_office_received; CROSS JOIN keeps SQLite from scanning every contact instead
// (elsewhere it means the same as JOIN).
constexpr std::string_view kContacts =
    "SELECT k.channel, count(*), sum(k.persons), sum(k.resolution = 'answered'),"
    " sum(CASE WHEN k.resolution = 'answered' THEN k.persons ELSE 0 END),"
    " sum(coalesce(k.call_type, '') NOT IN ('silent','hang_up','abusive','wrong_number')),"
    " sum(coalesce(k.call_type, '') NOT IN ('silent','hang_up','abusive','wrong_number') AND (k.resolution = 'answered'"
    "  OR (k.case_id IS NOT NULL AND (SELECT x.status FROM cases x WHERE x.id = k.case_id) <> 'registered')))"
    " FROM offices o CROSS JOIN contacts k ON k.office_id = o.id WHERE k.received_at >= ?2 AND k.received_at < ?3 AND";
constexpr std::string_view kContactsGroup = " GROUP BY k.channel";

constexpr std::string_view kOpened =
    "SELECT count(*) FROM cases c WHERE c.received_at >= ?2 AND c.received_at < ?3 AND";
constexpr std::string_view kAccepted =
    "SELECT count(*), sum(c.status = 'closed') FROM cases c WHERE c.accepted_at >= ?2 AND c.accepted_at < ?3 AND";
constexpr std::string_view kClosed =
    "SELECT count(*), sum(c.outcome = 'declined'), sum(coalesce(c.losses_avoided_fen, 0)),"
    " avg((c.closed_at - c.received_at) / 86400000.0) FROM cases c WHERE c.status = 'closed'"
    " AND c.closed_at >= ?2 AND c.closed_at < ?3 AND coalesce(c.outcome, '') <> 'transferred' AND";
constexpr std::string_view kLegalAid =
    "SELECT count(*) FROM referrals r JOIN cases c ON c.id = r.case_id WHERE r.service = 'legal_aid'"
    " AND r.sent_at >= ?2 AND r.sent_at < ?3 AND";
constexpr std::string_view kFollowUps =
    "SELECT count(*), sum(f.satisfaction = 'satisfied'), sum(f.satisfaction = 'basically_satisfied'),"
    " sum(f.satisfaction = 'dissatisfied') FROM follow_ups f JOIN cases c ON c.id = f.case_id"
    " WHERE f.contacted_at >= ?2 AND f.contacted_at < ?3 AND";

// The DV tables of schema 004 (counted only when present).
constexpr std::string_view kOrdersApplied =
    "SELECT count(*) FROM dv_protection_orders p JOIN cases c ON c.id = p.case_id"
    " WHERE p.applied_at >= ?2 AND p.applied_at < ?3 AND";
constexpr std::string_view kOrdersGranted =
    "SELECT count(*) FROM dv_protection_orders p JOIN cases c ON c.id = p.case_id WHERE p.status = 'granted'"
    " AND p.ruled_at >= ?2 AND p.ruled_at < ?3 AND";
constexpr std::string_view kWarningLetters =
    "SELECT count(*) FROM dv_warning_letters w JOIN cases c ON c.id = w.case_id"
    " WHERE w.issued_at >= ?2 AND w.issued_at < ?3 AND";
constexpr std::string_view kShelterStays =
    "SELECT count(*) FROM dv_shelter_stays s JOIN cases c ON c.id = s.case_id"
    " WHERE s.from_at >= ?2 AND s.from_at < ?3 AND";
constexpr std::string_view kMandatoryReports =
    "SELECT count(*) FROM dv_mandatory_reports m JOIN cases c ON c.id = m.case_id"
    " WHERE m.reported_at >= ?2 AND m.reported_at < ?3 AND";

struct Query {
  db::Connection& conn;
  const std::string& path;
  TimeMs from, to;
  std::string_view scope;

  db::Statement run(std::string_view head, std::string_view tail = {}) {
    std::string sql(head);
    sql += scope;
    sql += tail;
    auto st = conn.prepare(sql);
    st.bind(1, path).bind(2, from).bind(3, to);
    return st;
  }
  std::int64_t count(std::string_view head) {
    auto st = run(head);
    return st.step() ? st.opt_int64(0).value_or(0) : 0;
  }
};

}  // namespace

std::optional<LocalDate> parse_month(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  int year = 0;
  unsigned month = 0;
  for (int i = 0; i < 4; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    year = year * 10 + (text[i] - '0');
  }
  for (int i = 5; i < 7; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    month = month * 10 + static_cast<unsigned>(text[i] - '0');
  }
  if (year < 2000 || year > 2100 || month < 1 || month > 12) return std::nullopt;
  return LocalDate{year, month, 1};
}

Result<MonthlyStats> MonthlyReport::compute(db::Connection& conn, const Actor& actor, std::optional<std::int64_t> office_id,
                                            LocalDate month, bool subtree, TimeMs now) {
  auto scope = supervision_scope(conn, actor, office_id);
  if (!scope) return std::unexpected(scope.error());
  MonthlyStats m;
  m.year = month.year;
  m.month = month.month;
  const LocalDate first{month.year, month.month, 1};
  const LocalDate next = month.month == 12 ? LocalDate{month.year + 1, 1, 1} : LocalDate{month.year, month.month + 1, 1};
  m.from = start_of_local_day(first);
  m.to = start_of_local_day(next);
  m.as_of = now;
  m.office = *scope;
  m.subtree = subtree;

  Query cases{conn, scope->path, m.from, m.to, subtree ? kCaseInSubtree : kCaseAlone};
  Query offices{conn, scope->path, m.from, m.to, subtree ? kOfficeInSubtree : kOfficeAlone};

  for (auto channel : channels()) m.by_channel.push_back({std::string(channel), {}});
  {
    auto st = offices.run(kContacts, kContactsGroup);
    while (st.step()) {
      for (auto& c : m.by_channel) {
        if (c.channel != st.text(0)) continue;
        c.count = {st.int64(1), st.opt_int64(2).value_or(0)};
      }
      m.contacts_total.matters += st.int64(1);
      m.contacts_total.person_times += st.opt_int64(2).value_or(0);
      m.consultations.matters += st.opt_int64(3).value_or(0);
      m.consultations.person_times += st.opt_int64(4).value_or(0);
      m.handling.denominator += st.opt_int64(5).value_or(0);
      m.handling.numerator += st.opt_int64(6).value_or(0);
    }
  }
  m.cases_opened = cases.count(kOpened);
  {
    auto st = cases.run(kAccepted);
    if (st.step()) {
      m.cases_accepted = st.int64(0);
      m.closure = {st.opt_int64(1).value_or(0), st.int64(0)};
    }
  }
  {
    auto st = cases.run(kClosed);
    if (st.step()) {
      m.cases_closed = st.int64(0);
      m.cases_declined = st.opt_int64(1).value_or(0);
      m.losses_avoided_fen = st.opt_int64(2).value_or(0);
      if (!st.is_null(3)) m.avg_days_to_close = st.real(3);
    }
  }
  m.legal_aid_referrals = cases.count(kLegalAid);
  {
    auto st = cases.run(kFollowUps);
    if (st.step()) {
      m.follow_ups = st.int64(0);
      m.satisfied = st.opt_int64(1).value_or(0);
      m.basically_satisfied = st.opt_int64(2).value_or(0);
      m.dissatisfied = st.opt_int64(3).value_or(0);
      m.satisfaction = {m.satisfied + m.basically_satisfied, m.follow_ups};
    }
  }
  m.dv_available = table_has_columns(conn, "dv_protection_orders", {"case_id", "status", "applied_at", "ruled_at"});
  if (m.dv_available) {
    m.protection_orders_applied = cases.count(kOrdersApplied);
    m.protection_orders_granted = cases.count(kOrdersGranted);
  }
  if (table_has_columns(conn, "dv_warning_letters", {"case_id", "issued_at"})) m.warning_letters = cases.count(kWarningLetters);
  if (table_has_columns(conn, "dv_shelter_stays", {"case_id", "from_at"})) m.shelter_stays = cases.count(kShelterStays);
  if (table_has_columns(conn, "dv_mandatory_reports", {"case_id", "reported_at"}))
    m.mandatory_reports = cases.count(kMandatoryReports);
  return m;
}

}  // namespace hl::casework
