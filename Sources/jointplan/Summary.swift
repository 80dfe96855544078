import Foundation
import JointPlan

/// The KPI summary printed on stderr after a solve, with the bottleneck table (issue 14).
enum Summary {
    /// `brief`: without the targets and the bottleneck table (a run past its time limit's
    /// optional-work point: they cost a tenth of a second at 20,000 enterprises).
    static func table(_ s: Scenario, _ p: Plan, _ t: Catalogue, grid: TimeGridResult? = nil, duties: Duties? = nil, brief: Bool = false) -> String {
        let k = p.kpis
        var rows: [[String]] = [
            [t("summary.status"), t("status.\(p.status.rawValue)")],
            [t("summary.required"), "\(k.requiredChecks)"],
            [t("summary.split"), "\(k.onsiteChecks) / \(k.remoteChecks) / \(k.unmetChecks)"],
            [t("summary.unmetWeighted"), t("summary.boundValue", JSON.format(p.objective.unmetWeighted), JSON.format(p.solver.bestBound),
                                           String(format: "%.2f%%", p.solver.gap * 100))],
            [t("summary.visits"), "\(p.objective.onsiteVisits) (\(k.visitLowerBound))"],
            [t("summary.baseline"), t("summary.reduction", k.baselineVisits, String(format: "%.1f%%", k.visitReductionPct))],
            [t("summary.jointRate"), String(format: "%.1f%%", k.jointVisitRate * 100)],
            [t("summary.minutes"), "\(p.objective.inspectorMinutes)"],
            [t("summary.seconds"), String(format: "%.2f", p.solver.seconds)],
        ]
        // Which bound the gap is against (issue 22); a plan without one (a baseline's) says nothing.
        if let source = p.solver.boundSource {
            rows.insert([t("summary.boundSource"), t("bound.\(source.rawValue)")], at: 4)
        }
        let unmet = UnmetReason.allCases.compactMap { r in (k.unmetByReason[r] ?? 0) > 0 ? "\(t("reason.\(r.rawValue)")) \(k.unmetByReason[r]!)" : nil }
        if !unmet.isEmpty { rows.insert([t("summary.unmetByReason"), unmet.joined(separator: ", ")], at: 4) }
        if let grid, grid.minutes > 1 {
            rows.append([t("summary.timeGrid"), t("summary.timeGridValue", grid.minutes, grid.moved, grid.left)])
        }
        // Each KPI against its target (issue 23); completion needs actuals (`jointplan actuals`).
        for c in brief ? [] : TargetCheck.assess(scenario: s, plan: p, duties: duties) {
            rows.append([t("target.\(c.key)"), c.text(t, named: false)])
        }
        var out = TextTable.render(rows)
        guard !brief else { return out }
        let b = Bottleneck(scenario: s, plan: p)
        if b.departments.contains(where: { $0.unmetChecks > 0 }) || s.departments.count > 1 {
            out += "\n\n" + t("bottleneck.title") + "\n" + b.table(s, t)
        }
        return out
    }
}
