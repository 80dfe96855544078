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
/// Required checks that were not done (unmet in the plan, or reported not done) are carried into
/// the new quarter as 补查 (`CarryOver`): required again, as checks of a derived `count` item
/// that only the carried enterprises have, so the draw is untouched; a check the new quarter
/// requires anyway of that enterprise covers one carried check. Their `lastChecked` does not
/// move. Each such enterprise lists them in `extensions.rollover.notDone` (and the carried
/// ones in `extensions.carriedOver`), which `explain` shows.
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
        /// 补查: checks carried as required checks of derived items, at how many enterprises,
        /// through how many derived items; checks covered by the new quarter's own required
        /// checks; checks of an item the scenario no longer has.
        public var carried = 0
        public var carriedEnterprises = 0
        public var carryItems: [String] = []
        public var covered = 0
        public var notCarried = 0
        public var pinsDropped = 0
        public var leaveDropped = 0
        public var blackoutsDropped = 0
        public var holidays: [DateSpan] = []
        public var extraWorkdays: [Day] = []
        public var sources: [String] = []
        public var seed: UInt64 = 0
        public var actuals: String?
        /// The actuals read, for their summary in the operator's language.
        public var actualsRecord: Actuals?

        public var text: String { text(.en) }

        /// What changed, for the operator (stderr), in `language`.
        public func text(_ language: Language) -> String {
            let t = Catalogue(language)
            func dates(_ d: [String]) -> String { d.isEmpty ? t("rollover.report.none") : d.joined(separator: ", ") }
            var s = t("rollover.report.head", from, to) + "\n"
            if let actuals { s += "  " + t("rollover.report.actuals", actualsRecord?.summary(t) ?? actuals) + "\n" }
            s += "  " + t("rollover.report.lastChecked", lastCheckedMoved, lastCheckedAdded) + "\n"
            s += "  " + (yearReset ? t("rollover.report.visitsReset", visitsDone) : t("rollover.report.visits", visitsDone, visitsThisYear)) + "\n"
            s += "  " + t("rollover.report.notDone", notDone, enterprisesWithNotDone) + "\n"
            s += "  " + t("rollover.report.carried", carried, carriedEnterprises, carryItems.count,
                          carryItems.isEmpty ? t("rollover.report.none") : carryItems.joined(separator: ", "), covered)
            if notCarried > 0 { s += t("rollover.report.notCarried", notCarried) }
            s += "\n"
            s += "  " + t("rollover.report.dropped", pinsDropped, leaveDropped, blackoutsDropped, to) + "\n"
            s += "  " + t("rollover.report.holidays", dates(holidays.map(\.description))) + "\n"
            s += "  " + t("rollover.report.extraWorkdays", dates(extraWorkdays.map(\.description))) + "\n"
            s += "  " + t("rollover.report.calendar", sources.joined(separator: "; ")) + "\n"
            s += "  " + t("rollover.report.seed", seed) + "\n"
            return s
        }
    }

    public static func quarter(of d: Day) -> Quarter {
        let c = d.civil
        return Quarter(year: c.year, number: (c.month - 1) / 3 + 1)!
    }

    public static func next(document: JSON, scenario: Scenario, plan: Plan, actuals: Actuals?, quarter: Quarter,
                            calendar: HolidayCalendar, seed: UInt64? = nil, run: Int64? = nil) throws -> (document: JSON, report: Report) {
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

        // Last quarter's 补查 items (derived by the rollover before it): a check of one is a
        // check of its original item; the items and their categories go, and what is still not
        // done is derived again below.
        var items = top["items"]?.arrayValue ?? []
        var derivedOf: [String: String] = [:]
        var derivedCategories = Set<String>()
        items.removeAll { it in
            guard let id = it["id"]?.stringValue, let original = it["extensions"]?["carryOverOf"]?.stringValue else { return false }
            derivedOf[id] = original
            for c in it["categories"]?.arrayValue ?? [] { if let c = c.stringValue { derivedCategories.insert(c) } }
            return true
        }
        top["items"] = .array(items)
        func original(_ item: String) -> String { derivedOf[item] ?? item }

        // What was done.
        let record = actuals ?? Actuals(plan: plan)
        if let actuals {
            r.actuals = actuals.summary
            r.actualsRecord = actuals
        }
        let (doneLast, visits) = record.done(plan: plan)
        var last: [String: [String: Day]] = [:]
        for (e, m) in doneLast {
            for (i, d) in m { last[e, default: [:]][original(i)] = max(last[e]?[original(i)] ?? d, d) }
        }
        var notDone: [String: [CarryOver.NotDone]] = [:]
        for u in plan.unmet {
            notDone[u.enterprise, default: []].append(CarryOver.NotDone(item: original(u.item), occurrence: u.occurrence,
                                                                        reason: "unmet: " + u.reason.rawValue, visit: nil, planned: nil,
                                                                        was: derivedOf[u.item] == nil ? nil : u.item))
        }
        for (k, e) in record.entries {
            if case .notDone(let reason) = e.status {
                notDone[k.enterprise, default: []].append(CarryOver.NotDone(item: original(k.item), occurrence: k.occurrence,
                                                                            reason: "not done: " + reason, visit: e.visit, planned: e.plannedDate,
                                                                            was: derivedOf[k.item] == nil ? nil : k.item))
            }
        }
        let sameYear = quarter.year == scenario.horizon.end.civil.year
        r.yearReset = !sameYear

        var enterprises = top["enterprises"]?.arrayValue ?? []
        for i in enterprises.indices {
            guard var e = enterprises[i].objectValue, let id = e["id"]?.stringValue else { continue }
            var lc = e["lastChecked"]?.objectValue ?? JSONObject()
            for k in lc.keys where derivedOf[k] != nil { lc[k] = nil }
            if let cats = e["categories"]?.arrayValue, cats.contains(where: { derivedCategories.contains($0.stringValue ?? "") }) {
                e["categories"] = .array(cats.filter { !derivedCategories.contains($0.stringValue ?? "") })
            }
            for (item, d) in (last[id] ?? [:]).sorted(by: { $0.key < $1.key }) {
                if let before = lc[item]?.stringValue.flatMap(Day.init) {
                    if d > before { lc[item] = .string(d.description); r.lastCheckedMoved += 1 }
                } else {
                    lc[item] = .string(d.description)
                    r.lastCheckedAdded += 1
                }
            }
            if !lc.isEmpty || e["lastChecked"] != nil { e["lastChecked"] = .object(lc) }
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
            ext["carriedOver"] = nil
            if let list = notDone[id] {
                r.notDone += list.count
                r.enterprisesWithNotDone += 1
                ext["rollover"] = .object(JSONObject([
                    ("from", .string(old.description)),
                    ("notDone", .array(list.sorted { ($0.item, $0.occurrence) < ($1.item, $1.occurrence) }.map { $0.json(lastChecked: lc[$0.item]) })),
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
        // 补查: what was not done is required again, outside the new draw (CarryOver).
        CarryOver.apply(to: &top, notDone: notDone, from: old, seed: r.seed, run: run, report: &r)
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
    /// document; with `plan`, where each is planned this quarter: a carried check under its
    /// 补查 item, a covered one under the item itself.
    public static func explanation(document: JSON, enterprise: String, plan: Plan? = nil, language: Language = .en) -> [String] {
        guard let e = document["enterprises"]?.arrayValue?.first(where: { $0["id"]?.stringValue == enterprise }),
              let ro = e["extensions"]?["rollover"], let list = ro["notDone"]?.arrayValue, !list.isEmpty else { return [] }
        let t = Catalogue(language)
        let from = ro["from"]?.stringValue ?? "?"
        let carried = e["extensions"]?["carriedOver"]?.arrayValue ?? []
        var out = [t("rollover.carried.head", from)]
        for x in list {
            let item = x["item"]?.stringValue ?? "?"
            let last = x["lastChecked"]?.stringValue.map { t("rollover.carried.last", $0) } ?? t("rollover.carried.never")
            var line = "  \(item) #\(x["occurrence"]?.intValue ?? 0): \(x["reason"]?.stringValue ?? "")"
            if let visit = x["visit"]?.stringValue {
                line += t("rollover.carried.visit", visit, x["plannedDate"]?.stringValue ?? "?")
            }
            line += " — \(last)"
            // Where the new quarter holds it: the 补查 item it is carried as, or the item itself.
            var holder = item
            if let id = x["carriedAs"]?.stringValue {
                holder = id
                let run = carried.first { $0["as"]?.stringValue == id }?["run"]?.intValue
                line += run.map { t("rollover.carried.asRun", id, from, $0) } ?? t("rollover.carried.as", id, from)
            } else if x["covered"]?.boolValue == true {
                line += t("rollover.carried.covered")
            }
            if let plan {
                let again = plan.visits.filter { v in v.enterprise == enterprise && v.checks.contains { $0.item == holder } }.map { "\($0.id) \($0.date)" }
                    + plan.remoteChecks.filter { $0.enterprise == enterprise && $0.item == holder }.map { "\($0.date)" }
                let unmet = plan.unmet.filter { $0.enterprise == enterprise && $0.item == holder }.map { t("reason.\($0.reason.rawValue)") }
                if !again.isEmpty {
                    line += t("rollover.carried.again", again.joined(separator: ", "))
                } else if !unmet.isEmpty {
                    line += t("rollover.carried.unmet", unmet.joined(separator: ", "))
                } else {
                    line += t("rollover.carried.notAgain")
                }
            }
            out.append(line)
        }
        return out
    }
}
