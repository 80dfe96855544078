import Foundation
import JointPlan
import Spreadsheet

/// One sheet of registers as cells, from an XLSX sheet or a CSV file: sparse (only cells
/// with a value are stored; `rows[r][c]` is `.empty` elsewhere).
public struct RegisterSheet: Sendable {
    public var name: String
    public var rows: WorkbookReader.Rows
    public init(name: String, rows: WorkbookReader.Rows) { self.name = name; self.rows = rows }
}

/// Where a problem of an imported workbook is: a sheet, a row (as the office sees it, the
/// header being row 1) and a column header as written in the file.
public struct RegisterLocation: Sendable, Equatable {
    public var sheet: String
    public var row: Int?
    public var column: String?
}

/// A problem of an imported workbook, by sheet, row and column (`执法人员 第12行 所属部门:
/// unknown department "市监"`), or by JSON path when no cell gave the value.
public struct RegisterProblem: Sendable, Equatable {
    public var location: RegisterLocation?
    public var path: String?
    public var message: String

    public func text(_ t: Catalogue) -> String {
        guard let l = location else { return "\(path ?? "(top level)"): \(message)" }
        if let row = l.row, let column = l.column { return t("registers.at.cell", l.sheet, row, column, message) }
        if let row = l.row { return t("registers.at.row", l.sheet, row, message) }
        if let column = l.column { return t("registers.at.sheetColumn", l.sheet, column, message) }
        return t("registers.at.sheet", l.sheet, message)
    }
}

/// The scenario built from the registers, and every problem found on the way: in the cells
/// (a date that is no date), in the layout (a missing sheet or column, an unknown one), and
/// what the scenario validator says of the result, each traced back to its cell.
public struct RegisterImportResult: Sendable {
    public var document: JSON
    public var problems: [RegisterProblem]
    /// What was read differently from what the file shows, without being an error (a
    /// `veryHidden` sheet not read): printed, counted, never silent.
    public var warnings: [RegisterProblem] = []
    public var isValid: Bool { problems.isEmpty }
}

/// Builds a `jointplan.scenario/1` from the office's registers (issue 13, items 1 and 2).
///
/// Headers may be Chinese or their English aliases (`RegisterLayout`); cells are read as an
/// office types them: dates as date cells or text (2026-02-09, 2026/2/9, 2026年2月9日),
/// lists separated by `、`, `,` or `;`, 是/否, tier letters (A, A类, A级), counts as 2 or 2次,
/// sampling rates as 0.05 or 5%. Every problem is collected; the scenario validator runs on the
/// result and its JSON paths are mapped back to sheet, row and column.
public struct RegisterImport {
    private let t: Catalogue
    private var problems: [RegisterProblem] = []
    /// JSON path → the cell (or row) that gave it.
    private var locations: [String: RegisterLocation] = [:]
    /// JSON paths whose cell could not be read (already reported; the validator's "missing"
    /// for them would say the same twice).
    private var unreadable: Set<String> = []

    public static func read(sheets: [RegisterSheet], language: Language = .en) -> RegisterImportResult {
        var r = RegisterImport(t: Catalogue(language))
        let doc = r.build(sheets)
        r.validate(doc)
        return RegisterImportResult(document: doc, problems: r.problems)
    }

    public static func read(xlsx path: String, language: Language = .en, limits: ReadLimits = .standard) throws -> RegisterImportResult {
        let t = Catalogue(language)
        let wb = try WorkbookReader.open(path, t, limits: limits)
        let sheets = wb.sheetNames.compactMap { wb.sheet($0) }.map { RegisterSheet(name: $0.name, rows: $0.rows) }
        var result = read(sheets: sheets, language: language)
        // Cells the reader could not read as typed come first: they explain later problems.
        let (problems, warnings) = wb.registerProblems(t)
        result.problems = problems + result.problems
        result.warnings += warnings
        return result
    }

    public static func read(csvFolder: String, language: Language = .en) throws -> RegisterImportResult {
        read(sheets: try CSVRegisters.read(folder: csvFolder, language: language), language: language)
    }

    private init(t: Catalogue) { self.t = t }

    // MARK: building

