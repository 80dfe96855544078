import Foundation
import XCTest
import JointPlan
import JointPlanStore
import Spreadsheet
@testable import JointPlanRegisters

/// Issue 13, items 6 and 7 on the bundled demo district: the actuals sheet, its record in the
/// store, a re-plan that takes it, and the rollover into the next quarter.
final class ActualsRolloverTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try Support.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }
    func path(_ n: String) -> String { dir.appendingPathComponent(n).path }

    func demo() throws -> (doc: JSON, data: Data, scenario: Scenario, plan: Plan) {
        let data = try Data(contentsOf: Support.scenarios.appendingPathComponent("demo.json"))
        let scenario = try ScenarioReader.read(data)
        var options = SolveOptions()
        options.timeLimitSeconds = 30
        let plan = Solver.solve(scenario, scenarioData: data, options: options)
        return (try JSONParser.parse(data), data, scenario, plan)
    }

    /// The sheet as written, filled as a department fills it (openpyxl): rows 2–4 done, 5–6 not
    /// done, 7 done on another date, the rest left blank.
    func filledSheet(_ s: Scenario, _ p: Plan) throws -> String {
        try ActualsSheet.write(scenario: s, plan: p, to: path("actuals.xlsx"))
        try Support.python("""
            import openpyxl, sys, datetime
            wb = openpyxl.load_workbook(sys.argv[1]); ws = wb["实际执行"]
            for r in (2, 3, 4): ws.cell(r, 12).value = "已完成"
            for r in (5, 6): ws.cell(r, 12).value = "未完成"; ws.cell(r, 14).value = "企业停业"
            ws.cell(7, 12).value = "改期完成"; ws.cell(7, 13).value = datetime.date(2026, 3, 27)
            wb.save(sys.argv[2])
            """, path("actuals.xlsx"), path("filled.xlsx"))
        return path("filled.xlsx")
    }

    func testActualsSheetReadBackRecordedInTheStoreLinkedToTheRun() throws {
        let (_, data, s, p) = try demo()
        let file = try filledSheet(s, p)
        let (actuals, problems) = try ActualsSheet.read(path: file, plan: p)
        XCTAssertEqual(problems, [])
        let planned = p.visits.reduce(0) { $0 + $1.checks.count } + p.remoteChecks.count
        let c = actuals.counts
        XCTAssertEqual([c.done, c.moved, c.notDone, c.notReported], [3, 1, 2, planned - 6])
        XCTAssertEqual(actuals.entries.values.filter { $0.status == .notDone(reason: "企业停业") }.count, 2)

        let store = try RunStore(path: path("runs.sqlite"))
        let run = try store.record(scenario: s, scenarioJSON: data, plan: p, options: SolveOptions())
        XCTAssertEqual(try store.run(matching: p), run)
        let id = try store.recordActuals(runId: run, source: "filled.xlsx", entries: actuals.json, counts: actuals.counts)
        let stored = try store.actuals(runId: run)
        XCTAssertEqual(stored.map(\.id), [id])
        XCTAssertEqual(stored.first.map { [$0.done, $0.moved, $0.notDone, $0.notReported] }, [3, 1, 2, planned - 6])
        XCTAssertEqual(try store.actualChecks(actualsId: id, status: "notDone").count, 2)
        // Deleting the run deletes its actuals (linked, not orphaned).
        XCTAssertTrue(try store.deleteRun(id: run))
        XCTAssertEqual(try store.actuals(runId: run), [])
    }

    func testBrokenActualsRowsAreReportedByRowAndColumn() throws {
        let (_, _, s, p) = try demo()
        try ActualsSheet.write(scenario: s, plan: p, to: path("a.xlsx"))
        try Support.python("""
            import openpyxl, sys
            wb = openpyxl.load_workbook(sys.argv[1]); ws = wb["实际执行"]
            ws.cell(2, 12).value = "差不多"
            ws.cell(3, 12).value = "改期完成"; ws.cell(3, 13).value = "下周"
            ws.cell(4, 6).value = "no-such-item"
            wb.save(sys.argv[1])
            """, path("a.xlsx"))
        let texts = try ActualsSheet.read(path: path("a.xlsx"), plan: p, language: .zh).problems.map { $0.text(Catalogue(.zh)) }
        XCTAssertEqual(texts.count, 3, texts.joined(separator: "\n"))
        XCTAssertTrue(texts[0].hasPrefix("实际执行 第2行 完成情况: "), texts[0])
        XCTAssertEqual(texts[1], "实际执行 第3行 实际日期: 不是日期：\"下周\"")
        XCTAssertTrue(texts[2].hasPrefix("实际执行 第4行 检查事项: "), texts[2])
    }

    func testReplanTakesTheActualsInsteadOfAssumingEveryEarlierVisitHappened() throws {
        let (_, data, s, p) = try demo()
        let (actuals, _) = try ActualsSheet.read(path: try filledSheet(s, p), plan: p)
        let notDone = Set(actuals.entries.filter { if case .notDone = $0.value.status { return true }; return false }.map(\.key))
        let from = Day("2026-03-30")!
        let carried = actuals.carriedOut(p, before: from)
        let (replanned, _) = Solver.replan(s, scenarioData: data, base: carried, from: from)
        XCTAssertTrue(PlanChecker.check(scenario: s, plan: replanned, scenarioData: data).valid)
        // A check reported not done is not frozen as done before the date.
        for v in replanned.visits where v.date < from {
            for c in v.checks { XCTAssertFalse(notDone.contains(.init(enterprise: v.enterprise, item: c.item, occurrence: c.occurrence))) }
        }
        // The one done on another date is frozen on that date.
        let moved = try XCTUnwrap(actuals.entries.first { if case .done(let d) = $0.value.status { return d != $0.value.plannedDate }; return false })
        let visit = try XCTUnwrap(replanned.visits.first { v in v.checks.contains { $0.item == moved.key.item && $0.occurrence == moved.key.occurrence } && v.enterprise == moved.key.enterprise })
        if moved.value.plannedDate < from, Day("2026-03-27")! < from, carried.visits.first(where: { $0.id == moved.value.visit })?.checks.count == 1 {
            XCTAssertEqual(visit.date, Day("2026-03-27"))
        }
    }

    func testRolloverIntoTheNextQuarter() throws {
        let (doc, _, s, p) = try demo()
        let (actuals, _) = try ActualsSheet.read(path: try filledSheet(s, p), plan: p)
        let (next, report) = try Rollover.next(document: doc, scenario: s, plan: p, actuals: actuals,
                                               quarter: Quarter("2026Q2")!, calendar: .bundled)
        let n = try ScenarioReader.read(json: next)
        XCTAssertEqual(n.horizon.start, Day("2026-04-01"))
        XCTAssertEqual(n.horizon.end, Day("2026-06-30"))
        XCTAssertEqual(n.horizon.holidays.map(\.description), ["2026-04-04/2026-04-06", "2026-05-01/2026-05-05", "2026-06-19/2026-06-21"])
        XCTAssertEqual(n.horizon.extraWorkdays.map(\.description), ["2026-05-09"])
        XCTAssertEqual(n.policy.seed, 20260401)
        XCTAssertEqual(n.name, "南湖区 2026年第二季度联合检查（生成：100 家企业，种子 1，人员系数 1）")
        XCTAssertTrue(n.pinned.isEmpty)  // all three pins were in Q1
        XCTAssertTrue(n.inspectors.allSatisfy { $0.unavailable.allSatisfy { $0.end >= n.horizon.start } })
        // lastChecked: the latest date each check was really done.
        let done = actuals.done(plan: p).lastChecked
        for e in n.enterprises {
            for (item, d) in done[e.id] ?? [:] {
                let before = s.enterprise(e.id)!.lastChecked[item]
                XCTAssertEqual(e.lastChecked[item], max(before ?? d, d), "\(e.id) \(item)")
            }
        }
        // Checks not done keep their lastChecked and are listed for explain.
        let notDone = actuals.entries.filter { if case .notDone = $0.value.status { return true }; return false }
        for (k, _) in notDone where done[k.enterprise]?[k.item] == nil {
            XCTAssertEqual(n.enterprise(k.enterprise)!.lastChecked[k.item], s.enterprise(k.enterprise)!.lastChecked[k.item])
        }
        XCTAssertEqual(report.notDone, notDone.count + p.unmet.count)
        let some = try XCTUnwrap(notDone.first?.key)
        let lines = Rollover.explanation(document: next, enterprise: some.enterprise)
        XCTAssertTrue(lines.contains { $0.contains("\(some.item) #\(some.occurrence): not done: 企业停业") }, lines.joined(separator: "\n"))
        // Visits this year: what the enterprise had plus the visits that took place.
        let visits = actuals.done(plan: p).visits
        for e in n.enterprises { XCTAssertEqual(e.onsiteVisitsThisYear, s.enterprise(e.id)!.onsiteVisitsThisYear + (visits[e.id]?.count ?? 0)) }
        // The new quarter solves to a plan the checker passes.
        let plan = Solver.solve(n, scenarioData: Data(JSONWriter.canonical(next).utf8))
        XCTAssertTrue(PlanChecker.check(scenario: n, plan: plan).valid)

        // A new year resets the visits; a year without a calendar is refused, naming --holidays.
        let q4 = try Rollover.next(document: doc, scenario: s, plan: p, actuals: nil, quarter: Quarter("2027Q1")!,
                                   calendar: HolidayCalendar(years: [.init(year: 2027, source: "test", holidays: [], extraWorkdays: [])]))
        XCTAssertTrue(try ScenarioReader.read(json: q4.document).enterprises.allSatisfy { $0.onsiteVisitsThisYear == 0 })
        XCTAssertThrowsError(try Rollover.next(document: doc, scenario: s, plan: p, actuals: nil, quarter: Quarter("2027Q1")!, calendar: .bundled)) {
            XCTAssertTrue("\($0)".contains("--holidays"))
        }
    }

    func testHolidaysFileInTheBundledFormat() throws {
        let file = path("h.json")
        try Data(#"{"format": "jointplan.holidays/1", "years": [{"year": 2027, "source": "a notice", "holidays": ["2027-01-01"], "extraWorkdays": []}]}"#.utf8).write(to: URL(fileURLWithPath: file))
        let cal = try HolidayCalendar.load(file: file)
        XCTAssertEqual(cal.years.keys.sorted(), [2025, 2026, 2027])
        XCTAssertEqual(cal.days(from: Day("2027-01-01")!, to: Day("2027-03-31")!)?.holidays.map(\.description), ["2027-01-01"])
        try Data(#"{"format": "jointplan.holidays/1", "years": [{"year": 2027, "holidays": ["2027-13-01"]}]}"#.utf8).write(to: URL(fileURLWithPath: file))
        XCTAssertThrowsError(try HolidayCalendar.load(file: file))
        // The bundled data agrees with the generator's table (two copies until the generator uses it).
        for y in [2025, 2026] {
            XCTAssertEqual(HolidayCalendar.bundled.years[y]?.holidays, ChinaHolidays.holidays(in: y))
            XCTAssertEqual(HolidayCalendar.bundled.years[y]?.extraWorkdays, ChinaHolidays.makeUpDays(in: y))
        }
    }
}
