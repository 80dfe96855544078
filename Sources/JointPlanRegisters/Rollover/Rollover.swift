import Foundation
import JointPlan

/// One quarter into the next (issue 13, item 7): the next quarter's scenario from this
/// quarter's scenario, its plan and what was really done.
///
/// - horizon: the new quarter, with China's working-day calendar for it (`HolidayCalendar`);
///   weekdays, day window, breaks and time zone kept;
/// - `lastChecked` per enterprise and item: the latest date a check was really done (the
///   actuals if given, else the plan), when later than the one before;
/// - `onsiteVisitsThisYear`: plus the on-site visits that took place, or 0 in a new year;
/// - pins before the new quarter dropped, and leave and blackouts that end before it;
/// - the seed: given, or the new quarter's first day as YYYYMMDD (`QuarterSeed`);
/// - everything else kept as it was.
///
/// Required checks that were not done (unmet in the plan, or reported not done) are not carried
/// as extra checks — spec frequencies are per horizon and the spec has no backlog. Their
/// `lastChecked` does not move, so spacing never delays them and the next count or draw covers
/// them; each such enterprise carries the list in `extensions.rollover.notDone`, which
/// `explain` shows.
public enum Rollover {
    public struct Report: Sendable {
        public var from = "", to = ""
        public var lastCheckedMoved = 0
        public var lastCheckedAdded = 0
        public var visitsDone = 0
        public var visitsThisYear = 0
        public var yearReset = false
        public var notDone = 0
        public var enterprisesWithNotDone = 0
        public var pinsDropped = 0
        public var leaveDropped = 0
        public var blackoutsDropped = 0
        public var holidays: [DateSpan] = []
        public var extraWorkdays: [Day] = []
        public var sources: [String] = []
        public var seed: UInt64 = 0
        public var actuals: String?

        public var text: String {
            var s = "rollover \(from) → \(to)\n"
            if let actuals { s += "  actuals: \(actuals)\n" }
            s += "  lastChecked: \(lastCheckedMoved) moved, \(lastCheckedAdded) added\n"
            s += "  onsiteVisitsThisYear: \(visitsDone) visits done this quarter" + (yearReset ? ", reset to 0 for the new year" : "; \(visitsThisYear) visits this year in all") + "\n"
            s += "  required checks not done: \(notDone) at \(enterprisesWithNotDone) enterprises — lastChecked not moved, listed under extensions.rollover.notDone\n"
            s += "  dropped: \(pinsDropped) pins, \(leaveDropped) leave entries, \(blackoutsDropped) blackout entries before \(to)\n"
            s += "  holidays: " + (holidays.isEmpty ? "none" : holidays.map(\.description).joined(separator: ", ")) + "\n"
            s += "  make-up working days: " + (extraWorkdays.isEmpty ? "none" : extraWorkdays.map(\.description).joined(separator: ", ")) + "\n"
            s += "  calendar: " + sources.joined(separator: "; ") + "\n"
            s += "  seed: \(seed)\n"
            return s
        }
    }

    public static func quarter(of d: Day) -> Quarter {
        let c = d.civil
        return Quarter(year: c.year, number: (c.month - 1) / 3 + 1)!
    }

