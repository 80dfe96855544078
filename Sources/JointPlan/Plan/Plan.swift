import Foundation

/// Why a required check is not performed (spec 3.1 rule 6).
public enum UnmetReason: String, CaseIterable, Sendable, Codable {
    case staffing, visitCap, whitelist, blackout, spacing, noInspector, recusal, timeLimit
}

public enum PlanStatus: String, Sendable, Codable {
    case optimal, feasible, timeLimit, infeasible
}

/// One item checked in a visit, by one team member.
public struct Check: Hashable, Sendable {
    public var item: String
    public var occurrence: Int
    public var inspector: String
    public init(item: String, occurrence: Int, inspector: String) {
        self.item = item; self.occurrence = occurrence; self.inspector = inspector
    }
}

/// One joint on-site visit: an enterprise, a date and time, a team and the checks it performs.
public struct Visit: Hashable, Sendable {
    public var id: String
    public var enterprise: String
    public var date: Day
    /// Minutes since midnight.
    public var start: Int
    public var end: Int
    public var inspectors: [String]
    public var checks: [Check]
    public init(id: String, enterprise: String, date: Day, start: Int, end: Int, inspectors: [String], checks: [Check]) {
        self.id = id; self.enterprise = enterprise; self.date = date; self.start = start; self.end = end
        self.inspectors = inspectors; self.checks = checks
    }
    public var minutes: Int { max(0, end - start) }
}

/// A check done off site (非现场监管) by one inspector of the item's department.
public struct RemoteCheck: Hashable, Sendable {
    public var enterprise: String
    public var item: String
    public var occurrence: Int
    public var date: Day
    public var inspector: String
    public init(enterprise: String, item: String, occurrence: Int, date: Day, inspector: String) {
        self.enterprise = enterprise; self.item = item; self.occurrence = occurrence; self.date = date; self.inspector = inspector
    }
}

/// A required check the plan does not perform, with the reason.
public struct UnmetCheck: Hashable, Sendable {
    public var enterprise: String
    public var item: String
    public var occurrence: Int
    public var reason: UnmetReason
    public init(enterprise: String, item: String, occurrence: Int, reason: UnmetReason) {
        self.enterprise = enterprise; self.item = item; self.occurrence = occurrence; self.reason = reason
    }
}

/// The lexicographic objective (spec 3.2), smaller first.
public struct Objective: Equatable, Sendable, Comparable {
    public var unmetWeighted: Double
    public var onsiteVisits: Int
    public var inspectorMinutes: Int
    public init(unmetWeighted: Double, onsiteVisits: Int, inspectorMinutes: Int) {
        self.unmetWeighted = unmetWeighted; self.onsiteVisits = onsiteVisits; self.inspectorMinutes = inspectorMinutes
    }
    public static func < (a: Objective, b: Objective) -> Bool {
        if abs(a.unmetWeighted - b.unmetWeighted) > 1e-9 { return a.unmetWeighted < b.unmetWeighted }
        if a.onsiteVisits != b.onsiteVisits { return a.onsiteVisits < b.onsiteVisits }
        return a.inspectorMinutes < b.inspectorMinutes
    }
    public var json: JSON {
        .object(JSONObject([("unmetWeighted", .double(unmetWeighted)), ("onsiteVisits", .int(onsiteVisits)),
                            ("inspectorMinutes", .int(inspectorMinutes))]))
    }
}

/// The KPIs every plan reports (spec 3.2, A18, A19).
public struct KPIs: Equatable, Sendable {
    public var requiredChecks = 0
    public var onsiteChecks = 0
    public var remoteChecks = 0
    public var unmetChecks = 0
    public var unmetByReason: [UnmetReason: Int] = [:]
    public var baselineVisits = 0
    public var visitReductionPct = 0.0
    public var visitLowerBound = 0
    public var jointVisitRate = 0.0
    public var maxVisitsPerEnterprise = 0
    /// Per department, in scenario order.
    public var utilization: [(department: String, value: Double)] = []
    public init() {}