    private mutating func build(_ sheets: [RegisterSheet]) -> JSON {
        var found: [String: RegisterSheet] = [:]
        for s in sheets {
            if RegisterLayout.ignoredHeaderPrefixes.contains(where: { s.name.lowercased().hasPrefix($0) }) { continue }
            guard let spec = RegisterLayout.sheets.first(where: { $0.matches(s.name) }) else {
                report(RegisterLocation(sheet: s.name), t("registers.unknownSheet", RegisterImport.names(RegisterLayout.sheets.map(\.zh))))
                continue
            }
            if found[spec.key] != nil {
                report(RegisterLocation(sheet: s.name), t("registers.duplicateSheet", spec.zh))
                continue
            }
            found[spec.key] = s
        }
        for spec in RegisterLayout.sheets where spec.required && found[spec.key] == nil {
            report(RegisterLocation(sheet: spec.zh), t("registers.missingSheet"))
        }

        var top = JSONObject()
        top["format"] = .string(Scenario.format)
        var horizon = JSONObject()
        if let s = found["calendar"] {
            for (key, (value, loc)) in keyValues(s, RegisterLayout.calendar) {
                if key == "name" { top["name"] = value; locations["name"] = loc }
                else if key.hasPrefix("extensions.") {
                    var ext = top["extensions"]?.objectValue ?? JSONObject()
                    ext[String(key.dropFirst("extensions.".count))] = value
                    top["extensions"] = .object(ext)
                }
                else { horizon[key] = value; locations[JSONPath.key("horizon", key)] = loc }
            }
        }
        top["name"] = top["name"] ?? .string("")
        top["horizon"] = .object(horizon)

        // Towns, with the travel matrix.
        var towns = rows(found["towns"], RegisterLayout.towns, path: "towns")
        if let m = found["travel"] { travel(m, into: &towns) }
        top["towns"] = .array(towns.map { .object($0) })
        top["departments"] = .array(rows(found["departments"], RegisterLayout.departments, path: "departments").map { .object($0) })
        top["inspectors"] = .array(rows(found["inspectors"], RegisterLayout.inspectors, path: "inspectors").map { .object($0) })
        top["items"] = .array(rows(found["items"], RegisterLayout.items, path: "items").map { .object(item($0)) })
        var enterprises = rows(found["enterprises"], RegisterLayout.enterprises, path: "enterprises")
        if let s = found["lastChecked"] { lastChecked(s, into: &enterprises) }
        top["enterprises"] = .array(enterprises.map { .object($0) })

        var policy = JSONObject()
        if let s = found["policy"] {
            for (key, (value, loc)) in keyValues(s, RegisterLayout.policy) {
                let parts = key.split(separator: ".").map(String.init)
                if parts.count == 2 {
                    var tiers = policy[parts[0]]?.objectValue ?? JSONObject()
                    tiers[parts[1]] = value
                    policy[parts[0]] = .object(tiers)
                    locations[JSONPath.key(JSONPath.key("policy", parts[0]), parts[1])] = loc
                } else {
                    policy[key] = value
                    locations[JSONPath.key("policy", key)] = loc
                }
            }
        }
        top["policy"] = .object(policy)
        top["pinned"] = .array(rows(found["pinned"], RegisterLayout.pinned, path: "pinned").map { .object($0) })
        return .object(top)
    }

