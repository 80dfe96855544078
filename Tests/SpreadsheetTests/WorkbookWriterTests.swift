import Foundation
import XCTest
@testable import Spreadsheet

/// The writer's workbook read back by an independent reader (openpyxl).
final class WorkbookWriterTests: XCTestCase {
    func testCellsFrozenPanesFiltersAndDropDownsReadBackByOpenpyxl() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wbw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("t.xlsx").path
        let wb = try WorkbookWriter(path: path)
        let s = try wb.sheet("企业")
        try s.header(["编号", "名称", "等级", "日期", "是"])
        try s.write(row: 1, [.text("E00001"), .text("某某餐饮、有限公司"), .text("C"), .date(year: 2026, month: 2, day: 9), .bool(true)])
        try s.write(row: 2, [.text("E00002"), .integer(42), .number(2.5), .empty, .bool(false)])
        s.freeze(row: 1)
        try s.autofilter(firstRow: 0, firstColumn: 0, lastRow: 2, lastColumn: 4)
        try s.dropDown(.values(["A", "B", "C", "D"]), firstRow: 1, column: 2, lastRow: 100)
        try s.dropDown(.formula("=企业!$A$2:$A$3"), firstRow: 1, column: 1, lastRow: 100)
        XCTAssertThrowsError(try wb.sheet("企业"))
        try wb.close()

        let script = """
        import openpyxl, sys, json
        wb = openpyxl.load_workbook(sys.argv[1])
        ws = wb["企业"]
        rows = [[(c.value.isoformat()[:10] if hasattr(c.value, "isoformat") else c.value) for c in r] for r in ws.iter_rows()]
        dv = sorted(d.formula1 for d in ws.data_validations.dataValidation)
        print(json.dumps({"rows": rows, "freeze": ws.freeze_panes, "filter": ws.auto_filter.ref, "dv": dv}, ensure_ascii=False))
        """
        let out = try python(script, path)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        let rows = try XCTUnwrap(json["rows"] as? [[Any]])
        XCTAssertEqual(rows[0].compactMap { $0 as? String }, ["编号", "名称", "等级", "日期", "是"])
        XCTAssertEqual(rows[1][1] as? String, "某某餐饮、有限公司")
        XCTAssertEqual(rows[1][3] as? String, "2026-02-09")
        XCTAssertEqual(rows[1][4] as? Bool, true)
        XCTAssertEqual(rows[2][1] as? Int, 42)
        XCTAssertEqual(rows[2][2] as? Double, 2.5)
        XCTAssertTrue(rows[2][3] is NSNull)
        XCTAssertEqual(json["freeze"] as? String, "A2")
        XCTAssertEqual(json["filter"] as? String, "A1:E3")
        XCTAssertEqual(json["dv"] as? [String], ["\"A,B,C,D\"", "企业!$A$2:$A$3"])
    }

    func testAnUnwritablePathIsAnErrorNotACrash() throws {
        let wb = try WorkbookWriter(path: "/nonexistent-dir-\(UUID().uuidString)/x.xlsx")
        _ = try wb.sheet("a")
        XCTAssertThrowsError(try wb.close())
    }

    private func python(_ script: String, _ args: String...) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script] + args
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "python3 with openpyxl (scripts/setup installs it)")
        return String(decoding: data, as: UTF8.self)
    }
}
