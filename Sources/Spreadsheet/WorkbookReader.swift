import Foundation
import XMLCoder
import ZIPFoundation

/// An XLSX workbook read back: its sheets by name, each a grid of typed cells.
///
/// The container is opened with ZIPFoundation and every part is decoded with XMLCoder (no
/// hand-written ZIP or XML parsing). Sheets are found as Excel finds them: `xl/workbook.xml`
/// names them, `xl/_rels/workbook.xml.rels` says which part holds each. Cells come typed:
/// shared and inline strings, numbers (with their literal text, so `0.05` stays `0.05`),
/// booleans, formula results, and dates — a number whose style's number format is a date
/// format (builtin 14–22, 45–47, or a custom format with y, m or d outside quotes and
/// brackets). Files written by libxlsxwriter, openpyxl, Excel and WPS read alike.
///
/// Topics: `init(path:)` or `init(data:)`; `sheetNames`; `sheet(_:)` gives a `Sheet`.
public struct WorkbookReader: Sendable {
    /// A cell as read.
    public enum Cell: Equatable, Sendable {
        case empty
        case text(String)
        /// A number with the literal the file holds (`"25"`, `"0.05"`, `"4.4999999999999998E-2"`).
        case number(Double, literal: String)
        case bool(Bool)
        /// A date cell (time of day dropped unless `fraction` is non-zero).
        case date(year: Int, month: Int, day: Int, fraction: Double)
        /// A cell holding an error value such as `#REF!`.
        case error(String)
    }

    /// One sheet: rows of cells, 0-based, padded with `.empty` where the file skips cells.
    public struct Sheet: Sendable {
        public let name: String
        public let rows: [[Cell]]
        public func cell(_ row: Int, _ column: Int) -> Cell {
            guard row >= 0, row < rows.count, column >= 0, column < rows[row].count else { return .empty }
            return rows[row][column]
        }
    }

    public struct ReadError: Error, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// The sheet names in workbook order.
    public let sheetNames: [String]
    private let sheets: [String: Sheet]

