import Foundation
import Testing
@testable import JointPlan

// Hostile input (spec 4: no input of any kind may crash the service): thousands of
// deterministic mutations of a small valid scenario, and a cross-check of a sample of them
// against check_plan.py, the independent reading of the spec.

/// SplitMix64: a tiny seeded generator, so every run tries the same inputs.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// One mutated scenario file and whether the mutation surely makes it invalid.
struct Mutant {
    var kind: String
    var data: Data
    var surelyInvalid: Bool
}

/// The mutations: deterministic in the mutant's number.
enum ScenarioMutations {
    /// Every node of the fixture with its path and whether it lies inside `extensions`.
    static let nodes: [(path: [Step], value: JSON, inExtensions: Bool)] = {
        var out: [(path: [Step], value: JSON, inExtensions: Bool)] = []
        func walk(_ v: JSON, _ path: [Step], _ inExt: Bool) {
            out.append((path, v, inExt))
            switch v {
            case .object(let o):
                for (k, c) in o.pairs { walk(c, path + [.key(k)], inExt || k == "extensions") }
            case .array(let a):
                for (i, c) in a.enumerated() { walk(c, path + [.index(i)], inExt) }
            default: break
            }
        }
        walk(ScenarioFixture.json, [], false)
        return out
    }()

    static let kinds = ["delete key", "change type", "random number", "random string", "unknown key",
                        "duplicate key", "truncate", "flip bytes", "invalid UTF-8", "deep nesting",
                        "duplicate element", "swap values", "two edits"]

