import Foundation
import JointPlan
import Spreadsheet

/// What was really done of a plan, as the departments report it on the actuals sheet
/// (issue 13, item 6): per planned check, done, not done (with a reason), or done on another
/// date. A row left blank is *not reported*: it counts as done as planned (offices report the
/// exceptions), and the count of such rows is shown wherever actuals are used.
public struct Actuals: Sendable {
    public struct Key: Hashable, Sendable, Comparable {
        public var enterprise: String, item: String, occurrence: Int
        public init(enterprise: String, item: String, occurrence: Int) { self.enterprise = enterprise; self.item = item; self.occurrence = occurrence }
        public static func < (a: Key, b: Key) -> Bool { (a.enterprise, a.item, a.occurrence) < (b.enterprise, b.item, b.occurrence) }
    }

    public enum Status: Sendable, Equatable {
        /// Done on this date (the planned one, or another).
        case done(Day)
        case notDone(reason: String)
        /// Left blank: taken as done on the planned date.
        case notReported(Day)

        public var doneDate: Day? {
            switch self {
            case .done(let d), .notReported(let d): return d
            case .notDone: return nil
            }
        }
        public var code: String {
            switch self {
            case .done: return "done"
            case .notDone: return "notDone"
            case .notReported: return "notReported"
            }
        }
    }

    public struct Entry: Sendable, Equatable {
        public var status: Status
        public var plannedDate: Day
        /// The plan's visit id, or nil for a remote check.
        public var visit: String?
        /// What the check found (处理结果), for a check done; nil when the sheet gave none.
        public var result: CheckResult? = nil
        /// The free text beside the result (结果说明).
        public var note: String = ""
    }

    /// The result of a check as published (抽查结果公示, issue 23): the list the office uses.
    public enum CheckResult: String, CaseIterable, Sendable {
        case noProblem = "未发现问题"
        case rectify = "责令整改"
        case caseFiled = "立案查处"
        case noPenalty = "不予处罚"
        case other = "其他"

        /// The code in JSON (`noProblem`, `rectify`, `caseFiled`, `noPenalty`, `other`).
        public var code: String {
            switch self {
            case .noProblem: return "noProblem"
            case .rectify: return "rectify"
            case .caseFiled: return "caseFiled"
            case .noPenalty: return "noPenalty"
            case .other: return "other"
            }
        }

        /// A cell's text: the Chinese term (full- or half-width) or the code.
        public init?(text: String) {
            let t = text.trimmingCharacters(in: .whitespaces)
            guard let r = Self.allCases.first(where: { $0.rawValue == t || $0.code.lowercased() == t.lowercased() }) else { return nil }
            self = r
        }
    }

    /// 计划按期完成率 (issue 23): checks done by their planned date ÷ checks planned, overall
    /// and per department. A check not reported counts as done as planned (offices report the
    /// exceptions), as everywhere actuals are used; the count of those is given beside.
    public struct Completion: Sendable, Equatable {
        public struct Count: Sendable, Equatable {
            public var planned = 0, onTime = 0, late = 0, notDone = 0, notReported = 0
            public var rate: Double { planned == 0 ? 1 : Double(onTime) / Double(planned) }
            public var json: JSON {
                .object(JSONObject([("planned", .int(planned)), ("onTime", .int(onTime)), ("late", .int(late)),
                                    ("notDone", .int(notDone)), ("notReported", .int(notReported)),
                                    ("rate", .double((rate * 10_000).rounded() / 10_000))]))
            }
        }
        public var overall = Count()

        /// A rate as a percentage with two decimals, rounded down, so that a rate short of its
        /// target never prints as the target (16,390 of 16,393 is 99.98 %, not 100.0 %).
        public static func percent(_ rate: Double) -> String {
            String(format: "%.2f%%", (rate * 10_000 + 1e-9).rounded(.down) / 100)
        }
        /// By department id.
        public var departments: [(String, Count)] = []

        public static func == (a: Completion, b: Completion) -> Bool {
            a.overall == b.overall && a.departments.map(\.0) == b.departments.map(\.0) && a.departments.map(\.1) == b.departments.map(\.1)
        }

        public var json: JSON {
            .object(JSONObject([("overall", overall.json),
                                ("departments", .object(JSONObject(departments.map { ($0.0, $0.1.json) })))]))
        }
    }

