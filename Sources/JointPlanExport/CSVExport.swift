import Foundation
import JointPlan

/// One CSV file: a header row and records (RFC 4180; conventions.md, CSV).
///
/// Written as UTF-8 with a BOM (so Excel on Chinese-locale Windows shows the text), CRLF after
/// every record, and a field quoted when it holds `,` `"` CR or LF, inner `"` doubled.
/// A text field that starts with `=` `+` `-` `@` TAB, CR or `'` is written with a leading `'`, the
/// OWASP guard against CSV formula injection — an enterprise name like `=HYPERLINK(…)` must not
/// run in the office's spreadsheet; `CSVTable.parse` (and `scripts/check-exports`) drop it
/// again. Numeric columns are never guarded.
public struct CSVTable: Sendable, Equatable {
    public var header: [String]
    public var rows: [[String]]
    /// Columns that hold numbers (left as they are).
    public var numericColumns: Set<String> = []

    public init(header: [String], rows: [[String]] = [], numericColumns: Set<String> = []) {
        self.header = header; self.rows = rows; self.numericColumns = numericColumns
    }

    public static let byteOrderMark = "\u{FEFF}"

    /// The file's text, BOM first.
    public var text: String {
        var out = CSVTable.byteOrderMark
        out += CSVTable.record(header)
        let numeric = Set(header.enumerated().filter { numericColumns.contains($0.element) }.map(\.offset))
        for row in rows {
            out += CSVTable.record(row.enumerated().map { numeric.contains($0.offset) ? $0.element : CSVTable.guardFormula($0.element) })
        }
        return out
    }

    public var data: Data { Data(text.utf8) }

    /// One record with its CRLF.
    public static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    /// A field, quoted when RFC 4180 requires it.
    public static func field(_ s: String) -> String {
        let needsQuotes = s.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
        return needsQuotes ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// A leading `'` is itself guarded (`'x` → `''x`) so that reading back is exact.
    static func guardFormula(_ s: String) -> String {
        guard let first = s.unicodeScalars.first, formulaStarts.contains(first) || first == "'" else { return s }
        return "'" + s
    }

    static func unguardFormula(_ s: String) -> String {
        let u = s.unicodeScalars
        guard u.first == "'", let second = u.dropFirst().first, formulaStarts.contains(second) || second == "'" else { return s }
        return String(String.UnicodeScalarView(u.dropFirst()))
    }

    /// Reads a CSV file written by `text` back into header and rows: strips the BOM, splits
    /// records at CRLF outside quotes, unquotes, and drops the formula guard. Throws on a
    /// malformed file (a bare CR or LF, a quote inside an unquoted field, an unterminated quote,
    /// a record whose field count differs from the header's).
    public static func parse(_ text: String) throws -> CSVTable {
        var s = Substring(text).unicodeScalars
        if s.first == "\u{FEFF}" { s = s.dropFirst() }
        var records: [[String]] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var i = s.startIndex
        var quoted = false
        var fieldStarted = false
        var afterClosingQuote = false
        func fail(_ m: String) -> CSVParseError { CSVParseError(record: records.count + 1, message: m) }
        while i < s.endIndex {
            let u = s[i]
            if quoted {
                if u == "\"" {
                    let n = s.index(after: i)
                    if n < s.endIndex, s[n] == "\"" { field.append("\""); i = s.index(after: n); continue }
                    quoted = false
                    afterClosingQuote = true
                } else {
                    field.append(u)
                }
                i = s.index(after: i)
                continue
            }
            if afterClosingQuote, u != ",", u != "\r" { throw fail("text after a closing quote") }
            afterClosingQuote = false
            switch u {
            case "\"":
                guard field.isEmpty, !fieldStarted else { throw fail("a quote inside an unquoted field") }
                quoted = true
                fieldStarted = true
            case ",":
                fields.append(String(field)); field = String.UnicodeScalarView(); fieldStarted = false
            case "\r":
                let n = s.index(after: i)
                guard n < s.endIndex, s[n] == "\n" else { throw fail("a CR not followed by LF") }
                fields.append(String(field)); field = String.UnicodeScalarView(); fieldStarted = false
                records.append(fields); fields = []
                i = n
            case "\n":
                throw fail("a bare LF (records end with CRLF)")
            default:
                field.append(u)
                fieldStarted = true
            }
            i = s.index(after: i)
        }
        if quoted { throw fail("an unterminated quoted field") }
        if !field.isEmpty || !fields.isEmpty { throw fail("the last record has no CRLF") }
        guard let header = records.first else { throw fail("no header row") }
        for (k, r) in records.enumerated() where r.count != header.count {
            throw CSVParseError(record: k + 1, message: "\(r.count) fields, the header has \(header.count)")
        }
        let rows = records.dropFirst().map { $0.map(unguardFormula) }
        return CSVTable(header: header, rows: Array(rows))
    }

    /// The values of one column.
    public func column(_ name: String) -> [String] {
        guard let k = header.firstIndex(of: name) else { return [] }
        return rows.map { $0[k] }
    }
}

/// A CSV file that does not follow RFC 4180 as `CSVTable` writes it.
public struct CSVParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public var record: Int
    public var message: String
    public var description: String { "record \(record): \(message)" }
}

