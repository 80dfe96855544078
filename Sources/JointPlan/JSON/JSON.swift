import Foundation

/// A JSON document as read from a scenario or plan file.
///
/// Foundation's `JSONSerialization` loses what the spec needs: duplicate keys (an error),
/// the order of keys (deterministic output), and the literal text of numbers (the draw
/// rounds `sampleRate` exactly on the decimal as written, spec 2.1). So numbers keep their
/// literal and objects keep their keys in order.
public indirect enum JSON: Equatable, Sendable {
    case null
    case bool(Bool)
    /// The number's literal text exactly as in the file (validated JSON number syntax).
    case number(String)
    case string(String)
    case array([JSON])
    case object(JSONObject)

    public static func int(_ v: Int) -> JSON { .number(String(v)) }
    public static func double(_ v: Double) -> JSON { .number(JSON.format(v)) }

    /// Formats a finite Double the way the plan files write it: integral values without a
    /// fraction, others with the shortest round-trip representation.
    public static func format(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    public var objectValue: JSONObject? { if case .object(let o) = self { return o }; return nil }
    public var arrayValue: [JSON]? { if case .array(let a) = self { return a }; return nil }
    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    public var boolValue: Bool? { if case .bool(let b) = self { return b }; return nil }

    /// An integer literal (no fraction, no exponent) that fits in `Int`.
    public var intValue: Int? {
        guard case .number(let lit) = self else { return nil }
        if lit.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) { return nil }
        return Int(lit)
    }

    /// The number as a finite Double (nil for non-numbers and for overflowing literals).
    public var doubleValue: Double? {
        guard case .number(let lit) = self, let d = Double(lit), d.isFinite else { return nil }
        return d
    }

    public subscript(key: String) -> JSON? { objectValue?[key] }

    /// A short rendering for messages (at most 60 characters).
    public var short: String {
        let s = JSONWriter.compact(self)
        return s.count <= 60 ? s : String(s.prefix(57)) + "..."
    }
}

/// A JSON object that keeps its keys in order and remembers keys that appeared twice.
///
/// Keys and values are two arrays in the order of the text; a small object (most of a
/// scenario: 20,000 enterprises of about ten keys) is searched linearly, which costs less
/// than hashing every key into a dictionary of its own (issue 21, item 4); an object of more
/// than `indexedFrom` keys keeps a dictionary from key to position as well.
public struct JSONObject: Equatable, Sendable {
    public private(set) var keys: [String] = []
    private var values: [JSON] = []
    private var positions: [String: Int]?
    /// Keys that appeared more than once in the text (the later value wins).
    public var duplicateKeys: [String] = []

    static let indexedFrom = 16

    public init() {}
    public init(_ pairs: [(String, JSON)]) { for (k, v) in pairs { self[k] = v } }

    private func position(_ key: String) -> Int? {
        if let positions { return positions[key] }
        return keys.firstIndex(of: key)
    }

    public subscript(key: String) -> JSON? {
        get { position(key).map { values[$0] } }
        set {
            if let v = newValue {
                if let k = position(key) {
                    values[k] = v
                } else {
                    keys.append(key)
                    values.append(v)
                    if positions != nil {
                        positions![key] = keys.count - 1
                    } else if keys.count > JSONObject.indexedFrom {
                        positions = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
                    }
                }
            } else if let k = position(key) {
                keys.remove(at: k)
                values.remove(at: k)
                positions = keys.count > JSONObject.indexedFrom
                    ? Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) }) : nil
            }
        }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }
    public func contains(_ key: String) -> Bool { position(key) != nil }
    public var pairs: [(String, JSON)] { Array(zip(keys, values)) }
    /// The values in the order of `keys`.
    public var orderedValues: [JSON] { values }

    /// The same keys (in the same order) with the same values; repeated keys do not count.
    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        a.keys == b.keys && a.values == b.values
    }
}

/// Builds a JSON path the way messages name places: `enterprises[12].town`, `lastChecked["a b"]`.
public enum JSONPath {
    public static func key(_ base: String, _ key: String) -> String {
        if isIdentifier(key) { return base.isEmpty ? key : base + "." + key }
        return base + "[" + JSONWriter.quote(key) + "]"
    }

    public static func index(_ base: String, _ i: Int) -> String { base + "[\(i)]" }

    static func isIdentifier(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first else { return false }
        func letter(_ c: Unicode.Scalar) -> Bool {
            (c >= "A" && c <= "Z") || (c >= "a" && c <= "z") || c == "_"
        }
        guard letter(f) else { return false }
        return s.unicodeScalars.allSatisfy { letter($0) || ($0 >= "0" && $0 <= "9") }
    }
}