    public static func == (a: KPIs, b: KPIs) -> Bool {
        a.requiredChecks == b.requiredChecks && a.onsiteChecks == b.onsiteChecks && a.remoteChecks == b.remoteChecks
            && a.unmetChecks == b.unmetChecks && a.unmetByReason == b.unmetByReason && a.baselineVisits == b.baselineVisits
            && abs(a.visitReductionPct - b.visitReductionPct) < 1e-9 && a.visitLowerBound == b.visitLowerBound
            && abs(a.jointVisitRate - b.jointVisitRate) < 1e-12 && a.maxVisitsPerEnterprise == b.maxVisitsPerEnterprise
            && a.utilization.map(\.department) == b.utilization.map(\.department)
            && zip(a.utilization, b.utilization).allSatisfy { abs($0.value - $1.value) < 1e-12 }
    }

    public var json: JSON {
        var byReason = JSONObject()
        for r in UnmetReason.allCases { byReason[r.rawValue] = .int(unmetByReason[r] ?? 0) }
        var util = JSONObject()
        for (d, v) in utilization { util[d] = .double(v) }
        return .object(JSONObject([
            ("requiredChecks", .int(requiredChecks)), ("onsiteChecks", .int(onsiteChecks)),
            ("remoteChecks", .int(remoteChecks)), ("unmetChecks", .int(unmetChecks)),
            ("unmetByReason", .object(byReason)), ("baselineVisits", .int(baselineVisits)),
            ("visitReductionPct", .double(visitReductionPct)),
            ("visitLowerBound", .int(visitLowerBound)), ("jointVisitRate", .double(jointVisitRate)),
            ("maxVisitsPerEnterprise", .int(maxVisitsPerEnterprise)), ("utilization", .object(util)),
        ]))
    }

    /// Rounded for the file: within the checker's rel_tol of 1e-6 and stable across runs.
    static func round(_ v: Double, _ digits: Int) -> Double {
        let f = pow(10.0, Double(digits))
        return (v * f).rounded() / f
    }
}

/// Which lower bound gave a plan's `bestBound` (issue 22): the solve summary names it and the
/// plan's `solver` object carries it as `"bound"`.
public enum BoundSource: String, Sendable, CaseIterable {
    /// Neither relaxation added to the work no plan can do (spec 3.2's structural losses).
    case structural
    /// The capacity relaxation (`Models/bound.mod`).
    case capacity
    /// The day-grouped LP (`Models/daygroup.mod`).
    case dayGroupedLP
    /// The day-grouped program in integers, small districts only (`ExactBound`).
    case exactIP
    /// The bound reaches the plan's weighted unmet work: the plan is proven on objective 1.
    case proof
}

/// What the solver reports about its search.
public struct SolverInfo: Sendable {
    public var engine = "GLPK 5.0"
    public var seconds = 0.0
    /// A proven lower bound on `objective.unmetWeighted` (never above the true optimum).
    public var bestBound = 0.0
    /// (unmetWeighted − bestBound) / max(unmetWeighted, 1e-9); 0 when both are 0.
    public var gap = 0.0
    /// A proven lower bound on on-site visits for the checks performed.
    public var visitBound = 0
    /// Which bound gave `bestBound` (written as `"bound"`; nil: no bound was computed, as
    /// for the baselines, or a plan file without it).
    public var boundSource: BoundSource?
    /// Stage by stage: name, seconds, and what it did.
    public var stages: [(name: String, seconds: Double, note: String)] = []
    public init() {}

    public var json: JSON {
        var o = JSONObject([("engine", .string(engine)), ("seconds", .double(KPIs.round(seconds, 3))),
                            ("bestBound", .double(bestBound)), ("gap", .double(KPIs.round(gap, 6))),
                            ("visitBound", .int(visitBound))])
        // check_plan.py ignores keys of `solver` it does not know (docs/decisions.md, issue 22).
        if let boundSource { o["bound"] = .string(boundSource.rawValue) }
        if !stages.isEmpty {
            o["stages"] = .array(stages.map { .object(JSONObject([("name", .string($0.name)),
                                                                  ("seconds", .double(KPIs.round($0.seconds, 3))),
                                                                  ("note", .string($0.note))])) })
        }
        return .object(o)
    }
}