    public init(path: String) throws {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ReadError("cannot read \(path): \(error.localizedDescription)")
        }
        try self.init(data: data)
    }

    public init(data: Data) throws {
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch {
            throw ReadError("not an XLSX workbook (not a ZIP container)")
        }
        func part(_ path: String) throws -> Data? {
            guard let entry = archive[path] else { return nil }
            var out = Data()
            do { _ = try archive.extract(entry, skipCRC32: false) { out.append($0) } } catch {
                throw ReadError("cannot unpack \(path): \(error)")
            }
            return out
        }
        let decoder = XMLDecoder()
        decoder.shouldProcessNamespaces = true
        decoder.trimValueWhitespaces = false

        guard let workbookXML = try part("xl/workbook.xml") else { throw ReadError("not an XLSX workbook (no xl/workbook.xml)") }
        let workbook: WorkbookPart
        do { workbook = try decoder.decode(WorkbookPart.self, from: workbookXML) } catch {
            throw ReadError("xl/workbook.xml: \(error)")
        }
        var targets: [String: String] = [:]
        if let relsXML = try part("xl/_rels/workbook.xml.rels") {
            let rels = (try? decoder.decode(RelationshipsPart.self, from: relsXML))?.relationship ?? []
            for r in rels { targets[r.id] = r.target }
        }
        let shared: [String]
        if let sst = try part("xl/sharedStrings.xml") {
            do { shared = try decoder.decode(SharedStringsPart.self, from: sst).si?.map(\.text) ?? [] } catch {
                throw ReadError("xl/sharedStrings.xml: \(error)")
            }
        } else { shared = [] }
        var dateStyles: Set<Int> = []
        if let stylesXML = try part("xl/styles.xml"), let styles = try? decoder.decode(StylesPart.self, from: stylesXML) {
            var custom: [Int: String] = [:]
            for f in styles.numFmts?.numFmt ?? [] { custom[f.numFmtId] = f.formatCode }
            for (index, xf) in (styles.cellXfs?.xf ?? []).enumerated() {
                let id = xf.numFmtId ?? 0
                if WorkbookReader.isDateFormat(id: id, code: custom[id]) { dateStyles.insert(index) }
            }
        }
        let date1904 = workbook.workbookPr?.date1904.map { $0 == "1" || $0 == "true" } ?? false

        var names: [String] = []
        var sheets: [String: Sheet] = [:]
        for s in workbook.sheets?.sheet ?? [] {
            guard let rid = s.id, let target = targets[rid] else { continue }
            let path = WorkbookReader.resolve(target)
            guard let xml = try part(path) else { throw ReadError("sheet \(s.name): part \(path) is missing") }
            let sheetRows: [RowPart]
            if xml.count <= WorkbookReader.largePartBytes {
                do { sheetRows = try decoder.decode(WorksheetPart.self, from: xml).sheetData?.row ?? [] } catch {
                    throw ReadError("sheet \(s.name) (\(path)): \(error)")
                }
            } else {
                // libxml2 refuses a document given in one piece over 10 MB (XMLCoder hands it
                // the whole part): a large sheet is fed to the same parser as a stream.
                sheetRows = try LargeWorksheet.rows(xml, sheet: s.name)
            }
            var rows: [[Cell]] = []
            var nextRow = 0
            for row in sheetRows {
                let r = row.r.map { $0 - 1 } ?? nextRow
                guard r >= 0, r < 1_048_576 else { continue }
                nextRow = r + 1
                while rows.count <= r { rows.append([]) }
                var nextColumn = 0
                for c in row.c ?? [] {
                    let col = c.r.flatMap(WorkbookReader.column(ofReference:)) ?? nextColumn
                    guard col >= 0, col < 16_384 else { continue }
                    nextColumn = col + 1
                    let value = WorkbookReader.cell(c, shared: shared, dateStyles: dateStyles, date1904: date1904)
                    if value == .empty { continue }
                    while rows[r].count <= col { rows[r].append(.empty) }
                    rows[r][col] = value
                }
            }
            names.append(s.name)
            sheets[s.name] = Sheet(name: s.name, rows: rows)
        }
        sheetNames = names
        self.sheets = sheets
    }

    public func sheet(_ name: String) -> Sheet? { sheets[name] }

    /// Worksheet parts larger than this are streamed (`LargeWorksheet`) rather than decoded by
    /// XMLCoder in one piece; internal so the tests can send every sheet down both paths.
    nonisolated(unsafe) static var largePartBytes = 8 * 1024 * 1024

    // MARK: cells

    private static func cell(_ c: CellPart, shared: [String], dateStyles: Set<Int>, date1904: Bool) -> Cell {
        switch c.t ?? "n" {
        case "s":
            guard let i = c.v.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }), i >= 0, i < shared.count else { return .empty }
            return shared[i].isEmpty ? .empty : .text(shared[i])
        case "inlineStr":
            let s = c.is?.text ?? ""
            return s.isEmpty ? .empty : .text(s)
        case "str":
            guard let s = c.v, !s.isEmpty else { return .empty }
            return .text(s)
        case "b":
            return .bool(c.v?.trimmingCharacters(in: .whitespaces) == "1")
        case "e":
            return .error(c.v ?? "#ERROR")
        case "d":
            // ISO 8601 date cells (Strict OOXML, some writers).
            guard let s = c.v, s.count >= 10 else { return .empty }
            let p = s.prefix(10).split(separator: "-").compactMap { Int($0) }
            return p.count == 3 ? .date(year: p[0], month: p[1], day: p[2], fraction: 0) : .text(s)
        default:
            guard let lit = c.v?.trimmingCharacters(in: .whitespaces), !lit.isEmpty, let x = Double(lit), x.isFinite else { return .empty }
            if let s = c.s, dateStyles.contains(s) { return date(serial: x, date1904: date1904) }
            return .number(x, literal: lit)
        }
    }

    /// Excel's serial day number as a date (1900 system with its phantom 29 Feb 1900, or 1904).
    static func date(serial: Double, date1904: Bool) -> Cell {
        let whole = serial.rounded(.down)
        var days = Int(whole)
        // Serial 60 is the 29 Feb 1900 Lotus kept (read as 28 Feb); days after it are one too many.
        if !date1904 && days >= 60 { days -= 1 }
        // Day 0 of the 1900 system is 1899-12-31; of the 1904 system 1904-01-01.
        let base = date1904 ? civilDays(1904, 1, 1) : civilDays(1899, 12, 31)
        let (y, m, d) = civil(base + days)
        return .date(year: y, month: m, day: d, fraction: serial - whole)
    }

    static func civilDays(_ y: Int, _ m: Int, _ d: Int) -> Int {
        let y2 = m <= 2 ? y - 1 : y
        let era = (y2 >= 0 ? y2 : y2 - 399) / 400
        let yoe = y2 - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civil(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp + (mp < 10 ? 3 : -9)
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Whether a number format shows a date: the builtin date formats, or a custom code with
    /// y, m, d (or e, the era year) outside quoted text, escapes and `[…]` sections such as
    /// colours and locales. A time-only format (h:mm) is not a date.
    static func isDateFormat(id: Int, code: String?) -> Bool {
        if (14...22).contains(id) || (45...47).contains(id) || (27...36).contains(id) || (50...58).contains(id) {
            return code.map(codeHasDate) ?? ((14...17).contains(id) || id == 22 || (27...36).contains(id) || (50...58).contains(id))
        }
        guard let code else { return false }
        return codeHasDate(code)
    }

    private static func codeHasDate(_ code: String) -> Bool {
        // Only the first section (positive numbers) decides.
        var inQuote = false, inBracket = false, escape = false
        for ch in code {
            if escape { escape = false; continue }
            switch ch {
            case "\\": escape = true
            case "\"": inQuote.toggle()
            case "[" where !inQuote: inBracket = true
            case "]" where !inQuote: inBracket = false
            case ";" where !inQuote && !inBracket: return false
            default:
                if inQuote || inBracket { continue }
                if "yYdDeE".contains(ch) { return true }
                // A bare m is a month unless it sits beside h or s (minutes): a date format
                // always carries y or d too, so m alone never decides.
            }
        }
        return false
    }

    /// `"xl/worksheets/sheet1.xml"` from a relationship target (relative to `xl/`, or absolute).
    static func resolve(_ target: String) -> String {
        if target.hasPrefix("/") { return String(target.dropFirst()) }
        var parts = ["xl"]
        for p in target.split(separator: "/") {
            if p == ".." { if !parts.isEmpty { parts.removeLast() } } else if p != "." { parts.append(String(p)) }
        }
        return parts.joined(separator: "/")
    }

    /// 0-based column of an A1 reference (`"AB12"` → 27).
    static func column(ofReference ref: String) -> Int? {
        var n = 0, seen = false
        for u in ref.unicodeScalars {
            guard u.value >= 65 && u.value <= 90 else { break }
            n = n * 26 + Int(u.value - 64)
            seen = true
        }
        return seen ? n - 1 : nil
    }
}

// MARK: - The XML parts, as XMLCoder decodes them (only what is read)

private struct WorkbookPart: Decodable {
    struct Pr: Decodable { let date1904: String? }
    struct Sheets: Decodable { let sheet: [SheetRef]? }
    struct SheetRef: Decodable {
        let name: String
        /// `r:id`. How the prefix comes through depends on the writer's namespace declarations,
        /// so any attribute whose local name is `id` is taken.
        let id: String?
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: AnyKey.self)
            name = try c.decode(String.self, forKey: AnyKey("name"))
            id = c.allKeys.first { $0.stringValue == "id" || $0.stringValue.hasSuffix(":id") }.flatMap { try? c.decode(String.self, forKey: $0) }
        }
    }
    let workbookPr: Pr?
    let sheets: Sheets?
}