    public static func next(document: JSON, scenario: Scenario, plan: Plan, actuals: Actuals?, quarter: Quarter,
                            calendar: HolidayCalendar, seed: UInt64? = nil) throws -> (document: JSON, report: Report) {
        guard var top = document.objectValue else { throw RegisterError("the scenario is not a JSON object") }
        let old = Rollover.quarter(of: scenario.horizon.start)
        guard quarter.start > scenario.horizon.end else {
            throw RegisterError("\(quarter) does not start after the scenario's horizon (\(scenario.horizon.start)..\(scenario.horizon.end))")
        }
        guard let days = calendar.days(from: quarter.start, to: quarter.end) else {
            let known = calendar.years.keys.sorted().map(String.init).joined(separator: ", ")
            throw RegisterError("no working-day calendar for \(quarter.year) (bundled: \(known)); give the State Council's notice as --holidays FILE (format jointplan.holidays/1)")
        }
        var r = Report()
        r.from = old.description
        r.to = quarter.description
        r.holidays = days.holidays
        r.extraWorkdays = days.extraWorkdays
        r.sources = days.sources
        r.seed = seed ?? QuarterSeed.seed(for: quarter)

        // The horizon.
        var h = top["horizon"]?.objectValue ?? JSONObject()
        h["start"] = .string(quarter.start.description)
        h["end"] = .string(quarter.end.description)
        h["holidays"] = .array(days.holidays.map { .string($0.description) })
        h["extraWorkdays"] = .array(days.extraWorkdays.map { .string($0.description) })
        top["horizon"] = .object(h)

        // What was done.
        let record = actuals ?? Actuals(plan: plan)
        if let actuals { r.actuals = actuals.summary }
        let (last, visits) = record.done(plan: plan)
        var notDone: [String: [(String, Int, String)]] = [:]
        for u in plan.unmet { notDone[u.enterprise, default: []].append((u.item, u.occurrence, "unmet: " + u.reason.rawValue)) }
        for (k, e) in record.entries {
            if case .notDone(let reason) = e.status { notDone[k.enterprise, default: []].append((k.item, k.occurrence, "not done: " + reason)) }
        }
        let sameYear = quarter.year == scenario.horizon.end.civil.year
        r.yearReset = !sameYear

        var enterprises = top["enterprises"]?.arrayValue ?? []
        for i in enterprises.indices {
            guard var e = enterprises[i].objectValue, let id = e["id"]?.stringValue else { continue }
            var lc = e["lastChecked"]?.objectValue ?? JSONObject()
            for (item, d) in (last[id] ?? [:]).sorted(by: { $0.key < $1.key }) {
                if let before = lc[item]?.stringValue.flatMap(Day.init) {
                    if d > before { lc[item] = .string(d.description); r.lastCheckedMoved += 1 }
                } else {
                    lc[item] = .string(d.description)
                    r.lastCheckedAdded += 1
                }
            }
            if !lc.isEmpty { e["lastChecked"] = .object(lc) }
            let done = (visits[id] ?? []).filter { $0.civil.year == scenario.horizon.end.civil.year }.count
            r.visitsDone += (visits[id] ?? []).count
            let before = e["onsiteVisitsThisYear"]?.intValue ?? 0
            let now = sameYear ? before + done : 0
            r.visitsThisYear += now
            if now != 0 || e["onsiteVisitsThisYear"] != nil { e["onsiteVisitsThisYear"] = .int(now) }
            if let spans = e["blackout"]?.arrayValue {
                let kept = spans.filter { ($0.stringValue.flatMap(DateSpan.init)?.end ?? quarter.start) >= quarter.start }
                r.blackoutsDropped += spans.count - kept.count
                e["blackout"] = .array(kept)
            }
            var ext = e["extensions"]?.objectValue ?? JSONObject()
            if let list = notDone[id] {
                r.notDone += list.count
                r.enterprisesWithNotDone += 1
                ext["rollover"] = .object(JSONObject([
                    ("from", .string(old.description)),
                    ("notDone", .array(list.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map { item, occ, why in
                        .object(JSONObject([("item", .string(item)), ("occurrence", .int(occ)), ("reason", .string(why)),
                                            ("lastChecked", lc[item] ?? .null)]))
                    })),
                ]))
            } else {
                ext["rollover"] = nil
            }
            e["extensions"] = ext.isEmpty ? nil : .object(ext)
            enterprises[i] = .object(e)
        }
        top["enterprises"] = .array(enterprises)

        var inspectors = top["inspectors"]?.arrayValue ?? []
        for i in inspectors.indices {
            guard var p = inspectors[i].objectValue, let spans = p["unavailable"]?.arrayValue else { continue }
            let kept = spans.filter { ($0.stringValue.flatMap(DateSpan.init)?.end ?? quarter.start) >= quarter.start }
            r.leaveDropped += spans.count - kept.count
            p["unavailable"] = .array(kept)
            inspectors[i] = .object(p)
        }
        top["inspectors"] = .array(inspectors)

        let pins = top["pinned"]?.arrayValue ?? []
        let keptPins = pins.filter { ($0["date"]?.stringValue.flatMap(Day.init) ?? quarter.start) >= quarter.start }
        r.pinsDropped = pins.count - keptPins.count
        top["pinned"] = .array(keptPins)

        var policy = top["policy"]?.objectValue ?? JSONObject()
        policy["seed"] = .number(String(r.seed))
        top["policy"] = .object(policy)
        top["name"] = .string(rename(top["name"]?.stringValue ?? "", from: old, to: quarter))
        return (.object(top), r)
    }

    /// `…2026年第一季度…` → `…2026年第二季度…`; a name without its quarter gets ` (2026Q2)`.
    static func rename(_ name: String, from: Quarter, to: Quarter) -> String {
        func zh(_ q: Quarter) -> String { "\(q.year)年第\(["一", "二", "三", "四"][q.number - 1])季度" }
        if name.contains(zh(from)) { return name.replacingOccurrences(of: zh(from), with: zh(to)) }
        if name.contains(from.description) { return name.replacingOccurrences(of: from.description, with: to.description) }
        return name.isEmpty ? to.description : "\(name) (\(to))"
    }

    /// What `explain` shows of an enterprise's carried-over checks (补查), from the scenario
    /// document; with `plan`, where each is planned again this quarter.
    public static func explanation(document: JSON, enterprise: String, plan: Plan? = nil, language: Language = .en) -> [String] {
        guard let e = document["enterprises"]?.arrayValue?.first(where: { $0["id"]?.stringValue == enterprise }),
              let ro = e["extensions"]?["rollover"], let list = ro["notDone"]?.arrayValue, !list.isEmpty else { return [] }
        let t = Catalogue(language)
        var out = [t("rollover.carried.head", ro["from"]?.stringValue ?? "?")]
        for x in list {
            let item = x["item"]?.stringValue ?? "?"
            let last = x["lastChecked"]?.stringValue.map { t("rollover.carried.last", $0) } ?? t("rollover.carried.never")
            var line = "  \(item) #\(x["occurrence"]?.intValue ?? 0): \(x["reason"]?.stringValue ?? "") — \(last)"
            if let plan {
                let again = plan.visits.filter { v in v.enterprise == enterprise && v.checks.contains { $0.item == item } }.map { "\($0.id) \($0.date)" }
                    + plan.remoteChecks.filter { $0.enterprise == enterprise && $0.item == item }.map { "\($0.date)" }
                line += again.isEmpty ? t("rollover.carried.notAgain") : t("rollover.carried.again", again.joined(separator: ", "))
            }
            out.append(line)
        }
        return out
    }
}