    static func mutant(_ n: Int) -> Mutant {
        var rng = SplitMix64(seed: 0x5CE7_A210 ^ (UInt64(n) &* 0x9E37_79B9_7F4A_7C15))
        let kind = kinds[n % kinds.count]
        let doc = ScenarioFixture.json
        func text(_ j: JSON) -> Data {
            Data((Bool.random(using: &rng) ? JSONWriter.compact(j) : JSONWriter.pretty(j)).utf8)
        }
        switch kind {
        case "delete key":
            let (j, _) = deleteKey(doc, &rng)
            return Mutant(kind: kind, data: text(j), surelyInvalid: false)
        case "change type":
            let (j, invalid) = changeType(doc, &rng)
            return Mutant(kind: kind, data: text(j), surelyInvalid: invalid)
        case "random number":
            return Mutant(kind: kind, data: text(replaceScalar(doc, with: randomNumber(&rng), &rng)), surelyInvalid: false)
        case "random string":
            return Mutant(kind: kind, data: text(replaceScalar(doc, with: randomString(&rng), &rng)), surelyInvalid: false)
        case "unknown key":
            let (j, invalid) = addUnknownKey(doc, &rng)
            return Mutant(kind: kind, data: text(j), surelyInvalid: invalid)
        case "duplicate key":
            return duplicateKey(doc, &rng)
        case "truncate":
            let bytes = ScenarioFixture.data
            let lastBrace = bytes.lastIndex(of: UInt8(ascii: "}"))!
            let cut = Int.random(in: 0...lastBrace, using: &rng)
            return Mutant(kind: kind, data: bytes.prefix(cut), surelyInvalid: true)
        case "flip bytes":
            var bytes = [UInt8](ScenarioFixture.data)
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
            }
            return Mutant(kind: kind, data: Data(bytes), surelyInvalid: false)
        case "invalid UTF-8":
            var bytes = [UInt8](ScenarioFixture.data)
            let bad: [[UInt8]] = [[0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0x80], [0xE6, 0x96]]
            bytes.insert(contentsOf: bad.randomElement(using: &rng)!, at: Int.random(in: 0...bytes.count, using: &rng))
            return Mutant(kind: kind, data: Data(bytes), surelyInvalid: true)
        case "deep nesting":
            let depth = Int.random(in: 300...12_000, using: &rng)
            let open = Bool.random(using: &rng) ? "[" : "{\"a\":"
            let close = open == "[" ? "]" : "}"
            let nested = String(repeating: open, count: depth) + "1" + String(repeating: close, count: depth)
            let marker = "\"@@nested@@\""
            let j = replaceAny(doc, with: .string("@@nested@@"), &rng)
            let t = String(decoding: text(j), as: UTF8.self).replacingOccurrences(of: marker, with: nested)
            return Mutant(kind: kind, data: Data(t.utf8), surelyInvalid: true)
        case "duplicate element":
            return Mutant(kind: kind, data: text(duplicateElement(doc, &rng)), surelyInvalid: false)
        case "swap values":
            return Mutant(kind: kind, data: text(swapValues(doc, &rng)), surelyInvalid: false)
        default:   // two edits
            let (a, invalid) = changeType(doc, &rng)
            let b = replaceScalar(a, with: randomNumber(&rng), &rng)
            return Mutant(kind: kind, data: text(b), surelyInvalid: invalid)
        }
    }

    private static func pick(_ rng: inout SplitMix64, _ filter: ((path: [Step], value: JSON, inExtensions: Bool)) -> Bool)
        -> (path: [Step], value: JSON, inExtensions: Bool)? {
        let candidates = nodes.filter(filter)
        return candidates.randomElement(using: &rng)
    }

    static func deleteKey(_ doc: JSON, _ rng: inout SplitMix64) -> (JSON, Bool) {
        guard let n = pick(&rng, { if case .key = $0.path.last { return true }; return false }) else { return (doc, false) }
        return (doc.setting(n.path, nil), false)
    }

    /// Every value outside `extensions` has exactly one JSON type in the schema (A4), so a value
    /// of another type is always an error.
    static func changeType(_ doc: JSON, _ rng: inout SplitMix64) -> (JSON, Bool) {
        guard let n = pick(&rng, { !$0.path.isEmpty }) else { return (doc, false) }
        let others: [JSON] = [.null, .bool(true), .int(7), .string("x"), .array([]), .object(JSONObject())]
            .filter { $0.typeName != n.value.typeName }
        return (doc.setting(n.path, others.randomElement(using: &rng)!), !n.inExtensions)
    }

    static func replaceScalar(_ doc: JSON, with v: JSON, _ rng: inout SplitMix64) -> JSON {
        guard let n = pick(&rng, { node in
            switch node.value { case .object, .array: return false; default: return !node.path.isEmpty }
        }) else { return doc }
        return doc.setting(n.path, v)
    }

    static func replaceAny(_ doc: JSON, with v: JSON, _ rng: inout SplitMix64) -> JSON {
        guard let n = pick(&rng, { !$0.path.isEmpty }) else { return doc }
        return doc.setting(n.path, v)
    }

    static func randomNumber(_ rng: inout SplitMix64) -> JSON {
        switch Int.random(in: 0..<8, using: &rng) {
        case 0: return .int(Int.random(in: -3...200, using: &rng))
        case 1: return .int(Int.random(in: 0...7, using: &rng))
        case 2: return .number(String(format: "%.3f", Double.random(in: -1...2, using: &rng)))
        case 3: return .number("1" + String(repeating: "0", count: Int.random(in: 19...30, using: &rng)))
        case 4: return .number("-" + String(repeating: "9", count: Int.random(in: 19...30, using: &rng)))
        case 5: return .number(["1e400", "-1e400", "1e-400", "2.5e3", "0.0", "-0", "1E2"].randomElement(using: &rng)!)
        case 6: return .int(Int.random(in: 1441...200_000, using: &rng))
        default: return .number(String(format: "%.2f", Double.random(in: 0...1, using: &rng)))
        }
    }

    static func randomString(_ rng: inout SplitMix64) -> JSON {
        let pool = ["", "T01", "T9", "E00002", "P001", "SCJG", "food-safety", "A", "E", "coordinated",
                    "independent", "2026-01-10", "2026-02-30", "2026-03-01/2026-02-01", "9999-12-31",
                    "0001-01-01/9999-12-31", "24:00", "12:60", "08:00", "18:00", "名称", "\u{0}", "jointplan.scenario/1"]
        return .string(pool.randomElement(using: &rng)!)
    }

    static func addUnknownKey(_ doc: JSON, _ rng: inout SplitMix64) -> (JSON, Bool) {
        guard let n = pick(&rng, { if case .object = $0.value { return true }; return false }) else { return (doc, false) }
        let key = ["zq", "townn", "Tier", "extension", "minute", "名称"].randomElement(using: &rng)! + String(Int.random(in: 0...99, using: &rng))
        let j = doc.editing(n.path) { v in
            guard case .object(var o)? = v else { return v }
            o[key] = .int(1)
            return .object(o)
        }
        return (j, !n.inExtensions)
    }

    /// A key written twice in one object: an error in every object, `extensions` included (A3).
    static func duplicateKey(_ doc: JSON, _ rng: inout SplitMix64) -> Mutant {
        guard let n = pick(&rng, { if case .object(let o) = $0.value { return !o.isEmpty }; return false }),
              case .object(let o) = n.value else { return Mutant(kind: "duplicate key", data: Data(), surelyInvalid: true) }
        let key = o.keys.randomElement(using: &rng)!
        let j = doc.editing(n.path) { v in
            guard case .object(var o)? = v else { return v }
            o["@@dup@@"] = .int(0)
            return .object(o)
        }
        let t = JSONWriter.compact(j).replacingOccurrences(of: "\"@@dup@@\"", with: JSONWriter.quote(key))
        return Mutant(kind: "duplicate key", data: Data(t.utf8), surelyInvalid: true)
    }

    static func duplicateElement(_ doc: JSON, _ rng: inout SplitMix64) -> JSON {
        guard let n = pick(&rng, { if case .array(let a) = $0.value { return !a.isEmpty }; return false }),
              case .array(var a) = n.value else { return doc }
        a.append(a[Int.random(in: 0..<a.count, using: &rng)])
        return doc.setting(n.path, .array(a))
    }

    static func swapValues(_ doc: JSON, _ rng: inout SplitMix64) -> JSON {
        guard let x = pick(&rng, { !$0.path.isEmpty }), let y = pick(&rng, { !$0.path.isEmpty }) else { return doc }
        // Setting one inside the other would be undone by the second edit; both are still fine inputs.
        return doc.setting(x.path, y.value).setting(y.path, x.value)
    }
}

