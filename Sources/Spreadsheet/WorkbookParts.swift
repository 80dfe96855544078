import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The parts of a workbook, each read by Foundation's streaming `XMLParser` (libxml2's SAX
/// interface, fed from a stream in chunks): no document tree is built, so memory follows
/// what is kept, not the size of the part; the nesting depth is counted as elements open and
/// the parse stops past `ReadLimits.depth`; external entities are never resolved. (XMLCoder,
/// used before, built the whole tree recursively: 50,000 nested elements overflowed the
/// stack, and a part over 10 MB could not be read at all.)
protocol PartHandler: AnyObject {
    func start(_ name: String, _ attributes: [String: String]) throws
    func end(_ name: String) throws
    func text(_ string: String) throws
}

enum PartParser {
    static func parse(_ xml: Data, part: String, limits: ReadLimits, into handler: PartHandler) throws {
        let driver = Driver(part: part, limits: limits, handler: handler)
        let parser = XMLParser(stream: InputStream(data: xml))
        parser.shouldProcessNamespaces = false
        parser.shouldReportNamespacePrefixes = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = driver
        let ok = parser.parse()
        if let failure = driver.failure { throw failure }
        guard ok else {
            let detail = parser.parserError.map { e -> String in
                let ns = e as NSError
                return "line \(parser.lineNumber): \(ns.localizedDescription) (code \(ns.code))"
            } ?? "line \(parser.lineNumber)"
            throw WorkbookReader.ReadError(.badXML(part: part, detail: detail))
        }
    }

    /// The local name of `x:row` (some writers prefix the main namespace).
    static func local(_ name: String) -> Substring {
        guard let colon = name.lastIndex(of: ":") else { return Substring(name) }
        return name[name.index(after: colon)...]
    }

    private final class Driver: NSObject, XMLParserDelegate {
        let part: String
        let limits: ReadLimits
        let handler: PartHandler
        var depth = 0
        var failure: Error?

        init(part: String, limits: ReadLimits, handler: PartHandler) {
            self.part = part; self.limits = limits; self.handler = handler
        }

        private func guarded(_ parser: XMLParser, _ body: () throws -> Void) {
            guard failure == nil else { return }
            do { try body() } catch {
                failure = error
                parser.abortParsing()
            }
        }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            guarded(parser) {
                depth += 1
                if depth > limits.depth { throw WorkbookReader.ReadError(.tooDeep(part: part, limit: limits.depth)) }
                try handler.start(String(PartParser.local(name)), attributes)
            }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            guarded(parser) {
                depth -= 1
                try handler.end(String(PartParser.local(name)))
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guarded(parser) { try handler.text(string) }
        }

        func parser(_ parser: XMLParser, foundCDATA data: Data) {
            guarded(parser) { try handler.text(String(decoding: data, as: UTF8.self)) }
        }

        func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? { nil }
    }
}

/// Collects text up to a cap, counting as it goes (a 100 MB text node is refused at the cap,
/// not after it is held).
struct CappedText {
    var value = ""
    var count = 0
    mutating func append(_ s: String, limit: Int) -> Bool {
        count += s.utf16.count
        guard count <= limit else { return false }
        value += s
        return true
    }
}

// MARK: - xl/workbook.xml

struct WorkbookPart {
    struct SheetRef { var name: String; var id: String?; var state: String? }
    var sheets: [SheetRef] = []
    var date1904 = false

    static func read(_ xml: Data, limits: ReadLimits) throws -> WorkbookPart {
        final class Handler: PartHandler {
            var out = WorkbookPart()
            func start(_ name: String, _ a: [String: String]) throws {
                switch name {
                case "workbookPr":
                    if let v = a["date1904"] { out.date1904 = v == "1" || v == "true" }
                case "sheet":
                    // `r:id`: the prefix depends on the writer's namespace declarations, so any
                    // attribute whose local name is `id` is taken.
                    let id = a["r:id"] ?? a.first { $0.key == "id" || $0.key.hasSuffix(":id") }?.value
                    out.sheets.append(SheetRef(name: a["name"] ?? "", id: id, state: a["state"]))
                default: break
                }
            }
            func end(_ name: String) throws {}
            func text(_ string: String) throws {}
        }
        let h = Handler()
        try PartParser.parse(xml, part: "xl/workbook.xml", limits: limits, into: h)
        return h.out
    }
}

