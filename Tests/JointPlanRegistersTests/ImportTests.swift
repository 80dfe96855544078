import Foundation
import XCTest
import JointPlan
import Spreadsheet
@testable import JointPlanRegisters

/// Issue 13, items 1 and 2: a template filled as an office fills it imports; broken rows are
/// reported by sheet, row and column, all at once; CSV folders in UTF-8 (±BOM) and GB18030.
final class ImportTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try Support.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// The blank template, filled by scripts/fill-template-example.py through openpyxl.
    func filledTemplate() throws -> String {
        let q = try XCTUnwrap(Quarter("2026Q2"))
        try RegisterTemplate.write(document: RegisterTemplate.example(quarter: q), to: path("blank.xlsx"))
        let script = Support.repository.appendingPathComponent("scripts/fill-template-example.py").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", script, path("blank.xlsx"), path("filled.xlsx")]
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        return path("filled.xlsx")
    }

    func testBlankTemplateImportsAsAValidExampleOnTheOfficialCalendar() throws {
        let q = try XCTUnwrap(Quarter("2026Q2"))
        try RegisterTemplate.write(document: RegisterTemplate.example(quarter: q), to: path("blank.xlsx"))
        let r = try RegisterImport.read(xlsx: path("blank.xlsx"))
        XCTAssertEqual(r.problems, [])
        let s = try ScenarioReader.read(json: r.document)
        XCTAssertEqual(s.horizon.start, Day("2026-04-01"))
        XCTAssertEqual(s.horizon.holidays.map(\.description), ["2026-04-04/2026-04-06", "2026-05-01/2026-05-05", "2026-06-19/2026-06-21"])
        XCTAssertEqual(s.horizon.extraWorkdays.map(\.description), ["2026-05-09"])
        XCTAssertEqual(s.policy.seed, 20260401)
        // The notes sheet, drop-downs and Chinese headers are there for the office.
        let wb = try WorkbookReader(path: path("blank.xlsx"))
        XCTAssertEqual(wb.sheetNames, ["检查对象", "上次检查", "执法人员", "检查事项", "执法部门", "街道", "路程时间", "日历", "参数", "预约检查", "填写说明"])
        XCTAssertEqual(wb.sheet("执法人员")?.rows.first?.first, .text("执法人员编号"))
        let out = try Support.python("""
            import openpyxl, sys
            wb = openpyxl.load_workbook(sys.argv[1])
            print(sorted(str(d.formula1) for d in wb["检查对象"].data_validations.dataValidation))
            """, path("blank.xlsx"))
        XCTAssertTrue(out.contains("\"A,B,C,D\""), out)
        XCTAssertTrue(out.contains("'街道'!$A$2"), out)
    }

    func testTemplateFilledAndResavedByOpenpyxlImportsAsTheOfficeTypedIt() throws {
        let r = try RegisterImport.read(xlsx: try filledTemplate())
        XCTAssertEqual(r.problems.map { $0.text(Catalogue(.en)) }, [])
        let s = try ScenarioReader.read(json: r.document)
        let e2 = try XCTUnwrap(s.enterprise("E00002"))
        XCTAssertEqual(e2.tier, .B)                                   // "B类"
        XCTAssertEqual(e2.categories, ["hotel", "restaurant"])        // "hotel、restaurant"
        XCTAssertEqual(e2.blackout.map(\.description), ["2026-05-01/2026-05-05"]) // "2026/5/1至2026/5/5"
        XCTAssertEqual(e2.lastChecked["fire-general"], Day("2026-03-02")) // a real date cell
        XCTAssertEqual(s.enterprise("E00003")?.tier, .A)              // "a"
        XCTAssertEqual(s.enterprise("E00003")?.whitelisted, true)     // "是"
        let fire = try XCTUnwrap(s.item("fire-general"))
        XCTAssertEqual(fire.categories, ["restaurant", "retail", "hotel"]) // "restaurant,retail;hotel"
        XCTAssertEqual(fire.frequency[.A], .sampleRate(SampleRate(literal: "0.05")!)) // "5%"
        XCTAssertEqual(fire.frequency[.D], .count(2))                 // "2次"
        XCTAssertEqual(s.inspector("P004")?.maxVisitsPerDay, 3)       // "3次"
        XCTAssertEqual(s.inspector("P003")?.unavailable.map(\.description), ["2026-05-11/2026-05-15"])
        XCTAssertEqual(s.pinned.last?.start, 14 * 60 + 30)            // a real time cell
        XCTAssertEqual(s.travel("T01", "T02"), 25)
    }

    func testThreeBrokenRowsAreAllReportedBySheetRowAndColumn() throws {
        let filled = try filledTemplate()
        try Support.python("""
            import openpyxl, sys
            wb = openpyxl.load_workbook(sys.argv[1])
            wb["执法人员"].append(["P005", "钱进", "市监", "是", None, None, None])
            wb["检查对象"].append(["E00004", "某某五金店", "T01", "retail", "E", "否", None, None, None])
            wb["检查事项"].append(["signage", "户外招牌", "SCJG", "retail", "二十", None, None, None, None, None, 1, 1, None])
            wb.save(sys.argv[1])
            """, filled)
        let r = try RegisterImport.read(xlsx: filled, language: .zh)
        let zh = r.problems.map { $0.text(Catalogue(.zh)) }
        XCTAssertEqual(Set(zh), [
            "执法人员 第6行 所属部门: 未知的部门 \"市监\"",
            "检查对象 第5行 信用风险等级: 不是信用风险等级 A–D：\"E\"",
            "检查事项 第4行 现场检查分钟: 不是整数：\"二十\"",
        ] as Set, zh.joined(separator: "\n"))
        // The missing minutes and tier are not reported a second time by the validator under their JSON paths.
        XCTAssertEqual(r.problems.count, 3)
        let en = try RegisterImport.read(xlsx: filled, language: .en).problems.map { $0.text(Catalogue(.en)) }
        XCTAssertTrue(en.contains("执法人员 row 6, 所属部门: unknown department \"市监\""), en.joined(separator: "\n"))
    }

    func testUnknownSheetsAndColumnsAndMissingOnesAreReported() throws {
        let sheets = [
            RegisterSheet(name: "inspectors", rows: [[.text("id"), .text("Department"), .text("工号")], [.text("P1"), .text("D")]]),
            RegisterSheet(name: "杂项", rows: [[.text("x")]]),
            RegisterSheet(name: "备注", rows: [[.text("x")]]),
        ]
        let texts = RegisterImport.read(sheets: sheets, language: .en).problems.map { $0.text(Catalogue(.en)) }
        XCTAssertTrue(texts.contains { $0.hasPrefix("inspectors row 1, 工号: unknown column") }, texts.joined(separator: "\n"))
        XCTAssertTrue(texts.contains { $0.hasPrefix("杂项: unknown sheet") })
        XCTAssertFalse(texts.contains { $0.hasPrefix("备注") })
        XCTAssertTrue(texts.contains("检查对象: sheet is missing"))
        XCTAssertTrue(texts.contains("日历: sheet is missing"))
    }

    /// The same registers as CSV files: UTF-8 with a BOM, without, and GB18030 (Chinese-locale Excel).
    func testCSVFolderInUTF8WithAndWithoutBOMAndGB18030ImportsLikeTheWorkbook() throws {
        let filled = try filledTemplate()
        let fromXLSX = try RegisterImport.read(xlsx: filled)
        let csv = path("csv")
        try Support.python("""
            import openpyxl, sys, csv, io, os, datetime
            wb = openpyxl.load_workbook(sys.argv[1])
            os.makedirs(sys.argv[2])
            for k, ws in enumerate(wb.worksheets):
                buf = io.StringIO()
                w = csv.writer(buf, lineterminator="\\r\\n")
                for row in ws.iter_rows(values_only=True):
                    out = []
                    for v in row:
                        if v is None: out.append("")
                        elif isinstance(v, datetime.datetime): out.append(v.strftime("%Y/%m/%d") if v.time() == datetime.time(0) else v.strftime("%H:%M"))
                        elif isinstance(v, datetime.time): out.append(v.strftime("%H:%M"))
                        else: out.append(str(v))
                    w.writerow(out)
                enc = ["utf-8-sig", "utf-8", "gb18030"][k % 3]
                with open(os.path.join(sys.argv[2], ws.title + ".csv"), "wb") as f:
                    f.write(buf.getvalue().encode(enc))
            """, filled, csv)
        // One of the files really is GB18030 (not valid UTF-8).
        let inspectors = try Data(contentsOf: URL(fileURLWithPath: csv).appendingPathComponent("执法人员.csv"))
        XCTAssertNil(String(data: inspectors, encoding: .utf8))
        let fromCSV = try RegisterImport.read(csvFolder: csv)
        XCTAssertEqual(fromCSV.problems.map { $0.text(Catalogue(.en)) }, [])
        XCTAssertEqual(JSONWriter.canonical(ScenarioDefaults.normalized(fromCSV.document)),
                       JSONWriter.canonical(ScenarioDefaults.normalized(fromXLSX.document)))
    }

    func testOfficeSpellingsOfCells() {
        XCTAssertEqual(CellText.dateSpan("2026年2月9日至2026年2月13日"), "2026-02-09/2026-02-13")
        XCTAssertEqual(CellText.dateSpan("2026/2/9/2026/2/13"), "2026-02-09/2026-02-13")
        XCTAssertEqual(CellText.dateSpan("2026/2/9"), "2026-02-09")
        XCTAssertEqual(CellText.date(.number(46062, literal: "46062")), "2026-02-09")
        XCTAssertEqual(CellText.time(.number(0.375, literal: "0.375")), "09:00")
        XCTAssertEqual(CellText.timeText("9：30"), "09:30")
        XCTAssertEqual(CellText.weekdays("周一至周五"), [1, 2, 3, 4, 5])
        XCTAssertEqual(CellText.weekdays("1-5、7"), [1, 2, 3, 4, 5, 7])
        XCTAssertEqual(CellText.frequency(.text("抽查12.5%")), .object(JSONObject([("sampleRate", .number("0.125"))])))
        // Excel writes 0.045 as 4.4999999999999998E-2: the office's decimal comes back.
        XCTAssertEqual(CellText.frequency(.number(0.045, literal: "4.4999999999999998E-2")), .object(JSONObject([("sampleRate", .number("0.045"))])))
        XCTAssertEqual(CellText.bool("√"), true)
        XCTAssertNil(CellText.bool("也许"))
        XCTAssertEqual(CellText.tier("Ｃ级"), "C")
        XCTAssertEqual(CellText.integer(.text("０３")), "3")
    }
}
