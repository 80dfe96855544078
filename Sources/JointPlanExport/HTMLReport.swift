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
        h += "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        h += "<title>联合检查计划报告 · \(e(scenario.name))</title>\n<style>\n\(css)</style>\n</head>\n<body>\n"

        // Header.
        let hz = scenario.horizon
        h += "<header>\n<h1>综合查一次 · 联合检查计划报告</h1>\n"
        h += "<p class=\"sub\"><strong>\(e(scenario.name.isEmpty ? "（未命名方案）" : scenario.name))</strong>"
        h += " · \(hz.start) 至 \(hz.end) · \(f.calendar.days.count) 个工作日 · 时区 \(e(hz.timezone))"
        h += " · 抽查种子 \(plan.seed) · 求解状态 <span class=\"status status-\(plan.status.rawValue)\">\(statusText(plan.status))</span></p>\n"
        h += "<p class=\"sub\">\(scenario.departments.count) 个部门 · \(scenario.inspectors.count) 名检查人员 · "
        h += "\(scenario.towns.count) 个镇街 · \(scenario.enterprises.count) 家企业 · \(scenario.items.count) 个检查事项</p>\n</header>\n"

        if !plan.scenarioName.isEmpty && plan.scenarioName != scenario.name {
            h += "<p class=\"warn\">计划文件对应的方案名称为“\(e(plan.scenarioName))”，与本方案“\(e(scenario.name))”不同。</p>\n"
        }
        let differences = kpiDifferences(plan: plan, figures: f)
        if !differences.isEmpty {
            h += "<p class=\"warn\">计划文件中的指标与根据其检查安排重新计算的结果不一致（报告显示重新计算的结果）：\(e(differences.joined(separator: "；")))。</p>\n"
        }

        // KPI cards.
        h += "<section id=\"kpis\">\n<h2>关键指标</h2>\n<div class=\"cards\">\n"
        let joint = Int((k.jointVisitRate * Double(plan.visits.count)).rounded())
        h += card("现场检查", "\(plan.visits.count)", "次 · 各部门单独检查需 \(k.baselineVisits) 次", id: "onsite-visits")
        h += card("检查次数减少", percent(k.visitReductionPct), "较各部门单独检查 · 现场检查次数下界 \(k.visitLowerBound) 次", id: "visit-reduction")
        h += card("联合检查率", percent(100 * k.jointVisitRate), "\(joint) 次检查涉及两个及以上部门", id: "joint-rate")
        h += card("应检事项", "\(k.requiredChecks)", "现场 \(k.onsiteChecks) · 非现场 \(k.remoteChecks) · 未完成 \(k.unmetChecks)", id: "required-checks")
        let reasons = UnmetReason.allCases.compactMap { r -> String? in
            let n = k.unmetByReason[r] ?? 0
            return n > 0 ? "\(Labels.reasonText(r)) \(n)" : nil
        }
        h += card("未完成检查", "\(k.unmetChecks)", reasons.isEmpty ? "全部应检事项均已安排" : reasons.joined(separator: " · "),
                  id: "unmet-checks", alert: k.unmetChecks > 0)
        h += card("单家企业最多现场检查", "\(k.maxVisitsPerEnterprise)", "次（本期）", id: "max-visits")
        // The same bound and gap as the CLI summary prints (solver.bestBound, solver.gap).
        h += card("求解", statusText(plan.status),
                  t("report.solverDetail", JSON.format(plan.objective.unmetWeighted), JSON.format(plan.solver.bestBound),
                    String(format: "%.2f%%", plan.solver.gap * 100), plan.solver.visitBound),
                  id: "solver")
        h += card("检查人员工时", "\(SVGChart.number(Double(objective.inspectorMinutes) / 60))",
                  "小时 · 未完成加权 \(SVGChart.number(objective.unmetWeighted)) · \(e(plan.solver.engine)) \(SVGChart.number(plan.solver.seconds)) 秒",
                  id: "inspector-hours")
        h += "</div>\n</section>\n"

        h += ReportBottleneck.section(scenario: scenario, plan: plan, t)

        // Calendar heat map.
        h += "<section id=\"calendar\">\n<h2>每日现场检查</h2>\n"
        h += "<p class=\"note\">每列一周、每行一个星期几；颜色越深，当天的现场检查越多。红框：安排在非工作日的检查。</p>\n"
        h += "<div class=\"chart\">\(SVGChart.heatMap(f))</div>\n</section>\n"

        // Weekly load per department.
        h += "<section id=\"capacity\">\n<h2>各部门每周检查工时与可用工时</h2>\n"
        h += "<p class=\"note\">蓝柱：该部门检查人员每周用于现场检查（含镇街间路程）和非现场检查的工时；红柱：超出可用工时；"
        h += "橙色虚线：可用工时 = 持证且在岗的检查人员 × 工作日 × 每日 \(f.calendar.workingMinutes) 分钟。</p>\n<div class=\"panels\">\n"
        for (dept, weeks) in f.departmentWeeks {
            let used = weeks.reduce(0) { $0 + $1.used }, cap = weeks.reduce(0) { $0 + $1.capacity }
            let util = cap > 0 ? "利用率 " + percent(100 * Double(used) / Double(cap)) : "无可用人员"
            h += "<figure class=\"panel\"><figcaption><strong>\(e(labels.departmentName(dept)))</strong> · \(util)"
            h += " · \(SVGChart.number(Double(used) / 60)) / \(SVGChart.number(Double(cap) / 60)) 小时</figcaption>\n"
            h += SVGChart.weeklyLoad(department: labels.departmentName(dept), weeks: weeks)
            h += "</figure>\n"
        }
        h += "</div>\n</section>\n"

        // Visits per town.
        h += "<section id=\"towns\">\n<h2>各镇街现场检查次数</h2>\n<div class=\"chart\">"
        h += SVGChart.bars(f.visitsPerTown.map { t in
            let n = labels.townName(t.town)
            return (n, t.visits, "\(n)：\(t.visits) 次现场检查")
        }, label: "各镇街现场检查次数")
        h += "</div>\n</section>\n"

        // Enterprises by tier.
        h += "<section id=\"tiers\">\n<h2>各信用等级企业的现场检查次数</h2>\n"
        h += "<p class=\"note\">每行一个信用等级（A 低风险 … D 高风险），按本期现场检查次数分段：无事不扰，低风险企业应少查。"
        h += "上限：" + Tier.allCases.map { "\($0.rawValue) 级 \(scenario.policy.maxOnsiteVisits[$0]) 次" }.joined(separator: "、") + "。</p>\n"
        h += "<div class=\"chart\">\(SVGChart.tierStacks(f))</div>\n</section>\n"

        // Busiest inspectors.
        h += "<section id=\"inspectors\">\n<h2>任务最重的检查人员</h2>\n"
        h += "<table>\n<thead><tr><th>检查人员</th><th>部门</th><th class=\"n\">现场检查</th><th class=\"n\">非现场检查</th>"
        h += "<th class=\"n\">出勤天数</th><th class=\"n\">工时（小时）</th><th class=\"n\">利用率</th></tr></thead>\n<tbody>\n"
        for load in f.inspectorLoads.prefix(busiestInspectors) {
            let dept = labels.department(ofInspector: load.inspector)
            h += "<tr><td>\(e(labels.inspectorName(load.inspector))) <span class=\"id\">\(e(load.inspector))</span></td>"
            h += "<td>\(e(dept.isEmpty ? "—" : labels.departmentName(dept)))</td><td class=\"n\">\(load.visits)</td>"
            h += "<td class=\"n\">\(load.remoteChecks)</td><td class=\"n\">\(load.daysWorked)</td>"
            h += "<td class=\"n\">\(SVGChart.number(Double(load.minutes) / 60))</td><td class=\"n\">\(percent(100 * load.utilization))</td></tr>\n"
        }
        if f.inspectorLoads.isEmpty { h += "<tr><td colspan=\"7\">本计划没有安排检查人员。</td></tr>\n" }
        h += "</tbody>\n</table>\n</section>\n"

        // Unmet checks.
        if !plan.unmet.isEmpty {
            h += "<section id=\"unmet\">\n<h2>未完成的应检事项</h2>\n"
            if plan.unmet.count > unmetListed {
                h += "<p class=\"note\">共 \(plan.unmet.count) 项，下表列出前 \(unmetListed) 项；全部见 CSV 导出的 -unmet 文件。</p>\n"
            }
            h += "<table>\n<thead><tr><th>企业</th><th>等级</th><th>检查事项</th><th>部门</th><th class=\"n\">第几次</th><th>原因</th></tr></thead>\n<tbody>\n"
            let sorted = plan.unmet.sorted { ($0.enterprise, $0.item, $0.occurrence) < ($1.enterprise, $1.item, $1.occurrence) }
            for u in sorted.prefix(unmetListed) {
                let dept = labels.department(ofItem: u.item)
                h += "<tr><td>\(e(labels.enterpriseName(u.enterprise))) <span class=\"id\">\(e(u.enterprise))</span></td>"
                h += "<td>\(scenario.enterprise(u.enterprise)?.tier.rawValue ?? "—")</td><td>\(e(labels.itemName(u.item)))</td>"
                h += "<td>\(e(dept.isEmpty ? "—" : labels.departmentName(dept)))</td><td class=\"n\">\(u.occurrence)</td>"
                h += "<td>\(e(Labels.reasonText(u.reason)))</td></tr>\n"
            }
            h += "</tbody>\n</table>\n</section>\n"
        }

        h += "<footer>由 jointplan 生成 · 计划格式 \(Plan.format)"
        if !plan.scenarioSHA256.isEmpty { h += " · 方案 SHA-256 <span class=\"id\">\(e(plan.scenarioSHA256))</span>" }
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
