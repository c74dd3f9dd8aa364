#include "casework/report_figures.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace hl::casework {
namespace {

// ---- shared query fragments (string literals, so the table below stays constexpr) ----

// The scope test on an office path column, one text for both scopes, ?1 the scope office's path: the
// office itself (?5 = 0, 本级) or it and every office below (?5 = 1, 本级及下级: a prefix test). Not
// CASE: SQLite computes length(?1) once per statement, but inside a CASE once per row (measured: a
// county's year 25 % slower). Neither test can use an index on the path column (`+` keeps it off),
// so the planner drives every scan from the period's range of a time index and tests the scope
// inside it: an office's cases of all years are never walked.
#define HL_IN_SCOPE(col) "((?5 OR +" col " = ?1) AND substr(" col ", 1, length(?1)) = ?1)"

// Calls that are not data: counted apart (figures contacts.non_data.*) and left out of all else.
#define HL_NON_DATA "('silent','hang_up','abusive','wrong_number')"
// A case that is the receiving office's copy of a 交办/转送 whose sender is inside the scope: the
// matter is already counted there (no double counting in 本级及下级).
#define HL_COPY_IN_SCOPE(id)                                                                          \
  "EXISTS (SELECT 1 FROM case_transfers t JOIN cases s ON s.id = t.from_case_id WHERE t.to_case_id = " \
  id " AND " HL_IN_SCOPE("s.office_path") ")"
// Contacts received in the period by the office(s) of the scope. The scope's offices drive the
// join, each a range of contacts_office_received (CROSS JOIN fixes that order).
#define HL_CONTACTS \
  " FROM offices o CROSS JOIN contacts k ON k.office_id = o.id WHERE " HL_IN_SCOPE("o.path") " AND k.received_at >= ?2 AND k.received_at < ?3"
#define HL_DATA                                                                 \
  " AND coalesce(k.call_type, '') NOT IN " HL_NON_DATA                          \
  " AND NOT (k.channel = 'transfer_in' AND k.case_id IS NOT NULL AND " HL_COPY_IN_SCOPE("k.case_id") ")"
#define HL_DATA_CONTACTS HL_CONTACTS HL_DATA
// Cases registered in the period (received_at: cases_received_month), a copy of an in-scope
// sender's matter left out.
#define HL_OPENED \
  " FROM cases c WHERE c.received_at >= ?2 AND c.received_at < ?3 AND " HL_IN_SCOPE("c.office_path") " AND NOT " HL_COPY_IN_SCOPE("c.id")
// case_events rows of the given events in the period (case_events_event_at, schema 016).
#define HL_EVENTS(list) \
  " FROM case_events e JOIN cases c ON c.id = e.case_id WHERE e.event IN " list " AND e.at >= ?2 AND e.at < ?3 AND " HL_IN_SCOPE("c.office_path")
// 办结: closed with a reply — approve_closure, or a 交办 sender accepting the receiver's report
// (accept_report). The sender's acceptance is not counted when the receiver is inside the scope:
// its own closure is (the matter counts once, where it was handled).
#define HL_CLOSURES                                                                                          \
  HL_EVENTS("('approve_closure','accept_report')")                                                           \
  " AND NOT (e.event = 'accept_report' AND EXISTS (SELECT 1 FROM case_transfers t JOIN offices ro ON ro.id ="  \
  " t.to_office_id WHERE t.from_case_id = c.id AND t.mode = 'delegate' AND " HL_IN_SCOPE("ro.path") "))"
// Ledger imports (outcome 'imported') have no events: their closure is closed_at (cases_imported_closed,
// schema 016).
#define HL_IMPORTED_CLOSED \
  " FROM cases c WHERE c.outcome = 'imported' AND c.closed_at >= ?2 AND c.closed_at < ?3 AND " HL_IN_SCOPE("c.office_path")
// Cases accepted in the period (accepted_at: cases_accepted_month); the copy of an in-scope sender
// that had accepted the matter itself is left out.
#define HL_ACCEPTED                                                                                   \
  " FROM cases c WHERE c.accepted_at >= ?2 AND c.accepted_at < ?3 AND " HL_IN_SCOPE("c.office_path") " AND NOT EXISTS" \
  " (SELECT 1 FROM case_transfers t JOIN cases s ON s.id = t.from_case_id WHERE t.to_case_id = c.id"   \
  " AND " HL_IN_SCOPE("s.office_path") " AND s.accepted_at IS NOT NULL)"
// Money entered at closure: the amount of the request_closure that led to the case's last 办结 in
// the period (for a 交办 sender, its receiver's), from the event's payload — not the case's current
// column, which a reopening and re-closure overwrite. A ledger import's amount is its column.
// One row per case closed (办结) in the period, from its last closure there: whether it had been
// reopened (or its 交办 report returned) before, and the money entered at that closure — the amounts
// of the request_closure that led to it (for a 交办 sender, its receiver's), from the event's
// payload, not the case's current columns, which a reopening and re-closure overwrite. A ledger
// import's amounts are its columns. cases.closed, cases.closed_again and the two losses figures are
// read from these rows in one statement.
#define HL_CLOSURE_PAYLOAD                                                                                         \
  "(SELECT q.payload FROM case_events q WHERE q.case_id = CASE WHEN e.event = 'accept_report' THEN (SELECT"         \
  " t.to_case_id FROM case_transfers t WHERE t.from_case_id = e.case_id AND t.mode = 'delegate' ORDER BY t.id DESC"  \
  " LIMIT 1) ELSE e.case_id END AND +q.event = 'request_closure' AND q.at <= e.at ORDER BY q.id DESC LIMIT 1)"
#define HL_CLOSED_ROWS                                                                                             \
  " FROM (SELECT e.case_id, max(e.id), EXISTS (SELECT 1 FROM case_events r WHERE r.case_id = e.case_id"            \
  " AND r.event IN ('reopen','report_returned') AND r.at <= e.at) AS again, " HL_CLOSURE_PAYLOAD " AS money"      \
  HL_CLOSURES " GROUP BY e.case_id UNION ALL SELECT c.id, 0, 0, json_object('losses_avoided_fen',"                  \
  " c.losses_avoided_fen, 'losses_recovered_fen', c.losses_recovered_fen)" HL_IMPORTED_CLOSED ")"
#define HL_MONEY(field) "coalesce(sum(CAST(json_extract(money, '$." field "') AS INTEGER)), 0)"
#define HL_DV_CATEGORY "'marriage_family.domestic_violence'"
#define HL_BY_CASE(table, alias, column) \
  " FROM " table " " alias " JOIN cases c ON c.id = " alias ".case_id WHERE " alias "." column " >= ?2 AND " alias "." column " < ?3 AND " HL_IN_SCOPE("c.office_path")

// 复查/复核 rows by the reviewing office (not the case's: the county's case, the city's review).
#define HL_REVIEWS(column) \
  " FROM case_reviews v JOIN offices o ON o.id = v.office_id WHERE v." column " >= ?2 AND v." column " < ?3 AND " HL_IN_SCOPE("o.path")
#define HL_SUM(cond) "coalesce(sum(" cond "), 0)"
// The data test is in the WHERE of HL_DATA_CONTACTS (one pass for the data figures); cheaper there
// than repeated in every column (measured: tests/bench/aging_bench.cpp).
#define HL_DATA_SUM(cond) HL_SUM(cond)
#define HL_SUM_PERSONS(cond) "coalesce(sum(CASE WHEN " cond " THEN k.persons END), 0)"

#define HL_CHANNEL(code, zh, en)                                                                              \
  FigureDef{"contacts." code ".items", zh "（件）", en " (items)", FigureUnit::items, "contacts",             \
            "期内本级（或本级及下级）收到的" zh "件数，一次来" zh "计1件；不含无声、挂断、骚扰、打错电话。",          \
            HL_DATA_SUM("k.channel = '" code "'"), HL_DATA_CONTACTS},                                                 \
      FigureDef {                                                                                             \
    "contacts." code ".persons", zh "（人次）", en " (person-times)", FigureUnit::person_times, "contacts",    \
        "期内收到的" zh "所涉人数之和（集体来访5人计1件5人次）；不含无声、挂断、骚扰、打错电话。",                  \
        HL_SUM_PERSONS("k.channel = '" code "'"), HL_DATA_CONTACTS                                              \
  }

#define HL_CONSULT(kind_sql, key, zh, en, what)                                                                     \
  FigureDef{"consultations." key ".persons", zh "（人次）", en " (person-times)", FigureUnit::person_times,         \
            "consultations", "期内当场解答的" what "咨询所涉人次（来信来访来电当场答复，未立案）。",                       \
            HL_SUM_PERSONS("k.resolution = 'answered' AND " kind_sql), HL_DATA_CONTACTS}

// One kind of non-data call, a line under 无效来电 ("其中：").
#define HL_NON_DATA_KIND(code, zh, en)                                                                       \
  FigureDef {                                                                                                \
    "contacts.non_data." code, "其中：" zh "（件）", "of which " en " calls (items)", FigureUnit::items, "contacts", \
        "期内" zh "的件数（无效来电的一种）。", HL_SUM("k.call_type = '" code "'"), HL_CONTACTS                    \
  }

#define HL_DECISIONS HL_EVENTS("('decline','forward','delegate')")
#define HL_REPEAT_VICTIM                                                                                            \
  "c.category = " HL_DV_CATEGORY                                                                                    \
  " AND EXISTS (SELECT 1 FROM persons p JOIN persons q ON (q.phone_hash = p.phone_hash OR q.id_number_hash ="     \
  " p.id_number_hash) JOIN cases d ON d.id = q.case_id WHERE p.case_id = c.id AND p.role IN ('complainant','victim')" \
  " AND q.role IN ('complainant','victim') AND d.id <> c.id AND d.category = " HL_DV_CATEGORY                      \
  " AND d.received_at < c.received_at AND d.received_at >= c.received_at - 31536000000"                            \
  " AND NOT EXISTS (SELECT 1 FROM case_transfers t WHERE (t.from_case_id = d.id AND t.to_case_id = c.id)"          \
  " OR (t.from_case_id = c.id AND t.to_case_id = d.id)))"

constexpr std::array<SectionDef, 7> kSections = {{
    {"contacts", "来信来访来电", "Contacts"},
    {"consultations", "当场解答咨询", "Consultations answered on the spot"},
    {"cases", "案件办理", "Cases"},
    {"rates", "办结率与处理率", "Rates"},
    {"outcomes", "维权成效", "Outcomes"},
    {"dv", "家庭暴力", "Domestic violence"},
    {"follow_up", "回访", "Follow-up"},
}};

constexpr FigureDef kFigures[] = {
    // ---- contacts ----
    HL_CHANNEL("letter", "来信", "Letters"),
    HL_CHANNEL("walk_in", "来访", "Visits"),
    HL_CHANNEL("hotline", "来电", "Calls"),
    HL_CHANNEL("online", "网上信访", "Online"),
    HL_CHANNEL("agent", "信访代理", "Through an agent"),
    HL_CHANNEL("screening", "排查", "Found by screening"),
    HL_CHANNEL("transfer_in", "转入", "Transferred in"),
    {"contacts.total.items", "来信来访来电合计（件）", "Contacts, total (items)", FigureUnit::items, "contacts",
     "期内各渠道收到的件数之和；本级及下级时，下级之间交办、转送的同一事项只在最初收到的单位计1件。", HL_DATA_SUM("1"),
     HL_DATA_CONTACTS},
    {"contacts.total.persons", "来信来访来电合计（人次）", "Contacts, total (person-times)", FigureUnit::person_times,
     "contacts", "期内各渠道所涉人次之和。", HL_SUM_PERSONS("1"), HL_DATA_CONTACTS},
    {"contacts.first.items", "初次信访（件）", "First-time contacts (items)", FigureUnit::items, "contacts",
     "期内收到的件中，不属于已有事项（未标记重复访）的件数。", HL_DATA_SUM("k.repeat_of_case_id IS NULL"), HL_DATA_CONTACTS},
    {"contacts.repeat.items", "重复访（件）", "Repeat contacts (items)", FigureUnit::items, "contacts",
     "期内收到的件中，同一人就本单位已有事项（办理中或办结12个月内）再次来信来访来电的件数。",
     HL_DATA_SUM("k.repeat_of_case_id IS NOT NULL"), HL_DATA_CONTACTS},
    {"contacts.group.batches", "集体访（批次）", "Group visits (batches)", FigureUnit::batches, "contacts",
     "期内5人及以上同时来访的批次数。", HL_DATA_SUM("k.channel = 'walk_in' AND k.persons >= 5"), HL_DATA_CONTACTS},
    {"contacts.group.persons", "集体访（人次）", "Group visits (person-times)", FigureUnit::person_times, "contacts",
     "期内5人及以上集体来访所涉人次之和。", HL_SUM_PERSONS("k.channel = 'walk_in' AND k.persons >= 5"),
     HL_DATA_CONTACTS},
    {"contacts.level_skipping.items", "越级访（件）", "Level-skipping contacts (items)", FigureUnit::items, "contacts",
     "期内越过有管辖权的下级单位、直接向本级提出的件数。", HL_DATA_SUM("k.level_skipping = 1"), HL_DATA_CONTACTS},
    {"contacts.non_data.items", "无效来电（件）", "Non-data calls (items)", FigureUnit::items, "contacts",
     "期内无声、挂断、骚扰、打错电话的件数；单独统计，不计入本表其他任何数字。", HL_SUM("coalesce(k.call_type, '') IN " HL_NON_DATA),
     HL_CONTACTS},
    HL_NON_DATA_KIND("silent", "无声电话", "silent"),
    HL_NON_DATA_KIND("hang_up", "挂断电话", "hang-up"),
    HL_NON_DATA_KIND("abusive", "骚扰电话", "abusive"),
    HL_NON_DATA_KIND("wrong_number", "打错电话", "wrong-number"),
    // The line that makes the paper form add up: what the office took in, data or not.
    {"contacts.received.items", "收到合计（含无效来电）（件）", "Received, including non-data calls (items)",
     FigureUnit::items, "contacts",
     "来信来访来电合计（件）与无效来电（件）之和：期内收到的全部件数，用于与来电记录核对。",
     HL_SUM("coalesce(k.call_type, '') IN " HL_NON_DATA " OR NOT (k.channel = 'transfer_in' AND k.case_id IS NOT NULL AND "
            HL_COPY_IN_SCOPE("k.case_id") ")"),
     HL_CONTACTS},

    // ---- consultations answered on the spot ----
    HL_CONSULT("k.consultation_kind = 'legal'", "legal", "法律咨询", "Legal consultations", "法律"),
    HL_CONSULT("k.consultation_kind = 'marriage_family'", "marriage_family", "婚姻家庭咨询",
               "Marriage and family consultations", "婚姻家庭"),
    HL_CONSULT("k.consultation_kind = 'psychological'", "psychological", "心理咨询", "Psychological consultations",
               "心理"),
    HL_CONSULT("k.consultation_kind = 'other'", "other", "其他咨询", "Other consultations", "其他"),
    HL_CONSULT("k.consultation_kind IS NULL", "unspecified", "类别未注明的咨询", "Consultations of no recorded kind",
               "类别未注明（咨询类别启用前登记）"),
    {"consultations.total.items", "当场解答合计（件）", "Answered on the spot, total (items)", FigureUnit::items,
     "consultations", "期内当场解答、未立案的件数（各类咨询之和）。", HL_DATA_SUM("k.resolution = 'answered'"),
     HL_DATA_CONTACTS},

    // ---- cases ----
    {"cases.opened", "登记案件", "Cases opened", FigureUnit::items, "cases",
     "期内登记的案件数（按登记日期）；本级及下级时，下级之间交办、转送产生的接收案件不重复计数。", "count(*)", HL_OPENED},
    {"cases.accepted", "受理", "Accepted", FigureUnit::items, "cases", "期内受理的案件数（按受理日期）。", "count(*)",
     HL_ACCEPTED},
    {"cases.declined", "不予受理", "Declined", FigureUnit::items, "cases",
     "期内作出不予受理决定的案件数（按决定日期）；不计入办结。", HL_SUM("e.event = 'decline'"), HL_DECISIONS},
    {"cases.forwarded", "转送", "Forwarded", FigureUnit::items, "cases",
     "期内转送有管辖权单位的案件数（按转送日期）；转送后本单位不再办理，不计入办结。", HL_SUM("e.event = 'forward'"),
     HL_DECISIONS},
    {"cases.delegated", "交办", "Delegated", FigureUnit::items, "cases",
     "期内交办下级或其他单位办理并要求报告结果的案件数（按交办日期）。", HL_SUM("e.event = 'delegate'"), HL_DECISIONS},
    {"cases.closed", "办结", "Closed", FigureUnit::items, "cases",
     "期内办结（已出具答复意见并经审核结案，或交办单位采纳办结报告）的案件数，按办结日期；不含不予受理、转送和当场解答。"
     "交办事项在本级及下级范围内只在实际办理单位计1件。重新办理后再次办结的，计入再次办结的时期。",
     "count(*)", HL_CLOSED_ROWS},
    {"cases.closed_again", "其中：重新办理后再次办结", "Of which closed again after reopening", FigureUnit::items, "cases",
     "期内办结的案件中，曾被重新办理（退回重办或重新打开）后再次办结的案件数。", "coalesce(sum(again), 0)",
     HL_CLOSED_ROWS},
    // 督办 of the scope's cases (by the office above, or by the sender of a 交办), each counted once
    // whatever office opened it; 复查/复核 where they are received: the reviewing office.
    {"cases.supervised", "督办（件）", "Put under supervision (督办)", FigureUnit::items, "cases",
     "期内对本级（或本级及下级）办理的案件开展督办的件数（按督办日期；上级或交办单位督办，各计1件）。", "count(*)",
     HL_BY_CASE("case_supervisions", "s", "created_at")},
    {"cases.supervision_answered", "督办回复（件）", "Supervisions answered", FigureUnit::items, "cases",
     "期内办理单位作出督办回复的件数（按回复日期）。", "count(*)", HL_BY_CASE("case_supervisions", "s", "answered_at")},
    {"cases.supervision_overdue", "督办逾期（件）", "Supervisions answered late or overdue", FigureUnit::items, "cases",
     "回复期限在期内届满的督办中，逾期回复或至报表日期已过期限仍未回复的件数。",
     HL_SUM("(s.answered_at IS NULL AND s.due_at < ?4) OR s.answered_at > s.due_at"),
     HL_BY_CASE("case_supervisions", "s", "due_at")},
    {"reviews.requested", "复查申请（件）", "Reviews (复查) requested", FigureUnit::items, "cases",
     "期内本级（或本级及下级）作为复查机关收到的复查申请件数（按申请日期）。", HL_SUM("v.kind = 'review'"), HL_REVIEWS("requested_at")},
    {"reviews.decided", "复查办结（件）", "Reviews (复查) decided", FigureUnit::items, "cases",
     "期内作出复查意见的件数（按复查意见日期；维持或变更）。", HL_SUM("v.kind = 'review'"), HL_REVIEWS("decided_at")},
    {"re_reviews.requested", "复核申请（件）", "Re-reviews (复核) requested", FigureUnit::items, "cases",
     "期内本级（或本级及下级）作为复核机关收到的复核申请件数（按申请日期）。", HL_SUM("v.kind = 're_review'"),
     HL_REVIEWS("requested_at")},
    {"re_reviews.decided", "复核办结（件）", "Re-reviews (复核) decided", FigureUnit::items, "cases",
     "期内作出复核意见的件数（按复核意见日期）；复核后同一事项不再受理。", HL_SUM("v.kind = 're_review'"),
     HL_REVIEWS("decided_at")},

    // ---- rates ----
    {"rates.closure", "办结率", "Closure rate", FigureUnit::percent, "rates",
     "期内受理的案件中，截至报表日期已办结的比例（报表日期见表头）；本级及下级时，受理后转送至范围内其他单位的，"
     "以接收单位办结为准。",
     // The report is made now (as_of): closed at the report date is the case's status. An accepted
     // case is closed only as 办结 (approve_closure or accept_report; decline and answer close
     // registered cases only), and one reopened since counts as not closed. cases_accepted_month
     // covers it. A case accepted and then forwarded (转送) inside the scope is the matter's one
     // place in the cohort (the receiver's acceptance is left out, HL_ACCEPTED): it is closed when
     // the receiving copy is 办结, not declined.
     // Nested EXISTS, not a join: without statistics the planner drove a join from the index on
     // cases.status, walking every closed case for each forwarded one (seconds at 1 M cases).
     "coalesce(sum(c.status = 'closed' OR (c.status = 'forwarded' AND EXISTS (SELECT 1 FROM case_transfers t"
     " WHERE t.from_case_id = c.id AND EXISTS (SELECT 1 FROM cases r WHERE r.id = t.to_case_id AND r.status = 'closed'"
     " AND " HL_IN_SCOPE("r.office_path") " AND EXISTS (SELECT 1 FROM case_events x WHERE x.case_id = r.id"
     " AND x.event IN ('approve_closure','accept_report')))))), 0), count(*)",
     HL_ACCEPTED},
    {"rates.on_time", "按期办结率", "On-time closure rate", FigureUnit::percent, "rates",
     "办理期限（含延期）在期内届满或在期内办结的案件中，在期限内答复并办结的比例（台账导入案件无答复记录，不计入）。",
     "coalesce(sum(EXISTS (SELECT 1 FROM case_replies r JOIN case_events x ON x.case_id = r.case_id"
     " WHERE r.case_id = m.id AND r.handling_due IS NOT NULL AND r.replied_at <= r.handling_due"
     " AND x.event IN ('approve_closure','accept_report') AND x.at >= r.replied_at AND x.at <= r.handling_due)), 0),"
     " count(*)",
     " FROM (SELECT c.id FROM cases c WHERE c.handling_due >= ?2 AND c.handling_due < ?3"
     " AND " HL_IN_SCOPE("c.office_path") " UNION SELECT e.case_id" HL_CLOSURES ") m"},
    {"rates.handling", "处理率", "Handling rate", FigureUnit::percent, "rates",
     "期内收到的件（不含无效来电）中，已当场解答、登记立案（含转送、交办、不予受理并告知）的比例。",
     HL_DATA_SUM("(k.resolution = 'answered' OR k.case_id IS NOT NULL)") ", " HL_DATA_SUM("1"), HL_DATA_CONTACTS},

    // ---- outcomes ----
    {"outcomes.legal_aid.persons", "帮助申请法律援助（人）", "Persons helped to apply for legal aid", FigureUnit::persons,
     "outcomes",
     "期内发出法律援助转介的案件所涉受害人人数，同一人（按证件或电话识别）只计1人；无受害人记录的案件计1人。",
     // hex(NULL) is '' (not NULL), so coalesce(hex(…), …) made every victim without an ID number, and
     // every case without a victim, one and the same person: test them for NULL instead.
     "count(DISTINCT CASE WHEN p.id_number_hash IS NOT NULL THEN 'i' || hex(p.id_number_hash)"
     " WHEN p.phone_hash IS NOT NULL THEN 't' || hex(p.phone_hash) WHEN p.id IS NOT NULL THEN 'p' || p.id"
     " ELSE 'c' || c.id END)",
     " FROM referrals r JOIN cases c ON c.id = r.case_id LEFT JOIN persons p ON p.case_id = c.id AND p.role = 'victim'"
     " WHERE r.service = 'legal_aid' AND r.sent_at >= ?2 AND r.sent_at < ?3 AND " HL_IN_SCOPE("c.office_path")},
    {"outcomes.losses_avoided", "避免经济损失（元）", "Economic losses avoided (yuan)", FigureUnit::yuan, "outcomes",
     "期内办结案件结案时登记的避免经济损失金额之和（同一案件期内多次办结的，取最后一次）。", HL_MONEY("losses_avoided_fen"),
     HL_CLOSED_ROWS},
    {"outcomes.losses_recovered", "挽回经济损失（元）", "Economic losses recovered (yuan)", FigureUnit::yuan, "outcomes",
     "期内办结案件结案时登记的挽回经济损失金额之和（与避免经济损失分别统计）。", HL_MONEY("losses_recovered_fen"),
     HL_CLOSED_ROWS},
    {"outcomes.mediation.sessions", "调解（次）", "Mediation sessions", FigureUnit::items, "outcomes",
     "期内安排的调解次数（按调解日期）。", "count(*)", HL_BY_CASE("mediations", "m", "scheduled_at")},
    {"outcomes.mediation.agreements", "调解成功（次）", "Mediation agreements", FigureUnit::items, "outcomes",
     "期内调解中达成调解协议的次数。", HL_SUM("m.result = 'agreement'"), HL_BY_CASE("mediations", "m", "scheduled_at")},
    {"outcomes.mediation.failures", "调解不成（次）", "Mediation failures", FigureUnit::items, "outcomes",
     "期内调解中未达成协议的次数。", HL_SUM("m.result = 'failed'"), HL_BY_CASE("mediations", "m", "scheduled_at")},

    // ---- DV ----
    {"dv.contacts", "家暴来信来访来电（件）", "DV contacts (items)", FigureUnit::items, "dv",
     "期内收到的件中问题类别为家庭暴力的件数。", HL_DATA_SUM("k.category = " HL_DV_CATEGORY), HL_DATA_CONTACTS},
    {"dv.cases", "家暴案件", "DV cases opened", FigureUnit::items, "dv", "期内登记的问题类别为家庭暴力的案件数。",
     HL_SUM("c.category = " HL_DV_CATEGORY), HL_OPENED},
    {"dv.risk.general", "风险评估：一般", "Risk assessments: general", FigureUnit::items, "dv",
     "期内完成的评估结果为一般风险的次数。", HL_SUM("a.level = 'general'"),
     HL_BY_CASE("dv_risk_assessments", "a", "assessed_at")},
    {"dv.risk.elevated", "风险评估：较高", "Risk assessments: elevated", FigureUnit::items, "dv",
     "期内完成的评估结果为较高风险的次数。", HL_SUM("a.level = 'elevated'"),
     HL_BY_CASE("dv_risk_assessments", "a", "assessed_at")},
    {"dv.risk.high", "风险评估：高", "Risk assessments: high", FigureUnit::items, "dv", "期内完成的评估结果为高风险的次数。",
     HL_SUM("a.level = 'high'"), HL_BY_CASE("dv_risk_assessments", "a", "assessed_at")},
    {"dv.risk.extreme", "风险评估：极高", "Risk assessments: extreme", FigureUnit::items, "dv",
     "期内完成的评估结果为极高风险的次数。", HL_SUM("a.level = 'extreme'"),
     HL_BY_CASE("dv_risk_assessments", "a", "assessed_at")},
    {"dv.orders.applied_by_victim", "申请人身安全保护令：本人申请", "Protection orders applied for by the victim",
     FigureUnit::items, "dv", "期内由受害人本人申请人身安全保护令的件数（按申请日期）。", HL_SUM("p.applied_by = 'victim'"),
     HL_BY_CASE("dv_protection_orders", "p", "applied_at")},
    {"dv.orders.applied_by_federation", "申请人身安全保护令：妇联代为申请",
     "Protection orders applied for on her behalf by the federation", FigureUnit::items, "dv",
     "期内由妇联代为申请人身安全保护令的件数（按申请日期）。", HL_SUM("p.applied_by = 'federation'"),
     HL_BY_CASE("dv_protection_orders", "p", "applied_at")},
    {"dv.orders.granted", "人身安全保护令：签发", "Protection orders granted", FigureUnit::items, "dv",
     "期内法院裁定签发的人身安全保护令件数（按裁定日期）。", HL_SUM("p.status = 'granted'"),
     HL_BY_CASE("dv_protection_orders", "p", "ruled_at")},
    {"dv.orders.rejected", "人身安全保护令：驳回", "Protection orders rejected", FigureUnit::items, "dv",
     "期内法院裁定驳回的人身安全保护令申请件数（按裁定日期）。", HL_SUM("p.status = 'denied'"),
     HL_BY_CASE("dv_protection_orders", "p", "ruled_at")},
    {"dv.orders.violated", "违反人身安全保护令（次）", "Protection order violations", FigureUnit::items, "dv",
     "期内发生的违反人身安全保护令的次数（按发生日期）。", "count(*)",
     " FROM dv_protection_order_violations v JOIN dv_protection_orders p ON p.id = v.order_id"
     " JOIN cases c ON c.id = p.case_id WHERE v.occurred_at >= ?2 AND v.occurred_at < ?3 AND " HL_IN_SCOPE("c.office_path")},
    {"dv.warning_letters", "家庭暴力告诫书", "Warning letters", FigureUnit::items, "dv",
     "期内公安机关出具的家庭暴力告诫书份数（按出具日期）。", "count(*)", HL_BY_CASE("dv_warning_letters", "w", "issued_at")},
    {"dv.shelter_stays", "临时庇护（人次）", "Shelter stays", FigureUnit::person_times, "dv",
     "期内开始的临时庇护人次（按入住日期）。", "count(*)", HL_BY_CASE("dv_shelter_stays", "h", "from_at")},
    {"dv.mandatory_reports", "强制报告", "Mandatory reports received", FigureUnit::items, "dv",
     "期内收到的强制报告件数（按报告日期）。", "count(*)", HL_BY_CASE("dv_mandatory_reports", "m", "reported_at")},
    {"dv.repeat_victimisation", "重复受害", "Repeat victimisation", FigureUnit::items, "dv",
     "期内登记的家暴案件中，同一受害人（按投诉人或受害人的证件或电话识别）在此前12个月（365天）内已有其他家暴案件的件数；"
     "同一事项的交办、转送案件不算。",
     HL_SUM(HL_REPEAT_VICTIM), HL_OPENED},

    // ---- follow-up ----
    {"follow_up.done", "回访（次）", "Follow-ups done", FigureUnit::items, "follow_up", "期内完成的回访次数（按回访日期）。",
     "count(*)", HL_BY_CASE("follow_ups", "f", "contacted_at")},
    {"follow_up.satisfaction", "满意率", "Satisfaction rate", FigureUnit::percent, "follow_up",
     "期内回访中评价为满意或基本满意的比例：（满意＋基本满意）÷ 回访次数。",
     HL_SUM("f.satisfaction IN ('satisfied','basically_satisfied')") ", count(*)",
     HL_BY_CASE("follow_ups", "f", "contacted_at")},
};

// The two tables beside the figures, from the same fragments: contacts and cases by category ×
// channel, and data contacts per Beijing month (the desk's chart). One row per contact or case, summed
// by period_report.cpp: a GROUP BY here sorts every contact of the period, five times the cost of
// reading them (a province's year at 1 M cases: 266 ms against about 50; tests/bench/aging_bench.cpp).
constexpr std::string_view kCategoryContacts =
    "SELECT coalesce(k.category, ''), k.channel, k.received_at, k.persons" HL_DATA_CONTACTS;
constexpr std::string_view kCategoryCases = "SELECT c.category, c.channel" HL_OPENED;
// The rows of that table: the categories, first level and second, in the vocabulary's order.
constexpr std::string_view kCategoryList =
    "SELECT code, coalesce(parent_code, ''), name_zh FROM categories ORDER BY sort, code";

// ---- the figures' statements, joined at compile time ----
// Figures read from the same rows (the same `from`) share one statement, their columns side by side
// in table order: SELECT, then their selects separated by commas, then the shared FROM … WHERE. The
// compiler writes each one out as a constant text (StatementText below), so no SQL is assembled while
// a report is made, and every value — scope, period, report date — is a bound parameter.
constexpr std::size_t kFigureCount = std::size(kFigures);

constexpr std::array<std::size_t, kFigureCount> kStatementOf = [] {
  std::array<std::size_t, kFigureCount> of{};
  std::size_t next = 0;
  for (std::size_t i = 0; i < kFigureCount; ++i) {
    std::size_t first = 0;  // the first figure read from the same rows
    while (kFigures[first].from != kFigures[i].from) ++first;
    of[i] = first == i ? next++ : of[first];
  }
  return of;
}();
constexpr std::size_t kStatementCount = *std::max_element(kStatementOf.begin(), kStatementOf.end()) + 1;

// Hands the pieces of statement g to `add`, in order.
template <class Add>
constexpr void statement_pieces(std::size_t g, Add add) {
  std::string_view from;
  for (std::size_t i = 0; i < kFigureCount; ++i) {
    if (kStatementOf[i] != g) continue;
    add(from.empty() ? std::string_view("SELECT ") : std::string_view(", "));
    add(kFigures[i].select);
    from = kFigures[i].from;
  }
  add(from);
}

consteval std::size_t statement_length(std::size_t g) {
  std::size_t n = 0;
  statement_pieces(g, [&](std::string_view piece) { n += piece.size(); });
  return n;
}

template <std::size_t G>
struct StatementText {
  static constexpr std::array<char, statement_length(G)> chars = [] {
    std::array<char, statement_length(G)> out{};
    std::size_t at = 0;
    statement_pieces(G, [&](std::string_view piece) {
      for (char c : piece) out[at++] = c;
    });
    return out;
  }();
};

constexpr auto kStatements = []<std::size_t... G>(std::index_sequence<G...>) {
  return std::array<std::string_view, kStatementCount>{
      std::string_view(StatementText<G>::chars.data(), StatementText<G>::chars.size())...};
}(std::make_index_sequence<kStatementCount>{});

}  // namespace

