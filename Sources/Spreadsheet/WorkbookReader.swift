import Foundation
import ZIPFoundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An XLSX workbook read back: its sheets by name, each a sparse grid of typed cells.
///
/// The container is opened with ZIPFoundation; every part is inflated with its size counted
/// while it inflates and its CRC checked, then read by Foundation's streaming `XMLParser`
/// (SAX: no tree is built, nesting depth is checked as elements open; external entities are
/// never resolved). Sheets are found as Excel finds them: `xl/workbook.xml` names them,
/// `xl/_rels/workbook.xml.rels` says which part holds each. Cells come typed: shared and
/// inline strings, numbers (with their literal text, so `0.05` stays `0.05`), booleans,
/// formula results, and dates — a number whose style's number format is a date format
/// (builtin 14–22, 45–47, or a custom format with y, m or d outside quotes and brackets).
/// Every cell of a merged range reads the range's value (its top-left cell).
///
/// Nothing is dropped quietly: a cell that cannot be read as typed, a row or column outside
/// the sheet, a formula without a cached value, an unknown sheet state are `problems` by
/// sheet, row and column; the caps of `ReadLimits` stop the read with a `ReadError`. Sheets
/// whose state is `hidden` are read like visible ones; `veryHidden` sheets (which no menu of
/// Excel or WPS shows) are not read and are listed in `skipped` (docs/decisions.md).
///
/// Topics: `init(path:limits:)` or `init(data:limits:)`; `sheetNames`; `sheet(_:)` gives a
/// `Sheet`; `problems`; `skipped`.
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

    /// How a sheet is shown (`<sheet state=…>`).
    public enum Visibility: String, Sendable {
        case visible, hidden, veryHidden
    }

    /// One sheet: its rows (sparse, 0-based) and merged ranges.
    public struct Sheet: Sendable {
        public let name: String
        public let rows: Rows
        public let visibility: Visibility
        /// Merged ranges as `(first row, first column, last row, last column)`, 0-based.
        public let merged: [CellRange]
        public func cell(_ row: Int, _ column: Int) -> Cell { rows[row][column] }
    }

    public struct CellRange: Sendable, Equatable {
        public let firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int
    }

    /// A cell, row or sheet that could not be read as the file says (not fatal: the read
    /// goes on and the caller reports them all).
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public enum Kind: Sendable, Equatable {
            /// A shared-string index that is not a number or not in the table.
            case sharedStringOutOfRange(index: String, count: Int)
            /// A formula cell saved without its result (openpyxl, some generators).
            case formulaWithoutValue(formula: String)
            case badBoolean(String)
            case badNumber(String)
            /// A date-styled number no calendar holds (Excel's dates end at 9999-12-31).
            case dateOutOfRange(String)
            case badDate(String)
            case unknownCellType(String)
            /// `<row r=…>` not a number in 1…1,048,576.
            case badRowNumber(String)
            /// A cell reference that is not A1…XFD1048576, or names another row.
            case badReference(String)
            case badMergedRange(String)
            case unknownSheetState(String)
            /// A sheet in workbook.xml whose part is not in the package.
            case missingSheetPart(String)
        }
        public let sheet: String
        /// The row number as the file counts (1-based), when known.
        public let row: Int?
        /// The 0-based column, when known.
        public let column: Int?
        public let kind: Kind

        public var description: String {
            var at = sheet
            if let row { at += " row \(row)" }
            if let column { at += " column \(WorkbookReader.columnName(column))" }
            return "\(at): \(kind.english)"
        }
    }

    /// Why a workbook could not be read at all.
    public struct ReadError: Error, CustomStringConvertible, Sendable {
        public enum Kind: Sendable, Equatable {
            case unreadable(String)
            case notRegular
            case notZip
            case notWorkbook
            case fileTooLarge(bytes: Int, limit: Int)
            case partTooLarge(part: String, limit: Int)
            case unpackedTooLarge(limit: Int)
            case damaged(part: String)
            case badXML(part: String, detail: String)
            case tooDeep(part: String, limit: Int)
            case tooManyCells(limit: Int)
            case tooManySheets(count: Int, limit: Int)
            case cellTooLong(sheet: String, row: Int?, column: Int?, limit: Int)
            case other(String)
        }
        public let kind: Kind
        public init(_ kind: Kind) { self.kind = kind }
        public init(_ description: String) { self.kind = .other(description) }
        public var description: String { kind.english }
    }

    /// The sheet names read, in workbook order (`veryHidden` sheets are not among them).
    public let sheetNames: [String]
    private let sheets: [String: Sheet]
    /// Cells, rows and sheets that could not be read as written, in file order.
    public let problems: [Problem]
    /// `veryHidden` sheets, not read.
    public let skipped: [String]

    public init(path: String, limits: ReadLimits = .standard) throws {
        // A regular file of bounded size, checked before a byte is read (a FIFO or a device
        // could block or never end).
        var st = stat()
        guard stat(path, &st) == 0 else { throw ReadError(.unreadable("\(path): \(String(cString: strerror(errno)))")) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw ReadError(.notRegular) }
        guard Int(st.st_size) <= limits.fileBytes else { throw ReadError(.fileTooLarge(bytes: Int(st.st_size), limit: limits.fileBytes)) }
        // ZIPFoundation reads a file through stdio (reads past the end return nothing); its
        // in-memory archive traps on an entry whose offset lies past the end (found by the
        // import fuzz test), so a workbook is always read from a file.
        let archive: Archive
        do { archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read) } catch {
            throw ReadError(.notZip)
        }
        try self.init(archive: archive, limits: limits)
    }

    /// Reads a workbook held in memory (written to a private temporary file first: see
    /// `init(path:)`).
    public init(data: Data, limits: ReadLimits = .standard) throws {
        guard data.count <= limits.fileBytes else { throw ReadError(.fileTooLarge(bytes: data.count, limit: limits.fileBytes)) }
        var template = Array((NSTemporaryDirectory() as NSString).appendingPathComponent("jointplan-read.XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw ReadError(.unreadable("a temporary file: \(String(cString: strerror(errno)))")) }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        defer { unlink(temporary) }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        do { try handle.write(contentsOf: data); try handle.close() } catch {
            throw ReadError(.unreadable("a temporary file: \(error.localizedDescription)"))
        }
        try self.init(path: temporary, limits: limits)
    }

    private init(archive: Archive, limits: ReadLimits) throws {
        var unpacked = 0
        func part(_ path: String) throws -> Data? {
            guard let entry = archive[path] else { return nil }
            if entry.type != .file { return nil }
            // The declared size can lie: it only refuses early; the count while inflating decides.
            if entry.uncompressedSize > UInt64(limits.partBytes) { throw ReadError(.partTooLarge(part: path, limit: limits.partBytes)) }
            var out = Data()
            var crc: CRC32 = 0
            do {
                // The consumer form of `extract` computes the CRC but does not compare it:
                // that is done below (issue 25: CRCs were never checked).
                crc = try archive.extract(entry, bufferSize: 1 << 16, skipCRC32: false) { chunk in
                    out.append(chunk)
                    if out.count > limits.partBytes { throw ReadError(.partTooLarge(part: path, limit: limits.partBytes)) }
                    if unpacked + out.count > limits.unpackedBytes { throw ReadError(.unpackedTooLarge(limit: limits.unpackedBytes)) }
                }
            } catch let e as ReadError {
                throw e
            } catch Archive.ArchiveError.invalidCRC32 {
                throw ReadError(.damaged(part: path))
            } catch {
                throw ReadError(.damaged(part: path))
            }
            guard crc == entry.checksum else { throw ReadError(.damaged(part: path)) }
            unpacked += out.count
            return out
        }

        guard let workbookXML = try part("xl/workbook.xml") else { throw ReadError(.notWorkbook) }
        let workbook = try WorkbookPart.read(workbookXML, limits: limits)
        if workbook.sheets.count > limits.sheets { throw ReadError(.tooManySheets(count: workbook.sheets.count, limit: limits.sheets)) }
        var targets: [String: String] = [:]
        if let relsXML = try part("xl/_rels/workbook.xml.rels") {
            targets = try RelationshipsPart.read(relsXML, limits: limits)
        }
        let shared = try part("xl/sharedStrings.xml").map { try SharedStringsPart.read($0, limits: limits) } ?? []
        let dateStyles = try part("xl/styles.xml").map { try StylesPart.dateStyles($0, limits: limits) } ?? []

        var names: [String] = []
        var sheets: [String: Sheet] = [:]
        var problems: [Problem] = []
        var skipped: [String] = []
        var cellBudget = limits.cells
        for s in workbook.sheets {
            let visibility: Visibility
            switch s.state ?? "visible" {
            case "visible", "": visibility = .visible
            case "hidden": visibility = .hidden
            case "veryHidden": skipped.append(s.name); continue
            case let other:
                problems.append(Problem(sheet: s.name, row: nil, column: nil, kind: .unknownSheetState(other)))
                continue
            }
            guard let rid = s.id, let target = targets[rid] else {
                problems.append(Problem(sheet: s.name, row: nil, column: nil, kind: .missingSheetPart(s.id ?? "")))
                continue
            }
            let path = WorkbookReader.resolve(target)
            guard let xml = try part(path) else {
                problems.append(Problem(sheet: s.name, row: nil, column: nil, kind: .missingSheetPart(path)))
                continue
            }
            let read = try WorksheetPart.read(xml, part: path, sheet: s.name, shared: shared, dateStyles: dateStyles,
                                              date1904: workbook.date1904, limits: limits, cellBudget: &cellBudget)
            problems += read.problems
            if sheets[s.name] == nil { names.append(s.name) }
            sheets[s.name] = Sheet(name: s.name, rows: read.rows, visibility: visibility, merged: read.merged)
        }
        sheetNames = names
        self.sheets = sheets
        self.problems = problems
        self.skipped = skipped
    }

    public func sheet(_ name: String) -> Sheet? { sheets[name] }

    // MARK: cells

    /// The typed value of one `<c>`; a problem when it cannot be read as its type says.
    static func cell(type: String?, style: Int?, value: String?, inline: String?, formula: String?,
                     shared: [String], dateStyles: Set<Int>, date1904: Bool) -> (Cell, Problem.Kind?) {
        // openpyxl writes `<f>1+1</f><v></v>`: an empty value of a number cell is no value.
        let noValue = (value?.trimmingCharacters(in: .whitespaces).isEmpty ?? true) && type != "str" && type != "inlineStr"
        if formula != nil && noValue && inline == nil {
            return (.empty, .formulaWithoutValue(formula: String((formula ?? "").prefix(80))))
        }
        switch type ?? "n" {
        case "s":
            let lit = value?.trimmingCharacters(in: .whitespaces) ?? ""
            guard let i = Int(lit), i >= 0, i < shared.count else {
                return (.empty, .sharedStringOutOfRange(index: String(lit.prefix(40)), count: shared.count))
            }
            return (shared[i].isEmpty ? .empty : .text(shared[i]), nil)
        case "inlineStr":
            let s = inline ?? value ?? ""
            return (s.isEmpty ? .empty : .text(s), nil)
        case "str":
            guard let s = value, !s.isEmpty else { return (.empty, nil) }
            return (.text(s), nil)
        case "b":
            switch value?.trimmingCharacters(in: .whitespaces) {
            case "1"?, "true"?: return (.bool(true), nil)
            case "0"?, "false"?: return (.bool(false), nil)
            case nil, ""?: return (.empty, nil)
            case let other?: return (.empty, .badBoolean(String(other.prefix(40))))
            }
        case "e":
            return (.error(value ?? "#ERROR"), nil)
        case "d":
            // ISO 8601 date cells (Strict OOXML, some writers).
            guard let s = value?.trimmingCharacters(in: .whitespaces), !s.isEmpty else { return (.empty, nil) }
            let p = s.prefix(10).split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
            guard s.count >= 10, p.count == 3, let y = p[0], let m = p[1], let d = p[2],
                  (1...9999).contains(y), (1...12).contains(m), (1...31).contains(d) else {
                return (.empty, .badDate(String(s.prefix(40))))
            }
            return (.date(year: y, month: m, day: d, fraction: 0), nil)
        case "n":
            guard let lit = value?.trimmingCharacters(in: .whitespaces), !lit.isEmpty else { return (.empty, nil) }
            guard let x = Double(lit), x.isFinite else { return (.empty, .badNumber(String(lit.prefix(40)))) }
            if let s = style, dateStyles.contains(s) {
                guard let d = date(serial: x, date1904: date1904) else { return (.number(x, literal: lit), .dateOutOfRange(String(lit.prefix(40)))) }
                return (d, nil)
            }
            return (.number(x, literal: lit), nil)
        case let other:
            return (.empty, .unknownCellType(String(other.prefix(40))))
        }
    }

    /// Excel's serial day number as a date (1900 system with its phantom 29 Feb 1900, or
    /// 1904); nil outside Excel's calendar (before day 0, after 9999-12-31), so that 1e19 or
    /// ±1e300 never reach integer arithmetic.
    static func date(serial: Double, date1904: Bool) -> Cell? {
        let last = date1904 ? 2_957_003.0 : 2_958_465.0
        guard serial.isFinite, serial >= 0, serial < last + 1 else { return nil }
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

    /// 0-based column of an A1 reference (`"AB12"` → 27); nil when the letters are missing
    /// or name a column past XFD (at most three letters are read, so 30 letters never
    /// overflow).
    static func column(ofReference ref: String) -> Int? {
        reference(ref).map(\.column)
    }

    /// Column (0-based) and row (1-based, nil when the reference has only letters) of an A1
    /// reference; nil unless it is `[A-Z]{1,3}[0-9]{0,7}` within A1…XFD1048576. `$` signs
    /// are allowed (`$A$1`).
    static func reference(_ ref: String) -> (column: Int, row: Int?)? {
        var column = 0, letters = 0, row = 0, digits = 0
        for u in ref.utf8 {
            switch u {
            case UInt8(ascii: "$"): continue
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                guard digits == 0, letters < 3 else { return nil }
                column = column * 26 + Int(u - 64)
                letters += 1
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard letters > 0, digits < 7 else { return nil }
                row = row * 10 + Int(u - 48)
                digits += 1
            default:
                return nil
            }
        }
        guard letters > 0, column <= ReadLimits.maxColumn else { return nil }
        if digits > 0 && !(1...ReadLimits.maxRow).contains(row) { return nil }
        return (column - 1, digits > 0 ? row : nil)
    }

    /// `A`, `Z`, `AA`, … `XFD` for a 0-based column.
    public static func columnName(_ column: Int) -> String {
        var n = column + 1, s = ""
        guard n > 0 else { return "?" }
        while n > 0 {
            let r = (n - 1) % 26
            s = String(UnicodeScalar(UInt8(65 + r))) + s
            n = (n - 1) / 26
        }
        return s
    }
}

extension WorkbookReader.Problem.Kind {
    /// The English text (the registers give each kind a catalogued text of its own).
    public var english: String {
        switch self {
        case .sharedStringOutOfRange(let i, let n): return "shared string \(i) does not exist (the table has \(n))"
        case .formulaWithoutValue(let f): return "formula =\(f) has no saved value (open and save the file in Excel or WPS)"
        case .badBoolean(let v): return "a true/false cell holds \"\(v)\""
        case .badNumber(let v): return "a number cell holds \"\(v)\""
        case .dateOutOfRange(let v): return "a date cell holds \(v), which is no date (Excel's dates run from 1900 to 9999)"
        case .badDate(let v): return "a date cell holds \"\(v)\""
        case .unknownCellType(let t): return "unknown cell type \"\(t)\""
        case .badRowNumber(let r): return "row number \"\(r)\" is outside 1…1048576; the row was not read"
        case .badReference(let r): return "cell reference \"\(r)\" is outside A1…XFD1048576 or names another row; the cell was not read"
        case .badMergedRange(let r): return "merged range \"\(r)\" is not a range of this sheet"
        case .unknownSheetState(let s): return "unknown sheet state \"\(s)\"; the sheet was not read"
        case .missingSheetPart(let p): return "the sheet's part \(p) is missing from the file"
        }
    }
}

extension WorkbookReader.ReadError.Kind {
    public var english: String {
        func mib(_ n: Int) -> String { n >= 1 << 20 ? "\(n >> 20) MiB" : "\(n) bytes" }
        switch self {
        case .unreadable(let why): return "cannot read \(why)"
        case .notRegular: return "not a regular file (a folder, device or pipe)"
        case .notZip: return "not an XLSX workbook (not a ZIP container)"
        case .notWorkbook: return "not an XLSX workbook (no xl/workbook.xml)"
        case .fileTooLarge(let bytes, let limit): return "the file has \(mib(bytes)); workbooks over \(mib(limit)) are refused"
        case .partTooLarge(let part, let limit): return "\(part) unpacks to more than \(mib(limit)); the workbook is refused (a zip bomb?)"
        case .unpackedTooLarge(let limit): return "the workbook unpacks to more than \(mib(limit)); it is refused (a zip bomb?)"
        case .damaged(let part): return "\(part) is damaged (its checksum does not match)"
        case .badXML(let part, let detail): return "\(part) is not well-formed XML: \(detail)"
        case .tooDeep(let part, let limit): return "\(part) nests elements more than \(limit) deep; the workbook is refused"
        case .tooManyCells(let limit): return "the workbook has more than \(limit) cells; it is refused"
        case .tooManySheets(let count, let limit): return "the workbook has \(count) sheets; at most \(limit) are read"
        case .cellTooLong(let sheet, let row, let column, let limit):
            let at = sheet + (row.map { " row \($0)" } ?? "") + (column.map { " column \(WorkbookReader.columnName($0))" } ?? "")
            return "\(at): a cell holds more than \(limit) characters (Excel's limit); the workbook is refused"
        case .other(let s): return s
        }
    }
}
