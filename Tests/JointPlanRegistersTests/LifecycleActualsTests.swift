import Foundation
import XCTest
import JointPlan
import JointPlanStore
import Spreadsheet
@testable import JointPlanRegisters

/// Issue 23 on the bundled demo district: the actuals sheet's result column and its checks,
/// the on-time completion rate, and the 一公开 publication files.
final class LifecycleActualsTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try Support.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }
    func path(_ n: String) -> String { dir.appendingPathComponent(n).path }

    static let demo: (scenario: Scenario, plan: Plan) = {
        let data = try! Data(contentsOf: Support.scenarios.appendingPathComponent("demo.json"))
        let scenario = try! ScenarioReader.read(data)
        var options = SolveOptions()
        options.timeLimitSeconds = 30
        options.iterations = 2
        return (scenario, Solver.solve(scenario, scenarioData: data, options: options))
    }()

    /// The sheet written for the plan, then filled by `script` (openpyxl; `ws` is the sheet).
    func filled(_ script: String) throws -> String {
        let (s, p) = Self.demo
        try ActualsSheet.write(scenario: s, plan: p, to: path("blank.xlsx"))
        try Support.python("""
            import openpyxl, sys, datetime
            wb = openpyxl.load_workbook(sys.argv[1]); ws = wb["实际执行"]
            \(script)
            wb.save(sys.argv[2])
            """, path("blank.xlsx"), path("filled.xlsx"))
        return path("filled.xlsx")
    }

    func testTheSheetHasAResultColumnWithTheOfficesList() throws {
        let file = try filled("pass")
        let head = try Support.python("""
            import openpyxl, sys
            ws = openpyxl.load_workbook(sys.argv[1])["实际执行"]
            print("|".join(c.value for c in ws[1]))
            print(ws.data_validations.dataValidation[-1].formula1)
            """, file)
        XCTAssertTrue(head.contains("|处理结果|结果说明\n"), head)
        XCTAssertTrue(head.contains("未发现问题,责令整改,立案查处,不予处罚,其他"), head)
    }

    func testEveryProblemOfTheSheetIsReportedBySheetRowAndColumnAndNothingIsTaken() throws {
        let (s, p) = Self.demo
        let file = try filled("""
            ws.cell(2, 12).value = "已完成"; ws.cell(2, 15).value = "责令整改"; ws.cell(2, 16).value = "消防通道堵塞"
            ws.cell(3, 12).value = "改期完成"
            ws.cell(4, 12).value = "改期完成"; ws.cell(4, 13).value = datetime.date(2027, 5, 1)
            ws.cell(5, 12).value = "已完成"; ws.cell(5, 15).value = "罚款两千"
            ws.cell(6, 1).value = "V99999"
            ws.cell(7, 12).value = "未完成"; ws.cell(7, 15).value = "未发现问题"
            ws.cell(8, 1).value = next(ws.cell(r, 1).value for r in range(9, ws.max_row + 1) if ws.cell(r, 1).value not in (ws.cell(8, 1).value, "非现场"))
            """)
        let (_, problems) = try ActualsSheet.read(path: file, plan: p, horizon: s.horizon.span, language: .zh)
        let texts = problems.map { $0.text(Catalogue(.zh)) }
        XCTAssertEqual(texts.count, 6, texts.joined(separator: "\n"))
        XCTAssertEqual(texts[0], "实际执行 第3行 实际日期: 改期完成必须填写实际日期")
        XCTAssertEqual(texts[1], "实际执行 第4行 实际日期: 实际日期 2027-05-01 不在计划期 2026-01-01/2026-03-31 内")
        XCTAssertEqual(texts[2], "实际执行 第5行 处理结果: 处理结果应为 未发现问题、责令整改、立案查处、不予处罚、其他 之一：\"罚款两千\"")
        XCTAssertEqual(texts[3], "实际执行 第6行 计划检查编号: 计划中没有检查编号 \"V99999\"")
        XCTAssertEqual(texts[4], "实际执行 第7行 处理结果: 未完成的检查不应有处理结果")
        XCTAssertTrue(texts[5].hasPrefix("实际执行 第8行 计划检查编号: 计划中企业 "), texts[5])
    }

    func testResultsAreReadAndTheCompletionRateCountsChecksDoneByTheirPlannedDate() throws {
        let (s, p) = Self.demo
        // Row 2 done with a result; 3 not done; 4 done a week late; 5 done early; the rest blank.
        let rows = p.visits.flatMap { v in v.checks.sorted { ($0.item, $0.occurrence) < ($1.item, $1.occurrence) }.map { (v, $0) } }
        let late = rows[2].0.date + 7 <= s.horizon.end ? rows[2].0.date + 7 : s.horizon.end
        let early = rows[3].0.date - 1
        let file = try filled("""
            ws.cell(2, 12).value = "已完成"; ws.cell(2, 15).value = "责令整改"; ws.cell(2, 16).value = "消防通道堵塞"
            ws.cell(3, 12).value = "未完成"; ws.cell(3, 14).value = "企业停业"
            ws.cell(4, 12).value = "改期完成"; ws.cell(4, 13).value = datetime.date.fromisoformat("\(late)")
            ws.cell(5, 12).value = "改期完成"; ws.cell(5, 13).value = datetime.date.fromisoformat("\(early)")
            """)
        let (a, problems) = try ActualsSheet.read(path: file, plan: p, horizon: s.horizon.span)
        XCTAssertEqual(problems, [])
        let first = Actuals.Key(enterprise: rows[0].0.enterprise, item: rows[0].1.item, occurrence: rows[0].1.occurrence)
        XCTAssertEqual(a.entries[first]?.result, .rectify)
        XCTAssertEqual(a.entries[first]?.note, "消防通道堵塞")
        XCTAssertTrue(a.json.arrayValue!.contains { $0["result"] == .string("责令整改") && $0["note"] == .string("消防通道堵塞") })
        let c = a.completion(scenario: s)
        let planned = p.visits.reduce(0) { $0 + $1.checks.count } + p.remoteChecks.count
        XCTAssertEqual(c.overall.planned, planned)
        XCTAssertEqual(c.overall.notDone, 1)
        XCTAssertEqual(c.overall.late, late > rows[2].0.date ? 1 : 0)
        XCTAssertEqual(c.overall.onTime, planned - 1 - c.overall.late)
        XCTAssertEqual(c.overall.rate, Double(planned - 1 - c.overall.late) / Double(planned), accuracy: 1e-12)
        XCTAssertEqual(c.departments.map(\.1.planned).reduce(0, +), planned)
        XCTAssertEqual(c.departments.map(\.1.onTime).reduce(0, +), c.overall.onTime)
        let notDoneDept = s.item(rows[1].1.item)!.department
        XCTAssertEqual(c.departments.first { $0.0 == notDoneDept }?.1.notDone, 1)
        // Read back from the store's record, the same.
        XCTAssertEqual(Actuals(plan: p, recorded: a.json.arrayValue!).completion(scenario: s), c)
    }

    func testThePublicationListsTheDrawAndTheResultsWithDeadlinesAndNothingPrivate() throws {
        let (s, p) = Self.demo
        let file = try filled("""
            ws.cell(2, 12).value = "已完成"; ws.cell(2, 15).value = "立案查处"; ws.cell(2, 16).value = "无证经营"
            ws.cell(3, 12).value = "未完成"; ws.cell(3, 14).value = "企业停业"
            """)
        let (a, problems) = try ActualsSheet.read(path: file, plan: p, horizon: s.horizon.span)
        XCTAssertEqual(problems, [])
        let pub = Publication(scenario: s, plan: p, actuals: a)
        // The draw list: every drawn pair of the seed's draw, by enterprise name.
        let drawn = Duties(scenario: s, seed: p.seed).duties.filter(\.drawn)
        XCTAssertEqual(pub.draw.count, drawn.count)
        XCTAssertGreaterThan(drawn.count, 0)
        let html = String(decoding: pub.drawListHTML, as: UTF8.self)
        for d in drawn { XCTAssertTrue(html.contains(s.enterprises[d.enterprise].name)) }
        XCTAssertTrue(html.contains("随机种子 \(p.seed)"))
        XCTAssertTrue(html.contains("floor(r × N + 0.5)"))
        // Results: one row per check reported done, with its result; the checks left blank are
        // counted (no result to publish yet); the not-done one is listed with why.
        XCTAssertEqual(pub.results.map(\.result), ["立案查处"])
        XCTAssertEqual(pub.unreported, a.entries.count - 2)
        let r = pub.results[0]
        XCTAssertEqual(r.deadline, Publication.workingDays(s.horizon, holidays: .bundled)(r.date, 20))
        XCTAssertGreaterThan(r.deadline, r.date + 20)
        XCTAssertTrue(pub.notDone.contains { $0.why == "未完成：企业停业" })
        XCTAssertEqual(pub.notDone.count, 1 + p.unmet.count)
        let results = String(decoding: pub.resultsHTML, as: UTF8.self)
        XCTAssertTrue(results.contains("无证经营") && results.contains("未完成：企业停业"))
        // Nothing private: no inspector's name or id (but in rule 11's public order of the
        // draw list, PublicationOrderTests), no recusals.
        for page in [html.components(separatedBy: "<h2 id=orders>")[0], results] {
            XCTAssertTrue(page.hasPrefix("<!DOCTYPE html>\n<html lang=\"zh-CN\">"))
            XCTAssertFalse(page.contains("<script") || page.contains("http://") || page.contains("https://"))
            for i in s.inspectors { XCTAssertFalse(page.contains(i.name), i.name); XCTAssertFalse(page.contains(">\(i.id)<")) }
        }
        // Files: the four, the workbooks readable.
        let written = try pub.write(to: path("pub"))
        XCTAssertEqual(written.map { ($0 as NSString).lastPathComponent }, ["draw-list.html", "draw-list.xlsx", "results.html", "results.xlsx"])
        let sheets = try Support.python("""
            import openpyxl, sys
            wb = openpyxl.load_workbook(sys.argv[1]); print(wb.sheetnames, wb["抽查结果"].max_row)
            """, path("pub/results.xlsx"))
        XCTAssertEqual(sheets, "['抽查结果', '未完成'] \(pub.results.count + 1)\n")
    }

    func testThePublicationDeadlineIsTwentyWorkingDaysOnTheScenariosCalendar() {
        let (s, _) = Self.demo
        let next = Publication.workingDays(s.horizon, holidays: .bundled)
        // Inside the quarter: the Spring Festival (2/15–2/23) is skipped, 2/28 (Saturday) is a make-up day.
        XCTAssertEqual(next(Day("2026-02-06")!, 20), Day("2026-03-12"))
        // Past the quarter's end: the State Council's Qingming holiday (4/4–4/6) is skipped.
        XCTAssertEqual(next(Day("2026-03-27")!, 20), Day("2026-04-27"))
    }
}