/// The plan as CSV tables the planning office imports (spec 4, Exports):
///
/// - `checks` (the file named on the command line, e.g. `plan.csv`): one row per on-site check;
/// - `visits` (`plan-visits.csv`): one row per visit, with its departments, team, item count and
///   whether it is joint (checks of two or more departments, spec 3.2);
/// - `remote` (`plan-remote.csv`): one row per remote check (非现场监管);
/// - `unmet` (`plan-unmet.csv`): one row per required check the plan does not perform, with
///   the reason and its Chinese wording.
///
/// Separate files rather than sections of one file, because a spreadsheet or a database import
/// reads one table per file. Each has ids (for joining) and names (for reading). A list in one
/// field (a team, departments) is written as ids joined by `;` and names joined by `、`.
public struct CSVExporter: Sendable {
    public let scenario: Scenario
    public let plan: Plan
    /// The language of the headers and texts; nil: the column keys and Chinese reason texts
    /// the files always had.
    public let language: Language?
    private let labels: Labels

    public init(scenario: Scenario, plan: Plan, language: Language? = nil) {
        self.scenario = scenario
        self.plan = plan
        self.language = language
        labels = Labels(scenario: scenario)
    }

    /// A table with its headers in `language` (the numeric columns follow them).
    func localized(_ table: CSVTable) -> CSVTable {
        guard let language else { return table }
        let t = Catalogue(language)
        var out = table
        out.header = table.header.map { t("col.\($0)") }
        out.numericColumns = Set(table.numericColumns.map { t("col.\($0)") })
        return out
    }

    private func yesNo(_ b: Bool) -> String {
        guard let language else { return b ? "yes" : "no" }
        return Catalogue(language)(b ? "yes" : "no")
    }

    private func reasonText(_ r: UnmetReason) -> String {
        guard let language else { return Labels.reasonText(r) }
        return Catalogue(language)("reason.\(r.rawValue)")
    }

    public static let checksHeader = ["visit", "date", "start", "end", "town", "townName", "enterprise", "enterpriseName",
                                      "item", "itemName", "occurrence", "department", "departmentName",
                                      "inspector", "inspectorName", "team", "teamNames"]
    public static let visitsHeader = ["visit", "date", "start", "end", "minutes", "town", "townName", "enterprise",
                                      "enterpriseName", "tier", "departments", "departmentNames", "team", "teamNames",
                                      "itemCount", "joint"]
    public static let remoteHeader = ["date", "town", "townName", "enterprise", "enterpriseName", "item", "itemName",
                                      "occurrence", "department", "departmentName", "inspector", "inspectorName", "minutes"]
    public static let unmetHeader = ["town", "townName", "enterprise", "enterpriseName", "tier", "item", "itemName",
                                     "occurrence", "department", "departmentName", "reason", "reasonText"]