    /// The columns of a table sheet: each header matched to its spec, unknown ones reported.
    private mutating func header(_ s: RegisterSheet, _ spec: SheetSpec) -> [Int: ColumnSpec] {
        var columns: [Int: ColumnSpec] = [:]
        var seen: [String: String] = [:]
        let top = RegisterImport.headerRow(s, spec)
        let head = s.rows[top]
        // Columns with a value below the header (stored cells only: rows stay sparse).
        var valued = Set<Int>()
        for present in s.rows.present where present.index > top {
            for e in present.row.entries where !RegisterImport.plain(e.cell).isEmpty { valued.insert(e.column) }
        }
        let width = max(head.count, (valued.max() ?? -1) + 1)
        for c in 0..<width {
            let cell = head[c]
            var h = RegisterImport.plain(cell)
            if h.isEmpty {
                // A column with values but no header loses them silently unless it is said. An
                // office's merged header cell gives its text to the first cell of the range only
                // (or to all, when the reader spreads it): the empty neighbour is the same header.
                guard valued.contains(c) else { continue }
                let left = c > 0 ? RegisterImport.plain(head[c - 1]) : ""
                if !left.isEmpty, spec.columns.contains(where: { $0.matches(left) }) {
                    h = left
                } else {
                    report(RegisterLocation(sheet: s.name, row: top + 1, column: RegisterImport.columnLetter(c)),
                           t("registers.noHeader", RegisterImport.names(spec.columns.map(\.zh))))
                    continue
                }
            }
            if RegisterLayout.ignoredHeaderPrefixes.contains(where: { h.lowercased().hasPrefix($0) }) { continue }
            guard let col = spec.columns.first(where: { $0.matches(h) }) else {
                report(RegisterLocation(sheet: s.name, row: top + 1, column: h), t("registers.unknownColumn", RegisterImport.names(spec.columns.map(\.zh))))
                continue
            }
            if let other = seen[col.key] {
                let merged = RegisterImport.plain(cell).isEmpty || other == h
                report(RegisterLocation(sheet: s.name, row: top + 1, column: merged ? "\(h)（\(RegisterImport.columnLetter(c))列）" : h),
                       merged ? t("registers.mergedHeader", other, RegisterImport.columnLetter(c)) : t("registers.duplicateColumn", other))
                continue
            }
            seen[col.key] = h
            columns[c] = col
        }
        for col in spec.columns where col.required && seen[col.key] == nil {
            report(RegisterLocation(sheet: s.name, column: col.zh), t("registers.missingColumn"))
        }
        return columns
    }

    /// One object per non-empty row; each value parsed by its column's kind.
    private mutating func rows(_ s: RegisterSheet?, _ spec: SheetSpec, path: String) -> [JSONObject] {
        guard let s else { return [] }
        let columns = header(s, spec)
        var out: [JSONObject] = []
        let top = RegisterImport.headerRow(s, spec)
        let head = s.rows[top]
        for present in s.rows.present where present.index > top {
            let r = present.index, cells = present.row
            guard cells.anyStored({ RegisterImport.plain($0) != "" }) else { continue }
            let p = JSONPath.index(path, out.count)
            locations[p] = RegisterLocation(sheet: s.name, row: r + 1)
            var o = JSONObject()
            for c in columns.keys.sorted() {
                let col = columns[c]!
                let cell = c < cells.count ? cells[c] : .empty
                let loc = RegisterLocation(sheet: s.name, row: r + 1, column: RegisterImport.header(head, c) ?? col.zh)
                guard let v = value(cell, col.kind, loc) else {
                    if RegisterImport.plain(cell).isEmpty {
                        if col.required { report(loc, t("registers.required")); unreadable.insert(RegisterImport.path(p, spec.key, col.key)) }
                    } else {
                        unreadable.insert(RegisterImport.path(p, spec.key, col.key))
                    }
                    continue
                }
                if col.key.hasPrefix("extensions.") {
                    // Register columns for what the spec leaves to `extensions` (issue 24).
                    var ext = o["extensions"]?.objectValue ?? JSONObject()
                    ext[String(col.key.dropFirst("extensions.".count))] = v
                    o["extensions"] = .object(ext)
                } else {
                    o[col.key] = v
                }
                locations[RegisterImport.path(p, spec.key, col.key)] = loc
            }
            out.append(o)
        }
        return out
    }

