import Foundation
import JointPlan

/// The KPI summary printed on stderr after a solve.
enum Summary {
    static func table(_ s: Scenario, _ p: Plan) -> String {
        let k = p.kpis
        var rows: [(String, String)] = [
            ("status", p.status.rawValue),
            ("required checks", "\(k.requiredChecks)"),
            ("on site / remote / unmet", "\(k.onsiteChecks) / \(k.remoteChecks) / \(k.unmetChecks)"),
            ("unmet weighted (bound)", "\(JSON.format(p.objective.unmetWeighted)) (\(JSON.format(p.solver.bestBound)), gap \(String(format: "%.2f%%", p.solver.gap * 100)))"),
            ("on-site visits (lower bound)", "\(p.objective.onsiteVisits) (\(k.visitLowerBound))"),
            ("department-alone visits", "\(k.baselineVisits) (reduction \(String(format: "%.1f%%", k.visitReductionPct)))"),
            ("joint-visit rate", String(format: "%.1f%%", k.jointVisitRate * 100)),
            ("inspector minutes", "\(p.objective.inspectorMinutes)"),
            ("seconds", String(format: "%.2f", p.solver.seconds)),
        ]
        let unmet = UnmetReason.allCases.compactMap { r in (k.unmetByReason[r] ?? 0) > 0 ? "\(r.rawValue) \(k.unmetByReason[r]!)" : nil }
        if !unmet.isEmpty { rows.insert(("unmet by reason", unmet.joined(separator: ", ")), at: 4) }
        let w = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: w, withPad: " ", startingAt: 0) + "  " + $0.1 }.joined(separator: "\n")
    }
}