// MARK: - xl/_rels/workbook.xml.rels

enum RelationshipsPart {
    static func read(_ xml: Data, limits: ReadLimits) throws -> [String: String] {
        final class Handler: PartHandler {
            var targets: [String: String] = [:]
            func start(_ name: String, _ a: [String: String]) throws {
                guard name == "Relationship", let id = a["Id"], let target = a["Target"], a["TargetMode"] != "External" else { return }
                targets[id] = target
            }
            func end(_ name: String) throws {}
            func text(_ string: String) throws {}
        }
        let h = Handler()
        try PartParser.parse(xml, part: "xl/_rels/workbook.xml.rels", limits: limits, into: h)
        return h.targets
    }
}

// MARK: - xl/styles.xml

enum StylesPart {
    /// The indexes of `cellXfs` whose number format shows a date.
    static func dateStyles(_ xml: Data, limits: ReadLimits) throws -> Set<Int> {
        final class Handler: PartHandler {
            var custom: [Int: String] = [:]
            var xfs: [Int] = []
            var inCellXfs = false
            func start(_ name: String, _ a: [String: String]) throws {
                switch name {
                case "numFmt":
                    if let id = a["numFmtId"].flatMap({ Int($0) }), let code = a["formatCode"] { custom[id] = code }
                case "cellXfs": inCellXfs = true
                case "xf" where inCellXfs: xfs.append(a["numFmtId"].flatMap { Int($0) } ?? 0)
                default: break
                }
            }
            func end(_ name: String) throws { if name == "cellXfs" { inCellXfs = false } }
            func text(_ string: String) throws {}
        }
        let h = Handler()
        try PartParser.parse(xml, part: "xl/styles.xml", limits: limits, into: h)
        var out: Set<Int> = []
        for (index, id) in h.xfs.enumerated() where WorkbookReader.isDateFormat(id: id, code: h.custom[id]) { out.insert(index) }
        return out
    }
}

// MARK: - xl/sharedStrings.xml

enum SharedStringsPart {
    /// Each `<si>`'s text: plain `<t>` or rich-text runs `<r><t>`; phonetic runs `<rPh>` are
    /// not part of the text.
    static func read(_ xml: Data, limits: ReadLimits) throws -> [String] {
        final class Handler: PartHandler {
            let limit: Int
            var strings: [String] = []
            var item: CappedText?
            var inT = false
            var phonetic = 0
            init(limit: Int) { self.limit = limit }
            func start(_ name: String, _ a: [String: String]) throws {
                switch name {
                case "si": item = CappedText()
                case "rPh": phonetic += 1
                case "t" where item != nil && phonetic == 0: inT = true
                default: break
                }
            }
            func end(_ name: String) throws {
                switch name {
                case "si": strings.append(item?.value ?? ""); item = nil
                case "rPh": phonetic = max(0, phonetic - 1)
                case "t": inT = false
                default: break
                }
            }
            func text(_ s: String) throws {
                guard inT, item != nil else { return }
                if !item!.append(s, limit: limit) {
                    throw WorkbookReader.ReadError(.cellTooLong(sheet: "xl/sharedStrings.xml (string \(strings.count))", row: nil, column: nil, limit: limit))
                }
            }
        }
        let h = Handler(limit: limits.cellCharacters)
        try PartParser.parse(xml, part: "xl/sharedStrings.xml", limits: limits, into: h)
        return h.strings
    }
}

// MARK: - a worksheet

enum WorksheetPart {
    struct Result {
        var rows: WorkbookReader.Rows
        var merged: [WorkbookReader.CellRange]
        var problems: [WorkbookReader.Problem]
    }

