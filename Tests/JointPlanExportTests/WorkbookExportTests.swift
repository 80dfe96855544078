import Foundation
import JointPlan
import Testing
@testable import JointPlanExport

/// The XLSX workbook (issue 14, item 5), read back by openpyxl.
@Suite(.enabled(if: (try? PythonOracle.run(["python3", "-c", "import openpyxl"]).status) == 0, "python3 with openpyxl is not installed"))
struct WorkbookExportTests {
    static let reader = """
    import json, sys, openpyxl
    wb = openpyxl.load_workbook(sys.argv[1])
    out = []
    for ws in wb.worksheets:
        rows = [[c.value if not hasattr(c.value, "isoformat") else c.value.isoformat()[:10] for c in r] for r in ws.iter_rows()]
        out.append({"name": ws.title, "rows": rows, "freeze": ws.freeze_panes, "filter": ws.auto_filter.ref})
    print(json.dumps(out, ensure_ascii=False, default=str))
    """

    static func read(_ path: String) throws -> [[String: Any]] {
        let r = try PythonOracle.run(["python3", "-c", reader, path])
        #expect(r.status == 0, "\(r.output)")
        return try JSONSerialization.jsonObject(with: Data(r.output.utf8)) as? [[String: Any]] ?? []
    }

    @Test func workbookHasEverySheetWithFrozenFilteredHeaders() throws {
        let s = Fixture.scenario()
        let p = Fixture.plan(s)
        let dir = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("plan.xlsx").path
        try WorkbookExporter(scenario: s, plan: p, language: .zh).write(to: path)
        let sheets = try Self.read(path)
        let names = sheets.map { $0["name"] as! String }
        #expect(names == ["关键指标", "各部门瓶颈", "全部检查", "非现场检查", "市场监管局", "消防救援大队", "文化和旅游局", "未完成检查", "检查人员日程"])
        for sheet in sheets {
            #expect(sheet["freeze"] as? String == "A2", "\(sheet["name"]!)")
            #expect((sheet["filter"] as? String)?.hasPrefix("A1:") == true, "\(sheet["name"]!)")
        }
        func rows(_ name: String) -> [[Any]] { sheets.first { $0["name"] as! String == name }!["rows"] as! [[Any]] }
        // Headers follow the language; one row per visit, per department check, per unmet check.
        #expect(rows("全部检查")[0].first as? String == "检查编号")
        #expect(rows("全部检查").count == 1 + p.visits.count)
        let scjgChecks = p.visits.flatMap(\.checks).filter { $0.item == "food-safety" }.count
        #expect(rows("市场监管局").count == 1 + scjgChecks)
        // Its checks are remote (issue 24: the sheet was empty): they are on it, and on 非现场检查.
        #expect(!p.remoteChecks.isEmpty && rows("非现场检查").count == 1 + p.remoteChecks.count)
        #expect(rows("文化和旅游局").count == 1 + p.remoteChecks.filter { r in s.items.first { $0.id == r.item }?.department == s.departments[2].id }.count)
        #expect(rows("文化和旅游局").count > 1 && rows("文化和旅游局")[1][0] as? String == "非现场")
        let unmet = rows("未完成检查")
        #expect(unmet.count == 1 + p.unmet.count && unmet[1].contains { $0 as? String == "人手不足" })
        // Dates are date cells; the KPI sheet holds the recomputed numbers.
        #expect(rows("全部检查")[1][1] as? String == "2026-01-12")
        let kpi = Dictionary(rows("关键指标").dropFirst().map { ($0[0] as! String, $0[1]) }, uniquingKeysWith: { a, _ in a })
        #expect((kpi["现场检查次数"] as? NSNumber)?.intValue == p.visits.count)
        #expect((kpi["应检事项"] as? NSNumber)?.intValue == p.kpis.requiredChecks)
        // Per-inspector days: one row per inspector-day, minutes as the checker counts them.
        let days = rows("检查人员日程")
        let minutes = Evaluation(scenario: s).inspectorDayMinutes(p)
        #expect(days.count == 1 + minutes.values.reduce(0) { $0 + $1.count })
        let total = days.dropFirst().reduce(0) { $0 + (($1[9] as? NSNumber)?.intValue ?? 0) }
        #expect(total == p.objective.inspectorMinutes)

        let en = dir.appendingPathComponent("en.xlsx").path
        try WorkbookExporter(scenario: s, plan: p, language: .en).write(to: en)
        let enSheets = try Self.read(en)
        #expect(enSheets.map { $0["name"] as! String }.prefix(3) == ["KPIs", "Bottleneck", "Visits"])
        #expect((enSheets[2]["rows"] as! [[Any]])[0].first as? String == "visit")
    }

