import Foundation
import JointPlan
import Testing
@testable import JointPlanExport

@Suite struct HTMLReportTests {
    private func render() -> (Scenario, Plan, String) {
        let s = Fixture.scenario()
        let p = Fixture.plan(s)
        return (s, p, HTMLReport.render(scenario: s, plan: p))
    }

    /// `--lang en`: every text of the report's own is English; only the scenario's names
    /// (here Chinese) stay as they are. The bottleneck section and the solver card too.
    @Test func englishReportHasNoChineseOfItsOwn() {
        var s = Fixture.scenario()
        s.name = "Nanhu Q1"
        for i in s.departments.indices { s.departments[i].name = "Dept \(i)" }
        for i in s.towns.indices { s.towns[i].name = "Town \(i)" }
        for i in s.enterprises.indices { s.enterprises[i].name = "Enterprise \(i)" }
        for i in s.inspectors.indices { s.inspectors[i].name = "Inspector \(i)" }
        for i in s.items.indices { s.items[i].name = "Item \(i)" }
        s.index()
        let p = Fixture.plan(s)
        let html = HTMLReport.render(scenario: s, plan: p, language: .en)
        let chinese = html.unicodeScalars.filter { (0x4E00...0x9FFF).contains($0.value) || (0xFF00...0xFFEF).contains($0.value) }
        #expect(chinese.isEmpty, "Chinese left: \(String(String.UnicodeScalarView(chinese)))")
        #expect(html.contains("<html lang=\"en\">") && html.contains("Key figures") && html.contains("visit slots"))
        #expect(html.contains("unmet weighted 8 (bound 2, gap 50.00%) · visit lower bound 5"))
    }

