import Foundation
import Testing
@testable import JointPlan

// One test per family of scenario rules (spec 2; check_plan.py A1–A7, A21; the product's own
// limits), each asserting the exact path and the key part of the message.

/// The fixture every scenario test starts from: a small valid district with every kind of field.
enum ScenarioFixture {
    static let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/small-valid-scenario.json")
    static let data: Data = try! Data(contentsOf: url)
    static let json: JSON = try! JSONParser.parse(data)
}

/// A step of a path into a JSON document, for editing the fixture.
enum Step: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case key(String), index(Int)
    init(stringLiteral s: String) { self = .key(s) }
    init(integerLiteral i: Int) { self = .index(i) }
}

extension JSON {
    /// The document with the value at `path` replaced by `f(old)`; nil removes it (object
    /// member) — a missing array index is left alone.
    func editing(_ path: [Step], _ f: (JSON?) -> JSON?) -> JSON {
        guard let first = path.first else { return f(self) ?? .null }
        let rest = Array(path.dropFirst())
        switch (self, first) {
        case (.object(var o), .key(let k)):
            if rest.isEmpty { o[k] = f(o[k]) } else if let child = o[k] { o[k] = child.editing(rest, f) }
            return .object(o)
        case (.array(var a), .index(let i)) where a.indices.contains(i):
            if rest.isEmpty {
                if let v = f(a[i]) { a[i] = v } else { a.remove(at: i) }
            } else {
                a[i] = a[i].editing(rest, f)
            }
            return .array(a)
        default:
            return self
        }
    }

    func setting(_ path: [Step], _ value: JSON?) -> JSON { editing(path) { _ in value } }
}

/// Problems of the fixture with one value changed (nil: removed).
func problemsAfter(_ path: [Step], _ value: JSON?) -> [InputProblem] {
    ScenarioReader.problems(json: ScenarioFixture.json.setting(path, value))
}

/// Problems of a scenario text.
func problems(_ text: String) -> [InputProblem] { ScenarioReader.problems(Data(text.utf8)) }

/// Asserts there is a problem at `path` whose message contains `message` (others may follow
/// from it, e.g. references to a list that is missing).
func expectProblem(_ found: [InputProblem], _ path: String, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(found.contains { $0.path == path && $0.message.contains(message) },
            "expected \(path): …\(message)…, got \(found)", sourceLocation: sourceLocation)
}

/// Asserts there is exactly one problem, at `path`, whose message contains `message`.
func expectOnly(_ found: [InputProblem], _ path: String, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(found.count == 1, "expected one problem, got \(found)", sourceLocation: sourceLocation)
    #expect(found.contains { $0.path == path && $0.message.contains(message) },
            "expected \(path): …\(message)…, got \(found)", sourceLocation: sourceLocation)
}

func str(_ s: String) -> JSON { .string(s) }
func num(_ s: String) -> JSON { .number(s) }

@Suite("Scenario reader")
struct ScenarioReaderTests {
    @Test func fixtureReadsWithEveryField() throws {
        let s = try ScenarioReader.read(ScenarioFixture.data)
        #expect(s.name.hasPrefix("Small district"))
        #expect(s.horizon.start == Day("2026-01-01") && s.horizon.end == Day("2026-03-31"))
        #expect(s.horizon.breaks == [TimeSpan(start: 720, end: 810)])
        #expect(s.horizon.holidays.map(\.description) == ["2026-01-01/2026-01-03", "2026-02-15/2026-02-23"])
        #expect(s.towns.count == 3 && s.departments.count == 3 && s.items.count == 4)
        #expect(s.enterprises.count == 10 && s.inspectors.count == 6 && s.pinned.count == 2)
        #expect(s.travel("T01", "T02") == 20 && s.travel("T02", "T03") == 40 && s.travel("T03", "T03") == 15)
        #expect(s.inspector("P001")?.maxVisitsPerDay == 3)
        #expect(s.inspector("P002")?.maxVisitsPerDay == nil)
        #expect(s.inspector("P004")?.certified == false)
        #expect(s.inspector("P001")?.recusals == ["E00007"])
        #expect(s.item("food-safety")?.frequency[.B] == .sampleRate(SampleRate(literal: "0.29")!))
        #expect(s.item("food-safety")?.frequency[.D] == .count(2))
        #expect(s.item("gas-safety")?.remoteAllowed == true && s.item("gas-safety")?.remoteMinutes == 10)
        #expect(s.item("price-label")?.delegable == true && s.item("price-label")?.minSpacingDays == 0)
        #expect(s.enterprise("E00006")?.lastChecked["gas-safety"] == Day("2025-11-02"))
        #expect(s.enterprise("E00004")?.whitelisted == true && s.enterprise("E00004")?.onsiteVisitsThisYear == 1)
        #expect(s.policy.seed == 20260101 && s.policy.unmetWeight[.D] == 8.5)
        #expect(s.pinned[0].start == 570 && s.pinned[1].start == nil && s.pinned[1].index == 1)
        #expect(WorkCalendar(s.horizon).days.count > 50)
    }

