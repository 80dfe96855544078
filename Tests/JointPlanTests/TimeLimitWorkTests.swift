import Foundation
import Testing
@testable import JointPlan

/// Issue 21, item 4, at 20,000 enterprises: the fixed costs made cheaper (the byte writer, the
/// object without a dictionary per enterprise, the enterprise in a shared box) must not change
/// a byte or a value, and the optional work after a solve past its deadline is skipped with
/// the plan still valid. Nothing here depends on the machine's speed: clocks are injected or
/// deadlines lie in the past.
struct TimeLimitWorkTests {
    // MARK: the writer

    /// The `String` writer the byte writer replaced, kept as the reference for its bytes.
    enum ReferenceWriter {
        static func pretty(_ v: JSON) -> String {
            var out = ""
            write(v, into: &out, indent: "  ", level: 0)
            return out + "\n"
        }
        static func compact(_ v: JSON) -> String {
            var out = ""
            write(v, into: &out, indent: nil, level: 0)
            return out
        }
        static func quoted(_ s: String, into out: inout String) {
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
        static func write(_ v: JSON, into out: inout String, indent: String?, level: Int) {
            switch v {
            case .null: out += "null"
            case .bool(let b): out += b ? "true" : "false"
            case .number(let n): out += n
            case .string(let s): quoted(s, into: &out)
            case .array(let a):
                if a.isEmpty { out += "[]"; return }
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
                    quoted(key, into: &out)
                    out += indent == nil ? ":" : ": "
                    write(e, into: &out, indent: indent, level: level + 1)
                }
                if let ind = indent { out += "\n" + String(repeating: ind, count: level) }
                out += "}"
            }
        }
    }