    /// Settings of a key/value sheet (calendar, policy): key → (value, its cell).
    private mutating func keyValues(_ s: RegisterSheet, _ spec: SheetSpec) -> [(String, (JSON, RegisterLocation))] {
        var out: [(String, (JSON, RegisterLocation))] = []
        var seen: Set<String> = []
        // Title or notes rows may stand above the 项目/值 header: the settings start after it.
        let top = s.rows.prefix(RegisterImport.headerSearchRows).firstIndex { RegisterLayout.keyHeader.matches(RegisterImport.plain($0.first ?? .empty)) } ?? 0
        for present in s.rows.present where present.index > top {
            let r = present.index, cells = present.row
            let key = RegisterImport.plain(cells.first ?? .empty)
            if key.isEmpty || RegisterLayout.ignoredHeaderPrefixes.contains(where: { key.lowercased().hasPrefix($0) }) { continue }
            let loc = RegisterLocation(sheet: s.name, row: r + 1, column: key)
            guard let col = spec.columns.first(where: { $0.matches(key) }) else {
                report(loc, t("registers.unknownSetting", RegisterImport.names(spec.columns.map(\.zh))))
                continue
            }
            guard seen.insert(col.key).inserted else { report(loc, t("registers.duplicateSetting")); continue }
            let cell = cells.count > 1 ? cells[1] : .empty
            if let v = value(cell, col.kind, loc) { out.append((col.key, (v, loc))) }
            else {
                if col.required && RegisterImport.plain(cell).isEmpty { report(loc, t("registers.required")) }
                let parts = col.key.split(separator: ".").map(String.init)
                var path = spec.key == "calendar" ? (col.key == "name" ? "" : "horizon") : "policy"
                for part in parts where !(spec.key == "calendar" && col.key == "name") { path = JSONPath.key(path, part) }
                unreadable.insert(path.isEmpty ? "name" : path)
            }
        }
        for col in spec.columns where col.required && !seen.contains(col.key) {
            report(RegisterLocation(sheet: s.name, column: col.zh), t("registers.missingSetting"))
        }
        return out
    }

    private mutating func travel(_ s: RegisterSheet, into towns: inout [JSONObject]) {
        let index = Dictionary(towns.enumerated().compactMap { i, t in t["id"]?.stringValue.map { ($0, i) } }, uniquingKeysWith: { a, _ in a })
        // The header row names the destination towns: among the first rows, the one naming
        // most known towns (a title or notes row above it is skipped).
        var top = 0, most = 0
        for (r, cells) in s.rows.prefix(RegisterImport.headerSearchRows).enumerated() {
            let n = cells.dropFirst().filter { index[RegisterImport.plain($0)] != nil }.count
            if n > most { (top, most) = (r, n) }
        }
        let head = top < s.rows.count ? s.rows[top] : []
        var targets: [Int: String] = [:]
        for entry in head.entries where entry.column > 0 {
            let c = entry.column
            let id = RegisterImport.plain(entry.cell)
            if id.isEmpty { continue }
            if index[id] == nil { report(RegisterLocation(sheet: s.name, row: top + 1, column: id), t("registers.unknownTown", JSONWriter.quote(id))) }
            targets[c] = id
        }
        for present in s.rows.present where present.index > top {
            let r = present.index, cells = present.row
            let from = RegisterImport.plain(cells.first ?? .empty)
            if from.isEmpty { continue }
            guard let i = index[from] else {
                report(RegisterLocation(sheet: s.name, row: r + 1, column: RegisterImport.plain(head.first ?? .empty)), t("registers.unknownTown", JSONWriter.quote(from)))
                continue
            }
            var travel = towns[i]["travel"]?.objectValue ?? JSONObject()
            for entry in cells.entries where entry.column > 0 {
                guard let to = targets[entry.column] else { continue }
                let loc = RegisterLocation(sheet: s.name, row: r + 1, column: to)
                guard let v = value(entry.cell, .integer, loc) else { continue }
                travel[to] = v
                locations[JSONPath.key(JSONPath.key(JSONPath.index("towns", i), "travel"), to)] = loc
            }
            if !travel.isEmpty { towns[i]["travel"] = .object(travel) }
        }
    }