private struct RelationshipsPart: Decodable {
    struct Relationship: Decodable {
        let id: String
        let target: String
        enum CodingKeys: String, CodingKey { case id = "Id", target = "Target" }
    }
    let relationship: [Relationship]?
    enum CodingKeys: String, CodingKey { case relationship = "Relationship" }
}

/// A `<t>` element: text, maybe with `xml:space="preserve"`.
struct TextPart: Decodable {
    let value: String?
    enum CodingKeys: String, CodingKey { case value = "" }
    init(from decoder: Decoder) throws {
        if let c = try? decoder.container(keyedBy: CodingKeys.self), let v = try? c.decodeIfPresent(String.self, forKey: .value) {
            value = v
        } else if let s = try? decoder.singleValueContainer().decode(String.self) {
            value = s
        } else {
            value = nil
        }
    }
}

/// A string item `<si>` or an inline string `<is>`: plain `<t>` or rich-text runs `<r><t>`;
/// phonetic runs `<rPh>` are not part of the text.
struct StringItem: Decodable {
    struct Run: Decodable { let t: TextPart? }
    let t: TextPart?
    let r: [Run]?
    /// Set by the streaming reader, which sees the text directly.
    var streamed: String?
    enum CodingKeys: String, CodingKey { case t, r }
    init(streamed: String) { t = nil; r = nil; self.streamed = streamed }
    var text: String {
        if let streamed { return streamed }
        if let t { return t.value ?? "" }
        return (r ?? []).map { $0.t?.value ?? "" }.joined()
    }
}

private struct SharedStringsPart: Decodable { let si: [StringItem]? }

private struct StylesPart: Decodable {
    struct NumFmts: Decodable { let numFmt: [NumFmt]? }
    struct NumFmt: Decodable {
        let numFmtId: Int
        let formatCode: String
    }
    struct CellXfs: Decodable { let xf: [Xf]? }
    struct Xf: Decodable { let numFmtId: Int? }
    let numFmts: NumFmts?
    let cellXfs: CellXfs?
}

struct CellPart: Decodable {
    var r: String?
    var t: String?
    var s: Int?
    var v: String?
    var `is`: StringItem?
}

struct RowPart: Decodable {
    var r: Int?
    var c: [CellPart]?
}

private struct WorksheetPart: Decodable {
    struct SheetData: Decodable { let row: [RowPart]? }
    let sheetData: SheetData?
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
