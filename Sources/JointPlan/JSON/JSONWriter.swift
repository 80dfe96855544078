import Foundation

/// Writes JSON deterministically: keys in the object's order, numbers as their literals,
/// non-ASCII text as UTF-8 (not escaped), so the same plan gives the same bytes.
public enum JSONWriter {
    /// One line, no spaces: the JSON-RPC wire format and the canonical form.
    public static func compact(_ v: JSON) -> String {
        var out = Bytes()
        out.write(v, indent: false, level: 0)
        return out.string
    }

    /// Indented with two spaces, for files people read and diff.
    public static func pretty(_ v: JSON) -> String {
        prettyBytes(v).string
    }

    /// `pretty` as UTF-8 bytes, without going through a `String` (a plan of 20,000
    /// enterprises is megabytes: issue 21, item 4).
    public static func prettyData(_ v: JSON) -> Data {
        Data(prettyBytes(v).bytes)
    }

    private static func prettyBytes(_ v: JSON) -> Bytes {
        var out = Bytes()
        out.bytes.reserveCapacity(1 << 16)
        out.write(v, indent: true, level: 0)
        out.bytes.append(0x0A)
        return out
    }

    /// Canonical JSON as check_plan.py computes it for `scenario.sha256` (A23): keys sorted
    /// by code point, no whitespace, non-ASCII unescaped.
    public static func canonical(_ v: JSON) -> String {
        var out = ""
        writeCanonical(v, into: &out)
        return out
    }

    public static func quote(_ s: String) -> String {
        var out = Bytes()
        out.quoted(s)
        return out.string
    }

    static func appendQuoted(_ s: String, into out: inout String) {
        out += quote(s)
    }

    /// The writer's output: UTF-8 bytes, appended without a `String` per scalar (the plan's
    /// encoding was 15 % of a `--time-limit 1` run on 20,000 enterprises). The same bytes as
    /// the `String` writer it replaces: two spaces a level, `", "` between the scalars of a
    /// one-line array, `\uXXXX` (lower-case hex) for other control characters and U+2028/9.
    struct Bytes {
        var bytes: [UInt8] = []

        var string: String { String(decoding: bytes, as: UTF8.self) }

        mutating func append(_ s: String) {
            var s = s
            s.withUTF8 { bytes.append(contentsOf: $0) }
        }

        mutating func append(_ s: StaticString) {
            s.withUTF8Buffer { bytes.append(contentsOf: $0) }
        }

        mutating func newline(_ level: Int) {
            bytes.append(0x0A)
            for _ in 0..<(2 * level) { bytes.append(0x20) }
        }

        mutating func quoted(_ s: String) {
            var s = s
            s.withUTF8 { u in
                bytes.append(0x22)
                var runStart = 0
                var k = 0
                let n = u.count
                func flush(_ end: Int) {
                    if end > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[runStart..<end])) }
                }
                while k < n {
                    let c = u[k]
                    var escape: StaticString?
                    var hex: UInt32?
                    var width = 1
                    switch c {
                    case 0x22: escape = "\\\""
                    case 0x5C: escape = "\\\\"
                    case 0x0A: escape = "\\n"
                    case 0x0D: escape = "\\r"
                    case 0x09: escape = "\\t"
                    case 0x08: escape = "\\b"
                    case 0x0C: escape = "\\f"
                    case 0xE2 where k + 2 < n && u[k + 1] == 0x80 && (u[k + 2] == 0xA8 || u[k + 2] == 0xA9):
                        hex = u[k + 2] == 0xA8 ? 0x2028 : 0x2029
                        width = 3
                    default:
                        if c < 0x20 { hex = UInt32(c) }
                    }
                    if escape == nil && hex == nil { k += 1; continue }
                    flush(k)
                    if let escape { append(escape) }
                    if let hex {
                        append("\\u")
                        let digits: [UInt8] = Array("0123456789abcdef".utf8)
                        for shift in [12, 8, 4, 0] { bytes.append(digits[Int((hex >> UInt32(shift)) & 0xF)]) }
                    }
                    k += width
                    runStart = k
                }
                flush(n)
                bytes.append(0x22)
            }
        }

        mutating func write(_ v: JSON, indent: Bool, level: Int) {
            switch v {
            case .null: append("null" as StaticString)
            case .bool(let b): append(b ? "true" as StaticString : "false")
            case .number(let n): append(n)
            case .string(let s): quoted(s)
            case .array(let a):
                if a.isEmpty { append("[]" as StaticString); return }
                // Arrays of scalars stay on one line even when pretty.
                let flat = !indent || a.allSatisfy { if case .object = $0 { return false }; if case .array = $0 { return false }; return true }
                bytes.append(0x5B)
                for (k, e) in a.enumerated() {
                    if k > 0 { append(flat && indent ? ", " as StaticString : ",") }
                    if !flat { newline(level + 1) }
                    write(e, indent: flat ? false : indent, level: level + 1)
                }
                if !flat { newline(level) }
                bytes.append(0x5D)
            case .object(let o):
                if o.isEmpty { append("{}" as StaticString); return }
                bytes.append(0x7B)
                let values = o.orderedValues
                for (k, key) in o.keys.enumerated() {
                    if k > 0 { bytes.append(0x2C) }
                    if indent { newline(level + 1) }
                    quoted(key)
                    append(indent ? ": " as StaticString : ":")
                    write(values[k], indent: indent, level: level + 1)
                }
                if indent { newline(level) }
                bytes.append(0x7D)
            }
        }
    }

    private static func writeCanonical(_ v: JSON, into out: inout String) {
        switch v {
        case .array(let a):
            out += "["
            for (k, e) in a.enumerated() {
                if k > 0 { out += "," }
                writeCanonical(e, into: &out)
            }
            out += "]"
        case .object(let o):
            out += "{"
            let keys = o.keys.sorted { Array($0.unicodeScalars.map(\.value)).lexicographicallyPrecedes(Array($1.unicodeScalars.map(\.value))) }
            for (k, key) in keys.enumerated() {
                if k > 0 { out += "," }
                appendQuoted(key, into: &out)
                out += ":"
                writeCanonical(o[key]!, into: &out)
            }
            out += "}"
        case .number(let n):
            // Python re-prints numbers: integers as digits, floats with repr().
            if let i = JSON.number(n).intValue { out += String(i) }
            else if let d = Double(n) { out += pythonRepr(d) }
            else { out += n }
        default:
            out += compact(v)
        }
    }

    /// Python's repr() of a float (shortest round trip, "1e-05" style exponents, ".0" on integers).
    static func pythonRepr(_ d: Double) -> String {
        var s = "\(d)"
        if let eIdx = s.firstIndex(where: { $0 == "e" }) {
            var mant = String(s[..<eIdx])
            var exp = String(s[s.index(after: eIdx)...])
            if mant.hasSuffix(".0") { mant.removeLast(2) }
            var sign = "+"
            if exp.hasPrefix("-") { sign = "-"; exp.removeFirst() } else if exp.hasPrefix("+") { exp.removeFirst() }
            if exp.count < 2 { exp = "0" + exp }
            s = mant + "e" + sign + exp
        }
        return s
    }
}
