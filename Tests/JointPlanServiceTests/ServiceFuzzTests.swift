import Foundation
import JointPlan
import Testing

/// Feeds `jointplan serve` 10,000 mixed lines — valid requests of every method, solves
/// with progress, cancellations, notifications, batches, truncated JSON, random bytes,
/// invalid UTF-8, deep nesting — then closes its input, and checks that every request id
/// was answered exactly once, every bad line got exactly one id-null error, nothing else
/// came out, and the service exited 0 in time (no crash, no hang).
@Suite struct ServiceFuzzTests {
    /// SplitMix64: a seeded generator, so a failure can be replayed.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    struct Script {
        var lines: [Data] = []
        /// Request ids that must each get exactly one response.
        var ids: [String] = []
        /// Lines that must each get exactly one id-null error (parse error / invalid request).
        var nullAnswers = 0
        /// Batches that must each get exactly one array.
        var batches = 0
        var notifications = 0
        var solves = 0
        var cancels = 0
        var kinds: [String: Int] = [:]
    }

    static func script(lines count: Int, seed: UInt64, small: String, smallDoc: JSON) -> Script {
        var r = Random(state: seed)
        var s = Script()
        var n = 0
        func id() -> String { n += 1; return "f\(n)" }
        func add(_ kind: String, _ text: String) { add(kind, Data(text.utf8)) }
        func add(_ kind: String, _ data: Data) { s.lines.append(data); s.kinds[kind, default: 0] += 1 }
        func request(_ i: String, _ method: String, _ params: String?) -> String {
            "{\"jsonrpc\":\"2.0\",\"id\":\(JSONWriter.quote(i)),\"method\":\(JSONWriter.quote(method))\(params.map { ",\"params\":\($0)" } ?? "")}"
        }
        let methods = ["runs/list", "runs/get", "runs/visits", "validate", "nope", "explain", "whatif", "shutdown-later"]
        let inlineValidate = "{\"scenario\":\(JSONWriter.compact(smallDoc))}"
        var solving: [String] = []

        while s.lines.count < count {
            switch r.below(1000) {
            case 0..<300: // a valid request of a quick method
                let i = id()
                let method = methods[r.below(methods.count - 1)]
                let params: String?
                switch method {
                case "runs/get": params = "{\"id\":\(r.below(5))}"
                case "runs/visits": params = r.below(2) == 0 ? "{\"runId\":1,\"town\":\"T01\"}" : "{\"date\":\"2026-13-01\"}"
                case "validate": params = r.below(10) == 0 ? inlineValidate : "{\"path\":\(JSONWriter.quote(small))}"
                default: params = r.below(3) == 0 ? "{\"limit\":\(r.below(4))}" : nil
                }
                s.ids.append(i)
                add("request", request(i, method, params))
            case 300..<304: // a solve with progress, sometimes cancelled a few lines later
                let i = id()
                s.ids.append(i)
                s.solves += 1
                solving.append(i)
                add("solve", request(i, "solve", "{\"path\":\(JSONWriter.quote(small)),\"options\":{\"timeLimitSeconds\":5,\"seed\":\(r.below(1000))},\"_meta\":{\"progressToken\":\(JSONWriter.quote(i))}}"))
            case 304..<306: // cancel a solve sent earlier (maybe already done), as a notification
                if !solving.isEmpty {
                    let target = solving.remove(at: r.below(solving.count))
                    s.cancels += 1
                    s.notifications += 1
                    add("cancel", "{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":\(JSONWriter.quote(target))}}")
                }
            case 306..<400: // notifications of anything
                s.notifications += 1
                add("notification", "{\"jsonrpc\":\"2.0\",\"method\":\(JSONWriter.quote(methods[r.below(methods.count)])),\"params\":{\"limit\":1}}")
            case 400..<460: // invalid params
                let i = id()
                s.ids.append(i)
                add("invalid params", request(i, ["solve", "validate", "runs/get", "runs/list"][r.below(4)], "{\"bogus\":\(r.below(9))}"))
            case 460..<540: // a batch of requests, notifications and non-requests
                let members = 1 + r.below(5)
                var parts: [String] = []
                var answered = false
                for _ in 0..<members {
                    switch r.below(3) {
                    case 0:
                        let i = id()
                        s.ids.append(i)
                        parts.append(request(i, "runs/list", nil))
                        answered = true
                    case 1: parts.append("{\"jsonrpc\":\"2.0\",\"method\":\"runs/list\"}")
                    default: parts.append(String(r.below(100))); answered = true
                    }
                }
                if answered { s.batches += 1 }
                add("batch", "[" + parts.joined(separator: ",") + "]")
            case 540..<680: // a valid request cut short
                let full = request("cut", "validate", "{\"path\":\(JSONWriter.quote(small))}")
                let cut = 1 + r.below(full.count - 1)
                s.nullAnswers += 1
                add("truncated", String(full.prefix(cut)))
            case 680..<820: // random bytes (no newline; at least one byte that is not blank)
                var bytes = (0..<(1 + r.below(200))).map { _ in UInt8(truncatingIfNeeded: r.next()) }.filter { $0 != 0x0A }
                bytes.append(UInt8(ascii: "#"))
                if bytes.first == UInt8(ascii: "[") { bytes[0] = UInt8(ascii: "x") }
                s.nullAnswers += 1
                add("random bytes", Data(bytes))
            case 820..<870: // invalid UTF-8 inside an otherwise fine request
                var d = Data("{\"jsonrpc\":\"2.0\",\"id\":\"u\",\"method\":\"validate\",\"params\":{\"path\":\"".utf8)
                d.append(contentsOf: [[0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80]][r.below(4)])
                d.append(contentsOf: Data("\"}}".utf8))
                s.nullAnswers += 1
                add("invalid UTF-8", d)
            case 870..<930: // JSON that is not a request
                s.nullAnswers += 1
                add("not a request", ["{}", "42", "\"x\"", "null", "true", "{\"jsonrpc\":\"2.0\"}", "{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"x\"}",
                                      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}", "[]", "{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":2,\"method\":\"runs/list\"}"][r.below(10)])
            case 930..<950: // nesting far beyond the parser's limit
                let depth = 300 + r.below(5000)
                s.nullAnswers += 1
                add("deep nesting", "{\"a\":" + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}")
            default: // blank lines and numbers beyond any type
                if r.below(2) == 0 {
                    add("blank", ["", " ", "\t", "\r"][r.below(4)])
                } else {
                    let i = id()
                    s.ids.append(i)
                    add("huge numbers", "{\"jsonrpc\":\"2.0\",\"id\":\(JSONWriter.quote(i)),\"method\":\"runs/get\",\"params\":{\"id\":1\(String(repeating: "9", count: 300))e999999}}")
                }
            }
        }
        return s
    }

    @Test func tenThousandMixedLinesAreAllAnswered() throws {
        let small = try Fixtures.district(60)
        let doc = try JSONParser.parse(try Data(contentsOf: URL(fileURLWithPath: small)))
        let script = Self.script(lines: 10_000, seed: 20260101, small: small, smallDoc: doc)
        let session = try ServiceSession()
        let started = Date()
        var input = Data()
        for line in script.lines { input.append(line); input.append(0x0A) }
        try session.send(raw: input)
        try session.closeInput()
        let status = session.waitForExit(timeout: 240)
        let seconds = Date().timeIntervalSince(started)

        var answers: [String: Int] = [:]
        var nullAnswers = 0, arrays = 0, progress = 0, other = 0
        var codes: [Int: Int] = [:]
        func count(_ m: JSON) {
            if let code = RPC.errorCode(m) { codes[code, default: 0] += 1 }
            switch m["id"] {
            case .string(let i)?: answers[i, default: 0] += 1
            case .null?: nullAnswers += 1
            default:
                if m["method"] == .string("notifications/progress") { progress += 1 } else { other += 1 }
            }
        }
        let received = session.messages
        for r in received {
            guard let m = r.message else { other += 1; continue }
            if let batch = m.arrayValue {
                arrays += 1
                for entry in batch {
                    if entry["id"] == .null { continue } // invalid batch entries: counted with the array
                    count(entry)
                }
            } else {
                count(m)
            }
        }
        let missing = script.ids.filter { answers[$0] == nil }
        let twice = answers.filter { $0.value > 1 }
        let exited = status.map { "exit status \($0)" } ?? "HUNG (killed)"
        print("""
            fuzz: \(script.lines.count) lines (\(script.kinds.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")))
            fuzz: \(script.ids.count) request ids, all answered once: \(missing.isEmpty && twice.isEmpty); \(nullAnswers) id-null errors for \(script.nullAnswers) bad lines; \(arrays) batch replies for \(script.batches) batches; \(progress) progress notifications; \(script.cancels) cancels of \(script.solves) solves
            fuzz: error codes \(codes.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " ")); \(exited) after \(String(format: "%.1f", seconds)) s; crashes \(status == 0 ? 0 : 1), hangs \(status == nil ? 1 : 0)
            """)
        #expect(status == 0, "service \(exited); log tail:\n\(session.log.suffix(2000))")
        #expect(missing.isEmpty, "unanswered: \(missing.prefix(10))")
        #expect(twice.isEmpty, "answered more than once: \(twice.keys.prefix(10))")
        #expect(Set(answers.keys).isSubset(of: Set(script.ids)))
        #expect(nullAnswers == script.nullAnswers)
        #expect(arrays == script.batches)
        #expect(other == 0)
        #expect(!session.log.contains("Fatal error") && !session.log.contains("crashed"))
    }
}