std::span<const std::string_view> figure_statements() { return kStatements; }
std::size_t figure_statement_of(std::size_t figure) { return kStatementOf.at(figure); }
std::string_view category_contacts_sql() { return kCategoryContacts; }
std::string_view category_cases_sql() { return kCategoryCases; }
std::string_view category_list_sql() { return kCategoryList; }

std::string_view unit_zh(FigureUnit u) {
  switch (u) {
    case FigureUnit::items: return "件";
    case FigureUnit::person_times: return "人次";
    case FigureUnit::persons: return "人";
    case FigureUnit::batches: return "批次";
    case FigureUnit::yuan: return "元";
    case FigureUnit::percent: return "%";
  }
  return "";
}

std::string_view unit_key(FigureUnit u) {
  switch (u) {
    case FigureUnit::items: return "items";
    case FigureUnit::person_times: return "person_times";
    case FigureUnit::persons: return "persons";
    case FigureUnit::batches: return "batches";
    case FigureUnit::yuan: return "yuan";
    case FigureUnit::percent: return "percent";
  }
  return "";
}

std::span<const SectionDef> report_sections() { return kSections; }
std::span<const FigureDef> report_figures() { return kFigures; }

const FigureDef* find_figure(std::string_view key) {
  for (const auto& f : kFigures)
    if (f.key == key) return &f;
  return nullptr;
}

std::string_view channel_name_zh(std::string_view code) {
  for (const auto& f : kFigures) {
    // The channel figures carry the names: "contacts.<code>.items" → "来电（件）" → "来电".
    if (f.key.size() == code.size() + 15 && f.key.starts_with("contacts.") && f.key.substr(9, code.size()) == code &&
        f.key.ends_with(".items")) {
      return f.name_zh.substr(0, f.name_zh.find("（"));
    }
  }
  return code;
}

}  // namespace hl::casework
