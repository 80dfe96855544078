import Foundation
import Testing
import ZIPFoundation
@testable import Spreadsheet

/// A workbook made part by part in memory (ZIPFoundation), so a test can hold exactly the
/// XML an attacker or an odd writer would (issue 25).
enum TestWorkbook {
    static let rels = """
    <?xml version="1.0" encoding="UTF-8"?>
    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
    <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
    <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>\
    <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet3.xml"/>\
    </Relationships>
    """
    /// A date style at index 1 (builtin format 14).
    static let styles = """
    <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>
    """

    static func workbook(_ sheets: [(name: String, state: String?)]) -> String {
        var s = """
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>
        """
        for (i, sh) in sheets.enumerated() {
            s += "<sheet name=\"\(sh.name)\" sheetId=\"\(i + 1)\"\(sh.state.map { " state=\"\($0)\"" } ?? "") r:id=\"rId\(i + 1)\"/>"
        }
        return s + "</sheets></workbook>"
    }

    static func sheet(_ data: String, after: String = "") -> String {
        "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>\(data)</sheetData>\(after)</worksheet>"
    }

    /// One sheet named `S` with `sheetData` content, shared strings and the date style.
    static func make(_ sheetData: String, after: String = "", shared: [String] = [], extra: [String: Data] = [:],
                     compression: CompressionMethod = .deflate) throws -> Data {
        var parts: [String: Data] = [
            "xl/workbook.xml": Data(workbook([("S", nil)]).utf8),
            "xl/_rels/workbook.xml.rels": Data(rels.utf8),
            "xl/styles.xml": Data(styles.utf8),
            "xl/worksheets/sheet1.xml": Data(sheet(sheetData, after: after).utf8),
        ]
        if !shared.isEmpty {
            let sst = "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">" + shared.map { "<si><t>\($0)</t></si>" }.joined() + "</sst>"
            parts["xl/sharedStrings.xml"] = Data(sst.utf8)
        }
        for (k, v) in extra { parts[k] = v }
        return try zip(parts, compression: compression)
    }

    /// The same archive with `part`'s declared uncompressed size set to `size` in its local
    /// header and the central directory: a bomb that lies about what it unpacks to.
    static func lie(_ data: Data, about part: String, size: UInt32) -> Data {
        var d = [UInt8](data)
        let name = [UInt8](part.utf8)
        func u16(_ i: Int) -> Int { Int(d[i]) | Int(d[i + 1]) << 8 }
        func put32(_ i: Int, _ v: UInt32) { for k in 0..<4 { d[i + k] = UInt8((v >> (8 * UInt32(k))) & 0xFF) } }
        var i = 0
        while i + 46 < d.count {
            if d[i] == 0x50, d[i + 1] == 0x4B, d[i + 2] == 0x03, d[i + 3] == 0x04, Array(d[(i + 30)..<(i + 30 + u16(i + 26))]) == name {
                put32(i + 22, size)
            }
            if d[i] == 0x50, d[i + 1] == 0x4B, d[i + 2] == 0x01, d[i + 3] == 0x02, Array(d[(i + 46)..<(i + 46 + u16(i + 28))]) == name {
                put32(i + 24, size)
            }
            i += 1
        }
        return Data(d)
    }

    static func zip(_ parts: [String: Data], compression: CompressionMethod = .deflate) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, data) in parts.sorted(by: { $0.key < $1.key }) {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: compression) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return archive.data ?? Data()
    }
}

@Suite("Hostile workbooks: bounded, no crash, nothing dropped quietly (issue 25)")
struct HostileWorkbookTests {
    func read(_ data: Data, limits: ReadLimits = .standard) throws -> WorkbookReader {
        try WorkbookReader(data: data, limits: limits)
    }

    @Test("a part that inflates past the cap is stopped while inflating")
    func inflationCap() throws {
        let spaces = String(repeating: " ", count: 3 << 20)
        let data = try TestWorkbook.make("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>x</t></is></c></row>" + spaces)
        #expect(data.count < 100_000)
        var limits = ReadLimits()
        limits.partBytes = 1 << 20
        #expect(throws: WorkbookReader.ReadError.self) { try read(data, limits: limits) }
        do { _ = try read(data, limits: limits) } catch let e as WorkbookReader.ReadError {
            #expect(e.kind == .partTooLarge(part: "xl/worksheets/sheet1.xml", limit: 1 << 20))
        }
        // A bomb whose headers say it unpacks to 100 bytes is stopped by the count while it
        // inflates, not trusted.
        let liar = TestWorkbook.lie(data, about: "xl/worksheets/sheet1.xml", size: 100)
        do { _ = try read(liar, limits: limits); Issue.record("a lying bomb was read") } catch let e as WorkbookReader.ReadError {
            #expect(e.kind == .partTooLarge(part: "xl/worksheets/sheet1.xml", limit: 1 << 20) || e.kind == .damaged(part: "xl/worksheets/sheet1.xml"))
        }
        limits.partBytes = 8 << 20
        limits.unpackedBytes = 2 << 20
        do { _ = try read(data, limits: limits); Issue.record("read past the unpacked cap") } catch let e as WorkbookReader.ReadError {
            #expect(e.kind == .unpackedTooLarge(limit: 2 << 20))
        }
        // Under the caps the same file reads.
        #expect(try read(data).sheet("S")?.cell(0, 0) == .text("x"))
    }