    private mutating func lastChecked(_ s: RegisterSheet, into enterprises: inout [JSONObject]) {
        let columns = header(s, RegisterLayout.lastChecked)
        let top = RegisterImport.headerRow(s, RegisterLayout.lastChecked)
        let head = top < s.rows.count ? s.rows[top] : []
        guard let ce = columns.first(where: { $0.value.key == "enterprise" })?.key,
              let ci = columns.first(where: { $0.value.key == "item" })?.key,
              let cd = columns.first(where: { $0.value.key == "date" })?.key else { return }
        let index = Dictionary(enterprises.enumerated().compactMap { i, e in e["id"]?.stringValue.map { ($0, i) } }, uniquingKeysWith: { a, _ in a })
        for present in s.rows.present where present.index > top {
            let r = present.index, cells = present.row
            func cell(_ c: Int) -> WorkbookReader.Cell { cells[c] }
            func loc(_ c: Int) -> RegisterLocation { RegisterLocation(sheet: s.name, row: r + 1, column: RegisterImport.header(head, c) ?? columns[c]?.zh ?? RegisterImport.columnLetter(c)) }
            let ent = RegisterImport.plain(cell(ce)), item = RegisterImport.plain(cell(ci))
            if ent.isEmpty && item.isEmpty && RegisterImport.plain(cell(cd)).isEmpty { continue }
            guard !ent.isEmpty else { report(loc(ce), t("registers.required")); continue }
            guard !item.isEmpty else { report(loc(ci), t("registers.required")); continue }
            guard let i = index[ent] else { report(loc(ce), t("registers.unknownEnterprise", JSONWriter.quote(ent))); continue }
            guard let d = value(cell(cd), .date, loc(cd)) else {
                if RegisterImport.plain(cell(cd)).isEmpty { report(loc(cd), t("registers.required")) }
                continue
            }
            var last = enterprises[i]["lastChecked"]?.objectValue ?? JSONObject()
            if last[item] != nil { report(loc(ci), t("registers.duplicateLastChecked", ent, item)); continue }
            last[item] = d
            enterprises[i]["lastChecked"] = .object(last)
            let p = JSONPath.key(JSONPath.key(JSONPath.index("enterprises", i), "lastChecked"), item)
            locations[p] = loc(cd)
        }
    }

    /// An item row: the flat columns folded into `remote` and `frequency`.
    private mutating func item(_ row: JSONObject) -> JSONObject {
        var o = JSONObject()
        var remote = JSONObject(), frequency = JSONObject()
        for (k, v) in row.pairs {
            switch k {
            case "remote": remote["allowed"] = v
            case "remoteMinutes": remote["minutes"] = v
            case "A", "B", "C", "D": frequency[k] = v
            default: o[k] = v
            }
        }
        if !remote.isEmpty { o["remote"] = .object(remote) }
        if !frequency.isEmpty { o["frequency"] = .object(frequency) }
        return o.reordered(["id", "name", "department", "categories", "minutes", "remote", "delegable", "frequency", "minSpacingDays"])
    }

    // MARK: cells

    /// A cell's plain text: strings trimmed, numbers in their shortest spelling, dates ISO.
    static func plain(_ c: WorkbookReader.Cell) -> String {
        switch c {
        case .empty: return ""
        case .text(let s): return s.trimmingCharacters(in: .whitespacesAndNewlines)
        case .number(_, let lit): return NumberText.canonical(lit)
        case .bool(let b): return b ? "是" : "否"
        case .date(let y, let m, let d, _): return String(format: "%04d-%02d-%02d", y, m, d)
        case .error(let e): return e
        }
    }

