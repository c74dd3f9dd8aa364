#!/usr/bin/env python3
"""Adds up the hand-worked tables A-H of EXPECTED.md by period and office: writes expected.json and the
per-period tables at the end of EXPECTED.md. Only sums and the two period rules stated at tables D
and E, and which offices a report covers; every classification (what a contact or case counts in, and why) is in EXPECTED.md by hand.
Run after editing a table:  python3 tests/data/report-ledger/tally.py"""
import json, math, os, re

HERE = os.path.dirname(os.path.abspath(__file__))
DOC = os.path.join(HERE, "EXPECTED.md")
MARK = "## The expected figures\n"

CHANNELS = ["letter", "walk_in", "hotline", "online", "agent", "screening", "transfer_in"]
NON_DATA = ["silent", "hang_up", "abusive", "wrong_number"]
KINDS = ["legal", "marriage_family", "psychological", "other", "unspecified"]
PERIODS = [f"2026-{m:02d}" for m in range(1, 7)] + ["2026-Q1", "2026-Q2", "2026-H1", "2026"]
REPORTS = [("430000", "subtree"), ("430000", "office"), ("431000", "subtree"), ("431000", "office"),
           ("431023", "office"), ("431021", "office")]
OFFICE = {"P": "430000", "C": "431000", "Y": "431023", "G": "431021"}
# The offices of a 本级及下级 report: the province holds the city, the city both counties.
BELOW = {"430000": {"430000", "431000", "431023", "431021"}, "431000": {"431000", "431023", "431021"}}


def months(period):
    if period == "2026": return set(range(1, 13))
    if period.endswith("H1"): return set(range(1, 7))
    if "-Q" in period:
        q = int(period[-1]); return set(range(3 * q - 2, 3 * q + 1))
    return {int(period[5:])}


def blocks(text, tag):
    return [b for b in re.findall(r"```" + tag + r"\n(.*?)```", text, re.S)]


def rows(text, tag):
    return [line.split() for b in blocks(text, tag) for line in b.strip().splitlines() if line.strip()]


def in_period(day, period):
    return day != "-" and int(day[:2]) in months(period)


def pct(n, d):
    return None if d == 0 else math.floor(10000.0 * n / d + 0.5) / 100.0