    @Test func reportIsSelfContained() {
        let (_, _, html) = render()
        let lower = html.lowercased()
        for forbidden in ["http://", "https://", "<script", "<link", "@import", "url(", "src=", "//fonts", "<iframe", "<object"] {
            #expect(!lower.contains(forbidden), "the report contains \(forbidden)")
        }
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<meta charset=\"utf-8\">"))
        #expect(html.contains("\"Noto Sans CJK SC\", \"Source Han Sans SC\", \"PingFang SC\", \"Microsoft YaHei\""))
    }

    @Test func reportEscapesScenarioStrings() {
        let (_, _, html) = render()
        #expect(!html.contains(Fixture.scriptName))
        #expect(!html.contains("<script>"))
        // The enterprise with the script name is in the unmet table, escaped.
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;餐厅"))
        #expect(HTMLText.escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;")
        var s = Fixture.scenario()
        s.name = "</title><script>x</script>"
        s.towns[0].name = "<b>镇</b>"
        s.index()
        let other = HTMLReport.render(scenario: s, plan: Fixture.plan(s))
        #expect(!other.contains("<script>") && !other.contains("<b>镇"))
        #expect(other.contains("&lt;/title&gt;&lt;script&gt;x&lt;/script&gt;"))
        #expect(other.contains("&lt;b&gt;镇&lt;/b&gt;"))
    }

    @Test func reportShowsTheKPIs() {
        let (_, p, html) = render()
        let k = p.kpis
        #expect(k.baselineVisits == 9 && p.visits.count == 5)   // SCJG 2+1+1+1, XF 1+1+1+1 → 9 visits alone
        #expect(html.contains("<div class=\"value\">5</div><div class=\"detail\">次 · 各部门单独检查需 9 次</div>"))
        #expect(html.contains(String(format: "%.1f%%", k.visitReductionPct)))   // 44.4%
        #expect(html.contains("44.4%"))
        #expect(html.contains("80.0%"))                                         // 4 of 5 visits are joint
        #expect(html.contains("现场 10 · 非现场 2 · 未完成 1"))
        #expect(html.contains("<div class=\"value\">13</div>"))                 // required checks
        #expect(html.contains("人手不足 1"))
        #expect(html.contains("未完成加权 8（下界 2，差距 50.00%）· 现场检查次数下界 5"))   // as the CLI summary
        #expect(html.contains("最优"))
        #expect(!html.contains("class=\"warn\""))                               // the plan's KPIs are consistent
    }

    @Test func reportWarnsWhenThePlanKPIsAreWrong() {
        let s = Fixture.scenario()
        var p = Fixture.plan(s)
        p.kpis.baselineVisits = 99
        let html = HTMLReport.render(scenario: s, plan: p)
        #expect(html.contains("class=\"warn\""))
        #expect(html.contains("baselineVisits 99（重新计算 9）"))
    }

    @Test func planReadFromAFileShowsTheSameKPIs() throws {
        // Whatever a reader keeps of the file's "kpis", the cards show the recomputed values and
        // a consistent plan raises no warning.
        let s = Fixture.scenario()
        let p = Fixture.plan(s)
        let read = try PlanReader.read(p.encoded())
        let html = HTMLReport.render(scenario: s, plan: read)
        #expect(!html.contains("class=\"warn\""))
        #expect(html.contains("次 · 各部门单独检查需 9 次"))
        #expect(html.contains("44.4%") && html.contains("80.0%"))
    }

    @Test func reportHasTheCharts() {
        let (s, _, html) = render()
        let svgs = html.components(separatedBy: "<svg ").count - 1
        // Bottleneck, heat map, one panel per department, towns, tiers.
        #expect(svgs == 1 + 1 + s.departments.count + 1 + 1)
        for section in ["id=\"bottleneck\"", "id=\"kpis\"", "id=\"calendar\"", "id=\"capacity\"", "id=\"towns\"", "id=\"tiers\"", "id=\"inspectors\"", "id=\"unmet\""] {
            #expect(html.contains(section))
        }
        #expect(html.contains("<title>2026-01-12 星期一：2 次现场检查</title>"))
        #expect(html.contains("<title>2026-01-01 星期四：0 次现场检查（非工作日）</title>"))
        #expect(html.contains("城关镇, 东区：3 次现场检查"))
        // Busiest inspector first: P003 (three visits with travel) or P002.
        #expect(html.contains("<td>王强 <span class=\"id\">P003</span></td>"))
    }

    @Test func figuresCountWhatThePlanHolds() throws {
        let s = Fixture.scenario()
        let p = Fixture.plan(s)
        let f = ReportFigures(scenario: s, plan: p)
        #expect(f.requiredChecks == 13)
        #expect(f.recomputedKPIs == p.kpis)
        #expect(f.visitsPerDay[Day("2026-01-12")!] == 2)
        #expect(f.visitsPerDay.values.reduce(0, +) == 5)
        #expect(f.weeks.first == Day("2025-12-29")!)          // the Monday of the week of 2026-01-01
        #expect(f.weeks.last == Day("2026-03-30")!)
        #expect(f.visitsPerTown.map(\.town) == ["T02", "T01", "T03"])
        #expect(f.visitsPerTown.map(\.visits) == [3, 1, 1])
        // Tiers: C has one enterprise with 1 visit, D one with 2, B and A one each with 1.
        let byTier = Dictionary(uniqueKeysWithValues: f.enterprisesByVisits.map { ($0.tier, $0.counts) })
        #expect(byTier[.D] == [0, 0, 1, 0])
        #expect(byTier[.C] == [0, 1, 0, 0])
        // Capacity: 2 certified XF inspectors × the working days of the week of 2026-01-12
        // (5) × 360 working minutes; used: P003's day of two visits with 25 minutes of travel.
        let xf = try #require(f.departmentWeeks.first { $0.department == "XF" })
        let week = try #require(xf.weeks.first { $0.monday == Day("2026-01-12")! })
        #expect(f.calendar.workingMinutes == 7 * 60)
        #expect(week.capacity == 2 * 5 * 420)
        #expect(week.used == 55 + 25 + 40)
        // The week of 2025-12-29 holds only 2026-01-02 (a holiday) and 2026-01-04 (a make-up day).
        #expect(xf.weeks[0].capacity == 2 * 1 * 420)
        // Totals per department agree with the utilization KPI.
        let dayMinutes = Evaluation(scenario: s).inspectorDayMinutes(p)
        let xfMinutes = ["P003", "P005"].reduce(0) { $0 + (dayMinutes[$1]?.values.reduce(0, +) ?? 0) }
        #expect(xf.weeks.reduce(0) { $0 + $1.used } == xfMinutes)
        let utilization = try #require(p.kpis.utilization.first { $0.department == "XF" }).value
        #expect(abs(Double(xfMinutes) / Double(xf.weeks.reduce(0) { $0 + $1.capacity }) - utilization) < 1e-12)
        #expect(f.inspectorLoads.first?.inspector == "P003")
    }

    @Test func emptyPlanRenders() {
        let s = Fixture.scenario()
        var p = Plan()
        p.scenarioName = s.name
        Evaluation(scenario: s).finish(&p, requiredChecks: 0)
        let html = HTMLReport.render(scenario: s, plan: p)
        #expect(html.contains("本计划没有安排检查人员"))
        #expect(html.hasSuffix("</html>\n"))
    }
}