    private mutating func value(_ cell: WorkbookReader.Cell, _ kind: ColumnKind, _ loc: RegisterLocation) -> JSON? {
        if case .error(let e) = cell { report(loc, t("registers.cellError", e)); return nil }
        let s = RegisterImport.plain(cell)
        if s.isEmpty { return nil }
        func bad(_ key: String) -> JSON? { report(loc, t(key, JSONWriter.quote(s))); return nil }
        switch kind {
        case .id, .text, .reference:
            return .string(s)
        case .list:
            return .array(CellText.list(s).map { .string($0) })
        case .tier:
            guard let tier = CellText.tier(s) else { return bad("registers.bad.tier") }
            return .string(tier)
        case .bool:
            if case .bool(let b) = cell { return .bool(b) }
            guard let b = CellText.bool(s) else { return bad("registers.bad.bool") }
            return .bool(b)
        case .integer:
            guard let n = CellText.integer(cell) else { return bad("registers.bad.integer") }
            return .number(n)
        case .number:
            guard let n = CellText.number(cell) else { return bad("registers.bad.number") }
            return .number(n)
        case .seed:
            guard let n = CellText.integer(cell), !n.hasPrefix("-") else { return bad("registers.bad.seed") }
            return .number(n)
        case .date:
            guard let d = CellText.date(cell) else { return bad("registers.bad.date") }
            return .string(d)
        case .dateList:
            if case .date = cell { return .array([.string(CellText.date(cell)!)]) }
            var out: [JSON] = []
            for part in CellText.list(s) {
                guard let span = CellText.dateSpan(part) else { report(loc, t("registers.bad.date", JSONWriter.quote(part))); return nil }
                out.append(.string(span))
            }
            return .array(out)
        case .time:
            guard let m = CellText.time(cell) else { return bad("registers.bad.time") }
            return .string(m)
        case .timeSpans:
            var out: [JSON] = []
            for part in CellText.list(s) {
                guard let (a, b) = CellText.timeSpan(part) else { report(loc, t("registers.bad.timeSpan", JSONWriter.quote(part))); return nil }
                out.append(.object(JSONObject([("start", .string(a)), ("end", .string(b))])))
            }
            return .array(out)
        case .weekdays:
            guard let days = CellText.weekdays(s) else { return bad("registers.bad.weekdays") }
            return .array(days.map { .int($0) })
        case .frequency:
            guard let f = CellText.frequency(cell) else { return bad("registers.bad.frequency") }
            return f
        case .sampling:
            return .string(CellText.sampling(s))
        case .dispatch:
            return .string(CellText.dispatch(s))
        }
    }

    // MARK: problems

    private mutating func report(_ loc: RegisterLocation, _ message: String) {
        problems.append(RegisterProblem(location: loc, path: nil, message: message))
    }

    /// The scenario validator on the result; each JSON path traced to the cell that gave it.
    private mutating func validate(_ doc: JSON) {
        var found = ScenarioReader.problems(json: doc)
        // One validation (issue 24): what `validate` and `solve` refuse beyond the reader —
        // every pin that cannot hold, alone, for the draw or with the others — by cell here.
        if found.isEmpty, let scenario = try? ScenarioReader.read(json: doc) {
            found = ScenarioReview(scenario).errors
        }
        for p in found {
            if underUnreadable(p.path) { continue }
            problems.append(RegisterProblem(location: locate(p.path), path: p.path, message: cellMessage(p.message)))
        }
    }

    /// A validator's message for the office: in its language, and a JSON path inside it (the
    /// other row of a duplicate id) told as the sheet and row it came from.
    private func cellMessage(_ message: String) -> String {
        if let m = message.firstMatch(of: #/^duplicate id ("[^"]*") \(also (.+)\)$/#), let other = locate(String(m.output.2)) {
            let place = other.row.map { t("registers.at.rowOnly", other.sheet, $0) } ?? other.sheet
            return t("registers.duplicateID", String(m.output.1), place)
        }
        // Other pins a pin message names (`… left out: pinned[6]`) are rows of 预约检查.
        var text = ProblemText.localized(message, t.language)
        for m in text.matches(of: #/pinned\[\d+\]/#).reversed() {
            if let l = locations[String(m.output)], let row = l.row { text.replaceSubrange(m.range, with: t("registers.at.rowOnly", l.sheet, row)) }
        }
        return text
    }

    /// Whether `path` is an unreadable cell's path or lies under one: its own path and its
    /// ancestors are looked up in the set (issue 25: scanning the whole set for each problem
    /// took 77 s for 20,000 rows with a blank column).
    private func underUnreadable(_ path: String) -> Bool {
        if unreadable.isEmpty { return false }
        var p = path
        while true {
            if unreadable.contains(p) { return true }
            guard let up = RegisterImport.parent(p) else { return false }
            p = up
        }
    }

    private func locate(_ path: String) -> RegisterLocation? {
        var p = path
        while !p.isEmpty {
            if var l = locations[p] {
                // A row found for a field of it: name the column the field comes from.
                if l.column == nil, l.row != nil, p != path { l.column = RegisterImport.columnName(path, below: p) }
                return l
            }
            guard let cut = RegisterImport.parent(p) else { break }
            p = cut
        }
        return nil
    }