    /// One row per on-site check, visits in chronological order, checks by department and item.
    public var checks: CSVTable {
        var t = CSVTable(header: CSVExporter.checksHeader, numericColumns: ["occurrence"])
        for v in Labels.chronological(plan.visits) {
            let town = labels.town(ofEnterprise: v.enterprise)
            for c in labels.orderedChecks(of: v) {
                let dept = labels.department(ofItem: c.item)
                t.rows.append([v.id, v.date.description, ClockTime.format(v.start), ClockTime.format(v.end),
                               town, town.isEmpty ? "" : labels.townName(town), v.enterprise, labels.enterpriseName(v.enterprise),
                               c.item, labels.itemName(c.item), String(c.occurrence), dept, dept.isEmpty ? "" : labels.departmentName(dept),
                               c.inspector, labels.inspectorName(c.inspector),
                               v.inspectors.joined(separator: ";"), v.inspectors.map(labels.inspectorName).joined(separator: "、")])
            }
        }
        return t
    }

    /// One row per visit, chronological.
    public var visits: CSVTable {
        var t = CSVTable(header: CSVExporter.visitsHeader, numericColumns: ["minutes", "itemCount"])
        for v in Labels.chronological(plan.visits) {
            let town = labels.town(ofEnterprise: v.enterprise)
            let departments = labels.departments(of: v)
            t.rows.append([v.id, v.date.description, ClockTime.format(v.start), ClockTime.format(v.end), String(v.minutes),
                           town, town.isEmpty ? "" : labels.townName(town), v.enterprise, labels.enterpriseName(v.enterprise),
                           scenario.enterprise(v.enterprise)?.tier.rawValue ?? "",
                           departments.joined(separator: ";"), departments.map(labels.departmentName).joined(separator: "、"),
                           v.inspectors.joined(separator: ";"), v.inspectors.map(labels.inspectorName).joined(separator: "、"),
                           String(v.checks.count), yesNo(departments.count >= 2)])
        }
        return t
    }

    /// One row per remote check, by date, enterprise, item, occurrence.
    public var remote: CSVTable {
        var t = CSVTable(header: CSVExporter.remoteHeader, numericColumns: ["occurrence", "minutes"])
        let sorted = plan.remoteChecks.sorted { ($0.date, $0.enterprise, $0.item, $0.occurrence) < ($1.date, $1.enterprise, $1.item, $1.occurrence) }
        for r in sorted {
            let town = labels.town(ofEnterprise: r.enterprise)
            let dept = labels.department(ofItem: r.item)
            t.rows.append([r.date.description, town, town.isEmpty ? "" : labels.townName(town), r.enterprise,
                           labels.enterpriseName(r.enterprise), r.item, labels.itemName(r.item), String(r.occurrence),
                           dept, dept.isEmpty ? "" : labels.departmentName(dept), r.inspector, labels.inspectorName(r.inspector),
                           String(scenario.item(r.item)?.remoteMinutes ?? 0)])
        }
        return t
    }

    /// One row per unmet check, by enterprise, item, occurrence.
    public var unmet: CSVTable {
        var t = CSVTable(header: CSVExporter.unmetHeader, numericColumns: ["occurrence"])
        let sorted = plan.unmet.sorted { ($0.enterprise, $0.item, $0.occurrence) < ($1.enterprise, $1.item, $1.occurrence) }
        for u in sorted {
            let town = labels.town(ofEnterprise: u.enterprise)
            let dept = labels.department(ofItem: u.item)
            t.rows.append([town, town.isEmpty ? "" : labels.townName(town), u.enterprise, labels.enterpriseName(u.enterprise),
                           scenario.enterprise(u.enterprise)?.tier.rawValue ?? "", u.item, labels.itemName(u.item),
                           String(u.occurrence), dept, dept.isEmpty ? "" : labels.departmentName(dept),
                           u.reason.rawValue, reasonText(u.reason)])
        }
        return t
    }

    /// The four files for `--csv PATH`: PATH itself (checks) and its siblings `-visits`,
    /// `-remote`, `-unmet` (`plan.csv` → `plan-visits.csv` …; a path without `.csv` gets it).
    public func files(path: String) -> [(path: String, table: CSVTable)] {
        [(path, localized(checks)), (CSVExporter.sibling(path, "visits"), localized(visits)),
         (CSVExporter.sibling(path, "remote"), localized(remote)), (CSVExporter.sibling(path, "unmet"), localized(unmet))]
    }

    public static func sibling(_ path: String, _ suffix: String) -> String {
        let base = path.lowercased().hasSuffix(".csv") ? String(path.dropLast(4)) : path
        return "\(base)-\(suffix).csv"
    }
}
