import Foundation
import JointPlan

/// The plan as one self-contained HTML page for the planning office (spec 4, Exports: "an
/// HTML report with charts that opens in a browser with no network").
///
/// Inline CSS and inline SVG only — no script, no external font, stylesheet or image, no URL
/// at all — and a font stack that reaches the CJK fonts of Linux, macOS and Windows. Every
/// string from the scenario or the plan is HTML-escaped.
///
/// Sections: KPI cards (spec 3.2: on-site visits against the department-alone baseline and
/// the reduction, joint-visit rate, checks required / on site / remote / unmet by reason, the
/// solver's bounds and status); a heat map of visits per day; inspector hours per department
/// per week against capacity; visits per town; enterprises of each tier by number of visits;
/// the busiest inspectors; the unmet checks. The KPIs shown are recomputed from the plan's visits
/// (`Evaluation`, as the checker does); when the plan states other values, a warning says so.
public enum HTMLReport {
    /// How many inspectors the busiest-inspectors table lists.
    public static let busiestInspectors = 15
    /// How many unmet checks the report lists (the CSV export has all of them).
    public static let unmetListed = 100

    public static func render(scenario: Scenario, plan: Plan, language: Language = .zh) -> String {
        let t = Catalogue(language)
        let f = ReportFigures(scenario: scenario, plan: plan)
        let labels = Labels(scenario: scenario)
        // The KPIs shown are recomputed from the plan's visits (what check_plan.py computes);
        // the plan's own are compared with them below.
        let k = f.recomputedKPIs
        let objective = f.recomputedObjective
        let e = HTMLText.escape
        var h = ""
        h += "<!DOCTYPE html>\n<html lang=\"\(language == .zh ? "zh-CN" : "en")\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        h += "<title>\(e(t("rpt.title", scenario.name)))</title>\n<style>\n\(css)</style>\n</head>\n<body>\n"

        // Header.
        let hz = scenario.horizon
        h += "<header>\n<h1>\(e(t("rpt.h1")))</h1>\n"
        h += "<p class=\"sub\"><strong>\(e(scenario.name.isEmpty ? t("rpt.unnamed") : scenario.name))</strong>"
        h += e(t("rpt.horizon", hz.start, hz.end, f.calendar.days.count, hz.timezone, plan.seed))
        h += " <span class=\"status status-\(plan.status.rawValue)\">\(e(t("status.\(plan.status.rawValue)")))</span></p>\n"
        h += "<p class=\"sub\">\(e(t("rpt.counts", scenario.departments.count, scenario.inspectors.count, scenario.towns.count, scenario.enterprises.count, scenario.items.count)))</p>\n</header>\n"

        if !plan.scenarioName.isEmpty && plan.scenarioName != scenario.name {
            h += "<p class=\"warn\">\(e(t("rpt.otherName", plan.scenarioName, scenario.name)))</p>\n"
        }
        let differences = kpiDifferences(plan: plan, figures: f)
        if !differences.isEmpty {
            h += "<p class=\"warn\">\(e(t("rpt.kpiDiffer", differences.joined(separator: t("rpt.semicolon")))))</p>\n"
        }

        // KPI cards.
        h += "<section id=\"kpis\">\n<h2>\(e(t("rpt.kpis")))</h2>\n<div class=\"cards\">\n"
        let joint = Int((k.jointVisitRate * Double(plan.visits.count)).rounded())
        h += card(t("rpt.onsite"), "\(plan.visits.count)", t("rpt.onsiteDetail", k.baselineVisits), id: "onsite-visits")
        h += card(t("rpt.reduction"), percent(k.visitReductionPct), t("rpt.reductionDetail", k.visitLowerBound), id: "visit-reduction")
        h += card(t("rpt.jointRate"), percent(100 * k.jointVisitRate), t("rpt.jointDetail", joint), id: "joint-rate")
        h += card(t("rpt.required"), "\(k.requiredChecks)", t("rpt.requiredDetail", k.onsiteChecks, k.remoteChecks, k.unmetChecks), id: "required-checks")
        let reasons = UnmetReason.allCases.compactMap { r -> String? in
            let n = k.unmetByReason[r] ?? 0
            return n > 0 ? "\(language == .zh ? Labels.reasonText(r) : t("reason.\(r.rawValue)")) \(n)" : nil
        }
        h += card(t("rpt.unmet"), "\(k.unmetChecks)", reasons.isEmpty ? t("rpt.allPlanned") : reasons.joined(separator: " · "),
                  id: "unmet-checks", alert: k.unmetChecks > 0)
        h += card(t("rpt.maxVisits"), "\(k.maxVisitsPerEnterprise)", t("rpt.maxVisitsDetail"), id: "max-visits")
        // The same bound and gap as the CLI summary prints (solver.bestBound, solver.gap).
        h += card(t("rpt.solver"), t("status.\(plan.status.rawValue)"),
                  t("report.solverDetail", JSON.format(plan.objective.unmetWeighted), JSON.format(plan.solver.bestBound),
                    String(format: "%.2f%%", plan.solver.gap * 100), plan.solver.visitBound),
                  id: "solver")
        h += card(t("rpt.hours"), "\(SVGChart.number(Double(objective.inspectorMinutes) / 60))",
                  t("rpt.hoursDetail", SVGChart.number(objective.unmetWeighted), plan.solver.engine, SVGChart.number(plan.solver.seconds)),
                  id: "inspector-hours")
        h += "</div>\n</section>\n"

        h += ReportBottleneck.section(scenario: scenario, plan: plan, t)

        // Calendar heat map.
        h += "<section id=\"calendar\">\n<h2>\(e(t("rpt.calendar")))</h2>\n"
        h += "<p class=\"note\">\(e(t("rpt.calendarNote")))</p>\n"
        h += "<div class=\"chart\">\(SVGChart.heatMap(f, t))</div>\n</section>\n"

        // Weekly load per department.
        h += "<section id=\"capacity\">\n<h2>\(e(t("rpt.capacity")))</h2>\n"
        h += "<p class=\"note\">\(e(t("rpt.capacityNote", f.calendar.workingMinutes)))</p>\n<div class=\"panels\">\n"
        for (dept, weeks) in f.departmentWeeks {
            let used = weeks.reduce(0) { $0 + $1.used }, cap = weeks.reduce(0) { $0 + $1.capacity }
            let util = cap > 0 ? t("rpt.utilization", percent(100 * Double(used) / Double(cap))) : t("rpt.noStaff")
            h += "<figure class=\"panel\"><figcaption><strong>\(e(labels.departmentName(dept)))</strong> · \(util)"
            h += " · \(e(t("rpt.hoursOf", SVGChart.number(Double(used) / 60), SVGChart.number(Double(cap) / 60))))</figcaption>\n"
            h += SVGChart.weeklyLoad(department: labels.departmentName(dept), weeks: weeks, t)
            h += "</figure>\n"
        }
        h += "</div>\n</section>\n"

        // Visits per town.
        h += "<section id=\"towns\">\n<h2>\(e(t("rpt.towns")))</h2>\n<div class=\"chart\">"
        h += SVGChart.bars(f.visitsPerTown.map { row in
            let n = labels.townName(row.town)
            return (n, row.visits, t("rpt.townVisits", n, row.visits))
        }, label: t("rpt.towns"))
        h += "</div>\n</section>\n"

        // Enterprises by tier.
        h += "<section id=\"tiers\">\n<h2>\(e(t("rpt.tiers")))</h2>\n"
        h += "<p class=\"note\">\(e(t("rpt.tiersNote", Tier.allCases.map { t("rpt.tierCap", $0.rawValue, scenario.policy.maxOnsiteVisits[$0]) }.joined(separator: t("list.separator")))))</p>\n"
        h += "<div class=\"chart\">\(SVGChart.tierStacks(f, t))</div>\n</section>\n"

        // Busiest inspectors.
        h += "<section id=\"inspectors\">\n<h2>\(e(t("rpt.busiest")))</h2>\n"
        let ih = t("rpt.busiestHeader").split(separator: ",").map(String.init)
        h += "<table>\n<thead><tr>" + ih.enumerated().map { i, c in "<th\(i >= 2 ? " class=\"n\"" : "")>\(e(c))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for load in f.inspectorLoads.prefix(busiestInspectors) {
            let dept = labels.department(ofInspector: load.inspector)
            h += "<tr><td>\(e(labels.inspectorName(load.inspector))) <span class=\"id\">\(e(load.inspector))</span></td>"
            h += "<td>\(e(dept.isEmpty ? "—" : labels.departmentName(dept)))</td><td class=\"n\">\(load.visits)</td>"
            h += "<td class=\"n\">\(load.remoteChecks)</td><td class=\"n\">\(load.daysWorked)</td>"
            h += "<td class=\"n\">\(SVGChart.number(Double(load.minutes) / 60))</td><td class=\"n\">\(percent(100 * load.utilization))</td></tr>\n"
        }
        if f.inspectorLoads.isEmpty { h += "<tr><td colspan=\"7\">\(e(t("rpt.noInspectors")))</td></tr>\n" }
        h += "</tbody>\n</table>\n</section>\n"

        // Unmet checks.
        if !plan.unmet.isEmpty {
            h += "<section id=\"unmet\">\n<h2>\(e(t("rpt.unmetHeading")))</h2>\n"
            if plan.unmet.count > unmetListed {
                h += "<p class=\"note\">\(e(t("rpt.unmetNote", plan.unmet.count, unmetListed)))</p>\n"
            }
            let uh = t("rpt.unmetHeader").split(separator: ",").map(String.init)
            h += "<table>\n<thead><tr>" + uh.enumerated().map { i, c in "<th\(i == 4 ? " class=\"n\"" : "")>\(e(c))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
            let sorted = plan.unmet.sorted { ($0.enterprise, $0.item, $0.occurrence) < ($1.enterprise, $1.item, $1.occurrence) }
            for u in sorted.prefix(unmetListed) {
                let dept = labels.department(ofItem: u.item)
                h += "<tr><td>\(e(labels.enterpriseName(u.enterprise))) <span class=\"id\">\(e(u.enterprise))</span></td>"
                h += "<td>\(scenario.enterprise(u.enterprise)?.tier.rawValue ?? "—")</td><td>\(e(labels.itemName(u.item)))</td>"
                h += "<td>\(e(dept.isEmpty ? "—" : labels.departmentName(dept)))</td><td class=\"n\">\(u.occurrence)</td>"
                h += "<td>\(e(language == .zh ? Labels.reasonText(u.reason) : t("reason.\(u.reason.rawValue)")))</td></tr>\n"
            }
            h += "</tbody>\n</table>\n</section>\n"
        }

        h += "<footer>\(e(t("rpt.footer", Plan.format)))"
        if !plan.scenarioSHA256.isEmpty { h += " · \(e(t("rpt.sha"))) <span class=\"id\">\(e(plan.scenarioSHA256))</span>" }
        h += "</footer>\n</body>\n</html>\n"
        return h
    }