    @Test func defaultsApplyToAMinimalScenario() throws {
        let s = try ScenarioReader.read(Data("""
            {"format": "jointplan.scenario/1", "horizon": {"start": "2026-01-05", "end": "2026-01-09"},
             "towns": [], "departments": [], "inspectors": [], "items": [], "enterprises": []}
            """.utf8))
        #expect(s.horizon.workdays == [1, 2, 3, 4, 5] && s.horizon.dayStart == 540 && s.horizon.dayEnd == 1050)
        #expect(s.horizon.timezone == "Asia/Shanghai" && s.horizon.breaks.isEmpty && s.pinned.isEmpty)
        #expect(s.policy.minInspectorsPerVisit == 2 && s.policy.visitBaseMinutes == 10 && s.policy.maxVisitsPerDay == 4)
        #expect(s.policy.travelWithinTownMinutes == 15 && s.policy.travelBetweenTownsMinutes == 40)
        #expect(s.policy.maxOnsiteVisits.values == [1, 1, 2, 3] && s.policy.unmetWeight.values == [1, 2, 4, 8])
        #expect(s.policy.whitelistMaxOnsiteVisitsPerYear == 1 && s.policy.sampling == .coordinated && s.policy.seed == 0)
    }

    @Test func partialTierMapsKeepTheOtherDefaults() throws {
        let doc = ScenarioFixture.json.setting(["policy", "maxOnsiteVisits"], .object(JSONObject([("D", .int(5))])))
        let s = try ScenarioReader.read(json: doc)
        #expect(s.policy.maxOnsiteVisits.values == [1, 1, 2, 5])
    }

    @Test func unreadableDocuments() {
        expectOnly(problems(""), "(file)", "not valid JSON: empty document")
        expectOnly(problems("[1, 2]"), "(top level)", "must be an object, got array")
        expectOnly(problems("{\"format\": "), "(file)", "unexpected end of input")
        expectOnly(ScenarioReader.problems(Data([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D])), "(file)", "invalid UTF-8")
        expectOnly(problems("{\"a\": NaN}"), "(file)", "NaN and Infinity")
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        expectOnly(problems(deep), "(file)", "nested more than 256 levels")
    }

    @Test func aByteOrderMarkIsTolerated() {
        #expect(ScenarioReader.problems(Data([0xEF, 0xBB, 0xBF]) + ScenarioFixture.data).isEmpty)
    }

    @Test func filesOver128MiBAreRefusedUpFront() {
        let huge = Data(count: ScenarioReader.maxFileBytes + 1)
        expectOnly(ScenarioReader.problems(huge), "(file)", "larger than 128 MiB are refused")
    }

    @Test func formatMustBeTheScenarioFormat() {
        expectOnly(problemsAfter(["format"], str("jointplan.plan/1")), "format", "must be \"jointplan.scenario/1\": this is not a scenario")
        expectOnly(problemsAfter(["format"], nil), "format", "is required but missing")
    }

