import Foundation

/// The office's KPI targets (issue 23, item 6): `policy.extensions.targets` in the scenario —
/// under `extensions` because check_plan.py refuses unknown policy keys (A3) — with the
/// defaults of the reform documents where a target is not given: 综合查一次实施率 and 跨部门联合
/// 双随机 share ≥ 40 %, 计划按期完成率 100 %. Visit reduction and D-tier coverage have no default (no target, not assessed).
///
/// ```json
/// "policy": {"extensions": {"targets": {"jointVisitRate": 0.5, "visitReductionPct": 40,
///                                       "completionRate": 1, "dTierCoverage": 1,
///                                       "jointDrawShare": 0.4}}}
/// ```
public struct KPITargets: Sendable, Equatable {
    /// Share of on-site visits that are joint (more than one department), 0…1.
    public var jointVisitRate: Double = 0.4
    /// 跨部门联合双随机 share: of the checks the random draw required (spec 2.1), the share done
    /// on an on-site visit whose checks span two or more departments, 0…1.
    public var jointDrawShare: Double = 0.4
    /// `visitReductionPct` of spec 3.2, in percent.
    public var visitReductionPct: Double?
    /// 计划按期完成率, 0…1 (assessed only where actuals are recorded).
    public var completionRate: Double = 1
    /// Share of D-tier enterprises (with an item that applies) that get at least one check, 0…1.
    public var dTierCoverage: Double?
    public init() {}

    public static let keys = ["jointVisitRate", "jointDrawShare", "visitReductionPct", "completionRate", "dTierCoverage"]

    /// Reads `targets` (the value at `path`), every problem with its JSON path.
    public static func read(_ value: JSON, path: String) -> (targets: KPITargets, problems: [InputProblem]) {
        var t = KPITargets()
        var problems: [InputProblem] = []
        guard let o = value.objectValue else {
            return (t, [InputProblem(path: path, message: "must be an object with \(keys.joined(separator: ", ")), got \(value.typeName)")])
        }
        for k in o.keys where !keys.contains(k) {
            problems.append(InputProblem(path: JSONPath.key(path, k), message: "unknown target (known: \(keys.joined(separator: ", ")))"))
        }
        func number(_ k: String, max: Double) -> Double? {
            guard let v = o[k], v != .null else { return nil }
            guard let d = v.doubleValue, d.isFinite, d >= 0, d <= max else {
                problems.append(InputProblem(path: JSONPath.key(path, k), message: "must be a number in [0, \(JSON.format(max))], got \(v.short)"))
                return nil
            }
            return d
        }
        if let v = number("jointVisitRate", max: 1) { t.jointVisitRate = v }
        if let v = number("jointDrawShare", max: 1) { t.jointDrawShare = v }
        t.visitReductionPct = number("visitReductionPct", max: 100)
        if let v = number("completionRate", max: 1) { t.completionRate = v }
        t.dTierCoverage = number("dTierCoverage", max: 1)
        return (t, problems)
    }
}

/// One KPI against its target: met, not met, or not assessed (no value yet).
public struct TargetCheck: Sendable, Equatable {
    public var key: String
    /// The KPI's value in the unit of the target; nil when it cannot be known yet (completion
    /// before actuals).
    public var value: Double?
    public var target: Double
    public var met: Bool? { value.map { $0 + 1e-9 >= target } }

    /// As the summary and the report print it: `51.2% ≥ 40.0%`.
    public func text(_ t: Catalogue, named: Bool = true) -> String {
        let pct = key != "visitReductionPct"
        // Rounded down, so a KPI short of its target never prints as the target.
        func f(_ x: Double) -> String { String(format: "%.1f%%", ((pct ? x * 1000 : x * 10) + 1e-9).rounded(.down) / 10) }
        let verdict = met.map { $0 ? t("target.met") : t("target.notMet") } ?? t("completion.none")
        let line = t("target.value", value.map(f) ?? "-", "≥ " + f(target), verdict)
        return named ? t("target.\(key)") + ": " + line : line
    }

    public var json: JSON {
        .object(JSONObject([("kpi", .string(key)), ("value", value.map { .double($0) } ?? .null), ("target", .double(target)),
                            ("met", met.map { .bool($0) } ?? .null)]))
    }

    /// The plan's KPIs against the scenario's targets; `completion` from actuals when recorded.
    /// `duties`: the plan's draw when the caller has it (it is made again otherwise).
    public static func assess(scenario: Scenario, plan: Plan, completion: Double? = nil, duties: Duties? = nil) -> [TargetCheck] {
        let t = scenario.policy.targets
        var out = [TargetCheck(key: "jointVisitRate", value: plan.kpis.jointVisitRate, target: t.jointVisitRate)]
        if let share = jointDrawShare(scenario, plan, duties: duties) { out.append(TargetCheck(key: "jointDrawShare", value: share, target: t.jointDrawShare)) }
        if let r = t.visitReductionPct { out.append(TargetCheck(key: "visitReductionPct", value: plan.kpis.visitReductionPct, target: r)) }
        out.append(TargetCheck(key: "completionRate", value: completion, target: t.completionRate))
        if let d = t.dTierCoverage { out.append(TargetCheck(key: "dTierCoverage", value: dTierCoverage(scenario, plan), target: d)) }
        return out
    }

    /// 跨部门联合双随机 share: checks of drawn (enterprise, item) pairs done on an on-site visit
    /// whose checks span two or more departments ÷ checks the draw required; nil when the draw
    /// required none (nothing to assess).
    public static func jointDrawShare(_ s: Scenario, _ p: Plan, duties given: Duties? = nil) -> Double? {
        let duties = given.flatMap { $0.seed == p.seed ? $0 : nil } ?? Duties(scenario: s, seed: p.seed)
        var drawn = Set<String>()
        var required = 0
        for d in duties.duties where d.drawn {
            drawn.insert(s.enterprises[d.enterprise].id + "\u{1}" + s.items[d.item].id)
            required += d.count
        }
        guard required > 0 else { return nil }
        var joint = 0
        for v in p.visits {
            let departments = Set(v.checks.map { s.item($0.item)?.department ?? "" })
            guard departments.count > 1 else { continue }
            joint += v.checks.filter { drawn.contains(v.enterprise + "\u{1}" + $0.item) }.count
        }
        return Double(joint) / Double(required)
    }

    /// D-tier enterprises with an applicable item that get at least one check (on site or
    /// remote) ÷ those enterprises; 1 when there are none.
    public static func dTierCoverage(_ s: Scenario, _ p: Plan) -> Double {
        let d = s.enterprises.filter { e in e.tier == .D && s.items.contains { s.applies($0, to: e) } }
        guard !d.isEmpty else { return 1 }
        let checked = Set(p.visits.map(\.enterprise)).union(p.remoteChecks.map(\.enterprise))
        return Double(d.filter { checked.contains($0.id) }.count) / Double(d.count)
    }
}
