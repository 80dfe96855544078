import Foundation

/// One problem found while reading a scenario, and whether check_plan.py also rejects it.
///
/// `beyondChecker` marks the rules this product adds to the checker's readings (spec 2 does not
/// state them, the issue asks for them: bounds that keep arithmetic and memory safe, a horizon
/// of at most 1096 days with at least one working day, breaks inside the working day, a seed
/// that fits 64 bits, duplicate keys inside `extensions`). The cross-check against the checker
/// uses the flag; users only ever see the problem.
struct ScenarioFinding: Sendable {
    var problem: InputProblem
    var beyondChecker: Bool
}

/// The largest values the reader accepts (beyond the checker, which has no upper bounds).
/// They keep every sum the solver and the evaluation make far from `Int` overflow.
enum ScenarioLimits {
    /// A file larger than this is refused before it is parsed (128 MiB).
    static let maxFileBytes = 128 * 1024 * 1024
    /// The product plans quarters; three years (with one leap day) is the most it accepts.
    static let maxHorizonDays = 1096
    /// Minutes of one day: no item, visit part or trip can be longer, and no inspector can
    /// make more visits in a day than there are minutes (every visit takes at least one).
    static let minutesPerDay = 1440
    /// Any other count, cap or number of days.
    static let maxCount = 100_000
    /// `unmetWeight` values.
    static let maxWeight = 1_000_000.0
    /// Problems listed in full; the rest are counted (a reply to the service stays small).
    static let maxListedProblems = 10_000
}

/// Bounds of an integer field: `min` as check_plan.py has it (A4), `checkerMax` where the
/// checker has one (workdays ≤ 7), and `limit`, this product's own upper bound.
struct IntegerRange {
    var min: Int
    var checkerMax: Int?
    var limit: Int
    var limitReason: String

    /// Minutes of something done in one day (item, remote check, visit base, travel).
    static func minutes(min: Int) -> IntegerRange {
        IntegerRange(min: min, checkerMax: nil, limit: ScenarioLimits.minutesPerDay, limitReason: " (the minutes of a day)")
    }
    /// Visits of one inspector in one day.
    static let visitsPerDay = IntegerRange(min: 0, checkerMax: nil, limit: ScenarioLimits.minutesPerDay,
                                           limitReason: " (a visit takes at least a minute)")
    static func count(min: Int) -> IntegerRange {
        IntegerRange(min: min, checkerMax: nil, limit: ScenarioLimits.maxCount, limitReason: "")
    }
    static let isoWeekday = IntegerRange(min: 1, checkerMax: 7, limit: 7, limitReason: "")
}

/// The value checkers of the scenario reader, one per kind of field, each recording a problem
/// with its JSON path and returning nil when the value is unusable. A port of check_plan.py's
/// `Reader` (same paths, same messages, same order), so both tools report the same things.
struct ScenarioFields {
    private var listed: [ScenarioFinding] = []
    private var unlisted = 0

    var hasProblems: Bool { !listed.isEmpty }

    /// The problems found: the first `ScenarioLimits.maxListedProblems` in full, then one line
    /// that counts the rest.
    var findings: [ScenarioFinding] {
        guard unlisted > 0 else { return listed }
        let more = ScenarioFinding(problem: InputProblem(path: "(file)", message: "… and \(unlisted) more problems not listed"),
                                   beyondChecker: false)
        return listed + [more]
    }

    /// Records a problem. Path and message are only built for the problems that are listed, so
    /// a hostile file with millions of mistakes costs little more than a valid one.
    mutating func report(_ path: @autoclosure () -> String, _ message: @autoclosure () -> String, beyondChecker: Bool = false) {
        guard listed.count < ScenarioLimits.maxListedProblems else { unlisted += 1; return }
        let p = path()
        listed.append(ScenarioFinding(problem: InputProblem(path: p.isEmpty ? "(top level)" : p, message: message()),
                                      beyondChecker: beyondChecker))
    }

    // MARK: members