@Suite("Scenario fuzzing")
struct ScenarioFuzzTests {
    static let count = 10_400

    @Test func mutationsNeverCrashAndInvalidOnesAreReported() throws {
        #expect(ScenarioReader.problems(ScenarioFixture.data).isEmpty)
        var tried = 0, rejected = 0, accepted = 0
        var perKind: [String: Int] = [:]
        for n in 0..<ScenarioFuzzTests.count {
            let m = ScenarioMutations.mutant(n)
            let (scenario, findings) = ScenarioReader.evaluate(m.data)
            let found = findings.map(\.problem)
            tried += 1
            perKind[m.kind, default: 0] += 1
            if m.surelyInvalid {
                #expect(!found.isEmpty, "mutant \(n) (\(m.kind)) should be rejected")
            }
            for p in found where p.path.isEmpty || p.message.isEmpty {
                Issue.record("mutant \(n) (\(m.kind)): problem without a path or message: \(p)")
            }
            #expect((scenario == nil) == !found.isEmpty)
            if let s = scenario {
                // An accepted mutant goes on down the pipeline without trapping either.
                _ = WorkCalendar(s.horizon).days.count
                _ = Duties(scenario: s).totalChecks
                accepted += 1
            } else {
                rejected += 1
            }
        }
        #expect(tried >= 10_000)
        #expect(accepted > 100 && rejected > 5_000)
        print("fuzz: \(tried) inputs, 0 crashes (\(rejected) rejected, \(accepted) accepted; \(perKind.count) kinds of mutation)")
    }

    /// check_plan.py next to the package (`../shared/tools/`), if this checkout has it.
    static let checker: URL? = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let url = root.deletingLastPathComponent().appendingPathComponent("shared/tools/check_plan.py")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }()

    /// Our reader and the checker agree on a sample of mutants: the checker calls the input
    /// malformed (exit 2) exactly when we find a problem it also knows; problems of the
    /// product's own stricter rules must be ones the checker accepts (exit 0 or 1).
    @Test(.enabled(if: ScenarioFuzzTests.checker != nil, "check_plan.py is not next to the package"))
    func agreesWithCheckPlanOnASample() throws {
        let checker = try #require(ScenarioFuzzTests.checker)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jointplan-fuzz-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let planURL = dir.appendingPathComponent("plan.json")
        try Data(#"{"format":"jointplan.plan/1"}"#.utf8).write(to: planURL)

        var compared = 0, malformed = 0
        for n in 0..<60 {
            let m = ScenarioMutations.mutant(n * 7 + 3)
            // Deep nesting meets each parser's own limit (256 levels here, about 1000 in Python).
            if m.kind == "deep nesting" { continue }
            let findings = ScenarioReader.evaluate(m.data).findings
            let known = findings.filter { !$0.beyondChecker }
            let scenarioURL = dir.appendingPathComponent("s\(n).json")
            try m.data.write(to: scenarioURL)
            let status = try runChecker(checker, scenarioURL, planURL)
            compared += 1
            if status == 2 { malformed += 1 }
            if !known.isEmpty {
                #expect(status == 2, "mutant \(n * 7 + 3) (\(m.kind)): we report \(known.map(\.problem)), check_plan.py exits \(status)")
            } else {
                #expect(status == 0 || status == 1,
                        "mutant \(n * 7 + 3) (\(m.kind)): we report \(findings.map(\.problem)) (beyond the checker), check_plan.py exits \(status)")
            }
        }
        #expect(compared >= 50 && malformed >= 10 && compared - malformed >= 5)
        print("cross-check: \(compared) mutants, \(malformed) malformed for both tools")
    }

    private func runChecker(_ checker: URL, _ scenario: URL, _ plan: URL) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", checker.path, scenario.path, plan.path, "--json"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }
}
