import Foundation
import XCTest
import JointPlan
import Spreadsheet
@testable import JointPlanRegisters

/// Issue 24, item 2: sheets as offices make them. The header row is found by its names (title
/// and notes rows above it are skipped); a merged header cell that hides a column with values is
/// an error naming the sheet and column, never a silent loss; messages in the operator's language.
/// The workbooks are the blank example template, edited by openpyxl as an office would.
final class HeaderRowTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try Support.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func blank() throws -> String {
        let q = try XCTUnwrap(Quarter("2026Q2"))
        try RegisterTemplate.write(document: RegisterTemplate.example(quarter: q), to: path("blank.xlsx"))
        return path("blank.xlsx")
    }

    /// A merged, centred title row and a notes row above the header of every table sheet, and a
    /// title above the settings of 日历 and 参数: imports as the untouched workbook does.
    func testTitleAndNotesRowsAboveTheHeaderAreSkipped() throws {
        let plain = try RegisterImport.read(xlsx: try blank())
        XCTAssertEqual(plain.problems, [])
        try Support.python("""
            import openpyxl, sys
            wb = openpyxl.load_workbook(sys.argv[1])
            for ws in wb.worksheets:
                if ws.title == "填写说明": continue
                width = max(ws.max_column, 2)
                ws.insert_rows(1, 2)
                ws.cell(1, 1, "2026年第二季度" + ws.title + "登记表")
                ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
                ws.cell(2, 1, "填表单位：某某区综合执法办公室    填表日期：2026年3月20日")
            wb.save(sys.argv[2])
            """, path("blank.xlsx"), path("titled.xlsx"))
        let titled = try RegisterImport.read(xlsx: path("titled.xlsx"))
        XCTAssertEqual(titled.problems.map { $0.text(Catalogue(.en)) }, [])
        XCTAssertEqual(JSONWriter.canonical(titled.document), JSONWriter.canonical(plain.document))
    }

    /// Merging A1:B1 of 执法人员 (编号 over 姓名) hid every inspector's name: now an error at
    /// the sheet and column, in Chinese under zh, and the title row above is still skipped.
    func testAMergedHeaderCellOverAColumnWithValuesIsAnErrorNamingTheColumn() throws {
        try Support.python("""
            import openpyxl, sys
            wb = openpyxl.load_workbook(sys.argv[1])
            ws = wb["执法人员"]
            ws.insert_rows(1)
            ws.cell(1, 1, "执法人员名录")
            ws.merge_cells("A1:G1")
            ws.merge_cells("A2:B2")
            wb.save(sys.argv[2])
            """, try blank(), path("merged.xlsx"))
        let zh = try RegisterImport.read(xlsx: path("merged.xlsx"), language: .zh)
        let texts = zh.problems.map { $0.text(Catalogue(.zh)) }
        XCTAssertFalse(zh.isValid)
        XCTAssertEqual(texts.count, 1, "\(texts)")
        XCTAssertTrue(texts[0].hasPrefix("执法人员 第2行 执法人员编号（B列）:"), texts[0])
        XCTAssertTrue(texts[0].contains("合并单元格"), texts[0])
        let en = try RegisterImport.read(xlsx: path("merged.xlsx"), language: .en)
        XCTAssertTrue(en.problems.map { $0.text(Catalogue(.en)) }.joined().contains("merged header cell"))
    }

    /// A column with values under an empty header cell, with no header to its left that it
    /// could belong to, is reported by its letter (not dropped).
    func testValuesUnderAnEmptyHeaderAreAnErrorByColumnLetter() throws {
        try Support.python("""
            import openpyxl, sys
            wb = openpyxl.load_workbook(sys.argv[1])
            ws = wb["执法部门"]
            ws.cell(2, 5, "多写的一格")
            wb.save(sys.argv[2])
            """, try blank(), path("stray.xlsx"))
        let r = try RegisterImport.read(xlsx: path("stray.xlsx"), language: .zh)
        XCTAssertEqual(r.problems.map { $0.text(Catalogue(.zh)) }.filter { $0.hasPrefix("执法部门 第1行 E:") }.count, 1,
                       "\(r.problems.map { $0.text(Catalogue(.zh)) })")
    }

    /// A required value missing under a title row names its column, in the operator's language.
    func testAMissingValueNamesItsColumnInChinese() throws {
        try Support.python("""
            import openpyxl, sys
            wb = openpyxl.load_workbook(sys.argv[1])
            ws = wb["执法人员"]
            ws.insert_rows(1)
            ws.cell(1, 1, "执法人员名录")
            ws.cell(3, 3).value = None
            wb.save(sys.argv[2])
            """, try blank(), path("missing.xlsx"))
        let r = try RegisterImport.read(xlsx: path("missing.xlsx"), language: .zh)
        let texts = r.problems.map { $0.text(Catalogue(.zh)) }
        XCTAssertEqual(texts, ["执法人员 第3行 所属部门: 必填，不能为空"])
    }
}
