import Foundation

/// Writes JSON deterministically: keys in the object's order, numbers as their literals,
/// non-ASCII text as UTF-8 (not escaped), so the same plan gives the same bytes.
public enum JSONWriter {
    /// One line, no spaces: the JSON-RPC wire format and the canonical form.
    public static func compact(_ v: JSON) -> String {
        var out = ""
        write(v, into: &out, indent: nil, level: 0)
        return out
    }

    /// Indented with two spaces, for files people read and diff.
    public static func pretty(_ v: JSON) -> String {
        var out = ""
        write(v, into: &out, indent: "  ", level: 0)
        out += "\n"
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
        var out = ""
        appendQuoted(s, into: &out)
        return out
    }

    static func appendQuoted(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if u.value < 0x20 || u.value == 0x2028 || u.value == 0x2029 {
                    out += String(format: "\\u%04x", u.value)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }

    private static func write(_ v: JSON, into out: inout String, indent: String?, level: Int) {
        switch v {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n
        case .string(let s): appendQuoted(s, into: &out)
        case .array(let a):
            if a.isEmpty { out += "[]"; return }
            // Arrays of scalars stay on one line even when pretty.
            let flat = indent == nil || a.allSatisfy { if case .object = $0 { return false }; if case .array = $0 { return false }; return true }
            out += "["
            for (k, e) in a.enumerated() {
                if k > 0 { out += flat && indent != nil ? ", " : "," }
                if !flat, let ind = indent { out += "\n" + String(repeating: ind, count: level + 1) }
                write(e, into: &out, indent: flat ? nil : indent, level: level + 1)
            }
            if !flat, let ind = indent { out += "\n" + String(repeating: ind, count: level) }
            out += "]"
        case .object(let o):
            if o.isEmpty { out += "{}"; return }
            out += "{"
            for (k, (key, e)) in o.pairs.enumerated() {
                if k > 0 { out += "," }
                if let ind = indent { out += "\n" + String(repeating: ind, count: level + 1) }
                appendQuoted(key, into: &out)
                out += indent == nil ? ":" : ": "
                write(e, into: &out, indent: indent, level: level + 1)
            }
            if let ind = indent { out += "\n" + String(repeating: ind, count: level) }
            out += "}"
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
            write(v, into: &out, indent: nil, level: 0)
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