    @Test("date-styled 1e19 and ±1e300 are problems by cell, not a crash")
    func hugeDates() throws {
        let wb = try read(TestWorkbook.make("""
        <row r="1"><c r="A1" s="1"><v>1e19</v></c><c r="B1" s="1"><v>1e300</v></c><c r="C1" s="1"><v>-1e300</v></c><c r="D1" s="1"><v>46062</v></c></row>
        """))
        #expect(wb.problems.map(\.column) == [0, 1, 2])
        #expect(wb.problems.allSatisfy { if case .dateOutOfRange = $0.kind { return $0.row == 1 } else { return false } })
        #expect(wb.sheet("S")?.cell(0, 3) == .date(year: 2026, month: 2, day: 9, fraction: 0))
    }

    @Test("row numbers 0, negative, Int.min and past 1,048,576 are problems; the rows around them read")
    func badRows() throws {
        let rows = ["-9223372036854775808", "0", "-3", "1048577", "99999999999999999999999", "x"].map {
            "<row r=\"\($0)\"><c t=\"inlineStr\"><is><t>lost</t></is></c></row>"
        }.joined()
        let wb = try read(TestWorkbook.make("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>h</t></is></c></row>" + rows
                                            + "<row r=\"1048576\"><c r=\"B1048576\"><v>7</v></c></row>"))
        #expect(wb.problems.count == 6)
        #expect(wb.problems.allSatisfy { if case .badRowNumber = $0.kind { return true } else { return false } })
        let s = try #require(wb.sheet("S"))
        #expect(s.cell(0, 0) == .text("h"))
        #expect(s.cell(1_048_575, 1) == .number(7, literal: "7"))
        #expect(s.rows.present.count == 2)
    }

    @Test("a 30-letter reference, a column past XFD and a reference to another row are problems")
    func badReferences() throws {
        let letters = String(repeating: "Z", count: 30)
        let wb = try read(TestWorkbook.make("""
        <row r="2"><c r="\(letters)2"><v>1</v></c><c r="XFE2"><v>2</v></c><c r="A3"><v>3</v></c><c r="XFD2"><v>4</v></c></row>
        """))
        #expect(wb.problems.count == 3)
        #expect(wb.sheet("S")?.cell(1, 16_383) == .number(4, literal: "4"))
        #expect(WorkbookReader.reference(letters + "1") == nil)
        #expect(WorkbookReader.reference("$B$7")?.column == 1)
    }