    /// The member `key` of `o`; nil when `o` is nil (already reported) or the key is absent
    /// (reported when required). Paths are only built for messages, which keeps a large file fast.
    mutating func member(_ o: JSONObject?, _ key: String, of base: String, required: Bool) -> JSON? {
        guard let o else { return nil }
        guard let v = o[key] else {
            if required { report(JSONPath.key(base, key), "is required but missing") }
            return nil
        }
        return v
    }

    mutating func string(_ o: JSONObject?, _ key: String, of base: String, required: Bool = false, nonEmpty: Bool = true) -> String? {
        member(o, key, of: base, required: required).flatMap { string($0, JSONPath.key(base, key), nonEmpty: nonEmpty) }
    }

    mutating func integer(_ o: JSONObject?, _ key: String, of base: String, required: Bool = false, _ range: IntegerRange) -> Int? {
        member(o, key, of: base, required: required).flatMap { integer($0, JSONPath.key(base, key), range) }
    }

    mutating func bool(_ o: JSONObject?, _ key: String, of base: String) -> Bool? {
        member(o, key, of: base, required: false).flatMap { bool($0, JSONPath.key(base, key)) }
    }

    mutating func date(_ o: JSONObject?, _ key: String, of base: String, required: Bool = false) -> Day? {
        member(o, key, of: base, required: required).flatMap { date($0, JSONPath.key(base, key)) }
    }

    mutating func time(_ o: JSONObject?, _ key: String, of base: String, required: Bool = false) -> Int? {
        member(o, key, of: base, required: required).flatMap { time($0, JSONPath.key(base, key)) }
    }

    mutating func object(_ o: JSONObject?, _ key: String, of base: String, required: Bool = false, keys: Set<String>?) -> JSONObject? {
        member(o, key, of: base, required: required).flatMap { object($0, JSONPath.key(base, key), keys: keys) }
    }

    mutating func list(_ o: JSONObject?, _ key: String, of base: String, required: Bool = false) -> [JSON]? {
        member(o, key, of: base, required: required).flatMap { list($0, JSONPath.key(base, key)) }
    }

    mutating func strings(_ o: JSONObject?, _ key: String, of base: String, required: Bool = false) -> [String]? {
        member(o, key, of: base, required: required).flatMap { strings($0, JSONPath.key(base, key)) }
    }

    mutating func indexedStrings(_ o: JSONObject?, _ key: String, of base: String) -> [(index: Int, value: String)]? {
        member(o, key, of: base, required: false).flatMap { indexedStrings($0, JSONPath.key(base, key)) }
    }

    mutating func spans(_ o: JSONObject?, _ key: String, of base: String) -> [DateSpan]? {
        member(o, key, of: base, required: false).flatMap { spans($0, JSONPath.key(base, key)) }
    }

    // MARK: values

    /// An object; reports its repeated keys and, when `keys` is given, every key not in it
    /// (with the closest known key as a suggestion). `extensions` is allowed everywhere and
    /// must be an object whose content is free (A3).
    mutating func object(_ x: JSON, _ p: @autoclosure () -> String, keys: Set<String>?) -> JSONObject? {
        guard let o = x.objectValue else {
            report(p(), "must be an object, got \(x.typeName)")
            return nil
        }
        for k in o.duplicateKeys { report(JSONPath.key(p(), k), "key appears more than once in the object") }
        if let keys {
            for k in o.keys {
                if k == "extensions" {
                    let ext = o[k]!
                    if ext.objectValue == nil {
                        report(JSONPath.key(p(), k), "must be an object, got \(ext.typeName)")
                    } else {
                        reportRepeatedKeys(inside: ext, JSONPath.key(p(), k))
                    }
                } else if !keys.contains(k) {
                    report(JSONPath.key(p(), k), ScenarioFields.unknownKey(k, known: keys))
                }
            }
        }
        return o
    }

