import Foundation
import XCTest
@testable import Spreadsheet

/// The reader on files of two writers: our own (libxlsxwriter) and openpyxl.
final class WorkbookReaderTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("wbr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testReadsBackWhatTheWriterWrote() throws {
        let path = dir.appendingPathComponent("w.xlsx").path
        let wb = try WorkbookWriter(path: path)
        let s = try wb.sheet("企业")
        try s.header(["编号", "数"])
        try s.write(row: 1, [.text("E1"), .number(0.05), .bool(true), .date(year: 2026, month: 2, day: 9)])
        try s.write(.integer(42), row: 3, column: 2)
        _ = try wb.sheet("空")
        try wb.close()
        let r = try WorkbookReader(path: path)
        XCTAssertEqual(r.sheetNames, ["企业", "空"])
        let sheet = try XCTUnwrap(r.sheet("企业"))
        XCTAssertEqual(sheet.cell(0, 0), .text("编号"))
        XCTAssertEqual(sheet.cell(1, 1), .number(0.05, literal: "0.05"))
        XCTAssertEqual(sheet.cell(1, 2), .bool(true))
        XCTAssertEqual(sheet.cell(1, 3), .date(year: 2026, month: 2, day: 9, fraction: 0))
        XCTAssertEqual(sheet.cell(2, 0), .empty)
        XCTAssertEqual(sheet.cell(3, 2), .number(42, literal: "42"))
        XCTAssertEqual(r.sheet("空")?.rows.count, 0)
    }

    func testOpenpyxlDatesByBuiltinAndCustomFormatsRichTextAndInlineStrings() throws {
        let path = dir.appendingPathComponent("o.xlsx").path
        let script = """
        import openpyxl, datetime, sys
        from openpyxl.cell.rich_text import CellRichText, TextBlock
        from openpyxl.cell.text import InlineFont
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "日历"
        ws["A1"] = datetime.date(2026, 4, 1)                     # builtin date format
        ws["A2"] = datetime.date(2026, 4, 2); ws["A2"].number_format = 'yyyy"年"m"月"d"日"'
        ws["A3"] = 46113; ws["A3"].number_format = "0.00"      # a number, not a date
        ws["A4"] = datetime.time(9, 30)                          # a time of day
        ws["A5"] = CellRichText([TextBlock(InlineFont(b=True), "新兴"), "街道"])
        ws["A6"] = False
        ws["A7"] = "=1+1"
        ws["B9"] = " 有空格 "
        wb.save(sys.argv[1])
        """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, path]
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        let s = try XCTUnwrap(try WorkbookReader(path: path).sheet("日历"))
        XCTAssertEqual(s.cell(0, 0), .date(year: 2026, month: 4, day: 1, fraction: 0))
        XCTAssertEqual(s.cell(1, 0), .date(year: 2026, month: 4, day: 2, fraction: 0))
        XCTAssertEqual(s.cell(2, 0), .number(46113, literal: "46113"))
        guard case .number(let t, _) = s.cell(3, 0) else { return XCTFail("time: \(s.cell(3, 0))") }
        XCTAssertEqual(t * 1440, 570, accuracy: 1e-6)
        XCTAssertEqual(s.cell(4, 0), .text("新兴街道"))
        XCTAssertEqual(s.cell(5, 0), .bool(false))
        XCTAssertEqual(s.cell(8, 1), .text(" 有空格 "))
        // openpyxl saves "=1+1" without its result: a problem by sheet, row and column, not
        // an empty cell read as if nothing were there.
        let r = try WorkbookReader(path: path)
        XCTAssertEqual(r.problems, [WorkbookReader.Problem(sheet: "日历", row: 7, column: 0, kind: .formulaWithoutValue(formula: "1+1"))])
    }

    /// A sheet over libxml2's 10 MB one-piece limit (what XMLCoder handed it) reads.
    func testASheetOverTenMegabytesReads() throws {
        let path = dir.appendingPathComponent("big.xlsx").path
        let script = """
        import openpyxl, sys
        wb = openpyxl.Workbook(); ws = wb.active; ws.title = "big"
        for r in range(60000):
            ws.append(["E%05d" % r, "某某餐饮有限公司第%d分店" % r, "restaurant、hotel", r, "是"])
        wb.save(sys.argv[1])
        """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, path]
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        let s = try XCTUnwrap(try WorkbookReader(path: path).sheet("big"))
        XCTAssertEqual(s.rows.count, 60000)
        XCTAssertEqual(s.cell(59999, 1), .text("某某餐饮有限公司第59999分店"))
        XCTAssertEqual(s.cell(59999, 3), .number(59999, literal: "59999"))
    }

    func testDateFormatsAndSerials() {
        XCTAssertTrue(WorkbookReader.isDateFormat(id: 14, code: nil))
        XCTAssertTrue(WorkbookReader.isDateFormat(id: 176, code: "yyyy\\-mm\\-dd"))
        XCTAssertTrue(WorkbookReader.isDateFormat(id: 177, code: "[$-804]yyyy\"年\"m\"月\"d\"日\""))
        XCTAssertFalse(WorkbookReader.isDateFormat(id: 178, code: "h:mm"))
        XCTAssertFalse(WorkbookReader.isDateFormat(id: 179, code: "0.00\"d\""))
        XCTAssertFalse(WorkbookReader.isDateFormat(id: 180, code: "[Red]0.00"))
        XCTAssertEqual(WorkbookReader.date(serial: 46062, date1904: false), .date(year: 2026, month: 2, day: 9, fraction: 0))
        XCTAssertEqual(WorkbookReader.date(serial: 61, date1904: false), .date(year: 1900, month: 3, day: 1, fraction: 0))
        XCTAssertEqual(WorkbookReader.date(serial: 0, date1904: true), .date(year: 1904, month: 1, day: 1, fraction: 0))
        XCTAssertEqual(WorkbookReader.date(serial: 2_958_465, date1904: false), .date(year: 9999, month: 12, day: 31, fraction: 0))
        for x in [1e19, -1e19, 1e300, -1e300, -1, 2_958_466, .infinity, .nan] {
            XCTAssertNil(WorkbookReader.date(serial: x, date1904: false), "\(x)")
            XCTAssertNil(WorkbookReader.date(serial: x, date1904: true), "\(x)")
        }
    }

    func testNotAWorkbookIsAnError() throws {
        let path = dir.appendingPathComponent("x.xlsx").path
        try Data("not a zip".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try WorkbookReader(path: path))
    }
}