/// A `jointplan.plan/1`: who visits which enterprise, when, checking which items (spec 3).
public struct Plan: Sendable {
    public static let format = "jointplan.plan/1"
    public var scenarioName = ""
    public var scenarioSHA256 = ""
    public var seed: UInt64 = 0
    public var status = PlanStatus.feasible
    public var visits: [Visit] = []
    public var remoteChecks: [RemoteCheck] = []
    public var unmet: [UnmetCheck] = []
    public var objective = Objective(unmetWeighted: 0, onsiteVisits: 0, inspectorMinutes: 0)
    public var kpis = KPIs()
    public var solver = SolverInfo()
    /// Free-form extra information (e.g. messages about conflicting pins), kept under "extensions".
    public var messages: [String] = []
    /// The highest visit number ever handed out in this plan's lineage (issue 23): a re-plan
    /// numbers new visits above it, so a cancelled visit's number is never reused. Kept under
    /// "extensions.lineage.highestVisitNumber"; 0 when the plan is the first of its lineage.
    public var highestVisitNumber = 0
    /// The lineage this plan belongs to (issue 23): a re-plan keeps its base plan's, so a visit
    /// that keeps its id across re-plans keeps its calendar UID too (`EventUID`). Kept under
    /// "extensions.lineage.id" once a re-plan sets it; "" for the first plan of a lineage,
    /// whose lineage is then its scenario name and seed (`lineage`).
    public var lineageId = ""
    /// `lineageId`, or the scenario name and seed of the plan that starts the lineage.
    public var lineage: String { lineageId.isEmpty ? "\(scenarioName)#\(seed)" : lineageId }
    public init() {}

    /// The plan as JSON; `timings: false` zeroes the solver seconds (byte-identical reruns).
    public func json(timings: Bool = true) -> JSON {
        var solverInfo = solver
        if !timings {
            solverInfo.seconds = 0
            solverInfo.stages = solverInfo.stages.map { ($0.name, 0, $0.note) }
        }
        var o = JSONObject()
        o["format"] = .string(Plan.format)
        o["scenario"] = .object(JSONObject([("name", .string(scenarioName)), ("sha256", .string(scenarioSHA256))]))
        o["seed"] = .number(String(seed))
        o["status"] = .string(status.rawValue)
        o["visits"] = .array(visits.map { v in
            .object(JSONObject([
                ("id", .string(v.id)), ("enterprise", .string(v.enterprise)), ("date", .string(v.date.description)),
                ("start", .string(ClockTime.format(v.start))), ("end", .string(ClockTime.format(v.end))),
                ("inspectors", .array(v.inspectors.map { .string($0) })),
                ("checks", .array(v.checks.map { c in
                    .object(JSONObject([("item", .string(c.item)), ("occurrence", .int(c.occurrence)),
                                        ("inspector", .string(c.inspector))]))
                })),
            ]))
        })
        o["remoteChecks"] = .array(remoteChecks.map { r in
            .object(JSONObject([("enterprise", .string(r.enterprise)), ("item", .string(r.item)),
                                ("occurrence", .int(r.occurrence)), ("date", .string(r.date.description)),
                                ("inspector", .string(r.inspector))]))
        })
        o["unmet"] = .array(unmet.map { u in
            .object(JSONObject([("enterprise", .string(u.enterprise)), ("item", .string(u.item)),
                                ("occurrence", .int(u.occurrence)), ("reason", .string(u.reason.rawValue))]))
        })
        o["objective"] = objective.json
        o["kpis"] = kpis.json
        o["solver"] = solverInfo.json
        var ext = JSONObject()
        if !messages.isEmpty { ext["messages"] = .array(messages.map { .string($0) }) }
        if highestVisitNumber > 0 || !lineageId.isEmpty {
            var lineage = JSONObject()
            if !lineageId.isEmpty { lineage["id"] = .string(lineageId) }
            if highestVisitNumber > 0 { lineage["highestVisitNumber"] = .int(highestVisitNumber) }
            ext["lineage"] = .object(lineage)
        }
        if !ext.isEmpty { o["extensions"] = .object(ext) }
        return .object(o)
    }

    public func encoded(timings: Bool = true) -> Data { JSONWriter.prettyData(json(timings: timings)) }
}
