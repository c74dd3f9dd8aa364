#include "casework/dv_protection_order.hpp"

#include <map>

#include "casework/case_repository.hpp"
#include "casework/deadline_policy.hpp"
#include "casework/dv_calendar.hpp"
#include "casework/dv_support.hpp"
#include "core/local_time.hpp"

namespace hl::casework {
namespace {

// Times typed on a client may run a little ahead of the server's clock.
constexpr TimeMs kClockSkewMs = 5 * 60'000;
constexpr std::size_t kMaxViolationsPerRequest = 20;

#define HL_ORDER_SELECT                                                                                             \
  "SELECT o.id, o.case_id, c.case_no, o.court_partner_id, p.name, o.emergency, o.applied_at, o.ruling_due, o.status," \
  " o.ruled_at, o.expires_at, o.updated_at, o.version, o.court_accepted_at, o.applied_by"                         \
  " FROM dv_protection_orders o JOIN cases c ON c.id = o.case_id JOIN partners p ON p.id = o.court_partner_id"

constexpr std::string_view kById = HL_ORDER_SELECT " WHERE o.id = ?1";
constexpr std::string_view kByCase = HL_ORDER_SELECT " WHERE o.case_id = ?1 ORDER BY o.applied_at DESC, o.id DESC";
// ?3..?4: the actor's subtree as a half-open path range.
// A grant revoked on 复议 is not expiring: it has ended.
constexpr std::string_view kExpiring = HL_ORDER_SELECT
    " WHERE o.status = 'granted' AND o.expires_at >= ?1 AND o.expires_at <= ?2"
    " AND c.office_path >= ?3 AND c.office_path < ?4"
    " AND NOT EXISTS (SELECT 1 FROM dv_protection_order_reconsiderations r WHERE r.order_id = o.id AND r.result = 'revoked')"
    " ORDER BY o.expires_at, o.id LIMIT 500";
#undef HL_ORDER_SELECT

constexpr std::string_view kExtensions =
    "SELECT extended_at, previous_expires_at, expires_at, actor_id FROM dv_protection_order_extensions"
    " WHERE order_id = ?1 ORDER BY id";
constexpr std::string_view kViolations =
    "SELECT id, occurred_at, description, police_response, recorded_by, recorded_at FROM dv_protection_order_violations"
    " WHERE order_id = ?1 ORDER BY occurred_at, id";
constexpr std::string_view kReconsideration =
    "SELECT applied_at, applied_by, result, decided_at, note, recorded_at FROM dv_protection_order_reconsiderations"
    " WHERE order_id = ?1";
constexpr std::string_view kInsert =
    "INSERT INTO dv_protection_orders(case_id, court_partner_id, emergency, applied_at, ruling_due, status, created_by,"
    " created_at, updated_at, court_accepted_at, applied_by) VALUES (?1, ?2, ?3, ?4, ?5, 'applied', ?6, ?7, ?7, ?8, ?9)";
constexpr std::string_view kSetRuling =
    "UPDATE dv_protection_orders SET status = ?3, ruled_at = ?4, expires_at = ?5, updated_at = ?6, court_accepted_at = ?7,"
    " ruling_due = ?8, version = version + 1 WHERE id = ?1 AND version = ?2";
constexpr std::string_view kInsertViolation =
    "INSERT INTO dv_protection_order_violations(order_id, occurred_at, description, police_response, recorded_by,"
    " recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
constexpr std::string_view kInsertExtension =
    "INSERT INTO dv_protection_order_extensions(order_id, extended_at, previous_expires_at, expires_at, actor_id)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";

ProtectionOrder read(const db::Statement& st) {
  ProtectionOrder o;
  o.id = st.int64(0);
  o.case_id = st.int64(1);
  o.case_no = st.text(2);
  o.court_partner_id = st.int64(3);
  o.court_name = st.text(4);
  o.emergency = st.int64(5) != 0;
  o.applied_at = st.int64(6);
  o.ruling_due = st.opt_int64(7);
  o.status = st.text(8);
  o.ruled_at = st.opt_int64(9);
  o.expires_at = st.opt_int64(10);
  o.applied_by = st.text(14);
  o.updated_at = st.int64(11);
  o.version = st.int64(12);
  o.court_accepted_at = st.opt_int64(13);
  return o;
}

void load_details(db::Connection& conn, ProtectionOrder& o) {
  auto ext = conn.prepare(kExtensions);
  ext.bind_all(o.id);
  while (ext.step()) o.extensions.push_back({ext.int64(0), ext.int64(1), ext.int64(2), ext.opt_int64(3)});
  auto vio = conn.prepare(kViolations);
  vio.bind_all(o.id);
  while (vio.step())
    o.violations.push_back({vio.int64(0), vio.int64(1), vio.text(2), vio.text(3), vio.opt_int64(4), vio.int64(5)});
  auto rec = conn.prepare(kReconsideration);
  rec.bind_all(o.id);
  if (rec.step())
    o.reconsideration = OrderReconsideration{rec.int64(0), rec.text(1), rec.is_null(2) ? std::nullopt : std::optional(rec.text(2)),
                                             rec.opt_int64(3), rec.text(4), rec.int64(5)};
}

std::optional<std::int64_t> user_of(const Actor& a) {
  return a.user_id > 0 ? std::optional(a.user_id) : std::nullopt;
}

std::string indexed(std::size_t i, const char* field) { return "violations[" + std::to_string(i) + "]." + field; }

// The court's acceptance (受理) is on or after the application and not in the future.
void check_acceptance(TimeMs accepted, TimeMs applied, TimeMs now, std::map<std::string, std::string>& bad) {
  if (accepted < applied) bad["court_accepted_at"] = "must not be before the application (applied_at)";
  else if (accepted > now + kClockSkewMs) bad["court_accepted_at"] = "must not be in the future";
}

}  // namespace

TimeMs ProtectionOrderService::end_of_day(TimeMs t) { return end_of_local_day(local_date(t)); }

TimeMs ProtectionOrderService::max_expiry(TimeMs from) { return end_of_day(add_local_months(from, 6)); }

Result<ProtectionOrder> ProtectionOrderService::get(db::Connection& conn, std::int64_t id, const Actor& actor) {
  auto st = conn.prepare(kById);
  st.bind_all(id);
  if (!st.step()) return fail(Errc::not_found, "no such protection order");
  auto o = read(st);
  st.reset();
  if (auto c = dv_case(conn, o.case_id, actor); !c) return fail(Errc::not_found, "no such protection order");
  load_details(conn, o);
  return o;
}

Result<std::vector<ProtectionOrder>> ProtectionOrderService::for_case(db::Connection& conn, std::int64_t case_id,
                                                                      const Actor& actor) {
  if (auto c = dv_case(conn, case_id, actor); !c) return std::unexpected(c.error());
  std::vector<ProtectionOrder> out;
  auto st = conn.prepare(kByCase);
  st.bind_all(case_id);
  while (st.step()) out.push_back(read(st));
  st.reset();
  for (auto& o : out) load_details(conn, o);
  return out;
}

Result<std::vector<ProtectionOrder>> ProtectionOrderService::expiring(db::Connection& conn, int days, const Actor& actor,
                                                                      TimeMs now) {
  if (!actor.is_staff() && actor.role != Role::system) return fail(Errc::not_found, "no such resource");
  if (days < 1 || days > 366) return fail(Errc::invalid_input, "days out of range", {{"days", "1 to 366"}});
  std::vector<ProtectionOrder> out;
  auto st = conn.prepare(kExpiring);
  st.bind_all(now, now + days * kMsPerDay, actor.office_path, subtree_upper_bound(actor.office_path));
  while (st.step()) out.push_back(read(st));
  st.reset();
  for (auto& o : out) load_details(conn, o);
  return out;
}

Result<ProtectionOrder> ProtectionOrderService::apply(db::Connection& conn, std::int64_t case_id,
                                                      const NewProtectionOrder& in, const Actor& actor) const {
  auto c = dv_writable_case(conn, case_id, actor, DvWrite::measure);
  if (!c) return std::unexpected(c.error());
  const TimeMs now = clock_.now_ms();
  std::map<std::string, std::string> bad;
  const auto court = active_partner_name(conn, in.court_partner_id, "court");
  if (!court) bad["court_partner_id"] = "not an active court in the partner directory";
  if (in.applied_at <= 0) bad["applied_at"] = "required";
  else if (in.applied_at > now + kClockSkewMs) bad["applied_at"] = "must not be in the future";
  else if (in.court_accepted_at) check_acceptance(*in.court_accepted_at, in.applied_at, now, bad);
  if (in.applied_by != "victim" && in.applied_by != "federation") bad["applied_by"] = "victim or federation";
  if (!bad.empty()) return fail(Errc::invalid_input, "the application cannot be recorded", std::move(bad));

  std::optional<TimeMs> due;
  if (in.court_accepted_at)
    due = load_deadline_policy(conn, c->office_id).protection_order_ruling_due(*in.court_accepted_at, in.emergency);
  conn.prepare(kInsert)
      .bind_all(case_id, in.court_partner_id, in.emergency ? 1 : 0, in.applied_at, due, user_of(actor), now,
                in.court_accepted_at, in.applied_by)
      .run();
  const auto id = conn.last_insert_rowid();
  std::map<std::string, std::string> payload{{"order_id", std::to_string(id)},
                                             {"court", *court},
                                             {"emergency", in.emergency ? "true" : "false"},
                                             {"applied_by", in.applied_by},
                                             {"applied_at", format_iso8601(in.applied_at)}};
  if (in.court_accepted_at) {
    payload["court_accepted_at"] = format_iso8601(*in.court_accepted_at);
    payload["ruling_due"] = format_iso8601(*due);
  }
  append_dv_event(conn, case_id, "protection_order_applied", actor, now, payload);
  return get(conn, id, actor);
}

Result<ProtectionOrder> ProtectionOrderService::update(db::Connection& conn, std::int64_t id, std::int64_t expected_version,
                                                       const OrderUpdate& u, const Actor& actor) const {
  auto loaded = get(conn, id, actor);
  if (!loaded) return std::unexpected(loaded.error());
  ProtectionOrder o = std::move(*loaded);
  if (o.version != expected_version)
    return fail(Errc::conflict, "the protection order was changed by someone else (version " + std::to_string(o.version) +
                                    "); reload it");
  auto c = dv_writable_case(conn, o.case_id, actor, DvWrite::measure);
  if (!c) return std::unexpected(c.error());

  const TimeMs now = clock_.now_ms();
  std::map<std::string, std::string> bad;
  const bool status_change = u.status && *u.status != o.status;
  std::string status = o.status;
  std::optional<TimeMs> ruled_at = o.ruled_at, expires_at = o.expires_at;
  std::optional<TimeMs> accepted = o.court_accepted_at, due = o.ruling_due;
  if (u.court_accepted_at) {
    if (o.court_accepted_at) bad["court_accepted_at"] = "already recorded";
    else if (o.status != "applied") bad["court_accepted_at"] = "only while the application awaits a ruling";
    else {
      check_acceptance(*u.court_accepted_at, o.applied_at, now, bad);
      accepted = u.court_accepted_at;
      due = load_deadline_policy(conn, c->office_id).protection_order_ruling_due(*accepted, o.emergency);
    }
  }
  if (status_change) {
    if (*u.status != "granted" && *u.status != "denied" && *u.status != "withdrawn")
      return fail(Errc::invalid_input, "unknown status", {{"status", "granted, denied or withdrawn"}});
    if (o.status != "applied")
      return fail(Errc::transition_not_allowed, "the order is already " + o.status + "; it cannot become " + *u.status);
    status = *u.status;
    if (status == "withdrawn") {
      if (u.ruled_at) bad["ruled_at"] = "a withdrawn application has no ruling";
      if (u.expires_at) bad["expires_at"] = "only a granted order expires";
    } else {
      ruled_at = u.ruled_at.value_or(now);
      if (accepted && *ruled_at < *accepted && !bad.contains("court_accepted_at"))
        bad["ruled_at"] = "must not be before the court's acceptance";
      if (*ruled_at < o.applied_at) bad["ruled_at"] = "must not be before the application (applied_at)";
      else if (*ruled_at > now + kClockSkewMs) bad["ruled_at"] = "must not be in the future";
      if (status == "denied" && u.expires_at) bad["expires_at"] = "only a granted order expires";
      if (status == "granted") {
        if (u.expires_at) expires_at = end_of_day(*u.expires_at);
        if (!expires_at) bad["expires_at"] = "required to grant an order";
        else if (*expires_at <= *ruled_at) bad["expires_at"] = "must not end before the day of the ruling";
        else if (*expires_at > max_expiry(*ruled_at))
          bad["expires_at"] = "an order lasts at most 6 months: its last day at the latest " +
                              format_date(local_date(max_expiry(*ruled_at)));
      }
    }
  } else {
    if (u.ruled_at) bad["ruled_at"] = "only together with a change of status";
    if (u.expires_at) bad["expires_at"] = o.status == "granted" ? "use extend to change the expiry" : "only when granting";
  }
  if (u.violations.size() > kMaxViolationsPerRequest) bad["violations"] = "at most 20 per request";
  if (!u.violations.empty() && status != "granted") bad["violations"] = "only a granted order can be violated";
  for (std::size_t i = 0; i < u.violations.size() && i < kMaxViolationsPerRequest && status == "granted"; ++i) {
    const auto& v = u.violations[i];
    if (v.occurred_at <= 0) bad[indexed(i, "occurred_at")] = "required";
    else if (v.occurred_at > now + kClockSkewMs) bad[indexed(i, "occurred_at")] = "must not be in the future";
    else if (ruled_at && expires_at &&
             (v.occurred_at < *ruled_at || v.occurred_at > *expires_at || (o.revoked_at() && v.occurred_at >= *o.revoked_at())))
      bad[indexed(i, "occurred_at")] = "must fall while the order was in force";
    if (dv_blank(v.description) || v.description.size() > 5000) bad[indexed(i, "description")] = "1 to 5000 bytes";
    if (v.police_response.size() > 5000) bad[indexed(i, "police_response")] = "at most 5000 bytes";
  }
  if (!bad.empty()) return fail(Errc::invalid_input, "the protection order cannot be updated", std::move(bad));
  const bool accepting = u.court_accepted_at.has_value();
  if (!status_change && !accepting && u.violations.empty()) return o;

  conn.prepare(kSetRuling).bind_all(id, expected_version, status, ruled_at, expires_at, now, accepted, due).run();
  if (conn.changes() != 1) return fail(Errc::conflict, "the protection order was changed by someone else; reload it");
  if (accepting)
    append_dv_event(conn, o.case_id, "protection_order_court_accepted", actor, now,
                    {{"order_id", std::to_string(id)}, {"court", o.court_name},
                     {"court_accepted_at", format_iso8601(*accepted)}, {"ruling_due", format_iso8601(*due)}});
  if (status_change) {
    std::map<std::string, std::string> payload{{"order_id", std::to_string(id)}, {"court", o.court_name}, {"status", status}};
    if (ruled_at) payload["ruled_at"] = format_iso8601(*ruled_at);
    if (expires_at) payload["expires_at"] = format_iso8601(*expires_at);
    append_dv_event(conn, o.case_id, "protection_order_" + status, actor, now, payload);
  }
  for (const auto& v : u.violations) {
    conn.prepare(kInsertViolation)
        .bind_all(id, v.occurred_at, v.description, v.police_response, user_of(actor), now)
        .run();
    append_dv_event(conn, o.case_id, "protection_order_violation", actor, now,
                    {{"order_id", std::to_string(id)}, {"occurred_at", format_iso8601(v.occurred_at)},
                     {"police_response", v.police_response}},
                    v.description);
  }
  return get(conn, id, actor);
}

Result<ProtectionOrder> ProtectionOrderService::extend(db::Connection& conn, std::int64_t id, std::int64_t expected_version,
                                                       TimeMs new_expires_at, const Actor& actor) const {
  auto loaded = get(conn, id, actor);
  if (!loaded) return std::unexpected(loaded.error());
  const ProtectionOrder& o = *loaded;
  if (o.version != expected_version)
    return fail(Errc::conflict, "the protection order was changed by someone else (version " + std::to_string(o.version) +
                                    "); reload it");
  if (auto c = dv_writable_case(conn, o.case_id, actor, DvWrite::measure); !c) return std::unexpected(c.error());
  const TimeMs now = clock_.now_ms();
  if (o.status != "granted") return fail(Errc::transition_not_allowed, "only a granted order can be extended");
  if (!o.in_force(now))
    return fail(Errc::transition_not_allowed, "the order's last day was " + format_date(local_date(*o.expires_at)) +
                                                  "; apply for a new one");
  const TimeMs new_expiry = end_of_day(new_expires_at);
  if (new_expiry <= *o.expires_at)
    return fail(Errc::invalid_input, "the extension must end later",
                {{"expires_at", "must be a day later than the current last day"}});
  if (new_expiry > max_expiry(now))
    return fail(Errc::invalid_input, "an extension lasts at most 6 months",
                {{"expires_at", "at most 6 months after the extension date: at the latest " +
                                    format_date(local_date(max_expiry(now)))}});
  conn.prepare(kSetRuling)
      .bind_all(id, expected_version, o.status, o.ruled_at, new_expiry, now, o.court_accepted_at, o.ruling_due)
      .run();
  if (conn.changes() != 1) return fail(Errc::conflict, "the protection order was changed by someone else; reload it");
  conn.prepare(kInsertExtension).bind_all(id, now, *o.expires_at, new_expiry, user_of(actor)).run();
  append_dv_event(conn, o.case_id, "protection_order_extended", actor, now,
                  {{"order_id", std::to_string(id)},
                   {"previous_expires_at", format_iso8601(*o.expires_at)},
                   {"expires_at", format_iso8601(new_expiry)}});
  return get(conn, id, actor);
}

}  // namespace hl::casework