    /// `a.b[2].c` → `a.b[2]` → `a.b` → `a`.
    static func parent(_ path: String) -> String? {
        var inQuote = false, lastCut: String.Index?
        var i = path.startIndex
        while i < path.endIndex {
            let c = path[i]
            if c == "\"" { inQuote.toggle() }
            else if c == "\\" && inQuote { i = path.index(after: i) }
            else if !inQuote && (c == "." || c == "[") { lastCut = i }
            if i < path.endIndex { i = path.index(after: i) }
        }
        guard let cut = lastCut, cut > path.startIndex else { return nil }
        return String(path[..<cut])
    }

    static func names(_ list: [String]) -> String { list.joined(separator: "、") }

    /// How far down a sheet its header row is looked for (title and notes rows above it).
    static let headerSearchRows = 12

    /// The header row of a table sheet, found by its names (issue 24): among the first rows,
    /// the one where most cells name a column of the sheet (the first such row on a tie), so
    /// a title row (合并居中的表名) or notes above the header are skipped. Row 0 when none does.
    static func headerRow(_ s: RegisterSheet, _ spec: SheetSpec) -> Int {
        var best = (row: 0, names: 0)
        for (r, cells) in s.rows.prefix(headerSearchRows).enumerated() {
            let names = Set(cells.compactMap { c in spec.columns.first { $0.matches(plain(c)) }?.key }).count
            if names > best.names { best = (r, names) }
        }
        return best.row
    }

    /// The header text of column `c`, or the nearest one to its left when the cell is empty (a
    /// merged header cell); nil when there is none.
    static func header(_ head: WorkbookReader.Row, _ c: Int) -> String? {
        for i in stride(from: min(c, head.count - 1), through: 0, by: -1) {
            let h = plain(head[i])
            if !h.isEmpty { return h }
        }
        return nil
    }

    /// A column's letter as a spreadsheet shows it: 0 → A, 26 → AA.
    static func columnLetter(_ c: Int) -> String {
        var n = c + 1, out = ""
        while n > 0 { let r = (n - 1) % 26; out = String(UnicodeScalar(UInt8(65 + r))) + out; n = (n - 1) / 26 }
        return out
    }

    /// The header of the column that fills `path` (`inspectors[3].name` → 姓名), given the row's
    /// path `row`; nil when no column of the sheet fills it.
    static func columnName(_ path: String, below row: String) -> String? {
        guard let sheetKey = row.split(separator: "[").first.map(String.init),
              let spec = RegisterLayout.sheets.first(where: { $0.key == sheetKey }) else { return nil }
        var rest = String(path.dropFirst(row.count))
        if rest.hasPrefix(".") { rest.removeFirst() }
        var key = String(rest.prefix { $0 != "." && $0 != "[" })
        if sheetKey == "items", key == "remote" || key == "frequency" {
            let inner = rest.dropFirst(key.count + 1).prefix { $0 != "." && $0 != "[" }
            key = key == "remote" ? (inner == "minutes" ? "remoteMinutes" : "remote") : String(inner)
        }
        return spec.columns.first { $0.key == key }?.zh
    }

    /// The JSON path a column fills: the item sheet's flat columns sit inside `remote` and
    /// `frequency`.
    static func path(_ row: String, _ sheet: String, _ key: String) -> String {
        if key.hasPrefix("extensions.") { return JSONPath.key(JSONPath.key(row, "extensions"), String(key.dropFirst("extensions.".count))) }
        guard sheet == "items" else { return JSONPath.key(row, key) }
        switch key {
        case "remote": return JSONPath.key(JSONPath.key(row, "remote"), "allowed")
        case "remoteMinutes": return JSONPath.key(JSONPath.key(row, "remote"), "minutes")
        case "A", "B", "C", "D": return JSONPath.key(JSONPath.key(row, "frequency"), key)
        default: return JSONPath.key(row, key)
        }
    }
}

extension RegisterLocation {
    init(sheet: String) { self.init(sheet: sheet, row: nil, column: nil) }
    init(sheet: String, column: String) { self.init(sheet: sheet, row: nil, column: column) }
}

extension JSONObject {
    /// The same pairs, the given keys first in that order.
    func reordered(_ order: [String]) -> JSONObject {
        var o = JSONObject()
        for k in order { if let v = self[k] { o[k] = v } }
        for (k, v) in pairs where o[k] == nil { o[k] = v }
        return o
    }
}