    static func card(_ title: String, _ value: String, _ detail: String, id: String, alert: Bool = false) -> String {
        "<div class=\"card\(alert ? " alert" : "")\" id=\"kpi-\(id)\"><div class=\"label\">\(HTMLText.escape(title))</div>"
            + "<div class=\"value\">\(HTMLText.escape(value))</div><div class=\"detail\">\(HTMLText.escape(detail))</div></div>\n"
    }

    /// `55.8%` (one decimal).
    static func percent(_ v: Double) -> String { String(format: "%.1f%%", v) }

    static func statusText(_ s: PlanStatus) -> String {
        switch s {
        case .optimal: return "最优"
        case .feasible: return "可行"
        case .timeLimit: return "达到时间上限"
        case .infeasible: return "不可行"
        }
    }

    /// The KPIs and objective values where the plan and the recomputation disagree. A plan
    /// whose KPIs were never filled in (`KPIs()`, as a reader leaves them when the file has
    /// none) and an objective the file left out (negative counts) are not compared.
    static func kpiDifferences(plan: Plan, figures f: ReportFigures) -> [String] {
        var out: [String] = []
        let a = plan.kpis, b = f.recomputedKPIs
        func compare(_ name: String, _ x: Int, _ y: Int) { if x != y { out.append("\(name) \(x)（重新计算 \(y)）") } }
        if plan.objective.onsiteVisits >= 0 {
            compare("objective.onsiteVisits", plan.objective.onsiteVisits, f.recomputedObjective.onsiteVisits)
            compare("objective.inspectorMinutes", plan.objective.inspectorMinutes, f.recomputedObjective.inspectorMinutes)
        }
        guard a != KPIs() else { return out }
        compare("requiredChecks", a.requiredChecks, b.requiredChecks)
        compare("onsiteChecks", a.onsiteChecks, b.onsiteChecks)
        compare("remoteChecks", a.remoteChecks, b.remoteChecks)
        compare("unmetChecks", a.unmetChecks, b.unmetChecks)
        compare("baselineVisits", a.baselineVisits, b.baselineVisits)
        compare("visitLowerBound", a.visitLowerBound, b.visitLowerBound)
        compare("maxVisitsPerEnterprise", a.maxVisitsPerEnterprise, b.maxVisitsPerEnterprise)
        if abs(a.jointVisitRate - b.jointVisitRate) > 1e-6 {
            out.append("jointVisitRate \(percent(100 * a.jointVisitRate))（重新计算 \(percent(100 * b.jointVisitRate))）")
        }
        return out
    }