extension LifecycleActualsTests {
    /// 补查 in explain: each carried-over check, and where the new quarter's plan holds it again.
    func testExplainShowsCarriedOverChecksAndWhereTheyArePlannedAgain() throws {
        let doc = try JSONParser.parse(#"{"enterprises": [{"id": "E1", "extensions": {"rollover": {"from": "2026Q1", "notDone": [{"item": "a", "occurrence": 1, "reason": "not done: 企业停业", "lastChecked": null}, {"item": "b", "occurrence": 1, "reason": "unmet: staffing", "lastChecked": "2025-12-01"}]}}}]}"#)
        var plan = Plan()
        plan.visits = [Visit(id: "V00009", enterprise: "E1", date: Day("2026-04-08")!, start: 540, end: 600, inspectors: ["P1", "P2"],
                             checks: [Check(item: "a", occurrence: 1, inspector: "P1")])]
        let lines = Rollover.explanation(document: doc, enterprise: "E1", plan: plan, language: .zh)
        XCTAssertEqual(lines.count, 3)
        XCTAssertTrue(lines[0].hasPrefix("补查（2026Q1 应检未完成"), lines[0])
        XCTAssertEqual(lines[1], "  a #1: not done: 企业停业 — 从未检查；本季度已安排：V00009 2026-04-08")
        XCTAssertEqual(lines[2], "  b #1: unmet: staffing — 上次检查 2025-12-01；本季度未要求，未排入")
        XCTAssertEqual(Rollover.explanation(document: doc, enterprise: "E2"), [])
    }
}

extension LifecycleActualsTests {
    /// The report's targets section: each KPI met / not met, the completion rate by department.
    func testTheReportShowsEachTargetMetOrNotAndTheCompletionByDepartment() throws {
        let (s, p) = Self.demo
        let file = try filled("""
            ws.cell(3, 12).value = "未完成"; ws.cell(3, 14).value = "企业停业"
            """)
        let (a, problems) = try ActualsSheet.read(path: file, plan: p, horizon: s.horizon.span)
        XCTAssertEqual(problems, [])
        let html = TargetsSection.html(scenario: s, plan: p, actuals: a, language: .zh)
        XCTAssertTrue(html.contains("<tr class=\"\(p.kpis.jointVisitRate >= 0.4 ? "met" : "unmet")\"><th>综合查一次实施率</th>"), html)
        // One check not done: completion under 100 %, not met, and printed short of 100 %.
        XCTAssertTrue(html.contains("<tr class=\"unmet\"><th>计划按期完成率</th>"), html)
        XCTAssertTrue(html.contains("未达标"))
        XCTAssertTrue(html.contains("<th>合计</th><td>按期完成 \(a.entries.count - 1) / 计划 \(a.entries.count)（\(Actuals.Completion.percent(Double(a.entries.count - 1) / Double(a.entries.count)))）"), html)
        XCTAssertFalse(html.contains("<th>合计</th><td>按期完成 \(a.entries.count - 1) / 计划 \(a.entries.count)（100"), html)
        for d in Set(s.items.map(\.department)) where a.completion(scenario: s).departments.contains(where: { $0.0 == d }) {
            XCTAssertTrue(html.contains("<th>\(s.department(d)!.name)</th>"), d)
        }
        // Without actuals: completion not assessed, no table.
        let none = TargetsSection.html(scenario: s, plan: p, actuals: nil, language: .en)
        XCTAssertTrue(none.contains("<tr class=\"na\"><th>on-time completion rate</th>"), none)
        XCTAssertFalse(none.contains("<h3>"))
        // Inserted before the bottleneck section of the report.
        let page = TargetsSection.insert(none, into: "<body><section id=\"kpis\"></section><section id=\"bottleneck\"></section></body>")
        XCTAssertTrue(page.contains("</section><section id=\"targets\">"), page)
    }
}