    /// Repeated keys are an error in every object (A3), also in the free content of
    /// `extensions`, which check_plan.py does not look into. The path of a node is only
    /// rendered when it has a problem: that content may be most of a large file.
    private mutating func reportRepeatedKeys(inside x: JSON, _ p: String) {
        var trail: [(key: String?, index: Int)] = []
        func path() -> String {
            trail.reduce(p) { base, step in step.key.map { JSONPath.key(base, $0) } ?? JSONPath.index(base, step.index) }
        }
        func walk(_ v: JSON) {
            switch v {
            case .object(let o):
                for k in o.duplicateKeys {
                    report(JSONPath.key(path(), k), "key appears more than once in the object", beyondChecker: true)
                }
                for k in o.keys {
                    trail.append((k, 0)); walk(o[k]!); trail.removeLast()
                }
            case .array(let a):
                for (i, e) in a.enumerated() {
                    trail.append((nil, i)); walk(e); trail.removeLast()
                }
            default:
                break
            }
        }
        walk(x)
    }

    mutating func string(_ x: JSON, _ p: @autoclosure () -> String, nonEmpty: Bool = true) -> String? {
        guard let s = x.stringValue else {
            report(p(), "must be a string, got \(x.typeName)")
            return nil
        }
        if nonEmpty && s.isEmpty {
            report(p(), "must be a non-empty string")
            return nil
        }
        return s
    }

    /// A JSON integer (no fraction or exponent: `12.0` is not one, A4) within `range`.
    /// Literals too large for `Int` are compared by their sign, as Python's unbounded
    /// integers would be, and then refused by the limit.
    mutating func integer(_ x: JSON, _ p: @autoclosure () -> String, _ range: IntegerRange) -> Int? {
        guard case .number(let lit) = x, ScenarioFields.isIntegerLiteral(lit) else {
            report(p(), "must be an integer, got \(x.short)")
            return nil
        }
        let value = Int(lit)
        let negative = lit.hasPrefix("-")
        if value.map({ $0 < range.min }) ?? negative {
            report(p(), "must be >= \(range.min), got \(lit)")
            return nil
        }
        if let hi = range.checkerMax, value.map({ $0 > hi }) ?? true {
            report(p(), "must be <= \(hi), got \(lit)")
            return nil
        }
        guard let v = value, v <= range.limit else {
            report(p(), "must be <= \(range.limit)\(range.limitReason), got \(lit)", beyondChecker: true)
            return nil
        }
        return v
    }

    /// A JSON number with optional bounds (`min` inclusive, `above`/`below` exclusive); a
    /// literal that overflows `Double` is not a number (Python reads it as infinity, A3),
    /// unless it is an integer literal, which Python keeps exact.
    mutating func number(_ x: JSON, _ p: @autoclosure () -> String, min: Double? = nil, above: Double? = nil, below: Double? = nil) -> Double? {
        guard case .number(let lit) = x, let d = Double(lit), d.isFinite || ScenarioFields.isIntegerLiteral(lit) else {
            report(p(), "must be a number, got \(x.short)")
            return nil
        }
        if let lo = min, d < lo { report(p(), "must be >= \(JSON.format(lo)), got \(lit)"); return nil }
        if let gt = above, !(d > gt) { report(p(), "must be > \(JSON.format(gt)), got \(lit)"); return nil }
        if let lt = below, !(d < lt) { report(p(), "must be < \(JSON.format(lt)), got \(lit)"); return nil }
        return d
    }

    mutating func bool(_ x: JSON, _ p: @autoclosure () -> String) -> Bool? {
        guard let b = x.boolValue else {
            report(p(), "must be true or false, got \(x.short)")
            return nil
        }
        return b
    }

    mutating func date(_ x: JSON, _ p: @autoclosure () -> String) -> Day? {
        guard let s = x.stringValue, let d = Day(s) else {
            report(p(), "must be a date YYYY-MM-DD, got \(x.short)")
            return nil
        }
        return d
    }

