import Foundation

/// What `PlanChecker` found: every violation of spec 3.1 by rule, the warnings, the
/// recomputed objective and KPIs (spec 3.2) and the draw the check used (spec 2.1).
/// Its JSON has the shape `check_plan.py --json` prints.
public struct CheckReport: Sendable {
    /// One broken rule, with a message naming the visit, enterprise or inspector concerned.
    public struct Violation: Hashable, Sendable {
        public var rule: Int
        public var message: String
        public init(rule: Int, message: String) { self.rule = rule; self.message = message }
    }

    /// The rules' one-line meanings, as check_plan.py prints them.
    public static let ruleTitles: [Int: String] = [
        1: "visit on a working day, outside blackout, in day hours, not over a break, long enough",
        2: "team: enough distinct inspectors, certified, available, not recused",
        3: "checks in visits: required, performer in team and of the item's department",
        4: "inspector days: no overlap (with travel), maxVisitsPerDay, minutes fit the day",
        5: "remote checks: allowed, inspector certified/department/available/not recused, working day",
        6: "every required check exactly once (visit, remote or unmet with reason); nothing else",
        7: "minSpacingDays between checks of one item on one enterprise (and from lastChecked)",
        8: "on-site visits per enterprise <= maxOnsiteVisits[tier]; white list",
        9: "pinned visits present as pinned",
        10: "objective equals the recomputed values",
        11: "inspectors drawn by the seed's ticket order (unless policy.inspectorDispatch is \"optimised\")",
    ]

    /// How many violations of one rule the JSON and the summary list (all are counted).
    public static let listedPerRule = 50

    /// All violations, ordered by rule and, within a rule, as found.
    public var violations: [Violation]
    public var warnings: [String]
    /// The objective and KPIs recomputed from the plan's contents.
    public var objective: Objective
    public var kpis: KPIs
    /// The number of required checks (spec 2.1).
    public var required: Int
    /// The seed the draw used: the plan's, else policy.seed (A9).
    public var seed: UInt64
    public var draws: [DrawGroup]

    public init(violations: [Violation], warnings: [String], objective: Objective, kpis: KPIs,
                required: Int, seed: UInt64, draws: [DrawGroup]) {
        self.violations = violations; self.warnings = warnings; self.objective = objective; self.kpis = kpis
        self.required = required; self.seed = seed; self.draws = draws
    }

    /// A plan is valid when it breaks no rule; warnings do not count.
    public var valid: Bool { violations.isEmpty }

    public func violations(rule: Int) -> [Violation] { violations.filter { $0.rule == rule } }

    /// Violations per rule 1…10 (zeros included).
    public var violationCounts: [Int: Int] {
        var out = Dictionary(uniqueKeysWithValues: (1...11).map { ($0, 0) })
        for v in violations { out[v.rule, default: 0] += 1 }
        return out
    }

    /// The rules that are broken at least once.
    public var brokenRules: Set<Int> { Set(violations.map(\.rule)) }

    /// `check_plan.py --json`'s object: at most `listedPerRule` messages per rule, all counted.
    public var json: JSON {
        var listed: [JSON] = []
        var perRule: [Int: Int] = [:]
        for v in violations {
            perRule[v.rule, default: 0] += 1
            if perRule[v.rule]! <= CheckReport.listedPerRule {
                listed.append(.object(JSONObject([("rule", .int(v.rule)), ("message", .string(v.message))])))
            }
        }
        let counts = violationCounts
        return .object(JSONObject([
            ("valid", .bool(valid)),
            ("violations", .array(listed)),
            ("violationCounts", .object(JSONObject((1...11).map { (String($0), .int(counts[$0] ?? 0)) }))),
            ("objective", objective.json),
            ("kpis", kpis.json),
            ("required", .int(required)),
            ("seed", .number(String(seed))),
            ("draws", .array(draws.map { g in
                .object(JSONObject([("item", .string(g.item)), ("tier", .string(g.tier.rawValue)),
                                    ("N", .int(g.population)), ("n", .int(g.size))]))
            })),
            ("warnings", .array(warnings.map { .string($0) })),
        ]))
    }

    /// The human summary check_plan.py prints: PASS/FAIL, the table of rules, the listed
    /// violations, the objective, the KPIs and the warnings.
    /// In English it is byte for byte what check_plan.py prints; in Chinese the framing and the
    /// rule titles are translated (the violation messages stay as the checker words them).
    public func summary(scenario s: Scenario, scenarioPath: String, planPath: String, language: Language = .en) -> String {
        let t = Catalogue(language)
        let calendar = WorkCalendar(s.horizon)
        let counts = violationCounts
        let total = violations.count
        let cap = CheckReport.listedPerRule
        var out: [String] = []
        out.append(t(valid ? "check.pass" : "check.fail", planPath, scenarioPath) + (valid ? "" : t("check.violations", total)))
        out.append(t("check.scenario", CheckText.q(s.name), s.enterprises.count, s.items.count, s.inspectors.count, calendar.days.count,
                     calendar.workingMinutes, s.policy.sampling.rawValue, seed,
                     language == .zh ? (s.policy.inspectorDispatch == .random ? "随机选派" : "优化指派") : s.policy.inspectorDispatch.rawValue))
        out.append(t("check.required", required))
        out.append("")
        out.append(t("check.tableHeader"))
        for r in 1...11 {
            out.append(pad(String(r), 4) + "  " + pad(String(counts[r] ?? 0), 10) + "  " + t("check.rule\(r)"))
        }
        for r in 1...11 {
            let n = counts[r] ?? 0
            guard n > 0 else { continue }
            out.append("")
            out.append(t("check.ruleCount", r, n) + (n > cap ? t("check.firstListed", cap) : ""))
            for v in violations(rule: r).prefix(cap) { out.append("  - \(v.message)") }
            if n > cap { out.append(t("check.andMore", n - cap)) }
        }
        out.append("")
        let fields = CheckNumber.kpiFields(kpis)
        let weighted = objective.unmetWeighted == objective.unmetWeighted.rounded() && abs(objective.unmetWeighted) < 1e15
            ? String(Int(objective.unmetWeighted)) : CheckText.g6(objective.unmetWeighted)
        // The tail in English is check_plan.py's, word for word; in Chinese each KPI has its
        // label with the key beside it (issue 24: no English under --lang zh but ids).
        out.append(t("check.objectiveLine", weighted, objective.onsiteVisits, objective.inspectorMinutes))
        out.append(t("check.kpis"))
        for (k, v) in fields {
            let key = Catalogue.has("check.kpi.\(k)", in: language) ? "check.kpi.\(k)" : "kpi.\(k)"
            let label = language == .zh && Catalogue.has(key, in: .zh) ? "\(t(key))（\(k)）" : k
            out.append("  \(label): \(v.formatted)")
        }
        if !warnings.isEmpty {
            out.append("")
            out.append(t("check.warningsHeader", warnings.count))
            for w in warnings.prefix(200) { out.append("  - \(w)") }
            if warnings.count > 200 { out.append(t("check.andMore", warnings.count - 200)) }
        }
        return out.joined(separator: "\n") + "\n"
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }
}