    static func read(_ xml: Data, part: String, sheet: String, shared: [String], dateStyles: Set<Int>, date1904: Bool,
                     limits: ReadLimits, cellBudget: inout Int) throws -> Result {
        let h = Handler(sheet: sheet, shared: shared, dateStyles: dateStyles, date1904: date1904, limits: limits, budget: cellBudget)
        try PartParser.parse(xml, part: part, limits: limits, into: h)
        var rows = WorkbookReader.Rows(present: h.rows)
        var merged: [WorkbookReader.CellRange] = []
        for ref in h.mergeRefs {
            guard let range = Self.range(ref) else {
                h.problems.append(WorkbookReader.Problem(sheet: sheet, row: nil, column: nil, kind: .badMergedRange(String(ref.prefix(40)))))
                continue
            }
            merged.append(range)
        }
        if !merged.isEmpty { rows = try fill(rows, merged, budget: &h.budget, limits: limits) }
        cellBudget = h.budget
        return Result(rows: rows, merged: merged, problems: h.problems)
    }

    /// `A1:C3` (or one cell) as a 0-based range.
    static func range(_ ref: String) -> WorkbookReader.CellRange? {
        let ends = ref.split(separator: ":", omittingEmptySubsequences: false)
        guard ends.count == 1 || ends.count == 2,
              let a = WorkbookReader.reference(String(ends[0])), let ar = a.row,
              let b = WorkbookReader.reference(String(ends[ends.count - 1])), let br = b.row else { return nil }
        return WorkbookReader.CellRange(firstRow: min(ar, br) - 1, firstColumn: min(a.column, b.column),
                                        lastRow: max(ar, br) - 1, lastColumn: max(a.column, b.column))
    }

    /// Every cell of a merged range gets the value of its top-left cell (what the office
    /// sees in each of them); the filled cells count against the workbook's cell cap.
    static func fill(_ rows: WorkbookReader.Rows, _ merged: [WorkbookReader.CellRange], budget: inout Int,
                     limits: ReadLimits) throws -> WorkbookReader.Rows {
        var byIndex: [Int: WorkbookReader.Row] = [:]
        for p in rows.present { byIndex[p.index] = p.row }
        for m in merged {
            let value = byIndex[m.firstRow]?[m.firstColumn] ?? .empty
            if value == .empty { continue }
            let area = (m.lastRow - m.firstRow + 1) * (m.lastColumn - m.firstColumn + 1)
            budget -= area - 1
            if budget < 0 { throw WorkbookReader.ReadError(.tooManyCells(limit: limits.cells)) }
            for r in m.firstRow...m.lastRow {
                var row = byIndex[r] ?? WorkbookReader.Row(entries: [])
                for c in m.firstColumn...m.lastColumn { row.set(c, value) }
                byIndex[r] = row
            }
        }
        return WorkbookReader.Rows(present: byIndex.keys.sorted().map { WorkbookReader.Rows.Present(index: $0, row: byIndex[$0]!) })
    }

    final class Handler: PartHandler {
        let sheet: String
        let shared: [String]
        let dateStyles: Set<Int>
        let date1904: Bool
        let limits: ReadLimits
        var budget: Int
        var rows: [WorkbookReader.Rows.Present] = []
        var problems: [WorkbookReader.Problem] = []
        var mergeRefs: [String] = []

        private var inSheetData = false
        /// The row being read (1-based), nil outside a row or in a row that is not read.
        private var rowNumber: Int?
        private var lastRow = 0
        private var entries: [WorkbookReader.Row.Entry] = []
        private var nextColumn = 0
        // The cell being read.
        private var inCell = false
        private var column: Int?
        private var type: String?
        private var style: Int?
        private var value: CappedText?
        private var formula: CappedText?
        private var inline: CappedText?
        private var capture: Capture = .none
        private var phonetic = 0
        private enum Capture { case none, value, formula, inline }