    public func completion(scenario: Scenario) -> Completion {
        var out = Completion()
        var byDept: [String: Completion.Count] = [:]
        for (k, e) in entries {
            let dept = scenario.item(k.item)?.department ?? "?"
            func add(_ f: (inout Completion.Count) -> Void) { f(&out.overall); f(&byDept[dept, default: Completion.Count()]) }
            add { $0.planned += 1 }
            switch e.status {
            case .done(let d): if d <= e.plannedDate { add { $0.onTime += 1 } } else { add { $0.late += 1 } }
            case .notReported: add { $0.onTime += 1; $0.notReported += 1 }
            case .notDone: add { $0.notDone += 1 }
            }
        }
        let order = Dictionary(scenario.departments.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        out.departments = byDept.sorted { (order[$0.key] ?? Int.max, $0.key) < (order[$1.key] ?? Int.max, $1.key) }.map { ($0.key, $0.value) }
        return out
    }

    public var entries: [Key: Entry] = [:]
    public init() {}

    public var counts: (done: Int, moved: Int, notDone: Int, notReported: Int) {
        var c = (0, 0, 0, 0)
        for e in entries.values {
            switch e.status {
            case .done(let d): if d == e.plannedDate { c.0 += 1 } else { c.1 += 1 }
            case .notDone: c.2 += 1
            case .notReported: c.3 += 1
            }
        }
        return c
    }

    public var summary: String {
        let c = counts
        return "\(entries.count) planned checks: \(c.done) done as planned, \(c.moved) done on another date, \(c.notDone) not done, \(c.notReported) not reported (taken as done)"
    }

    /// Every planned check of the plan, not reported yet.
    public init(plan: Plan) {
        for v in plan.visits {
            for c in v.checks {
                entries[Key(enterprise: v.enterprise, item: c.item, occurrence: c.occurrence)] = Entry(status: .notReported(v.date), plannedDate: v.date, visit: v.id)
            }
        }
        for r in plan.remoteChecks {
            entries[Key(enterprise: r.enterprise, item: r.item, occurrence: r.occurrence)] = Entry(status: .notReported(r.date), plannedDate: r.date, visit: nil)
        }
    }

    /// When each (enterprise, item) was last checked for real, and which on-site visits took
    /// place (a visit happened when at least one of its checks was done on site; on the date
    /// the office reported for it).
    public func done(plan: Plan) -> (lastChecked: [String: [String: Day]], visits: [String: [Day]]) {
        var last: [String: [String: Day]] = [:]
        var visits: [String: [Day]] = [:]
        for v in plan.visits {
            var dates: [Day] = []
            for c in v.checks {
                guard let d = entries[Key(enterprise: v.enterprise, item: c.item, occurrence: c.occurrence)]?.status.doneDate else { continue }
                dates.append(d)
                last[v.enterprise, default: [:]][c.item] = max(last[v.enterprise]?[c.item] ?? d, d)
            }
            if let d = dates.max() { visits[v.enterprise, default: []].append(d) }
        }
        for r in plan.remoteChecks {
            guard let d = entries[Key(enterprise: r.enterprise, item: r.item, occurrence: r.occurrence)]?.status.doneDate else { continue }
            last[r.enterprise, default: [:]][r.item] = max(last[r.enterprise]?[r.item] ?? d, d)
        }
        return (last, visits)
    }

    /// The plan as it was carried out before `from`: checks not done are taken off their visit
    /// (a visit with none left did not happen), a visit whose done checks were all done on one
    /// other date moves to it; later visits are the plan's. `replan --from DATE --actuals`
    /// freezes this instead of assuming every earlier visit happened.
    public func carriedOut(_ plan: Plan, before from: Day) -> Plan {
        var out = plan
        out.visits = []
        for v in plan.visits {
            guard v.date < from else { out.visits.append(v); continue }
            var kept: [Check] = []
            var dates: Set<Day> = []
            for c in v.checks {
                guard let d = doneDate(Key(enterprise: v.enterprise, item: c.item, occurrence: c.occurrence), planned: v.date) else { continue }
                kept.append(c)
                dates.insert(d)
            }
            guard !kept.isEmpty else { continue }
            var w = v
            w.checks = kept
            if dates.count == 1, let d = dates.first, d < from { w.date = d }
            out.visits.append(w)
        }
        out.remoteChecks = plan.remoteChecks.compactMap { r in
            guard r.date < from else { return r }
            guard let d = doneDate(Key(enterprise: r.enterprise, item: r.item, occurrence: r.occurrence), planned: r.date) else { return nil }
            var s = r
            if d < from { s.date = d }
            return s
        }
        return out
    }

    /// The date a check was done: as reported, or as planned when the actuals do not list it.
    func doneDate(_ key: Key, planned: Day) -> Day? {
        guard let e = entries[key] else { return planned }
        return e.status.doneDate
    }

    public var json: JSON {
        .array(entries.keys.sorted().map { k in
            let e = entries[k]!
            var o = JSONObject([("enterprise", .string(k.enterprise)), ("item", .string(k.item)), ("occurrence", .int(k.occurrence)),
                                ("plannedDate", .string(e.plannedDate.description)), ("status", .string(e.status.code))])
            if let v = e.visit { o["visit"] = .string(v) }
            if let r = e.result { o["result"] = .string(r.rawValue) }
            if !e.note.isEmpty { o["note"] = .string(e.note) }
            switch e.status {
            case .done(let d): o["date"] = .string(d.description)
            case .notDone(let reason): o["reason"] = .string(reason)
            case .notReported: break
            }
            return .object(o)
        })
    }
}

extension Actuals {
    /// The actuals as the store records them (`RunStore.actualRecord`, the `json` shape): every
    /// planned check of `plan`, with the recorded status, date, result and note where there is one.
    public init(plan: Plan, recorded: [JSON]) {
        self.init(plan: plan)
        for r in recorded {
            guard let e = r["enterprise"]?.stringValue, let i = r["item"]?.stringValue, let o = r["occurrence"]?.intValue else { continue }
            let key = Key(enterprise: e, item: i, occurrence: o)
            guard var entry = entries[key] else { continue }
            switch r["status"]?.stringValue {
            case "done": entry.status = .done(r["date"]?.stringValue.flatMap(Day.init) ?? entry.plannedDate)
            case "notDone": entry.status = .notDone(reason: r["reason"]?.stringValue ?? "")
            default: break
            }
            entry.result = r["result"]?.stringValue.flatMap(CheckResult.init(text:))
            entry.note = r["note"]?.stringValue ?? ""
            entries[key] = entry
        }
    }
}

extension Horizon {
    /// The horizon's dates as one span, first to last day.
    public var span: DateSpan { DateSpan(start, end) }
}