    /// A random document with the strings that need care: quotes, backslashes, every control
    /// character, U+2028/U+2029, non-ASCII (Chinese, an emoji), "\r\n" as one Character.
    static func randomDocument(_ rng: inout SeededRandom, depth: Int = 0) -> JSON {
        let pieces = ["a", "b1", "\"", "\\", "/", "\n", "\r\n", "\t", "\u{08}", "\u{0C}", "\u{01}", "\u{1F}", "\u{7F}",
                      "\u{2028}", "\u{2029}", "\u{2027}", "检查", "é", "🏭", " ", "e\u{301}", "\u{E2}"]
        func text() -> String { (0..<Int(rng.next() % 6)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined() }
        switch rng.next() % (depth > 3 ? 4 : 7) {
        case 0: return .null
        case 1: return .bool(rng.next() % 2 == 0)
        case 2: return .number(["0", "-1", "12.5", "1e-05", "123456789"][Int(rng.next() % 5)])
        case 3: return .string(text())
        case 4, 5:
            var o = JSONObject()
            for k in 0..<Int(rng.next() % 20) { o[text() + "\(k)"] = randomDocument(&rng, depth: depth + 1) }
            return .object(o)
        default:
            return .array((0..<Int(rng.next() % 5)).map { _ in randomDocument(&rng, depth: depth + 1) })
        }
    }

    @Test("the byte writer writes what the String writer wrote, pretty and compact, on random documents")
    func byteWriterSameBytes() throws {
        var rng = SeededRandom(seed: 21, stream: "writer")
        for _ in 0..<300 {
            let doc = Self.randomDocument(&rng)
            let pretty = JSONWriter.pretty(doc)
            #expect(pretty == ReferenceWriter.pretty(doc))
            #expect(JSONWriter.prettyData(doc) == Data(ReferenceWriter.pretty(doc).utf8))
            #expect(JSONWriter.compact(doc) == ReferenceWriter.compact(doc))
            // And what it writes reads back as the same document.
            #expect(try JSONParser.parse(pretty) == doc)
        }
        for s in ["", "\u{2028}x\u{2029}", "\u{E2}\u{80}", "a\"b\\c\u{00}"] {
            var ref = ""
            ReferenceWriter.quoted(s, into: &ref)
            #expect(JSONWriter.quote(s) == ref)
        }
    }

    @Test("a solved plan encodes to the same bytes as with the String writer")
    func planBytes() throws {
        let input = try SolverFixtures.read(SolverFixtures.scenarios.appendingPathComponent("tight.json"))
        let plan = Solver.solve(input.scenario, scenarioData: input.data, options: SolverFixtures.workLimited(windows: 1))
        #expect(plan.encoded(timings: false) == Data(ReferenceWriter.pretty(plan.json(timings: false)).utf8))
    }

    // MARK: the object

    @Test("JSONObject keeps order, last value and removals like a list of pairs, below and above its index threshold")
    func objectModel() {
        var rng = SeededRandom(seed: 4, stream: "object")
        for size in [3, 16, 17, 40] {
            var o = JSONObject()
            var model: [(String, JSON)] = []
            for step in 0..<400 {
                let key = "k\(rng.next() % UInt64(size))"
                if rng.next() % 5 == 0 {
                    o[key] = nil
                    model.removeAll { $0.0 == key }
                } else {
                    let v = JSON.int(step)
                    o[key] = v
                    if let k = model.firstIndex(where: { $0.0 == key }) { model[k].1 = v } else { model.append((key, v)) }
                }
                #expect(o.keys == model.map(\.0))
                #expect(o.count == model.count)
                for k in 0..<size { #expect(o["k\(k)"] == model.first { $0.0 == "k\(k)" }?.1) }
            }
            #expect(o == JSONObject(model))
        }
    }

    @Test("duplicate keys are still found in objects of any size, and named with their exact path")
    func duplicatesAtEverySize() throws {
        let many = (0..<20).map { "\"x\($0)\": \($0)" }.joined(separator: ", ")
        let doc = try JSONParser.parse("{\"a\": 1, \(many), \"a\": 2, \"x3\": 9}")
        let o = try #require(doc.objectValue)
        #expect(o.duplicateKeys == ["a", "x3"])
        #expect(o["a"] == .int(2) && o["x3"] == .int(9) && o.count == 21)
        #expect(o.keys.first == "a")
    }

    @Test("a generated district reads the same after a round trip through the writer, and a corrupted one names the same paths")
    func readerRoundTripAndPaths() throws {
        var p = DistrictParameters(enterprises: 600, seed: 21)
        p.blackoutShare = 0.2
        let text = DistrictGenerator.fileText(try DistrictGenerator(p).generate().scenario)
        let a = try ScenarioReader.read(Data(text.utf8))
        let b = try ScenarioReader.read(JSONWriter.prettyData(try JSONParser.parse(text)))
        #expect(a.enterprises.count == 600)
        for (x, y) in zip(a.enterprises, b.enterprises) {
            #expect(x.id == y.id && x.name == y.name && x.town == y.town && x.tier == y.tier && x.categories == y.categories
                    && x.blackout == y.blackout && x.lastChecked == y.lastChecked && x.address == y.address
                    && x.whitelisted == y.whitelisted && x.onsiteVisitsThisYear == y.onsiteVisitsThisYear)
        }
        #expect(Duties(scenario: a, seed: nil).totalChecks == Duties(scenario: b, seed: nil).totalChecks)

        // Corrupt enterprise 17: a wrong tier, an unknown key, an unknown town, a repeated key.
        var doc = try JSONParser.parse(text)
        guard case .object(var top) = doc, case .array(var list)? = top["enterprises"], case .object(var e) = list[17] else {
            Issue.record("not a district"); return
        }
        e["tier"] = .string("Z")
        e["twon"] = .string("T1")
        e["town"] = .string("nowhere")
        list[17] = .object(e)
        top["enterprises"] = .array(list)
        doc = .object(top)
        var corrupted = JSONWriter.pretty(doc)
        // A repeated key the writer cannot write: add it to the text.
        let id = try #require(e["id"]?.stringValue)
        corrupted = corrupted.replacingOccurrences(of: "\"id\": \"\(id)\"", with: "\"id\": \"\(id)\", \"name\": \"x\", \"name\": \"y\"")
        let problems = ScenarioReader.problems(Data(corrupted.utf8)).map { "\($0.path): \($0.message)" }
        #expect(problems.contains("enterprises[17].tier: must be one of \"A\", \"B\", \"C\", \"D\", got \"Z\""), "\(problems)")
        #expect(problems.contains { $0.hasPrefix("enterprises[17].twon: unknown key \"twon\"") }, "\(problems)")
        #expect(problems.contains("enterprises[17].town: unknown town \"nowhere\""), "\(problems)")
        #expect(problems.contains("enterprises[17].name: key appears more than once in the object"), "\(problems)")
    }

    // MARK: the enterprise

    @Test("an enterprise is still a value: a copy changed leaves the original as it was")
    func enterpriseIsAValue() {
        var a = Enterprise(id: "E1", town: "T1", tier: .A)
        a.categories = ["x"]
        a.lastChecked = ["I1": Day("2026-01-05")!]
        var b = a
        b.categories.append("y")
        b.lastChecked["I2"] = Day("2026-01-06")!
        b.name = "B"
        b.tier = .D
        #expect(a.categories == ["x"] && a.lastChecked.count == 1 && a.name == "" && a.tier == .A)
        #expect(b.categories == ["x", "y"] && b.lastChecked.count == 2 && b.name == "B" && b.tier == .D)
        var list = [a, a]
        list[1].blackout.append(DateSpan(Day("2026-01-07")!, Day("2026-01-08")!))
        #expect(list[0].blackout.isEmpty && list[1].blackout.count == 1 && a.blackout.isEmpty)
    }

    // MARK: past the deadline

    @Test("a solve whose deadline passed long ago still returns a valid plan with status timeLimit, and the grid is skipped")
    func pastTheDeadline() throws {
        let input = try SolverFixtures.read(SolverFixtures.scenarios.appendingPathComponent("tight.json"))
        var options = SolveOptions()
        options.timeLimitSeconds = 1
        // Counted from an hour ago: every deadline has passed before the solve starts.
        options.startedAt = Date().addingTimeInterval(-3600)
        let solved = Solver.solve(input.scenario, scenarioData: input.data, options: options)
        #expect(solved.status == .timeLimit)
        let end = try #require(SolveDeadline.optionalWork(options, checks: Duties(scenario: input.scenario, seed: nil).totalChecks))
        #expect(end < Date())
        let (plan, grid) = TimeGrid.apply(solved, scenario: input.scenario, minutes: 15, deadline: end)
        #expect(plan.visits == solved.visits)
        #expect(grid.moved == 0 && grid.left == solved.visits.filter { $0.start % 15 != 0 }.count)
        _ = try SolverFixtures.expectValid(plan, input, "tight.json past its deadline", python: true)
    }

    @Test("a deadline that passes while the grid works undoes its moves; one that does not pass changes nothing")
    func gridClock() throws {
        // tight.json: its starts are off the grid (demo.json's are on it already).
        let input = try SolverFixtures.read(SolverFixtures.scenarios.appendingPathComponent("tight.json"))
        let solved = Solver.solve(input.scenario, scenarioData: input.data, options: SolverFixtures.workLimited(windows: 1))
        let free = TimeGrid.apply(solved, scenario: input.scenario, minutes: 15)
        #expect(free.1.moved > 0)
        // A deadline far ahead: the same plan as without one.
        let ahead = TimeGrid.apply(solved, scenario: input.scenario, minutes: 15, deadline: .distantFuture)
        #expect(ahead.0.visits == free.0.visits && ahead.1 == free.1)
        // A clock that reads "before" at the entry and "after" from then on: every move undone.
        let calls = Locked(0)
        let deadline = Date(timeIntervalSinceReferenceDate: 1000)
        let late = TimeGrid.apply(solved, scenario: input.scenario, minutes: 15, deadline: deadline, now: {
            calls.withLock { n in n += 1; return n == 1 ? Date(timeIntervalSinceReferenceDate: 0) : Date(timeIntervalSinceReferenceDate: 2000) }
        })
        #expect(calls.current > 1)
        #expect(late.0.visits == solved.visits && late.1.moved == 0)
        _ = try SolverFixtures.expectValid(late.0, input, "tight.json grid cut short", python: false)
    }
}