    @Test func sheetNamesAreMadeExcelSafeAndUnique() throws {
        var s = Fixture.scenario()
        s.departments[0].name = "市场/监管:局[一]"
        s.departments[1].name = "关键指标"                  // the KPI sheet's name
        s.departments[2].name = String(repeating: "文", count: 40)
        s.index()
        let names = WorkbookExporter(scenario: s, plan: Fixture.plan(s)).sheetNames
        #expect(names.contains("市场_监管_局_一_") && names.contains("关键指标 (2)"))
        #expect(names.allSatisfy { $0.count <= 31 } && Set(names.map { $0.lowercased() }).count == names.count)
    }
}

/// Issue 25: `export --xlsx` goes through `OutputFile` — a FIFO or a link is written by its
/// rules, never renamed over; a failed write leaves the old file. Special files are made in
/// a temporary folder of the test's own.
@Suite struct WorkbookExportOutputTests {
    func type(_ p: String) -> mode_t {
        var st = stat()
        _ = lstat(p, &st)
        return st.st_mode & S_IFMT
    }

    @Test func intoAFIFOTheWorkbookIsWrittenThroughAndTheFIFOStays() throws {
        let s = Fixture.scenario()
        let p = Fixture.plan(s)
        let dir = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("plan.xlsx").path
        try #require(mkfifo(fifo, 0o600) == 0)
        let received = Locked(Data())
        let finished = DispatchSemaphore(value: 0)
        let reader = Thread {
            if let h = FileHandle(forReadingAtPath: fifo) { received.set(h.readDataToEndOfFile()); try? h.close() }
            finished.signal()
        }
        reader.start()
        try WorkbookExporter(scenario: s, plan: p, language: .zh).write(to: fifo)
        #expect(finished.wait(timeout: .now() + 60) == .success)
        #expect(type(fifo) == S_IFIFO)
        #expect(received.current.starts(with: [0x50, 0x4B]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["plan.xlsx"])
    }

    @Test func throughASymlinkTheTargetIsReplacedAndTheLinkStays() throws {
        let s = Fixture.scenario()
        let p = Fixture.plan(s)
        let dir = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("real.xlsx").path, link = dir.appendingPathComponent("link.xlsx").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: target))
        #expect(symlink("real.xlsx", link) == 0)
        try WorkbookExporter(scenario: s, plan: p, language: .zh).write(to: link)
        #expect(type(link) == S_IFLNK)
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)).starts(with: [0x50, 0x4B]))
    }

    @Test func aFailedWriteLeavesTheOldFile() throws {
        let s = Fixture.scenario()
        let p = Fixture.plan(s)
        let dir = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // The target is a folder: refused, and nothing beside it changes.
        let folder = dir.appendingPathComponent("plan.xlsx").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: URL(fileURLWithPath: folder + "/inside"))
        #expect(throws: (any Error).self) { try WorkbookExporter(scenario: s, plan: p, language: .zh).write(to: folder) }
        #expect(try String(contentsOfFile: folder + "/inside", encoding: .utf8) == "keep")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["plan.xlsx"])
    }
}