        init(sheet: String, shared: [String], dateStyles: Set<Int>, date1904: Bool, limits: ReadLimits, budget: Int) {
            self.sheet = sheet; self.shared = shared; self.dateStyles = dateStyles; self.date1904 = date1904
            self.limits = limits; self.budget = budget
        }

        private func problem(_ kind: WorkbookReader.Problem.Kind, row: Int? = nil, column: Int? = nil) {
            problems.append(WorkbookReader.Problem(sheet: sheet, row: row, column: column, kind: kind))
        }

        func start(_ name: String, _ a: [String: String]) throws {
            switch name {
            case "sheetData": inSheetData = true
            case "row" where inSheetData:
                entries = []
                nextColumn = 0
                if let r = a["r"] {
                    let t = r.trimmingCharacters(in: .whitespaces)
                    if let n = Int(t), (1...ReadLimits.maxRow).contains(n) { rowNumber = n } else {
                        problem(.badRowNumber(String(t.prefix(40))))
                        rowNumber = nil
                        return
                    }
                } else if lastRow < ReadLimits.maxRow {
                    rowNumber = lastRow + 1
                } else {
                    problem(.badRowNumber("\(lastRow + 1)"))
                    rowNumber = nil
                    return
                }
                lastRow = rowNumber ?? lastRow
            case "c" where rowNumber != nil:
                inCell = true
                type = a["t"]
                style = a["s"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                value = nil; formula = nil; inline = nil
                if let ref = a["r"] {
                    if let (c, r) = WorkbookReader.reference(ref), r == nil || r == rowNumber {
                        column = c
                    } else {
                        problem(.badReference(String(ref.prefix(40))), row: rowNumber)
                        column = nil
                    }
                } else if nextColumn < ReadLimits.maxColumn {
                    column = nextColumn
                } else {
                    problem(.badReference("(a cell after column XFD)"), row: rowNumber)
                    column = nil
                }
                if let column { nextColumn = column + 1 }
            case "v" where inCell: value = CappedText(); capture = .value
            case "f" where inCell: formula = CappedText(); capture = .formula
            case "is" where inCell: inline = CappedText()
            case "rPh": phonetic += 1
            case "t" where inCell && inline != nil && phonetic == 0: capture = .inline
            case "mergeCell": if let ref = a["ref"] { mergeRefs.append(ref) }
            default: break
            }
        }

        func end(_ name: String) throws {
            switch name {
            case "sheetData": inSheetData = false
            case "v", "f", "t": capture = .none
            case "rPh": phonetic = max(0, phonetic - 1)
            case "c" where inCell:
                inCell = false
                capture = .none
                guard let column, let rowNumber else { return }
                let (cell, kind) = WorkbookReader.cell(type: type, style: style, value: value?.value, inline: inline?.value,
                                                       formula: formula?.value, shared: shared, dateStyles: dateStyles, date1904: date1904)
                if let kind { problem(kind, row: rowNumber, column: column) }
                if cell != .empty {
                    budget -= 1
                    if budget < 0 { throw WorkbookReader.ReadError(.tooManyCells(limit: limits.cells)) }
                    entries.append(WorkbookReader.Row.Entry(column: column, cell: cell))
                }
            case "row":
                if let r = rowNumber, !entries.isEmpty {
                    rows.append(WorkbookReader.Rows.Present(index: r - 1, row: WorkbookReader.Row(entries: entries)))
                }
                entries = []
                rowNumber = nil
            default: break
            }
        }

        func text(_ s: String) throws {
            let ok: Bool
            switch capture {
            case .none: return
            case .value: ok = value!.append(s, limit: limits.cellCharacters)
            case .formula: ok = formula!.append(s, limit: limits.cellCharacters)
            case .inline: ok = inline!.append(s, limit: limits.cellCharacters)
            }
            if !ok { throw WorkbookReader.ReadError(.cellTooLong(sheet: sheet, row: rowNumber, column: column, limit: limits.cellCharacters)) }
        }
    }
}