    mutating func time(_ x: JSON, _ p: @autoclosure () -> String) -> Int? {
        guard let s = x.stringValue, let t = ClockTime.parse(s) else {
            report(p(), "must be a time HH:MM (00:00-23:59), got \(x.short)")
            return nil
        }
        return t
    }

    mutating func list(_ x: JSON, _ p: @autoclosure () -> String) -> [JSON]? {
        guard let a = x.arrayValue else {
            report(p(), "must be an array, got \(x.typeName)")
            return nil
        }
        return a
    }

    /// An array of strings; the valid ones are kept, the others reported.
    mutating func strings(_ x: JSON, _ p: @autoclosure () -> String) -> [String]? {
        indexedStrings(x, p())?.map(\.value)
    }

    /// The valid strings of an array with their index in it (for messages about them).
    mutating func indexedStrings(_ x: JSON, _ p: @autoclosure () -> String) -> [(index: Int, value: String)]? {
        guard let a = list(x, p()) else { return nil }
        var out: [(index: Int, value: String)] = []
        out.reserveCapacity(a.count)
        for (i, s) in a.enumerated() {
            if let v = string(s, JSONPath.index(p(), i)) { out.append((i, v)) }
        }
        return out
    }

    /// An array of dates and `start/end` ranges (A5); a reversed range is an error.
    mutating func spans(_ x: JSON, _ p: @autoclosure () -> String) -> [DateSpan]? {
        guard let a = list(x, p()) else { return nil }
        var out: [DateSpan] = []
        out.reserveCapacity(a.count)
        for (i, s) in a.enumerated() {
            func pi() -> String { JSONPath.index(p(), i) }
            guard let text = s.stringValue, let span = DateSpan(text) else {
                report(pi(), "must be a date or a range YYYY-MM-DD/YYYY-MM-DD, got \(s.short)")
                continue
            }
            if span.start > span.end {
                report(pi(), "range \(JSONWriter.quote(text)) ends before it starts")
                continue
            }
            out.append(span)
        }
        return out
    }

    /// First pass over a list of objects: id → index of its first occurrence; later
    /// occurrences are reported with the index of the first. Malformed entries are left to
    /// the full pass.
    mutating func collectIDs(_ list: [JSON], _ path: String) -> [String: Int] {
        var ids: [String: Int] = [:]
        ids.reserveCapacity(list.count)
        for (i, o) in list.enumerated() {
            guard let id = o.objectValue?["id"]?.stringValue, !id.isEmpty else { continue }
            if let first = ids[id] {
                report(JSONPath.key(JSONPath.index(path, i), "id"), "duplicate id \(JSONWriter.quote(id)) (also \(path)[\(first)])")
            } else {
                ids[id] = i
            }
        }
        return ids
    }

    /// "unknown key" with the closest known key as a suggestion, as check_plan.py words it.
    static func unknownKey(_ k: String, known: Set<String>) -> String {
        let hint = ClosestMatch.suggestion(for: k, among: known.sorted())
        return "unknown key \(JSONWriter.quote(k))" + (hint.map { " (did you mean \"\($0)\"?)" } ?? "")
    }

    static func isIntegerLiteral(_ lit: String) -> Bool {
        !lit.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
    }
}

extension Array where Element == DateSpan {
    /// The same set of dates inside `window`, as few sorted, disjoint, non-adjacent spans.
    /// Only dates inside the horizon mean anything (A5, A6), and this bounds the work of any
    /// lookup by the horizon's length, however many or long the spans in the file are.
    func merged(within window: DateSpan) -> [DateSpan] {
        let clipped = compactMap { s -> DateSpan? in
            let a = Swift.max(s.start, window.start), b = Swift.min(s.end, window.end)
            return a <= b ? DateSpan(a, b) : nil
        }.sorted { $0.start < $1.start }
        var out: [DateSpan] = []
        for s in clipped {
            if let last = out.last, s.start.number <= last.end.number + 1 {
                out[out.count - 1].end = Swift.max(last.end, s.end)
            } else {
                out.append(s)
            }
        }
        return out
    }
}