def figures(text, period, office, scope):
    def counts(off, local):
        # The report's offices, and whether a `local` item is counted.
        here = off == office if scope == "office" else off in BELOW[office]
        return here and not (scope == "subtree" and local)

    f = {}
    def add(key, n=1): f[key] = f.get(key, 0) + n
    for c in CHANNELS: f[f"contacts.{c}.items"] = f[f"contacts.{c}.persons"] = 0
    for k in ["contacts.total.items", "contacts.total.persons", "contacts.first.items", "contacts.repeat.items",
              "contacts.group.batches", "contacts.group.persons", "contacts.level_skipping.items",
              "contacts.non_data.items", "consultations.total.items", "dv.contacts", "contacts.received.items"]: f[k] = 0
    for k in NON_DATA: f[f"contacts.non_data.{k}"] = 0
    for k in KINDS: f[f"consultations.{k}.persons"] = 0
    handled = data = 0
    for ref, day, off, channel, persons, flags in rows(text, "contacts"):
        flags = flags.split(","); persons = int(persons)
        if not in_period(day, period) or not counts(OFFICE[off], "local" in flags): continue
        nondata = [x.split(":")[1] for x in flags if x.startswith("nondata:")]
        add("contacts.received.items")
        if nondata: add("contacts.non_data.items"); add(f"contacts.non_data.{nondata[0]}"); continue
        data += 1
        add(f"contacts.{channel}.items"); add(f"contacts.{channel}.persons", persons)
        add("contacts.total.items"); add("contacts.total.persons", persons)
        add("contacts.repeat.items" if "repeat" in flags else "contacts.first.items")
        if "group" in flags: add("contacts.group.batches"); add("contacts.group.persons", persons)
        if "skip" in flags: add("contacts.level_skipping.items")
        if "dv" in flags: add("dv.contacts")
        kind = [x.split(":")[1] for x in flags if x.startswith("answered:")]
        if kind: add(f"consultations.{kind[0]}.persons", persons); add("consultations.total.items")
        if kind or "case" in flags: handled += 1
    f["rates.handling"] = pct(handled, data)

    for k in ["cases.opened", "cases.accepted", "cases.declined", "cases.forwarded", "cases.delegated", "cases.closed",
              "cases.closed_again", "dv.cases", "dv.repeat_victimisation"]: f[k] = 0
    cohort = closed_now = 0
    for r in rows(text, "cases"):
        ref, off, opened, dv, accepted, closed = r[:6]; flags = r[6:]
        if in_period(opened, period) and counts(OFFICE[off], "local" in flags):
            add("cases.opened")
            if dv == "dv": add("dv.cases")
            if "rv" in flags: add("dv.repeat_victimisation")
        # No copy's acceptance is excluded (table B): `local` applies to the registration only.
        if in_period(accepted, period) and counts(OFFICE[off], False):
            add("cases.accepted"); cohort += 1; closed_now += int(closed)
    f["rates.closure"] = pct(closed_now, cohort)

    measures = ["dv.risk.general", "dv.risk.elevated", "dv.risk.high", "dv.risk.extreme", "dv.orders.applied_by_victim",
                "dv.orders.applied_by_federation", "dv.orders.granted", "dv.orders.rejected", "dv.orders.violated",
                "dv.warning_letters", "dv.shelter_stays", "dv.mandatory_reports", "outcomes.legal_aid.persons",
                "outcomes.mediation.sessions", "outcomes.mediation.agreements", "outcomes.mediation.failures",
                "follow_up.done"]
    for k in measures: f[k] = 0
    sat = 0
    for r in rows(text, "events"):
        day, off, keys = r[0], r[1], r[2]
        if not in_period(day, period) or not counts(OFFICE[off], False): continue
        for k in keys.split(","):
            if k == "sat": sat += 1
            else: add(k)
    f["follow_up.satisfaction"] = pct(sat, f["follow_up.done"])

    last = {}  # ref → its last closure in the period (table D's rule)
    for r in rows(text, "closures"):
        ref, off, day, avoided, recovered = r[:5]; flags = r[5:]
        if in_period(day, period) and counts(OFFICE[off], "local" in flags):
            last[ref] = (float(avoided), float(recovered), "again" in flags)
    f["cases.closed"] = len(last)
    f["cases.closed_again"] = sum(1 for v in last.values() if v[2])
    f["outcomes.losses_avoided"] = round(sum(v[0] for v in last.values()), 2)
    f["outcomes.losses_recovered"] = round(sum(v[1] for v in last.values()), 2)

    for k in ["cases.supervised", "cases.supervision_answered", "cases.supervision_overdue", "reviews.requested",
              "reviews.decided", "re_reviews.requested", "re_reviews.decided"]: f[k] = 0
    for ref, case, off, opened, due, answered, overdue in rows(text, "supervisions"):
        if not counts(OFFICE[off], False): continue
        if in_period(opened, period): add("cases.supervised")
        if in_period(answered, period): add("cases.supervision_answered")
        if in_period(due, period): add("cases.supervision_overdue", int(overdue))
    for ref, case, kind, off, requested, decided in rows(text, "reviews"):
        if not counts(OFFICE[off], False): continue
        prefix = "reviews" if kind == "review" else "re_reviews"
        if in_period(requested, period): add(f"{prefix}.requested")
        if in_period(decided, period): add(f"{prefix}.decided")

    den = num = 0
    for r in rows(text, "ontime"):
        ref, off, due, closures, ontime = r[:5]; flags = r[5:]
        if not counts(OFFICE[off], "local" in flags): continue
        if in_period(due, period) or any(in_period(d, period) for d in closures.split(",")):
            den += 1; num += int(ontime)
    f["rates.on_time"] = pct(num, den)
    return f


def table(reports_for_period):
    keys = list(reports_for_period[0]["figures"].keys())
    head = "| figure | " + " | ".join(f"{r['office']} {'本级及下级' if r['scope'] == 'subtree' else '本级'}"
                                     for r in reports_for_period) + " |"
    out = [head, "|" + "---|" * (len(reports_for_period) + 1)]
    for k in keys:
        vals = ["—" if r["figures"][k] is None else f"{r['figures'][k]:g}" for r in reports_for_period]
        out.append(f"| `{k}` | " + " | ".join(vals) + " |")
    return "\n".join(out)


def main():
    text = open(DOC, encoding="utf-8").read()
    head = text[: text.index(MARK) + len(MARK)]
    reports = [{"period": p, "office": o, "scope": s, "figures": figures(head, p, o, s)} for p in PERIODS for o, s in REPORTS]
    with open(os.path.join(HERE, "expected.json"), "w", encoding="utf-8") as out:
        json.dump({"about": "The sums of EXPECTED.md's tables A-H (tally.py); compared by tests/api/test_report_dataset.cpp.",
                   "report_at": "2026-07-10T10:00:00+08:00", "reports": reports}, out, ensure_ascii=False, indent=1)
        out.write("\n")
    parts = [head, "\nColumns: 430000 = 湖南省, 431000 = 郴州市, 431023 = 永兴县, 431021 = 桂阳县. Money in yuan, rates in %,"
                   " — = no denominator.\n"]
    for p in PERIODS:
        parts.append(f"\n### {p}\n\n" + table([r for r in reports if r["period"] == p]) + "\n")
    open(DOC, "w", encoding="utf-8").write("".join(parts))


if __name__ == "__main__":
    main()
