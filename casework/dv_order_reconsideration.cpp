#include "casework/dv_order_reconsideration.hpp"

#include <map>
#include <optional>

#include "casework/dv_support.hpp"
#include "core/local_time.hpp"

namespace hl::casework {
namespace {

// Times typed on a client may run a little ahead of the server's clock (as for the order itself).
constexpr TimeMs kClockSkewMs = 5 * 60'000;
constexpr std::size_t kMaxNoteBytes = 5000;

constexpr std::string_view kBumpOrder =
    "UPDATE dv_protection_orders SET updated_at = ?3, version = version + 1 WHERE id = ?1 AND version = ?2";
constexpr std::string_view kInsert =
    "INSERT INTO dv_protection_order_reconsiderations(order_id, applied_at, applied_by, note, recorded_by, recorded_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
constexpr std::string_view kDecide =
    "UPDATE dv_protection_order_reconsiderations SET result = ?2, decided_at = ?3,"
    " note = CASE WHEN ?4 = '' THEN note WHEN note = '' THEN ?4 ELSE note || char(10) || ?4 END"
    " WHERE order_id = ?1 AND result IS NULL";

std::optional<std::int64_t> user_of(const Actor& a) { return a.user_id > 0 ? std::optional(a.user_id) : std::nullopt; }

// The order, current and writable by the actor: not_found, conflict (stale) or the case's refusal.
Result<ProtectionOrder> writable_order(db::Connection& conn, std::int64_t order_id, std::int64_t expected_version,
                                       const Actor& actor) {
  auto o = ProtectionOrderService::get(conn, order_id, actor);
  if (!o) return std::unexpected(o.error());
  if (o->version != expected_version)
    return fail(Errc::conflict, "the protection order was changed by someone else (version " + std::to_string(o->version) +
                                    "); reload it");
  if (auto c = dv_writable_case(conn, o->case_id, actor, DvWrite::measure); !c) return std::unexpected(c.error());
  return o;
}

void check_time(const char* field, TimeMs t, TimeMs not_before, const char* before_what, TimeMs now,
                std::map<std::string, std::string>& bad) {
  if (t <= 0) bad[field] = "required";
  else if (t < not_before) bad[field] = std::string("must not be before ") + before_what;
  else if (t > now + kClockSkewMs) bad[field] = "must not be in the future";
}

}  // namespace

Result<ProtectionOrder> OrderReconsiderationService::request(db::Connection& conn, std::int64_t order_id,
                                                             std::int64_t expected_version, const NewReconsideration& in,
                                                             const Actor& actor) const {
  auto o = writable_order(conn, order_id, expected_version, actor);
  if (!o) return std::unexpected(o.error());
  if ((o->status != "granted" && o->status != "denied") || !o->ruled_at)
    return fail(Errc::transition_not_allowed, "复议 is asked of a ruling: the order is " + o->status + ", not ruled on",
                {{"status", o->status}});
  if (o->reconsideration)
    return fail(Errc::conflict, "复议 may be asked only once: it was asked on " + format_date(local_date(o->reconsideration->applied_at)));
  const TimeMs now = clock_.now_ms();
  std::map<std::string, std::string> bad;
  // The ruling's day counts: a 复议 asked on the day of the ruling, before the time recorded, is fine.
  check_time("applied_at", in.applied_at, start_of_local_day(local_date(*o->ruled_at)), "the day of the ruling", now, bad);
  if (const TimeMs due = *o->reconsideration_due(); !bad.contains("applied_at") && in.applied_at > due)
    bad["applied_at"] = "more than 5 days after the ruling: 复议 is asked by " + format_date(local_date(due));
  if (in.applied_by != "applicant" && in.applied_by != "respondent") bad["applied_by"] = "applicant or respondent";
  if (in.note.size() > kMaxNoteBytes) bad["note"] = "at most 5000 bytes";
  if (!bad.empty()) return fail(Errc::invalid_input, "the reconsideration cannot be recorded", std::move(bad));

  conn.prepare(kBumpOrder).bind_all(order_id, expected_version, now).run();
  if (conn.changes() != 1) return fail(Errc::conflict, "the protection order was changed by someone else; reload it");
  conn.prepare(kInsert).bind_all(order_id, in.applied_at, in.applied_by, in.note, user_of(actor), now).run();
  append_dv_event(conn, o->case_id, "protection_order_reconsideration_requested", actor, now,
                  {{"order_id", std::to_string(order_id)},
                   {"court", o->court_name},
                   {"ruling", o->status},
                   {"reconsideration_by", in.applied_by},
                   {"applied_at", format_iso8601(in.applied_at)}},
                  in.note);
  return ProtectionOrderService::get(conn, order_id, actor);
}

Result<ProtectionOrder> OrderReconsiderationService::decide(db::Connection& conn, std::int64_t order_id,
                                                            std::int64_t expected_version, const ReconsiderationDecision& in,
                                                            const Actor& actor) const {
  auto o = writable_order(conn, order_id, expected_version, actor);
  if (!o) return std::unexpected(o.error());
  if (!o->reconsideration)
    return fail(Errc::transition_not_allowed, "no 复议 of this ruling was asked: record the request first");
  if (o->reconsideration->result)
    return fail(Errc::conflict, "the court's 复议 result is recorded already (" + *o->reconsideration->result + ")");
  const TimeMs now = clock_.now_ms();
  std::map<std::string, std::string> bad;
  if (in.result != "upheld" && in.result != "revoked" && in.result != "varied") bad["result"] = "upheld, revoked or varied";
  check_time("decided_at", in.decided_at, o->reconsideration->applied_at, "the request (applied_at)", now, bad);
  if (in.note.size() > kMaxNoteBytes) bad["note"] = "at most 5000 bytes";
  if (!bad.empty()) return fail(Errc::invalid_input, "the reconsideration result cannot be recorded", std::move(bad));

  conn.prepare(kBumpOrder).bind_all(order_id, expected_version, now).run();
  if (conn.changes() != 1) return fail(Errc::conflict, "the protection order was changed by someone else; reload it");
  conn.prepare(kDecide).bind_all(order_id, in.result, in.decided_at, in.note).run();
  append_dv_event(conn, o->case_id, "protection_order_reconsideration_decided", actor, now,
                  {{"order_id", std::to_string(order_id)},
                   {"court", o->court_name},
                   {"result", in.result},
                   {"decided_at", format_iso8601(in.decided_at)}},
                  in.note);
  return ProtectionOrderService::get(conn, order_id, actor);
}

}  // namespace hl::casework