    /// Issue 12: a file that is not a scenario is not read past its `format`, and none of
    /// its values is echoed (a service reading a file named by a request).
    @Test func aFileThatIsNotAScenarioIsNotReportedOn() {
        let secret = Data(#"{"format": "SECRET-TOKEN-abc123", "name": "SECRET-NAME", "horizon": {"start": "SECRET-DATE"}, "towns": "SECRET-TOWNS", "password": "SECRET-PW"}"#.utf8)
        let found = ScenarioReader.problems(secret)
        expectOnly(found, "format", "this is not a scenario, so nothing else in it was read")
        #expect(!found.description.contains("SECRET"))
        let noFormat = ScenarioReader.problems(Data(#"{"token": "SECRET-abc", "name": "SECRET-NAME"}"#.utf8))
        expectOnly(noFormat, "format", "is required but missing")
        #expect(!noFormat.description.contains("SECRET"))
    }

    @Test func unknownKeysSuggestTheClosestKnownOne() {
        let doc = ScenarioFixture.json.editing([]) { top in
            guard case .object(var o)? = top else { return top }
            o["horizn"] = .object(JSONObject())
            return .object(o)
        }
        expectOnly(ScenarioReader.problems(json: doc), "horizn", "unknown key \"horizn\" (did you mean \"horizon\"?)")
        expectOnly(problemsAfter(["enterprises", 3, "twn"], str("T01")), "enterprises[3].twn", "(did you mean \"town\"?)")
        expectOnly(problemsAfter(["items", 0, "frequency", "B", "sampleRte"], num("0.1")),
                   "items[0].frequency.B.sampleRte", "(did you mean \"sampleRate\"?)")
        expectOnly(problemsAfter(["policy", "xyz"], .int(1)), "policy.xyz", "unknown key \"xyz\"")
        #expect(problemsAfter(["policy", "xyz"], .int(1))[0].message == "unknown key \"xyz\"")
        expectOnly(problemsAfter(["towns", 0, "a b"], .null), "towns[0][\"a b\"]", "unknown key \"a b\"")
    }

    @Test func closestMatchAgreesWithDifflib() {
        // Expected values from Python's difflib.get_close_matches(word, sorted(keys), n=1).
        let top = ScenarioKeys.top.sorted(), ent = ScenarioKeys.enterprise.sorted(), item = ScenarioKeys.item.sorted()
        #expect(ClosestMatch.suggestion(for: "pinnd", among: top) == "pinned")
        #expect(ClosestMatch.suggestion(for: "enterprise", among: top) == "enterprises")
        #expect(ClosestMatch.suggestion(for: "Tier", among: ent) == "tier")
        #expect(ClosestMatch.suggestion(for: "lastchecked", among: ent) == "lastChecked")
        #expect(ClosestMatch.suggestion(for: "id_", among: ent) == "id")
        #expect(ClosestMatch.suggestion(for: "xyz", among: ent) == nil)
        #expect(ClosestMatch.suggestion(for: "nme", among: item) == "name")
        #expect(ClosestMatch.suggestion(for: String(repeating: "town", count: 100_000), among: ent) == nil)
    }

    @Test func extensionsAreAllowedEverywhereAndMustBeObjects() {
        #expect(problemsAfter(["horizon", "breaks", 0, "extensions"], .object(JSONObject([("x", .int(1))]))).isEmpty)
        #expect(problemsAfter(["items", 0, "frequency", "extensions"], .object(JSONObject())).isEmpty)
        #expect(problemsAfter(["policy", "unmetWeight", "extensions"], .object(JSONObject())).isEmpty)
        expectOnly(problemsAfter(["inspectors", 2, "extensions"], .array([])), "inspectors[2].extensions", "must be an object, got array")
        // Inside a map of ids, "extensions" is an id like any other (as in check_plan.py).
        expectOnly(problemsAfter(["towns", 0, "travel", "extensions"], .object(JSONObject())),
                   "towns[0].travel.extensions", "unknown town \"extensions\"")
    }

    @Test func repeatedKeysAreErrorsEvenInsideExtensions() {
        let text = String(decoding: ScenarioFixture.data, as: UTF8.self)
        let twice = text.replacingOccurrences(of: "{\"id\": \"T03\",", with: "{\"id\": \"T03\", \"id\": \"T03\",")
        expectOnly(problems(twice), "towns[2].id", "key appears more than once in the object")
        let inExtensions = text.replacingOccurrences(of: "{\"code\": 330402}", with: "{\"code\": 1, \"code\": 2}")
        expectOnly(problems(inExtensions), "towns[2].extensions.code", "key appears more than once")
    }

    @Test func requiredKeys() {
        expectOnly(problemsAfter(["horizon", "start"], nil), "horizon.start", "is required but missing")
        expectOnly(problemsAfter(["horizon"], nil), "horizon", "is required but missing")
        expectProblem(problemsAfter(["towns"], nil), "towns", "is required but missing")
        expectOnly(problemsAfter(["items", 1, "minutes"], nil), "items[1].minutes", "is required but missing")
        expectOnly(problemsAfter(["items", 1, "categories"], nil), "items[1].categories", "is required but missing")
        expectOnly(problemsAfter(["enterprises", 4, "tier"], nil), "enterprises[4].tier", "is required but missing")
        expectOnly(problemsAfter(["inspectors", 0, "department"], nil), "inspectors[0].department", "is required but missing")
        expectOnly(problemsAfter(["pinned", 1, "date"], nil), "pinned[1].date", "is required but missing")
        expectOnly(problemsAfter(["horizon", "breaks", 0, "end"], nil), "horizon.breaks[0].end", "is required but missing")
        expectProblem(problemsAfter(["departments", 2, "id"], nil), "departments[2].id", "is required but missing")
        // Lists may be empty; pinned and policy may be absent.
        #expect(problemsAfter(["pinned"], nil).isEmpty && problemsAfter(["policy"], nil).isEmpty)
    }

    @Test func typesOfValues() {
        expectOnly(problemsAfter(["items", 0, "minutes"], num("20.0")), "items[0].minutes", "must be an integer, got 20.0")
        expectOnly(problemsAfter(["items", 0, "minutes"], num("2e1")), "items[0].minutes", "must be an integer, got 2e1")
        expectOnly(problemsAfter(["policy", "seed"], .bool(true)), "policy.seed", "must be an integer, got true")
        expectOnly(problemsAfter(["enterprises", 0, "whitelisted"], str("no")), "enterprises[0].whitelisted", "must be true or false")
        expectOnly(problemsAfter(["towns", 1, "name"], .int(3)), "towns[1].name", "must be a string, got number")
        expectProblem(problemsAfter(["towns", 1, "id"], str("")), "towns[1].id", "must be a non-empty string")
        expectProblem(problemsAfter(["enterprises"], .object(JSONObject())), "enterprises", "must be an array, got object")
        expectOnly(problemsAfter(["horizon", "start"], str("2026-02-30")), "horizon.start", "must be a date YYYY-MM-DD")
        expectOnly(problemsAfter(["horizon", "dayStart"], str("9:00")), "horizon.dayStart", "must be a time HH:MM")
        expectOnly(problemsAfter(["policy", "unmetWeight", "B"], str("2")), "policy.unmetWeight.B", "must be a number")
        expectOnly(problemsAfter(["enterprises", 2, "categories", 0], .null), "enterprises[2].categories[0]", "must be a string, got null")
        // A number where one is allowed may have a fraction: unmet weights.
        #expect(problemsAfter(["policy", "unmetWeight", "B"], num("2.25")).isEmpty)
    }

    @Test func rangesOfNumbers() {
        expectOnly(problemsAfter(["items", 0, "minutes"], .int(0)), "items[0].minutes", "must be >= 1, got 0")
        expectOnly(problemsAfter(["policy", "minInspectorsPerVisit"], .int(0)), "policy.minInspectorsPerVisit", "must be >= 1")
        expectOnly(problemsAfter(["policy", "maxOnsiteVisits", "C"], .int(-1)), "policy.maxOnsiteVisits.C", "must be >= 0, got -1")
        expectOnly(problemsAfter(["horizon", "workdays", 4], .int(8)), "horizon.workdays[4]", "must be <= 7, got 8")
        expectOnly(problemsAfter(["policy", "unmetWeight", "A"], num("-0.5")), "policy.unmetWeight.A", "must be >= 0")
        expectOnly(problemsAfter(["enterprises", 3, "onsiteVisitsThisYear"], .int(-2)), "enterprises[3].onsiteVisitsThisYear", "must be >= 0")
    }

    @Test func frequencies() {
        let f: [Step] = ["items", 0, "frequency"]
        expectOnly(problemsAfter(f + ["B", "sampleRate"], .int(1)), "items[0].frequency.B.sampleRate", "must be < 1, got 1")
        expectOnly(problemsAfter(f + ["A", "sampleRate"], num("0")), "items[0].frequency.A.sampleRate", "must be > 0")
        expectOnly(problemsAfter(f + ["A", "sampleRate"], num("1e-400")), "items[0].frequency.A.sampleRate", "must be > 0")
        expectOnly(problemsAfter(f + ["C", "count"], .int(0)), "items[0].frequency.C.count", "must be >= 1, got 0")
        expectOnly(problemsAfter(f + ["C", "sampleRate"], num("0.5")), "items[0].frequency.C", "exactly one of \"count\" and \"sampleRate\"")
        expectOnly(problemsAfter(f + ["D"], .object(JSONObject())), "items[0].frequency.D", "exactly one of")
        expectOnly(problemsAfter(f + ["E"], .object(JSONObject([("count", .int(1))]))), "items[0].frequency.E", "unknown key \"E\"")
        // The rate keeps its literal for the exact draw size (spec 2.1).
        let s = try? ScenarioReader.read(json: ScenarioFixture.json.setting(f + ["B", "sampleRate"], num("2.9e-1")))
        #expect(s?.item("food-safety")?.frequency[.B] == .sampleRate(SampleRate(literal: "2.9e-1")!))
    }

    @Test func tiers() {
        expectOnly(problemsAfter(["enterprises", 5, "tier"], str("E")), "enterprises[5].tier", "must be one of \"A\", \"B\", \"C\", \"D\", got \"E\"")
        expectOnly(problemsAfter(["policy", "unmetWeight", "a"], .int(1)), "policy.unmetWeight.a", "unknown key \"a\"")
    }

    @Test func horizonDaysAndBreaks() {
        expectOnly(problemsAfter(["horizon", "end"], str("2025-12-31")), "horizon.end", "2025-12-31 is before horizon.start 2026-01-01")
        expectOnly(problemsAfter(["horizon", "dayEnd"], str("09:00")), "horizon.dayEnd", "09:00 is not after dayStart 09:00")
        expectOnly(problemsAfter(["horizon", "breaks", 0, "end"], str("11:00")), "horizon.breaks[0].end", "11:00 is not after the break's start 12:00")
        expectOnly(problemsAfter(["horizon", "holidays", 1], str("2026-02-23/2026-02-15")), "horizon.holidays[1]", "ends before it starts")
        expectOnly(problemsAfter(["horizon", "extraWorkdays", 0], str("2026-1-4")), "horizon.extraWorkdays[0]", "must be a date or a range")
        #expect(problemsAfter(["horizon", "dayEnd"], str("24:00")).isEmpty)
    }

    @Test func horizonRulesBeyondTheChecker() {
        expectOnly(problemsAfter(["horizon", "end"], str("2029-01-01")), "horizon.end", "the horizon is longer than 1096 days")
        #expect(problemsAfter(["horizon", "end"], str("2028-12-31")).isEmpty)   // exactly 1096 days
        expectOnly(problemsAfter(["horizon", "end"], str("2026-01-03")), "horizon", "has no working day")
        expectOnly(problems("""
            {"format": "jointplan.scenario/1", "horizon": {"start": "2026-01-05", "end": "2026-01-09", "workdays": []},
             "towns": [], "departments": [], "inspectors": [], "items": [], "enterprises": []}
            """), "horizon", "has no working day")
        expectOnly(problemsAfter(["horizon", "breaks", 0, "end"], str("18:00")), "horizon.breaks[0]",
                   "the break 12:00-18:00 is not inside the working day 09:00-17:30")
        let whole = JSON.array([.object(JSONObject([("start", str("09:00")), ("end", str("13:00"))])),
                                .object(JSONObject([("start", str("12:00")), ("end", str("17:30"))]))])
        expectOnly(problemsAfter(["horizon", "breaks"], whole), "horizon.breaks", "the breaks cover the whole working day")
        // Breaks are stored as their union.
        let lunch = JSON.object(JSONObject([("start", str("12:00")), ("end", str("13:00"))]))
        let tea = JSON.object(JSONObject([("start", str("12:30")), ("end", str("13:30"))]))
        let s1 = try? ScenarioReader.read(json: ScenarioFixture.json.setting(["horizon", "breaks"], .array([tea, lunch, lunch])))
        #expect(s1?.horizon.breaks == [TimeSpan(start: 720, end: 810)])
        // A holiday range of 9999 years is read without walking its days, and stored clipped.
        // Only the three make-up days remain working days.
        let s = try? ScenarioReader.read(json: ScenarioFixture.json.setting(["horizon", "holidays"], .array([str("0001-01-01/9999-12-31")])))
        #expect(s?.horizon.holidays.map(\.description) == ["2026-01-01/2026-03-31"])
        #expect(s.map { WorkCalendar($0.horizon).days.map(\.description) } == ["2026-01-04", "2026-02-14", "2026-02-28"])
    }

    @Test func danglingReferences() {
        expectOnly(problemsAfter(["enterprises", 2, "town"], str("T9")), "enterprises[2].town", "unknown town \"T9\"")
        expectOnly(problemsAfter(["items", 3, "department"], str("WJ")), "items[3].department", "unknown department \"WJ\"")
        expectOnly(problemsAfter(["inspectors", 5, "department"], str("WJ")), "inspectors[5].department", "unknown department \"WJ\"")
        expectOnly(problemsAfter(["enterprises", 0, "lastChecked", "fire-exit"], str("2025-01-01")),
                   "enterprises[0].lastChecked[\"fire-exit\"]", "unknown item \"fire-exit\"")
        expectOnly(problemsAfter(["inspectors", 0, "recusals", 0], str("E99")), "inspectors[0].recusals[0]", "unknown enterprise \"E99\"")
        expectOnly(problemsAfter(["pinned", 0, "enterprise"], str("E99")), "pinned[0].enterprise", "unknown enterprise \"E99\"")
        expectOnly(problemsAfter(["pinned", 0, "inspectors", 0], str("P99")), "pinned[0].inspectors[0]", "unknown inspector \"P99\"")
        expectOnly(problemsAfter(["pinned", 0, "items", 0], str("x")), "pinned[0].items[0]", "unknown item \"x\"")
        expectOnly(problemsAfter(["towns", 1, "travel", "T04"], .int(5)), "towns[1].travel.T04", "unknown town \"T04\"")
        // A town's travel entry to itself is ignored (A21).
        #expect(problemsAfter(["towns", 1, "travel", "T02"], .int(5)).isEmpty)
    }

    @Test func duplicateIdsNameTheFirstIndex() {
        expectOnly(problemsAfter(["enterprises", 7, "id"], str("E00002")), "enterprises[7].id", "duplicate id \"E00002\" (also enterprises[1])")
        expectProblem(problemsAfter(["towns", 2, "id"], str("T01")), "towns[2].id", "duplicate id \"T01\" (also towns[0])")
    }

    @Test func hugeAndNegativeNumbersBeyondTheChecker() {
        expectOnly(problemsAfter(["items", 0, "minutes"], num("100000000000000000000000000000")), "items[0].minutes", "must be <= 1440")
        expectOnly(problemsAfter(["items", 0, "minutes"], num("-100000000000000000000000000000")), "items[0].minutes", "must be >= 1")
        expectOnly(problemsAfter(["towns", 0, "travel", "T02"], .int(5000)), "towns[0].travel.T02", "must be <= 1440")
        expectOnly(problemsAfter(["items", 1, "frequency", "C", "count"], .int(100_001)), "items[1].frequency.C.count", "must be <= 100000")
        expectOnly(problemsAfter(["policy", "seed"], .int(-1)), "policy.seed", "must be a non-negative integer, got -1")
        expectOnly(problemsAfter(["policy", "seed"], num("18446744073709551616")), "policy.seed", "must be <= 18446744073709551615")
        #expect((try? ScenarioReader.read(json: ScenarioFixture.json.setting(["policy", "seed"], num("18446744073709551615"))))?.policy.seed == .max)
        expectOnly(problemsAfter(["policy", "unmetWeight", "C"], num("1e400")), "policy.unmetWeight.C", "must be a number, got 1e400")
        expectOnly(problemsAfter(["policy", "unmetWeight", "C"], num("1e7")), "policy.unmetWeight.C", "must be <= 1000000")
    }

    @Test func tenThousandProblemsAreListedAndTheRestCounted() {
        let broken = JSON.object(JSONObject([("id", str("E")), ("town", str("T9")), ("categories", .array([])), ("tier", str("A"))]))
        let doc = ScenarioFixture.json.setting(["enterprises"], .array(Array(repeating: broken, count: 5_100)))
        let found = ScenarioReader.problems(json: doc)
        #expect(found.count == 10_001)
        #expect(found.first?.description == "enterprises[1].id: duplicate id \"E\" (also enterprises[0])")
        // 5,099 duplicate ids + 5,100 unknown towns + 3 dangling references to enterprises.
        #expect(found.last?.description == "(file): … and 202 more problems not listed")
    }

    @Test func everyProblemIsReportedNotJustTheFirst() {
        var doc = ScenarioFixture.json
        doc = doc.setting(["enterprises", 0, "town"], str("T9"))
        doc = doc.setting(["items", 2, "minutes"], .int(0))
        doc = doc.setting(["policy", "sampling"], str("random"))
        let found = ScenarioReader.problems(json: doc)
        #expect(found.map(\.path) == ["policy.sampling", "items[2].minutes", "enterprises[0].town"])
        #expect(throws: InputProblems.self) { try ScenarioReader.read(json: doc) }
    }
}