    @Test("50,000 nested elements stop at the depth cap without a stack overflow")
    func deepNesting() throws {
        let deep = String(repeating: "<a>", count: 50_000) + String(repeating: "</a>", count: 50_000)
        for part in ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml", "xl/styles.xml"] {
            let data: Data
            if part == "xl/worksheets/sheet1.xml" {
                data = try TestWorkbook.make("<row r=\"1\">" + deep + "</row>")
            } else {
                data = try TestWorkbook.make("", shared: ["x"], extra: [part: Data(("<x>" + deep + "</x>").utf8)])
            }
            #expect(throws: WorkbookReader.ReadError.self, "\(part)") { try read(data) }
        }
    }

    @Test("shared-string index out of range, formula without value, true/false text, unknown types: each a problem")
    func cellsNotReadAsTyped() throws {
        let wb = try read(TestWorkbook.make("""
        <row r="1"><c r="A1" t="s"><v>5</v></c><c r="B1" t="s"><v>0</v></c><c r="C1"><f>SUM(A1:B1)</f></c>\
        <c r="D1" t="b"><v>true</v></c><c r="E1" t="b"><v>false</v></c><c r="F1" t="b"><v>yes</v></c>\
        <c r="G1" t="q"><v>1</v></c><c r="H1"><v>abc</v></c><c r="I1" t="s"><v>-1</v></c><c r="J1"><f>1+1</f><v>2</v></c></row>
        """, shared: ["白名单"]))
        let s = try #require(wb.sheet("S"))
        #expect(s.cell(0, 1) == .text("白名单"))
        #expect(s.cell(0, 3) == .bool(true))
        #expect(s.cell(0, 4) == .bool(false))
        #expect(s.cell(0, 9) == .number(2, literal: "2"))
        #expect(wb.problems.map { WorkbookReader.columnName($0.column ?? -1) } == ["A", "C", "F", "G", "H", "I"])
        #expect(wb.problems.first?.kind == .sharedStringOutOfRange(index: "5", count: 1))
        #expect(wb.problems[1].kind == .formulaWithoutValue(formula: "SUM(A1:B1)"))
    }

    @Test("hidden sheets are read, veryHidden ones are skipped and listed, an unknown state is a problem")
    func sheetStates() throws {
        let one = Data(TestWorkbook.sheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>").utf8)
        let data = try TestWorkbook.zip([
            "xl/workbook.xml": Data(TestWorkbook.workbook([("H", "hidden"), ("V", "veryHidden"), ("U", "secret")]).utf8),
            "xl/_rels/workbook.xml.rels": Data(TestWorkbook.rels.utf8),
            "xl/worksheets/sheet1.xml": one, "xl/worksheets/sheet2.xml": one, "xl/worksheets/sheet3.xml": one,
        ])
        let wb = try read(data)
        #expect(wb.sheetNames == ["H"])
        #expect(wb.sheet("H")?.visibility == .hidden)
        #expect(wb.skipped == ["V"])
        #expect(wb.problems == [WorkbookReader.Problem(sheet: "U", row: nil, column: nil, kind: .unknownSheetState("secret"))])
    }

    @Test("sparse rows stay sparse: one cell at XFD per row stores one cell per row")
    func sparse() throws {
        let rows = (1...2000).map { "<row r=\"\($0)\"><c r=\"XFD\($0)\"><v>\($0)</v></c></row>" }.joined()
        let s = try #require(try read(TestWorkbook.make(rows)).sheet("S"))
        #expect(s.rows.cellCount == 2000)
        #expect(s.rows.present.allSatisfy { $0.row.entries.count == 1 })
        #expect(s.cell(1999, 16_383) == .number(2000, literal: "2000"))
        #expect(s.cell(1999, 0) == .empty)
    }

    @Test("every cell of a merged range reads the range's value")
    func merged() throws {
        let s = try #require(try read(TestWorkbook.make("""
        <row r="1"><c r="A1" t="inlineStr"><is><t>新兴街道</t></is></c><c r="D1"><v>4</v></c></row><row r="3"><c r="C3"><v>9</v></c></row>
        """, after: "<mergeCells count=\"2\"><mergeCell ref=\"A1:C3\"/><mergeCell ref=\"D1:D2\"/></mergeCells>")).sheet("S"))
        for r in 0...2 { for c in 0...2 { #expect(s.cell(r, c) == .text("新兴街道")) } }
        #expect(s.cell(1, 3) == .number(4, literal: "4"))
        #expect(s.cell(3, 0) == .empty)
        #expect(s.merged.count == 2)
    }

    @Test("a merged range larger than the cell cap is refused, not filled")
    func mergedBomb() throws {
        let data = try TestWorkbook.make("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>",
                                         after: "<mergeCells><mergeCell ref=\"A1:XFD1048576\"/></mergeCells>")
        #expect(throws: WorkbookReader.ReadError.self) { try read(data) }
    }

    @Test("a damaged part (CRC mismatch) is refused")
    func crc() throws {
        var data = try TestWorkbook.make("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>ABCDEFGH</t></is></c></row>", compression: .none)
        let needle = Data("ABCDEFGH".utf8)
        let at = try #require(data.range(of: needle))
        data[at.lowerBound] = UInt8(ascii: "X")
        do { _ = try read(data); Issue.record("a damaged part was read") } catch let e as WorkbookReader.ReadError {
            #expect(e.kind == .damaged(part: "xl/worksheets/sheet1.xml"))
        }
    }

    @Test("a cell longer than Excel's 32,767 characters and too many cells are refused with their cap")
    func cellAndCountCaps() throws {
        let long = String(repeating: "字", count: 40_000)
        #expect(throws: WorkbookReader.ReadError.self) {
            try read(TestWorkbook.make("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>\(long)</t></is></c></row>"))
        }
        #expect(throws: WorkbookReader.ReadError.self) { try read(TestWorkbook.make("", shared: [long])) }
        var limits = ReadLimits()
        limits.cells = 10
        let rows = (1...11).map { "<row r=\"\($0)\"><c><v>1</v></c></row>" }.joined()
        do { _ = try read(TestWorkbook.make(rows), limits: limits); Issue.record("read past the cell cap") } catch let e as WorkbookReader.ReadError {
            #expect(e.kind == .tooManyCells(limit: 10))
        }
    }

    @Test("a workbook file over the file cap, a FIFO and a folder are refused before reading")
    func fileCaps() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fifo = dir + "/f.xlsx"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: WorkbookReader.ReadError.self) { try WorkbookReader(path: fifo) }
        #expect(throws: WorkbookReader.ReadError.self) { try WorkbookReader(path: dir) }
        let big = dir + "/big.xlsx"
        try Data(count: 2048).write(to: URL(fileURLWithPath: big))
        var limits = ReadLimits()
        limits.fileBytes = 1024
        do { _ = try WorkbookReader(path: big, limits: limits) } catch let e as WorkbookReader.ReadError {
            #expect(e.kind == .fileTooLarge(bytes: 2048, limit: 1024))
        }
    }
}
