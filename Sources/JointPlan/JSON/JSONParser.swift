import Foundation

/// Why a text is not a JSON document we accept.
public struct JSONParseError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public let line: Int
    public let column: Int
    public var description: String { "\(message) at line \(line) column \(column)" }
}

/// A strict RFC 8259 parser over bytes: rejects invalid UTF-8, NaN/Infinity, trailing
/// garbage and nesting deeper than `maxDepth`; tolerates a leading UTF-8 BOM (spec A3).
/// It never recurses on the call stack beyond `maxDepth`, so hostile input cannot crash it.
public struct JSONParser {
    public static let defaultMaxDepth = 256

    public static func parse(_ data: Data, maxDepth: Int = defaultMaxDepth) throws -> JSON {
        try data.withUnsafeBytes { raw -> JSON in
            let buf = raw.bindMemory(to: UInt8.self)
            var p = JSONParser(bytes: buf, maxDepth: maxDepth)
            return try p.document()
        }
    }

    public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws -> JSON {
        try parse(Data(text.utf8), maxDepth: maxDepth)
    }

    private let b: UnsafeBufferPointer<UInt8>
    private var i = 0
    private let maxDepth: Int

    private init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        b = bytes
        self.maxDepth = maxDepth
    }

    private func fail(_ msg: String, at pos: Int? = nil) -> JSONParseError {
        let at = min(pos ?? i, b.count)
        var line = 1, col = 1
        var k = 0
        while k < at {
            if b[k] == 0x0A { line += 1; col = 1 } else if b[k] & 0xC0 != 0x80 { col += 1 }
            k += 1
        }
        return JSONParseError(message: msg, line: line, column: col)
    }

    private mutating func document() throws -> JSON {
        if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { i = 3 }
        skipSpace()
        if i >= b.count { throw fail("empty document") }
        let v = try value(depth: 0)
        skipSpace()
        if i < b.count { throw fail("unexpected data after the JSON value") }
        return v
    }

    private mutating func skipSpace() {
        while i < b.count {
            switch b[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            default: return
            }
        }
    }

    private mutating func value(depth: Int) throws -> JSON {
        guard i < b.count else { throw fail("unexpected end of input") }
        switch b[i] {
        case UInt8(ascii: "{"):
            if depth >= maxDepth { throw fail("nested more than \(maxDepth) levels deep") }
            return try object(depth: depth + 1)
        case UInt8(ascii: "["):
            if depth >= maxDepth { throw fail("nested more than \(maxDepth) levels deep") }
            return try array(depth: depth + 1)
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try number())
        case UInt8(ascii: "N"), UInt8(ascii: "I"):
            throw fail("NaN and Infinity are not JSON numbers")
        default:
            throw fail("unexpected character")
        }
    }

    private mutating func literal(_ word: String) throws {
        let w = Array(word.utf8)
        guard i + w.count <= b.count else { throw fail("unexpected end of input") }
        for k in 0..<w.count where b[i + k] != w[k] { throw fail("unexpected character") }
        i += w.count
    }

    private mutating func object(depth: Int) throws -> JSON {
        i += 1
        var o = JSONObject()
        skipSpace()
        if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .object(o) }
        while true {
            skipSpace()
            guard i < b.count else { throw fail("unexpected end of input in an object") }
            guard b[i] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
            let k = try string()
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: ":") else { throw fail("expected ':' after a key") }
            i += 1
            skipSpace()
            let v = try value(depth: depth)
            if o.contains(k) { o.duplicateKeys.append(k) }
            o[k] = v
            skipSpace()
            guard i < b.count else { throw fail("unexpected end of input in an object") }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == UInt8(ascii: "}") { i += 1; return .object(o) }
            throw fail("expected ',' or '}' in an object")
        }
    }

    private mutating func array(depth: Int) throws -> JSON {
        i += 1
        var a: [JSON] = []
        skipSpace()
        if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
        while true {
            skipSpace()
            a.append(try value(depth: depth))
            skipSpace()
            guard i < b.count else { throw fail("unexpected end of input in an array") }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
            throw fail("expected ',' or ']' in an array")
        }
    }

    private mutating func number() throws -> String {
        let start = i
        if b[i] == UInt8(ascii: "-") { i += 1 }
        func digit(_ k: Int) -> Bool { k < b.count && b[k] >= 0x30 && b[k] <= 0x39 }
        guard digit(i) else { throw fail("invalid number") }
        if b[i] == UInt8(ascii: "0") { i += 1 } else { while digit(i) { i += 1 } }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            guard digit(i) else { throw fail("invalid number") }
            while digit(i) { i += 1 }
        }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard digit(i) else { throw fail("invalid number") }
            while digit(i) { i += 1 }
        }
        if i - start > 400 { throw fail("number literal too long", at: start) }
        return String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
    }

    private mutating func hex4() throws -> UInt32 {
        guard i + 4 <= b.count else { throw fail("unexpected end of input in a \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = b[i]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw fail("invalid \\u escape")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }

    private mutating func string() throws -> String {
        let open = i
        i += 1
        // Fast path: no escapes.
        var k = i
        var ascii = true
        while k < b.count, b[k] != UInt8(ascii: "\""), b[k] != UInt8(ascii: "\\"), b[k] >= 0x20 { ascii = ascii && b[k] < 0x80; k += 1 }
        if k < b.count, b[k] == UInt8(ascii: "\"") {
            let slice = UnsafeBufferPointer(rebasing: b[i..<k])
            // ASCII is valid UTF-8: decoded without the generic validation (its metadata
            // lookups were a third of the parse at 20,000 enterprises).
            if ascii {
                i = k + 1
                return String(decoding: slice, as: UTF8.self)
            }
            guard let s = String(validating: slice, as: UTF8.self) else {
                throw fail("invalid UTF-8 in a string", at: i)
            }
            i = k + 1
            return s
        }
        var out: [UInt8] = []
        out.reserveCapacity(k - i + 16)
        while true {
            guard i < b.count else { throw fail("unterminated string", at: open) }
            let c = b[i]
            if c == UInt8(ascii: "\"") { i += 1; break }
            if c < 0x20 { throw fail("control character in a string") }
            if c != UInt8(ascii: "\\") { out.append(c); i += 1; continue }
            i += 1
            guard i < b.count else { throw fail("unterminated string", at: open) }
            let e = b[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var cp = try hex4()
                if (0xD800...0xDBFF).contains(cp) {
                    guard i + 6 <= b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") else {
                        throw fail("unpaired surrogate in a \\u escape")
                    }
                    i += 2
                    let lo = try hex4()
                    guard (0xDC00...0xDFFF).contains(lo) else { throw fail("unpaired surrogate in a \\u escape") }
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(cp) {
                    throw fail("unpaired surrogate in a \\u escape")
                }
                guard let scalar = Unicode.Scalar(cp) else { throw fail("invalid \\u escape") }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            default:
                throw fail("invalid escape in a string")
            }
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw fail("invalid UTF-8 in a string", at: open) }
        return s
    }
}