    static let css = """
    :root { color-scheme: light; }
    * { box-sizing: border-box; }
    body { margin: 0 auto; max-width: 1320px; padding: 24px 32px 48px; color: #1f2937; background: #f8fafc;
      font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "Hiragino Sans GB",
        "WenQuanYi Micro Hei", system-ui, -apple-system, "Segoe UI", sans-serif; font-size: 14px; line-height: 1.5; }
    h1 { font-size: 26px; margin: 0 0 6px; }
    h2 { font-size: 18px; margin: 0 0 10px; padding-bottom: 6px; border-bottom: 1px solid #e5e7eb; }
    header { margin-bottom: 18px; }
    .sub { margin: 2px 0; color: #4b5563; }
    section { background: #fff; border: 1px solid #e5e7eb; border-radius: 10px; padding: 16px 20px; margin: 16px 0; }
    .note { color: #6b7280; font-size: 13px; margin: 0 0 10px; }
    .warn { background: #fef3c7; border: 1px solid #f59e0b; border-radius: 8px; padding: 8px 12px; }
    .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 12px; }
    .card { border: 1px solid #e5e7eb; border-radius: 10px; padding: 12px 14px; background: #f9fafb; }
    .card .label { color: #6b7280; font-size: 13px; }
    .card .value { font-size: 30px; font-weight: 700; color: #0f766e; line-height: 1.2; margin: 4px 0; }
    .card.alert .value { color: #b91c1c; }
    .card .detail { color: #4b5563; font-size: 12px; }
    .status { padding: 1px 8px; border-radius: 9px; background: #e5e7eb; }
    .status-optimal { background: #d1fae5; color: #065f46; }
    .status-feasible, .status-timeLimit { background: #fef3c7; color: #92400e; }
    .status-infeasible { background: #fee2e2; color: #991b1b; }
    .chart { overflow-x: auto; }
    .panels { display: grid; grid-template-columns: repeat(auto-fill, minmax(390px, 1fr)); gap: 12px; }
    .panel { margin: 0; border: 1px solid #f1f5f9; border-radius: 8px; padding: 8px; }
    .panel figcaption { font-size: 13px; margin-bottom: 4px; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid #f1f5f9; }
    th { color: #6b7280; font-weight: 600; background: #f9fafb; }
    td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
    .id { color: #9ca3af; font-size: 12px; }
    footer { color: #9ca3af; font-size: 12px; margin-top: 24px; }
    @media print { body { background: #fff; } section { break-inside: avoid; } }

    """
}
